package scenarios

import (
	"fmt"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// targetTrackingKind keeps a metric at a target: AWS's target tracking
// (docs/aws-model.md §1.5).
var targetTrackingKind = policyKind{
	name:  "target_tracking",
	keys:  []string{"metric", "expression", "target", "statistic", "disable_scale_in", "scale_out_datapoints", "scale_in_datapoints", "scale_in_ratio"},
	check: (*checker).targetTracking,
	build: buildTargetTracking,
}

func (c *checker) targetTracking(p string, pol *Policy) {
	if pol.Expression != "" {
		if c.given(p + ".metric") {
			c.bad(p+".expression", "give metric or expression, not both")
		} else if _, err := policies.ParseExpression(pol.Expression); err != nil {
			c.bad(p+".expression", "%v", err)
		}
		c.target(p, pol)
		if !c.has(p + ".name") {
			pol.Name = fmt.Sprintf("expression-%g", pol.Target)
		}
		c.intAtLeast(p+".scale_out_datapoints", &pol.ScaleOutDatapoints, 1, 3)
		c.intAtLeast(p+".scale_in_datapoints", &pol.ScaleInDatapoints, 1, 15)
		if !c.has(p + ".scale_in_ratio") {
			pol.ScaleInRatio = 0.7
		}
		return
	}
	switch {
	case !c.given(p + ".metric"):
		c.bad(p, "target_tracking needs a metric (e.g. cpu or request_count_per_target) or an expression")
	case !c.metricName(p+".metric", pol.Metric):
	case pol.Metric == "request_count" || pol.Metric == "errors":
		// docs/aws-model.md §1.5: the metric must fall as capacity grows.
		c.bad(p+".metric", "target tracking needs a metric that falls as capacity grows (AWS rejects totals such as %s); use request_count_per_target, or a step policy", pol.Metric)
	}
	c.target(p, pol)
	c.statistic(p+".statistic", pol.Statistic, pol.Metric)
	if !c.has(p+".name") && c.ok(p+".metric", p+".target") {
		pol.Name = fmt.Sprintf("%s-%g", pol.Metric, pol.Target)
	}
	c.intAtLeast(p+".scale_out_datapoints", &pol.ScaleOutDatapoints, 1, 3)
	c.intAtLeast(p+".scale_in_datapoints", &pol.ScaleInDatapoints, 1, 15)
	for _, k := range []string{"scale_out_datapoints", "scale_in_datapoints"} {
		v := pol.ScaleOutDatapoints
		if k == "scale_in_datapoints" {
			v = pol.ScaleInDatapoints
		}
		if v > 1440 {
			c.bad(p+"."+k, "must be at most 1440 (a day of minutes), got %d", v)
		}
	}
	if !c.has(p + ".scale_in_ratio") {
		pol.ScaleInRatio = 0.7
	} else if pol.ScaleInRatio <= 0 || pol.ScaleInRatio > 1 {
		c.bad(p+".scale_in_ratio", "must be in (0, 1], got %g", pol.ScaleInRatio)
	}
}

// buildTargetTracking makes the target-tracking policy with its alarms' datapoints and statistic.
func buildTargetTracking(pol Policy) (sim.Scaler, error) {
	m, ok := sim.MetricByName(pol.Metric)
	var expr *policies.Expression
	if pol.Expression != "" {
		var err error
		if expr, err = policies.ParseExpression(pol.Expression); err != nil {
			return nil, err
		}
	} else if !ok {
		return nil, fmt.Errorf("unknown metric %q", pol.Metric)
	}
	tt := policies.NewTargetTracking(pol.Name, m, pol.Target)
	tt.Expr = expr
	if pol.ScaleOutDatapoints > 0 {
		tt.OutPoints, tt.OutPeriods = pol.ScaleOutDatapoints, pol.ScaleOutDatapoints
	}
	if pol.ScaleInDatapoints > 0 {
		tt.InPoints, tt.InPeriods = pol.ScaleInDatapoints, pol.ScaleInDatapoints
	}
	if pol.ScaleInRatio > 0 {
		tt.InRatio = pol.ScaleInRatio
	}
	tt.DisableScaleIn = pol.DisableScaleIn
	if pol.Statistic != "" {
		st, err := policies.ParseStat(pol.Statistic)
		if err != nil {
			return nil, err
		}
		tt.Statistic = st
	}
	return tt, nil
}
