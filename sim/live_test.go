package sim_test

import (
	"testing"

	"github.com/capsim/capsim/sim"
)

// TestDrawRequestsIsWhatRunServes: the requests DrawRequests draws for a
// shaped load are as many as Run counts, and their demands are the
// engine's (the busy time Run measured is their sum on a fleet that never
// rejects or drops one).
func TestDrawRequestsIsWhatRunServes(t *testing.T) {
	cfg := stepLoad(5)
	cfg.Duration = 40 * sim.Minute // across the step at 30 minutes
	cfg.Service = sim.Exponential{MeanSeconds: 0.010}
	reqs, err := sim.DrawRequests(cfg)
	if err != nil {
		t.Fatal(err)
	}
	run := stepLoad(5)
	run.Duration, run.Service = cfg.Duration, cfg.Service
	res, err := sim.Run(run)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(reqs)) != res.Requests.Total {
		t.Fatalf("drew %d requests, Run served %d", len(reqs), res.Requests.Total)
	}
	var demand, busy float64
	for _, r := range reqs {
		demand += r.Demand
	}
	for _, in := range res.Instances {
		busy += in.BusySeconds
	}
	if res.Requests.InFlightAtEnd > 5 || res.Requests.Rejected+res.Requests.TimedOut > 0 {
		t.Fatalf("the fleet lost requests: %+v", res.Requests)
	}
	// Requests still in flight at the end hold part of their demand.
	if d := demand - busy; d < 0 || d > 0.1 {
		t.Errorf("drawn demand %.3f s, Run's busy time %.3f s: want equal up to what is in flight at the end", demand, busy)
	}
	var late int
	for _, r := range reqs {
		if r.At >= 30*sim.Minute {
			late++
		}
	}
	// 100 req/s for 30 min, then 360 req/s for 10 min.
	if want := 360 * 600; late < want*95/100 || late > want*105/100 {
		t.Errorf("%d requests after the step, want about %d", late, want)
	}
}

// TestMetricSeriesPublishDelay: a Group built outside the engine sees a
// datapoint only once its period has ended and the delay has passed.
func TestMetricSeriesPublishDelay(t *testing.T) {
	var s sim.MetricSeries
	s.Append(sim.MetricCPU, sim.Datapoint{Start: 0, Value: 40})
	s.Append(sim.MetricCPU, sim.Datapoint{Start: 10 * sim.Second, Value: 80})
	g := sim.Group{Period: 10 * sim.Second}
	s.Attach(&g, 5*sim.Second)
	for _, c := range []struct {
		now  sim.Time
		want int
	}{{14 * sim.Second, 0}, {15 * sim.Second, 1}, {24 * sim.Second, 1}, {25 * sim.Second, 2}} {
		if got := len(g.Datapoints(sim.MetricCPU, c.now)); got != c.want {
			t.Errorf("at %v: %d datapoints visible, want %d", c.now, got, c.want)
		}
	}
}
