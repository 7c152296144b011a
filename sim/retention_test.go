package sim_test

import (
	"testing"

	"github.com/capsim/capsim/sim"
)

// retained is a scaler that remembers how far back the datapoints reach.
type retained struct{ oldest, newest sim.Time }

func (r *retained) Name() string { return "retained" }
func (r *retained) Evaluate(now sim.Time, g *sim.Group) sim.Proposal {
	pts := g.Datapoints(sim.MetricCPU, now)
	if len(pts) > 0 {
		r.oldest, r.newest = pts[0].Start, pts[len(pts)-1].Start
	}
	return sim.Proposal{Want: sim.Hold}
}

// TestRetention: datapoints older than CloudWatch's retention for their
// period (3 h below 60 s, docs/aws-model.md §2.1) are dropped, so memory stays
// flat on long runs, and at least the retention is always kept.
func TestRetention(t *testing.T) {
	cfg := fixed(1, 8*sim.Hour)
	cfg.Traffic = &sim.ConstantRate{RPS: 1}
	cfg.MetricPeriod = 10 * sim.Second
	r := &retained{}
	cfg.Scalers = []sim.Scaler{r}
	if _, err := sim.Run(cfg); err != nil {
		t.Fatal(err)
	}
	span := r.newest - r.oldest
	if span < 3*sim.Hour-10*sim.Second || span > 4*sim.Hour {
		t.Errorf("datapoints span %v, want between the 3 h retention and 1.25 times it", span)
	}
}
