package policies

import (
	"fmt"
	"math"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/sim"
)

// TargetTracking keeps a group metric near Target, the way EC2 Auto Scaling's
// target tracking does (docs/aws-model.md §1.4–§1.5, docs/scaling-policies.md):
//
//   - its managed high alarm fires when the metric exceeds the target in
//     OutPoints of the last OutPeriods datapoints (3 of 3: observed, not
//     documented, hence configurable);
//   - its managed low alarm fires when the metric is below InRatio × Target
//     in InPoints of the last InPeriods datapoints (EC2: 15 of 15 at 0.7,
//     observed, not documented, hence configurable);
//   - either way the new capacity is ceil(n × metric / target), where metric
//     is the newest datapoint (published PublishDelay after its period, so
//     one to two minutes old) and n is the in-service instances past their
//     warm-up at the evaluation (Group.NonWarming), not a count taken when
//     the datapoint was measured: AWS documents "current capacity" at the
//     decision (warming instances excluded on a scale-out, terminating ones
//     included on a scale-in) and publishes no formula; instances still
//     warming count toward desired capacity, so a breach they already cover
//     launches nothing;
//   - a missing datapoint leaves the alarm in INSUFFICIENT_DATA: no action.
//
// The low alarm only counts datapoints measured entirely after the group's
// last capacity change, so one stretch of low load scales in once, not once
// a minute on stale data; a scale-in victim leaves service when it starts
// draining, so the datapoints behind the next scale-in were measured
// without it and no terminating instance is counted twice.
type TargetTracking struct {
	PolicyName     string
	Metric         sim.Metric
	Target         float64
	OutPoints      int // datapoints to alarm, high (default 3)
	OutPeriods     int // evaluation periods, high (default 3)
	InPoints       int // datapoints to alarm, low (default 15)
	InPeriods      int // evaluation periods, low (default 15)
	InRatio        float64
	DisableScaleIn bool
	// Statistic picks the datapoint statistic tracked: the metric's own
	// (zero value: Average), or e.g. p90 for latency (a custom metric).
	Statistic Stat
	// Expr, when set, tracks metric math instead of Metric.
	Expr *Expression
}

var _ sim.Scaler = (*TargetTracking)(nil)

// NewTargetTracking returns a policy with AWS's EC2 defaults.
func NewTargetTracking(name string, m sim.Metric, target float64) *TargetTracking {
	return &TargetTracking{PolicyName: name, Metric: m, Target: target,
		OutPoints: 3, OutPeriods: 3, InPoints: 15, InPeriods: 15, InRatio: 0.7}
}

func (p *TargetTracking) Name() string { return p.PolicyName }

func (p *TargetTracking) String() string {
	return fmt.Sprintf("TargetTracking{%s %s=%g, out %d/%d, in %d/%d below %g×}",
		p.PolicyName, p.Metric, p.Target, p.OutPoints, p.OutPeriods, p.InPoints, p.InPeriods, p.InRatio)
}

func (p *TargetTracking) Evaluate(now sim.Time, g *sim.Group) sim.Proposal {
	r := p.evaluate(now, g)
	r.Consensus = true
	return r
}

// Metrics says which metric the policy reads.
func (p *TargetTracking) Metrics() []sim.Metric {
	if p.Expr != nil {
		return p.Expr.Metrics()
	}
	return []sim.Metric{p.Metric}
}

func (p *TargetTracking) evaluate(now sim.Time, g *sim.Group) sim.Proposal {
	var pts []sim.Datapoint
	if p.Expr != nil {
		pts = p.Expr.Datapoints(g, now, max(p.OutPeriods, p.InPeriods))
	} else {
		pts = g.Datapoints(p.Metric, now)
	}
	if p.Statistic != (Stat{}) && p.Expr == nil {
		// Only the newest datapoints matter: copy those alone.
		pts = withStatistic(pts[max(0, len(pts)-max(p.OutPeriods, p.InPeriods)):], p.Statistic)
	}
	noIn := p.DisableScaleIn
	high, ok := breaching(pts, p.OutPeriods, p.OutPoints, func(d sim.Datapoint) bool { return d.Value > p.Target })
	if !ok {
		return sim.Proposal{Want: sim.NoData, Reason: fmt.Sprintf("fewer than %d %s datapoints", p.OutPeriods, p.Metric), NoScaleIn: noIn}
	}
	latest := pts[len(pts)-1]
	if high {
		need := int(math.Ceil(float64(g.NonWarming()) * latest.Value / p.Target))
		if need <= g.Desired {
			return sim.Proposal{Want: sim.Hold, Reason: "capacity already launched covers the breach", NoScaleIn: noIn}
		}
		return sim.Proposal{Want: sim.Out, Desired: need, NoScaleIn: noIn,
			Reason: fmt.Sprintf("%s %s > target %g for %d of %d datapoints", p.Metric, humanize.Sig(latest.Value), p.Target, p.OutPoints, p.OutPeriods)}
	}
	if noIn {
		return sim.Proposal{Want: sim.Hold, NoScaleIn: true}
	}
	low, ok := breaching(pts, p.InPeriods, p.InPoints, func(d sim.Datapoint) bool {
		return d.Start >= g.CapacityChanged && d.Value < p.InRatio*p.Target
	})
	if !ok || !low {
		return sim.Proposal{Want: sim.Hold}
	}
	need := int(math.Ceil(float64(g.NonWarming()) * latest.Value / p.Target))
	if need >= g.Desired {
		return sim.Proposal{Want: sim.Hold}
	}
	return sim.Proposal{Want: sim.In, Desired: need,
		Reason: fmt.Sprintf("%s %s < %g × target %g for %d of %d datapoints", p.Metric, humanize.Sig(latest.Value), p.InRatio, p.Target, p.InPoints, p.InPeriods)}
}

// breaching applies an M-of-N alarm to the newest N datapoints. ok is false
// when fewer than N datapoints exist or the newest is missing (the managed
// alarms treat missing data as missing: INSUFFICIENT_DATA, docs/aws-model.md
// §1.5, §2.1). Missing points among the N do not breach.
func breaching(pts []sim.Datapoint, n, m int, breach func(sim.Datapoint) bool) (alarm, ok bool) {
	if len(pts) < n || pts[len(pts)-1].Missing {
		return false, false
	}
	c := 0
	for _, d := range pts[len(pts)-n:] {
		if !d.Missing && breach(d) {
			c++
		}
	}
	return c >= m, true
}

// withStatistic copies datapoints with Value set to the chosen statistic.
func withStatistic(pts []sim.Datapoint, st Stat) []sim.Datapoint {
	out := make([]sim.Datapoint, len(pts))
	for i, d := range pts {
		d.Value = Statistic(d, st)
		out[i] = d
	}
	return out
}
