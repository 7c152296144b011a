package scenarios

import (
	"fmt"
	"strings"
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// The alarm that step and simple policies share: its checks and its build.

func (c *checker) alarmPolicy(p string, pol *Policy) {
	a := pol.Alarm
	if a == nil {
		c.bad(p, "a %s policy needs an alarm: {metric, comparison, threshold}", pol.Type)
		return
	}
	ap := p + ".alarm"
	switch {
	case a.Expression != "" && c.given(ap+".metric"):
		c.bad(ap+".expression", "give metric or expression, not both")
	case a.Expression != "":
		if _, err := policies.ParseExpression(a.Expression); err != nil {
			c.bad(ap+".expression", "%v", err)
		}
	case !c.given(ap + ".metric"):
		c.bad(ap, "needs a metric or an expression")
	default:
		c.metricName(ap+".metric", a.Metric)
	}
	c.statistic(ap+".statistic", a.Statistic, a.Metric)
	if !c.given(ap + ".comparison") {
		c.bad(ap, "needs a comparison, e.g. GreaterThanThreshold")
	}
	if !c.given(ap + ".threshold") {
		c.bad(ap, "needs a threshold")
	}
	base := c.s.Metrics.Period
	if base <= 0 {
		base = Duration(time.Minute)
	}
	if !c.has(ap + ".period") {
		a.Period = base
	} else if a.Period <= 0 || a.Period%base != 0 {
		c.bad(ap+".period", "must be a positive multiple of metrics.period (%s), got %s", base, a.Period)
	} else if st, err := policies.ParseStat(a.Statistic); err == nil && st.Kind == policies.StatPercentile && a.Period != base {
		c.bad(ap+".period", "a percentile alarm needs period = metrics.period (%s): percentiles do not combine across periods", base)
	}
	c.intAtLeast(ap+".evaluation_periods", &a.EvaluationPeriods, 1, 1)
	if !c.has(ap + ".datapoints_to_alarm") {
		a.DatapointsToAlarm = a.EvaluationPeriods
	} else if a.DatapointsToAlarm < 1 || a.DatapointsToAlarm > a.EvaluationPeriods {
		c.bad(ap+".datapoints_to_alarm", "must be between 1 and evaluation_periods (%d), got %d", a.EvaluationPeriods, a.DatapointsToAlarm)
	}
	if a.Period.Seconds()*float64(a.EvaluationPeriods) > 86400 {
		c.bad(ap+".evaluation_periods", "period × evaluation_periods must be at most one day, as in CloudWatch")
	}
	c.enum(ap+".treat_missing_data", &a.TreatMissingData, policies.TreatMissing.String(), policies.MissingDataNames()...)
	if !c.has(p + ".adjustment_type") {
		pol.AdjustmentType = policies.ChangeInCapacity.String()
	} else if _, err := policies.ParseAdjustmentType(pol.AdjustmentType); err != nil {
		c.bad(p+".adjustment_type", "%v", err)
	}
	if pol.MinAdjustmentMagnitude < 0 || (pol.MinAdjustmentMagnitude > 0 && pol.AdjustmentType != policies.PercentChangeInCapacity.String()) {
		c.bad(p+".min_adjustment_magnitude", "applies only to PercentChangeInCapacity, and must be positive")
	}
	if !c.has(p+".name") && c.ok(ap) {
		pol.Name = fmt.Sprintf("%s-%s", pol.Type, a.Metric)
		if a.Expression != "" {
			pol.Name = pol.Type + "-expression"
		}
	}
	if pol.Type == "simple" {
		if !c.given(p + ".adjustment") {
			c.bad(p, "a simple policy needs an adjustment")
		}
		if pol.Cooldown == nil {
			d := Duration(policies.DefaultCooldown)
			pol.Cooldown = &d
		} else if *pol.Cooldown < 0 {
			c.bad(p+".cooldown", "must not be negative")
		}
		return
	}
	if !c.given(p + ".steps") {
		c.bad(p, "a step policy needs steps: [{lower: 0, upper: 10, adjustment: 1}, ...]")
		return
	}
	if !c.has(p + ".metric_aggregation_type") {
		pol.MetricAggregationType = policies.AggAverage.String()
	} else if _, err := policies.ParseAggregation(pol.MetricAggregationType); err != nil {
		c.bad(p+".metric_aggregation_type", "%v", err)
	}
	if sp, err := pol.stepPolicy(); err == nil && !c.brokenUnder(p+".steps") {
		if err := sp.Validate(); err != nil {
			c.badEach(p+".steps", err, func(msg string) string {
				// "steps[2]: ..." is about that step.
				if i := strings.Index(msg, "]: "); strings.HasPrefix(msg, "steps[") && i > 0 {
					return p + "." + msg[:i+1]
				}
				return ""
			})
		}
	}
}

// Building the engine's policies.

func (pol Policy) alarm() (policies.AlarmSpec, error) {
	a := pol.Alarm
	var expr *policies.Expression
	m, ok := sim.MetricByName(a.Metric)
	if a.Expression != "" {
		var err error
		if expr, err = policies.ParseExpression(a.Expression); err != nil {
			return policies.AlarmSpec{}, err
		}
	} else if !ok {
		return policies.AlarmSpec{}, fmt.Errorf("unknown metric %q", a.Metric)
	}
	st := policies.Stat{Kind: policies.StatAverage}
	if a.Statistic != "" {
		var err error
		if st, err = policies.ParseStat(a.Statistic); err != nil {
			return policies.AlarmSpec{}, err
		}
	}
	cmp, err := policies.ParseComparison(a.Comparison)
	if err != nil {
		return policies.AlarmSpec{}, err
	}
	md, err := policies.ParseMissingData(a.TreatMissingData)
	if err != nil {
		return policies.AlarmSpec{}, err
	}
	return policies.AlarmSpec{Metric: m, Statistic: st, Expr: expr, Alarm: policies.Alarm{
		Period: a.Period.D(), EvaluationPeriods: a.EvaluationPeriods, DatapointsToAlarm: a.DatapointsToAlarm,
		Comparison: cmp, Threshold: a.Threshold, TreatMissingData: md}}, nil
}
