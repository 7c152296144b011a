package sim_test

import (
	"math"
	"reflect"
	"sort"
	"testing"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

func runMode(t *testing.T, c *sim.Config, m sim.Mode) *sim.Result {
	t.Helper()
	c.Mode = m
	r, err := sim.Run(c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFluidFeatureRuns runs the golden feature scenarios (3 hours each,
// every lifecycle feature) in both modes and holds fluid mode to
// docs/fluid.md's bounds, every one of them: `credits` (a throttled
// burstable instance) was +8 % instance-hours until fluid mode gave a
// throttled instance its round-robin share (sim/fluid_weight.go).
func TestFluidFeatureRuns(t *testing.T) {
	runs := featureRuns()
	var names []string
	for n := range runs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rq := runMode(t, featureRuns()[name], sim.RequestMode)
			fl := runMode(t, featureRuns()[name], sim.FluidMode)
			if fl.Mode != sim.FluidMode || rq.Mode != sim.RequestMode {
				t.Errorf("modes %v, %v", fl.Mode, rq.Mode)
			}
			if !fl.Requests.Conserved() {
				t.Errorf("fluid does not conserve requests: %+v", fl.Requests)
			}
			if d := math.Abs(float64(fl.Requests.Total-rq.Requests.Total)) / float64(rq.Requests.Total); d > 0.01 {
				t.Errorf("fluid saw %d requests, request mode %d", fl.Requests.Total, rq.Requests.Total)
			}
			e := sim.CompareFluid(fl, rq)
			t.Logf("%s: hours %+.3f mean %+.3f peak %+d activities %+.2f p50 %+.3f p99 %+.3f", name, e.InstanceHours, e.MeanInService, e.PeakInService, e.Activities, e.P50, e.P99)
			within := math.Abs(e.InstanceHours) <= 0.02 && math.Abs(e.MeanInService) <= 0.03 && e.PeakInService <= 1 && e.PeakInService >= -1 &&
				math.Abs(e.Activities) <= 0.10 && math.Abs(e.P50) <= 0.10 && math.Abs(e.P99) <= 0.20
			if !within {
				t.Errorf("outside docs/fluid.md's bounds: %+v", e)
			}
		})
	}
}

func TestFluidDeterministic(t *testing.T) {
	a := runMode(t, featureRuns()["failures"], sim.FluidMode)
	b := runMode(t, featureRuns()["failures"], sim.FluidMode)
	a.Latency, b.Latency, a.Wait, b.Wait = nil, nil, nil, nil
	if !reflect.DeepEqual(a, b) {
		t.Error("two fluid runs of the same scenario and seed differ")
	}
}

func TestFluidValidate(t *testing.T) {
	c := stepLoad(1)
	c.Mode, c.FluidStep = sim.FluidMode, 7*sim.Second
	if _, err := sim.Run(c); err == nil {
		t.Error("a 7 s step (not dividing a minute) was accepted")
	}
	c = stepLoad(1)
	c.Mode, c.Traffic, c.Requests = sim.FluidMode, nil, &fixedLog{}
	if _, err := sim.Run(c); err == nil {
		t.Error("fluid mode accepted a request log")
	}
}

// TestFluidOverload: above capacity a backlog builds (carried between
// steps), the queue limit rejects, latency grows; after the overload the
// backlog drains.
func TestFluidOverload(t *testing.T) {
	mk := func() *sim.Config {
		c := stepLoad(1)
		c.Scalers = nil
		c.Duration = 20 * sim.Minute
		c.QueueLimit = 2000
		// 2 instances × 200 req/s; 600 req/s for 5 minutes.
		c.Traffic = &sim.FuncRate{F: func(t sim.Time) float64 {
			if t >= 5*sim.Minute && t < 10*sim.Minute {
				return 600
			}
			return 100
		}}
		return c
	}
	rq := runMode(t, mk(), sim.RequestMode)
	fl := runMode(t, mk(), sim.FluidMode)
	rel := func(a, b int64) float64 { return math.Abs(float64(a-b)) / float64(b) }
	if fl.Requests.Rejected == 0 || rel(fl.Requests.Rejected, rq.Requests.Rejected) > 0.05 {
		t.Errorf("rejected: fluid %d, request %d", fl.Requests.Rejected, rq.Requests.Rejected)
	}
	if e := sim.CompareFluid(fl, rq); math.Abs(e.P99) > 0.1 {
		t.Errorf("p99 under overload: fluid %.0f ms, request %.0f ms", fl.LatencyMs(99), rq.LatencyMs(99))
	}
	last := fl.Minutes[len(fl.Minutes)-1]
	if last.InSystem > 10 {
		t.Errorf("backlog not drained: %g in system at the end", last.InSystem)
	}
}

// TestFluidUnlimitedCredits: a burstable type in unlimited mode (no
// throttling; surplus credits billed from each instance's CPU by the
// minute, docs/aws-model.md §5.2) costs the same in both modes within
// docs/fluid.md's cost bound, its surplus credits within 5 %.
func TestFluidUnlimitedCredits(t *testing.T) {
	mk := func() *sim.Config {
		c := stepLoad(3)
		c.Fleet.Type = sim.InstanceType{Name: "t3.large", VCPU: 2, Speed: 1, USDPerHour: 0.0832, Burstable: true}
		return c
	}
	plan := pricing.Plan{OnDemand: func(string) float64 { return 0.0832 }, CreditMode: pricing.Unlimited}
	rq := pricing.Charge(plan, runMode(t, mk(), sim.RequestMode))
	fl := pricing.Charge(plan, runMode(t, mk(), sim.FluidMode))
	t.Logf("cost $%.4f vs $%.4f, surplus credits %.1f vs %.1f", fl.TotalUSD, rq.TotalUSD, fl.SurplusCredits, rq.SurplusCredits)
	if rq.SurplusCredits < 20 {
		t.Fatalf("the run earns too few surplus credits to test (%.1f)", rq.SurplusCredits)
	}
	if d := math.Abs(fl.TotalUSD-rq.TotalUSD) / rq.TotalUSD; d > 0.02 {
		t.Errorf("cost: fluid $%.4f, request $%.4f", fl.TotalUSD, rq.TotalUSD)
	}
	if d := math.Abs(fl.SurplusCredits-rq.SurplusCredits) / rq.SurplusCredits; d > 0.05 {
		t.Errorf("surplus credits: fluid %.1f, request %.1f", fl.SurplusCredits, rq.SurplusCredits)
	}
}
