package scenarios

import (
	"fmt"
	"math"
	"strconv"
)

// DefaultMaxRequests is the request budget of one run unless the user
// raises it (capsim run --max-requests): a few hours of simulation on one
// core. docs/reliability.md explains it.
const DefaultMaxRequests = 2e9

// EstimateRequests is about how many requests a run of s sends: the
// traffic's mean rate (after scale, noise and spikes) times its length
// for a synthetic shape, the file's requests for a trace (pro rata when
// the run covers part of it). It errs high rather than low, to guard a
// run that would take far longer than anyone meant.
func (s *Scenario) EstimateRequests() float64 {
	t := s.Traffic
	tau := s.Duration.D().Seconds() * t.Speedup // seconds of traffic time
	switch {
	case t.Synthetic != nil:
		return s.meanRate() * tau * t.Scale
	case s.trace != nil:
		n := s.trace.Requests
		if t.Trace.isLog() {
			n = float64(s.trace.Rows)
		} else {
			n *= t.Scale
		}
		if span := s.trace.End.Sub(s.trace.Start).Seconds(); span > 0 && tau < span {
			n *= tau / span
		}
		return n
	}
	return 0
}

// meanRate is a synthetic shape's mean rate over the run, requests per
// traffic second, before scale.
func (s *Scenario) meanRate() float64 {
	y := s.Traffic.Synthetic
	var r float64
	switch y.Shape {
	case "constant", "spike":
		r = orZero(y.RPS)
	case "ramp":
		r = (orZero(y.FromRPS) + orZero(y.ToRPS)) / 2
	case "diurnal":
		r = orZero(y.MeanRPS)
	case "weekly":
		r = orZero(y.MeanRPS) * max(1, orZero(y.WeekendFactor))
	}
	r *= noiseMean(y.Noise)
	tau := s.Duration.D().Seconds() * s.Traffic.Speedup
	r *= seasonalMean(y, tau)
	if tau > 0 {
		for _, sp := range y.Spikes {
			r += sp.RPS * min(sp.For.D().Seconds(), tau) / tau
		}
	}
	return r
}

// peakRate is a synthetic shape's highest rate before noise, requests per
// traffic second, before scale.
func (y *Synthetic) peakRate() float64 {
	var r float64
	switch y.Shape {
	case "constant", "spike":
		r = orZero(y.RPS)
	case "ramp":
		r = max(orZero(y.FromRPS), orZero(y.ToRPS))
	case "diurnal", "weekly":
		ptt := max(1, orZero(y.PeakToTrough))
		r = orZero(y.MeanRPS) * 2 * ptt / (ptt + 1)
		if y.Shape == "weekly" {
			r *= max(1, orZero(y.WeekendFactor))
		}
	}
	for _, sp := range y.Spikes {
		r += sp.RPS
	}
	return r
}

// noiseMean is E[max(0, 1 + σZ)] for Z standard normal: the noise factor's
// mean, 1 for small σ and about 0.4σ for large.
func noiseMean(sigma float64) float64 {
	if sigma <= 0 {
		return 1
	}
	x := 1 / sigma
	phi := math.Exp(-x*x/2) / math.Sqrt(2*math.Pi)
	cdf := 0.5 * math.Erfc(-x/math.Sqrt2)
	return cdf + sigma*phi
}

// CheckBudget fails, before anything runs, when the run would send more
// than maxRequests requests, saying how many and how to raise the budget.
func (s *Scenario) CheckBudget(maxRequests float64) error {
	n := s.EstimateRequests()
	if !(n <= maxRequests) {
		raise := "shorten duration or lower the rate or scale"
		if !math.IsInf(n, 0) && !math.IsNaN(n) {
			raise += fmt.Sprintf(", or raise the budget with --max-requests %s if you mean it", num(math.Pow(10, math.Ceil(math.Log10(n)))))
		}
		return fmt.Errorf("%s: %s: this run would send about %s requests, more than the budget of %s requests (--max-requests): %s",
			s.file, s.Name, approx(n), num(maxRequests), raise)
	}
	return nil
}

// derivedRate checks the rate a synthetic shape reaches once scaled and
// sped up: every field may be in range and the product still not.
func (c *checker) derivedRate() {
	t := &c.s.Traffic
	if t.Synthetic == nil || !c.ok("traffic") || hasErrorUnder(c.d.Errs, "traffic") {
		return
	}
	peak := t.Synthetic.peakRate() * t.Scale * t.Speedup
	if !(peak <= maxRPS) {
		at := "traffic.synthetic"
		if c.given("traffic.scale") {
			at = "traffic.scale"
		} else if c.given("traffic.speedup") {
			at = "traffic.speedup"
		}
		c.bad(at, "the traffic peaks at %s requests per simulated second after scale and speedup, more than %s", num(peak), num(maxRPS))
	}
}

// approx is x to three significant digits, written as num writes it.
func approx(x float64) string {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
	return num(y)
}

// orZero reads an optional number, 0 when it is absent.
func orZero(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
