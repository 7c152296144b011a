package sim_test

import (
	"sort"
	"testing"

	"github.com/capsim/capsim/sim"
)

func runBoth(t *testing.T, mk func() *sim.Config) (fl, rq *sim.Result) {
	t.Helper()
	c := mk()
	rq, err := sim.Run(c)
	if err != nil {
		t.Fatal(err)
	}
	c = mk()
	c.Mode = sim.FluidMode
	fl, err = sim.Run(c)
	if err != nil {
		t.Fatal(err)
	}
	return fl, rq
}

func TestFluidFeatureRuns(t *testing.T) {
	runs := featureRuns()
	var names []string
	for n := range runs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		fl, rq := runBoth(t, func() *sim.Config { return featureRuns()[name] })
		if !fl.Requests.Conserved() {
			t.Errorf("%s: fluid does not conserve requests: %+v", name, fl.Requests)
		}
		e := sim.CompareFluid(fl, rq)
		t.Logf("%-22s hours %+.3f mean %+.3f peak %+d act %+.2f (%d/%d) p50 %+.3f p99 %+.3f  (req p50 %.1f p99 %.1f fluid %.1f %.1f)", name,
			e.InstanceHours, e.MeanInService, e.PeakInService, e.Activities, fl.ScalingActivities(), rq.ScalingActivities(), e.P50, e.P99,
			rq.LatencyMs(50), rq.LatencyMs(99), fl.LatencyMs(50), fl.LatencyMs(99))
	}
}
