package scenarios

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/sim"
)

// shapeOf parses a scenario with this synthetic traffic (and start) and
// returns its built rate source.
func shapeOf(t *testing.T, synthetic, extra string) (*Scenario, sim.RateSource) {
	t.Helper()
	src := strings.Replace(valid, "{shape: constant, rps: 100}", synthetic, 1) + extra
	s, err := Parse("s.yaml", []byte(src), "")
	if err != nil {
		t.Fatalf("%s:\n%v", synthetic, err)
	}
	cfg, _, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, cfg.Traffic
}

// segments reads a source to its end.
func segments(t *testing.T, src sim.RateSource) []sim.Segment {
	t.Helper()
	var out []sim.Segment
	for {
		s, err := src.NextSegment()
		if err != nil {
			return out
		}
		out = append(out, s)
	}
}

func rateAt(segs []sim.Segment, at sim.Time) float64 {
	for _, s := range segs {
		if at >= s.Start && at < s.End {
			return s.Rate
		}
	}
	return math.NaN()
}

func TestDiurnal(t *testing.T) {
	// valid lasts 1h: use a whole day.
	s, _ := shapeOf(t, "{shape: diurnal, mean_rps: 300, peak_to_trough: 4}", "")
	s.Duration = Duration(24 * time.Hour)
	cfg, _, _ := s.Build(nil)
	segs := segments(t, cfg.Traffic)
	if len(segs) != 86400 || segs[0].End != sim.Second {
		t.Fatalf("%d segments, first %+v: want one per second", len(segs), segs[0])
	}
	var sum float64
	lo, hi := math.Inf(1), 0.0
	var peakAt sim.Time
	for _, sg := range segs {
		sum += sg.Rate
		lo = math.Min(lo, sg.Rate)
		if sg.Rate > hi {
			hi, peakAt = sg.Rate, sg.Start
		}
	}
	if mean := sum / 86400; math.Abs(mean-300) > 1e-6 {
		t.Errorf("mean %g, want 300", mean)
	}
	// peak/trough = 4 with mean 300: 480 and 120.
	if math.Abs(hi-480) > 1e-3 || math.Abs(lo-120) > 1e-3 {
		t.Errorf("peak %g trough %g, want 480 and 120", hi, lo)
	}
	if d := peakAt - 14*sim.Hour; d < -sim.Second || d > sim.Second {
		t.Errorf("peak at %v, want 14h (start is 1970-01-01T00:00Z)", peakAt)
	}
	// A start at 12:00 UTC moves the peak to 2h after t = 0.
	s.Start = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	cfg, _, _ = s.Build(nil)
	segs = segments(t, cfg.Traffic)
	if r := rateAt(segs, 2*sim.Hour); math.Abs(r-480) > 1e-3 {
		t.Errorf("rate at 14:00 UTC = %g, want the peak 480", r)
	}
}

func TestWeekly(t *testing.T) {
	s, _ := shapeOf(t, "{shape: weekly, mean_rps: 100, peak_to_trough: 1}", "start: 2026-03-06T00:00:00Z\n") // a Friday
	if s.Traffic.Synthetic.WeekendFactor == nil || *s.Traffic.Synthetic.WeekendFactor != 0.6 {
		t.Fatalf("weekend_factor default: %v", s.Traffic.Synthetic.WeekendFactor)
	}
	s.Duration = Duration(72 * time.Hour)
	cfg, _, _ := s.Build(nil)
	segs := segments(t, cfg.Traffic)
	for _, c := range []struct {
		at   sim.Time
		want float64
	}{{12 * sim.Hour, 100}, {36 * sim.Hour, 60}, {60 * sim.Hour, 60}} {
		if r := rateAt(segs, c.at); math.Abs(r-c.want) > 1e-9 {
			t.Errorf("rate at %v = %g, want %g", c.at, r, c.want)
		}
	}
}

func TestRampSpikesNoise(t *testing.T) {
	_, src := shapeOf(t, "{shape: ramp, from_rps: 0, to_rps: 360, spikes: [{at: 30m, rps: 1000, for: 1m}]}", "")
	segs := segments(t, src)
	if r := rateAt(segs, 10*sim.Minute); math.Abs(r-60.05) > 1e-9 { // midpoint of second 600
		t.Errorf("ramp at 10m = %g, want 60.05", r)
	}
	if r := rateAt(segs, 30*sim.Minute+30*sim.Second); math.Abs(r-(183.05+1000)) > 1e-9 { // second 1830's midpoint
		t.Errorf("ramp + spike at 30m30s = %g", r)
	}
	if r := rateAt(segs, 31*sim.Minute); math.Abs(r-186.05) > 1e-9 {
		t.Errorf("after the spike: %g", r)
	}
	// A spike shape is a baseline plus its spikes.
	_, src = shapeOf(t, "{shape: spike, spikes: [{at: 10m, rps: 50, for: 5m}]}", "")
	segs = segments(t, src)
	if rateAt(segs, 5*sim.Minute) != 0 || rateAt(segs, 12*sim.Minute) != 50 {
		t.Error("spike shape")
	}
	// Noise: per-minute factors with mean 1, the same for the same seed.
	noisy := "{shape: constant, rps: 100, noise: 0.1}"
	s, a := shapeOf(t, noisy, "")
	_, b := shapeOf(t, noisy, "")
	sa, sb := segments(t, a), segments(t, b)
	var sum, sq float64
	for i := range sa {
		if sa[i] != sb[i] {
			t.Fatal("same seed, different noise")
		}
		if i%60 != 0 && sa[i].Rate != sa[i-1].Rate {
			t.Fatalf("noise changed inside a minute at second %d", i)
		}
		sum += sa[i].Rate
		sq += sa[i].Rate * sa[i].Rate
	}
	n := float64(len(sa))
	mean := sum / n
	sd := math.Sqrt(sq/n - mean*mean)
	if math.Abs(mean-100) > 4 || sd < 6 || sd > 14 {
		t.Errorf("noisy rate mean %g sd %g, want ≈ 100 and ≈ 10", mean, sd)
	}
	seed := uint64(7)
	cfg, _, _ := s.Build(&seed)
	if sc := segments(t, cfg.Traffic); sc[0] == sa[0] && sc[60] == sa[60] {
		t.Error("another seed, same noise")
	}
}

func TestSpeedupSynthetic(t *testing.T) {
	// speedup 2 plays two hours of ramp in one, at twice the rate.
	src := strings.Replace(valid, "{shape: constant, rps: 100}\n", "{shape: ramp, from_rps: 0, to_rps: 100}\n  speedup: 2\n  scale: 3\n", 1)
	s, err := Parse("s.yaml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	segs := segments(t, cfg.Traffic)
	if len(segs) != 3600 || segs[len(segs)-1].End != sim.Hour {
		t.Fatalf("%d segments ending %v", len(segs), segs[len(segs)-1].End)
	}
	var req float64
	for _, s := range segs {
		req += s.Rate * (s.End - s.Start).Seconds()
	}
	// ∫ ramp over 2h of its own time = 50 × 7200 = 360,000; × scale 3.
	if math.Abs(req-3*360000) > 1 {
		t.Errorf("%g requests, want 1,080,000", req)
	}
	// Simulated second 1800 is the ramp's own [3600s, 3602s): midpoint 3601s.
	if r, want := rateAt(segs, 30*sim.Minute), 3*2*100*3601/7200.0; math.Abs(r-want) > 1e-9 {
		t.Errorf("rate at 30m = %g, want %g", r, want)
	}
}
