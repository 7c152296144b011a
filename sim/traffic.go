package sim

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
)

// Segment is a span of simulated time with a constant request rate.
type Segment struct {
	Start, End Time
	Rate       float64 // requests per second
}

// RateSource yields consecutive rate segments in time order and io.EOF after
// the last. Trace readers stream their file through it, so a week of data is
// never held in memory.
type RateSource interface {
	NextSegment() (Segment, error)
}

// Request is one recorded request of a replayed log.
type Request struct {
	At Time
	// Demand is the request's CPU demand in seconds on one vCPU of speed
	// 1.0; a negative value means "sample it from the workload's service
	// time distribution".
	Demand float64
}

// RequestSource yields recorded requests in time order and io.EOF after the
// last. Log readers (CLF, ALB, requests CSV) replay through it, streaming.
type RequestSource interface {
	NextRequest() (Request, error)
}

// replay adapts a RequestSource to the engine's arrival stream.
type replay struct {
	src  RequestSource
	last Time
	err  error
	done bool
}

func (r *replay) next() (Time, float64, bool) {
	if r.done {
		return 0, -1, false
	}
	q, err := r.src.NextRequest()
	if err != nil {
		if !errors.Is(err, io.EOF) {
			r.err = err
		}
		r.done = true
		return 0, -1, false
	}
	if q.At < r.last {
		r.err = fmt.Errorf("traffic: request at %v is earlier than the one before it (%v)", q.At, r.last)
		r.done = true
		return 0, -1, false
	}
	r.last = q.At
	return q.At, q.Demand, true
}

func (r *replay) failure() error { return r.err }

// arrivalStream is where the engine gets its next arrival: a rate turned
// into arrivals, or a replayed log.
type arrivalStream interface {
	next() (at Time, demand float64, ok bool)
	failure() error
}

// ConstantRate is a rate that never changes.
type ConstantRate struct {
	RPS  float64
	next Time
}

// NextSegment yields hour-long segments forever; the run's duration ends it.
func (c *ConstantRate) NextSegment() (Segment, error) {
	s := Segment{Start: c.next, End: c.next + Hour, Rate: c.RPS}
	c.next = s.End
	return s, nil
}

// FuncRate samples a rate function into segments of Step (one second when
// unset) up to End. Synthetic shapes (diurnal, ramp, spikes) are functions.
type FuncRate struct {
	F    func(t Time) float64
	Step Time
	End  Time
	next Time
}

func (f *FuncRate) NextSegment() (Segment, error) {
	step := f.Step
	if step <= 0 {
		step = Second
	}
	if f.End > 0 && f.next >= f.End {
		return Segment{}, io.EOF
	}
	s := Segment{Start: f.next, End: f.next + step}
	if f.End > 0 && s.End > f.End {
		s.End = f.End
	}
	// The midpoint rate makes a linear ramp exact in expectation.
	s.Rate = math.Max(0, f.F(s.Start+(s.End-s.Start)/2))
	f.next = s.End
	return s, nil
}

// ArrivalProcess says how arrivals are spaced within the rate.
type ArrivalProcess struct {
	Kind ArrivalKind
	CV   float64 // gamma: coefficient of variation of the inter-arrival times
}

// ArrivalKind is the arrival process type.
type ArrivalKind uint8

// The arrival processes.
const (
	Poisson      ArrivalKind = iota // non-homogeneous Poisson process
	Even                            // deterministic spacing 1/rate
	GammaRenewal                    // renewal process with gamma inter-arrivals of coefficient of variation CV
)

func (a ArrivalProcess) String() string {
	switch a.Kind {
	case Even:
		return "even"
	case GammaRenewal:
		return fmt.Sprintf("gamma{cv %g}", a.CV)
	}
	return "poisson"
}

// arrivals turns a rate into arrival times by a time change: a unit-rate
// renewal process in "operational time" Λ(t) = ∫rate is mapped back through
// Λ⁻¹. With exponential increments this is exactly the non-homogeneous
// Poisson process of the rate; with constant increments, evenly spaced
// arrivals; with gamma increments of mean 1, a renewal process of that cv.
type arrivals struct {
	src   RateSource
	r     *rand.Rand
	proc  ArrivalProcess
	gamma Gamma
	seg   Segment
	at    Time // last arrival (or segment position reached)
	err   error
	done  bool
}

func newArrivals(src RateSource, r *rand.Rand, p ArrivalProcess) *arrivals {
	a := &arrivals{src: src, r: r, proc: p}
	if p.Kind == GammaRenewal {
		a.gamma, _ = GammaMeanCV(1, p.CV)
	}
	a.seg.End = math.MinInt64 // forces a read
	return a
}

func (a *arrivals) increment() float64 {
	switch a.proc.Kind {
	case Even:
		return 1
	case GammaRenewal:
		return a.gamma.Sample(a.r)
	}
	return a.r.ExpFloat64()
}

func (a *arrivals) failure() error { return a.err }

// next returns the next arrival time, or false when the source is exhausted
// (or failed: see err). Rate-driven arrivals carry no demand of their own.
func (a *arrivals) next() (Time, float64, bool) {
	t, ok := a.nextTime()
	return t, -1, ok
}

func (a *arrivals) nextTime() (Time, bool) {
	if a.done {
		return 0, false
	}
	x := a.increment()
	for {
		if a.at < a.seg.End && a.seg.Rate > 0 {
			room := (a.seg.End - a.at).Seconds() * a.seg.Rate
			if x <= room {
				t := a.at + FromSeconds(x/a.seg.Rate)
				if t >= a.seg.End { // rounding at the edge
					t = a.seg.End - 1
				}
				a.at = t
				return t, true
			}
			x -= room
		}
		s, err := a.src.NextSegment()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				a.err = err
			}
			a.done = true
			return 0, false
		}
		if s.End <= s.Start || s.Rate < 0 || math.IsNaN(s.Rate) || math.IsInf(s.Rate, 0) {
			a.err = fmt.Errorf("traffic: bad rate segment [%v, %v) rate %g", s.Start, s.End, s.Rate)
			a.done = true
			return 0, false
		}
		a.seg = s
		if a.at < s.Start {
			a.at = s.Start
		}
	}
}
