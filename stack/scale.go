package stack

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/capsim/capsim/sim"
)

// Limits bound what the real stack is asked to host on one small machine.
type Limits struct {
	MaxRate      float64       // requests per second offered to HAProxy
	MaxInstances int           // backend processes
	MinService   time.Duration // mean service time below this is stretched (the stack's own overheads would dominate)
	MaxService   time.Duration // mean service time above this is compressed (too few requests in a short run)
}

// DefaultLimits suit two cores: HAProxy, the generator and every backend
// share them, and a backend sleeps rather than computes.
var DefaultLimits = Limits{MaxRate: 300, MaxInstances: 8, MinService: 5 * time.Millisecond, MaxService: 200 * time.Millisecond}

// Shape is the part of a scenario the scaling works on: a fixed fleet of
// Instances × Slots serving Rate requests per second of mean service time
// Service (demand ÷ speed).
type Shape struct {
	Rate      float64
	Instances int
	Slots     int
	Service   time.Duration
}

// Utilisation is the offered load per slot, ρ = λ·E[S] ÷ (N·c).
func (s Shape) Utilisation() float64 {
	return s.Rate * s.Service.Seconds() / float64(s.Instances*s.Slots)
}

// Plan is the scaled-down run: its shape, the time factor applied to
// service times and the timeout, and what was changed, in words.
type Plan struct {
	From, To Shape
	// TimeFactor multiplies every service time and the client timeout and
	// divides the rate: latencies of the scaled run are TimeFactor × those
	// of the original.
	TimeFactor float64
	Notes      []string
}

// Scale shrinks s to fit lim while keeping the utilisation per slot (so
// the queueing regime is the same):
//
//  1. time: a mean service time outside [MinService, MaxService] is moved to
//     the nearer bound by a time factor k (service × k, rate ÷ k);
//  2. instances: at most MaxInstances, the rate cut in proportion;
//  3. rate above MaxRate: slower time (a larger k, up to a mean service of
//     MaxService), then fewer instances, then fewer slots per instance,
//     then a larger k still, each cutting the rate in proportion.
//
// The simulation the run is compared with is of the scaled scenario, so
// the comparison is exact about what was run; the scaling only decides how
// far the result speaks for the original.
func Scale(s Shape, lim Limits) (Plan, error) {
	if s.Rate <= 0 || s.Instances < 1 || s.Slots < 1 || s.Service <= 0 {
		return Plan{}, fmt.Errorf("validate needs a rate > 0, at least one instance with a slot, and a mean service time > 0 (got %.4g req/s, %d × %d slots, %v)", s.Rate, s.Instances, s.Slots, s.Service)
	}
	p := Plan{From: s, To: s, TimeFactor: 1}
	t := &p.To
	note := func(format string, a ...any) { p.Notes = append(p.Notes, fmt.Sprintf(format, a...)) }
	switch {
	case s.Service < lim.MinService:
		p.TimeFactor = float64(lim.MinService) / float64(s.Service)
	case s.Service > lim.MaxService:
		p.TimeFactor = float64(lim.MaxService) / float64(s.Service)
	}
	if p.TimeFactor != 1 {
		t.Rate /= p.TimeFactor
		note("time × %.4g: mean service %v → %v, rate ÷ %.4g (service times and the timeout are stretched alike)",
			p.TimeFactor, s.Service.Round(100*time.Microsecond), scaleDur(s.Service, p.TimeFactor).Round(100*time.Microsecond), p.TimeFactor)
	}
	if t.Instances > lim.MaxInstances {
		t.Rate *= float64(lim.MaxInstances) / float64(t.Instances)
		note("instances %d → %d (rate cut in proportion)", t.Instances, lim.MaxInstances)
		t.Instances = lim.MaxInstances
	}
	if svc := float64(s.Service) * p.TimeFactor; t.Rate > lim.MaxRate && svc < float64(lim.MaxService) {
		// Slower time first: it keeps the fleet's shape.
		k := math.Min(t.Rate/lim.MaxRate, float64(lim.MaxService)/svc)
		p.TimeFactor *= k
		t.Rate /= k
		note("time × %.4g to keep the rate under %.0f req/s: mean service %v (service times and the timeout are stretched alike)",
			k, lim.MaxRate, scaleDur(s.Service, p.TimeFactor).Round(100*time.Microsecond))
	}
	if t.Rate > lim.MaxRate && t.Instances > 1 {
		n := max(1, int(math.Floor(float64(t.Instances)*lim.MaxRate/t.Rate)))
		t.Rate *= float64(n) / float64(t.Instances)
		note("instances %d → %d to keep the rate under %.0f req/s", t.Instances, n, lim.MaxRate)
		t.Instances = n
	}
	if t.Rate > lim.MaxRate && t.Slots > 1 {
		c := max(1, int(math.Floor(float64(t.Slots)*lim.MaxRate/t.Rate)))
		t.Rate *= float64(c) / float64(t.Slots)
		note("slots per instance %d → %d to keep the rate under %.0f req/s", t.Slots, c, lim.MaxRate)
		t.Slots = c
	}
	if t.Rate > lim.MaxRate {
		k := t.Rate / lim.MaxRate
		p.TimeFactor *= k
		t.Rate = lim.MaxRate
		note("time × %.4g more to keep the rate under %.0f req/s", k, lim.MaxRate)
	}
	t.Service = scaleDur(s.Service, p.TimeFactor)
	if t.Rate != s.Rate {
		note("rate %.4g → %.4g req/s", s.Rate, t.Rate)
	}
	return p, nil
}

func scaleDur(d time.Duration, k float64) time.Duration {
	return time.Duration(math.Round(float64(d) * k))
}

// scaledDist multiplies another distribution's samples by K, drawing the
// same random numbers: the scaled run keeps common random numbers with the
// generator.
type scaledDist struct {
	D sim.Dist
	K float64
}

func (s scaledDist) Sample(r *rand.Rand) float64 { return s.D.Sample(r) * s.K }
func (s scaledDist) Mean() float64               { return s.D.Mean() * s.K }
func (s scaledDist) String() string {
	if s.K == 1 {
		return s.D.String()
	}
	return fmt.Sprintf("%.4g × %s", s.K, s.D)
}

var _ sim.Dist = scaledDist{}
