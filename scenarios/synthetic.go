package scenarios

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/capsim/capsim/sim"
)

// shapeFunc is a synthetic shape's rate function (see Synthetic for the
// math), in the traffic's own time τ, before scale and speedup.
type shapeFunc struct {
	base     func(tau float64) float64 // τ in seconds
	spikes   []Spike
	noise    float64
	seed     uint64
	noiseKey uint64
	pcg      rand.PCG
	noiseR   *rand.Rand
	minute   int64   // the minute noiseF belongs to
	noiseF   float64 // that minute's factor
}

func (f *shapeFunc) rate(t sim.Time) float64 {
	tau := t.Seconds()
	r := f.base(tau)
	if f.noise > 0 {
		r *= f.noiseFactor(int64(t / sim.Minute))
	}
	for _, s := range f.spikes {
		if t >= s.At.Sim() && t < s.At.Sim()+s.For.Sim() {
			r += s.RPS
		}
	}
	return r
}

// noiseFactor is minute m's factor. The seed's noise stream gives one key;
// each minute draws from its own PCG stream under that key, so a factor
// depends on the seed and the minute only, costs the same for any minute
// (a large speedup skips many), and variants share it.
func (f *shapeFunc) noiseFactor(m int64) float64 {
	if f.noiseR == nil {
		f.noiseKey = sim.NewRand(f.seed, sim.StreamNoise).Uint64()
		f.noiseR = rand.New(&f.pcg)
		f.minute = -1
	}
	if m != f.minute {
		f.pcg.Seed(f.noiseKey, uint64(m))
		f.noiseF = math.Max(0, 1+f.noise*f.noiseR.NormFloat64())
		f.minute = m
	}
	return f.noiseF
}

// diurnal returns the diurnal rate function for a traffic starting at the
// wall-clock time start.
func diurnal(mean, peakToTrough float64, period time.Duration, start time.Time) func(float64) float64 {
	a := (peakToTrough - 1) / (peakToTrough + 1)
	p := period.Seconds()
	// Phase of τ = 0 within the period, aligned to the Unix epoch (for
	// periods of whole seconds; others are aligned to the start).
	startSec := 0.0
	if whole := int64(p); whole >= 1 && float64(whole) == p {
		startSec = float64(start.Unix()%whole) + float64(start.Nanosecond())/1e9
	}
	peak := p * 14 / 24
	return func(tau float64) float64 {
		w := math.Mod(startSec+tau, p)
		return mean * (1 + a*math.Cos(2*math.Pi*(w-peak)/p))
	}
}

// weekendFactor scales a rate function on Saturdays and Sundays (UTC).
func weekendFactor(f func(float64) float64, factor float64, start time.Time) func(float64) float64 {
	return func(tau float64) float64 {
		wd := start.Add(time.Duration(tau * 1e9)).UTC().Weekday()
		if wd == time.Saturday || wd == time.Sunday {
			return f(tau) * factor
		}
		return f(tau)
	}
}

// scaled maps a rate source from the traffic's own time to simulated time:
// rate × scale × speedup, times ÷ speedup. Stretches that shrink to
// nothing are dropped.
type scaled struct {
	src            sim.RateSource
	scale, speedup float64
}

func (s *scaled) NextSegment() (sim.Segment, error) {
	for {
		seg, err := s.src.NextSegment()
		if err != nil {
			return seg, err
		}
		if s.speedup != 1 {
			seg.Start = sim.Time(float64(seg.Start) / s.speedup)
			seg.End = sim.Time(float64(seg.End) / s.speedup)
		}
		seg.Rate *= s.scale * s.speedup
		if seg.End > seg.Start {
			return seg, nil
		}
	}
}
