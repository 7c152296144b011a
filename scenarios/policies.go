package scenarios

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// AlarmSpec is a CloudWatch alarm on one of the simulated metrics
// (docs/aws-model.md §2.1).
type AlarmSpec struct {
	Metric            string   `yaml:"metric,omitempty" json:"metric,omitempty" jsonschema_description:"one of metric or expression"`
	Expression        string   `yaml:"expression,omitempty" json:"expression,omitempty" jsonschema_description:"metric math, e.g. errors / request_count * 100"`
	Statistic         string   `yaml:"statistic,omitempty" json:"statistic,omitempty" jsonschema_description:"Average (default), Sum, Minimum, Maximum, SampleCount, p50/p90/p95/p99 (latency)"`
	Period            Duration `yaml:"period,omitempty" json:"period,omitempty" jsonschema_description:"a multiple of metrics.period (default: metrics.period)"`
	EvaluationPeriods int      `yaml:"evaluation_periods,omitempty" json:"evaluation_periods,omitempty" jsonschema_description:"N (default 1)"`
	DatapointsToAlarm int      `yaml:"datapoints_to_alarm,omitempty" json:"datapoints_to_alarm,omitempty" jsonschema_description:"M (default N)"`
	Comparison        string   `yaml:"comparison" json:"comparison" jsonschema:"required,enum=GreaterThanThreshold,enum=GreaterThanOrEqualToThreshold,enum=LessThanThreshold,enum=LessThanOrEqualToThreshold"`
	Threshold         float64  `yaml:"threshold" json:"threshold" jsonschema:"required"`
	TreatMissingData  string   `yaml:"treat_missing_data,omitempty" json:"treat_missing_data,omitempty" jsonschema:"enum=missing,enum=notBreaching,enum=breaching,enum=ignore" jsonschema_description:"default missing"`
}

// StepSpec is one step adjustment; bounds are relative to the alarm
// threshold, and a missing bound is unbounded (docs/aws-model.md §1.3).
type StepSpec struct {
	Lower      *float64 `yaml:"lower,omitempty" json:"lower,omitempty"`
	Upper      *float64 `yaml:"upper,omitempty" json:"upper,omitempty"`
	Adjustment int      `yaml:"adjustment" json:"adjustment"`
}

// HPABehavior is the HPA's scaleUp and scaleDown behavior (docs/aws-model.md §7).
type HPABehavior struct {
	ScaleUp   *HPARules `yaml:"scale_up,omitempty" json:"scale_up,omitempty"`
	ScaleDown *HPARules `yaml:"scale_down,omitempty" json:"scale_down,omitempty"`
}

// HPARules are the rules for one direction.
type HPARules struct {
	StabilizationWindow *Duration   `yaml:"stabilization_window,omitempty" json:"stabilization_window,omitempty"`
	SelectPolicy        string      `yaml:"select_policy,omitempty" json:"select_policy,omitempty" jsonschema:"enum=Max,enum=Min,enum=Disabled"`
	Policies            []HPAPolicy `yaml:"policies,omitempty" json:"policies,omitempty"`
}

// HPAPolicy limits the change within any period.
type HPAPolicy struct {
	Type   string   `yaml:"type" json:"type" jsonschema:"required,enum=Pods,enum=Percent"`
	Value  int      `yaml:"value" json:"value" jsonschema:"required"`
	Period Duration `yaml:"period" json:"period" jsonschema:"required"`
}

// Guards limit every dynamic scaling action: the brief's THROTTLE (a rate
// limiter) and PRICE (an hourly budget cap) triggers.
type Guards struct {
	MaxStep          int      `yaml:"max_step,omitempty" json:"max_step,omitempty" jsonschema_description:"largest change one action may make (0: no limit)"`
	MinInterval      Duration `yaml:"min_interval,omitempty" json:"min_interval,omitempty" jsonschema_description:"shortest time between actions"`
	BudgetUSDPerHour float64  `yaml:"budget_usd_per_hour,omitempty" json:"budget_usd_per_hour,omitempty" jsonschema_description:"scale-out stops where the fleet would cost more per hour (on-demand price)"`
}

// policyKeys lists, per type, the keys a policy of that type takes.
var policyKeys = map[string][]string{
	"target_tracking": {"metric", "expression", "target", "statistic", "disable_scale_in", "scale_out_datapoints", "scale_in_datapoints", "scale_in_ratio"},
	"step":            {"alarm", "adjustment_type", "steps", "min_adjustment_magnitude", "metric_aggregation_type"},
	"simple":          {"alarm", "adjustment_type", "adjustment", "min_adjustment_magnitude", "cooldown"},
	"scheduled":       {"recurrence", "time_zone", "start_time", "end_time", "min", "max", "desired"},
	"predictive":      {"metric", "target", "mode", "scheduling_buffer", "max_capacity_breach_behavior", "max_capacity_buffer"},
	"hpa":             {"metric", "target", "tolerance", "behavior"},
}

var allPolicyKeys = func() []string {
	var all []string
	for _, ks := range policyKeys {
		for _, k := range ks {
			if !slices.Contains(all, k) {
				all = append(all, k)
			}
		}
	}
	sort.Strings(all)
	return all
}()

func policyTypes() []string {
	var t []string
	for k := range policyKeys {
		t = append(t, k)
	}
	sort.Strings(t)
	return t
}

// policy checks one scaling policy and fills its defaults.
func (c *checker) policy(p string, pol *Policy) {
	if !c.given(p) {
		c.bad(p, "is empty: a policy needs a type, e.g. {type: target_tracking, metric: cpu, target: 50}")
		return
	}
	if !c.given(p + ".type") {
		c.bad(p, "needs a type: %s", strings.Join(policyTypes(), ", "))
		return
	}
	keys, ok := policyKeys[pol.Type]
	if !ok {
		c.bad(p+".type", "unknown policy type %q%s", pol.Type, choices(pol.Type, policyTypes()))
		return
	}
	for _, k := range allPolicyKeys {
		if c.given(p+"."+k) && !slices.Contains(keys, k) {
			c.bad(p+"."+k, "does not apply to a %s policy (it takes %s)", pol.Type, strings.Join(keys, ", "))
		}
	}
	switch pol.Type {
	case "target_tracking":
		c.targetTracking(p, pol)
	case "step", "simple":
		c.alarmPolicy(p, pol)
	case "scheduled":
		c.scheduled(p, pol)
	case "predictive":
		c.predictive(p, pol)
	case "hpa":
		c.hpa(p, pol)
	}
}

// metricName checks a metric name against the engine's metrics.
func (c *checker) metricName(path, name string) bool {
	if _, ok := sim.MetricByName(name); !ok {
		c.bad(path, "unknown metric %q%s", name, choices(name, sim.MetricNames()))
		return false
	}
	return true
}

func (c *checker) statistic(path, stat, metric string) {
	if stat == "" {
		return
	}
	st, err := policies.ParseStat(stat)
	if err != nil {
		c.bad(path, "%v", err)
		return
	}
	if st.Kind == policies.StatPercentile {
		if metric != "latency" {
			c.bad(path, "percentiles are published for latency only")
		} else if !slices.Contains([]float64{50, 90, 95, 99}, st.P) {
			c.bad(path, "latency percentiles are p50, p90, p95 and p99")
		}
	}
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

func (c *checker) target(p string, pol *Policy) {
	switch {
	case !c.given(p + ".target"):
		c.bad(p, "%s needs a target, e.g. target: 50", pol.Type)
	case pol.Target <= 0:
		c.bad(p+".target", "must be greater than 0, got %g", pol.Target)
	case pol.Metric == "cpu" && pol.Target > 100:
		c.bad(p+".target", "a cpu target is a percentage: at most 100, got %g", pol.Target)
	}
}

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
	c.enum(ap+".treat_missing_data", &a.TreatMissingData, "missing", "missing", "notBreaching", "breaching", "ignore")
	if !c.has(p + ".adjustment_type") {
		pol.AdjustmentType = "ChangeInCapacity"
	} else if _, err := policies.ParseAdjustmentType(pol.AdjustmentType); err != nil {
		c.bad(p+".adjustment_type", "%v", err)
	}
	if pol.MinAdjustmentMagnitude < 0 || (pol.MinAdjustmentMagnitude > 0 && pol.AdjustmentType != "PercentChangeInCapacity") {
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
		pol.MetricAggregationType = "Average"
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

func (c *checker) scheduled(p string, pol *Policy) {
	if pol.SetMin == nil && pol.SetMax == nil && pol.SetDesired == nil {
		c.bad(p, "a scheduled action sets at least one of min, max, desired")
	}
	if pol.Recurrence == "" && pol.StartTime == nil {
		c.bad(p, "a scheduled action needs a recurrence (cron) or a start_time (one-shot)")
	}
	if !c.has(p + ".name") {
		pol.Name = "scheduled-" + strings.TrimPrefix(p, "scaling.policies")
	}
	if c.brokenUnder(p) {
		return // a field that failed to decode would be checked as its zero value
	}
	if err := pol.scheduledAction().Validate(); err != nil {
		c.badEach(p+".recurrence", err, func(msg string) string {
			// Each message starts with the key it is about: "min 3 > max 2".
			key, _, _ := strings.Cut(msg, " ")
			key = strings.TrimSuffix(key, ":")
			switch {
			case slices.Contains([]string{"min", "max", "desired", "start_time", "end_time", "time_zone", "recurrence"}, key):
				return p + "." + key
			case strings.Contains(msg, "zone"):
				return p + ".time_zone"
			}
			return ""
		})
	}
}

func (c *checker) predictive(p string, pol *Policy) {
	if !c.given(p + ".metric") {
		c.bad(p, "predictive needs a metric: cpu or request_count_per_target")
	} else if pol.Metric != "cpu" && pol.Metric != "request_count_per_target" {
		c.bad(p+".metric", "predictive scaling forecasts cpu or request_count_per_target, got %q", pol.Metric)
	}
	c.target(p, pol)
	if per := c.s.Metrics.Period; per > 0 && per < Duration(time.Minute) {
		c.bad(p+".type", "predictive scaling needs metrics.period of at least 60s: CloudWatch keeps high-resolution data for 3 h only, and the forecast needs 24 h of history")
	}
	c.enum(p+".mode", &pol.Mode, "forecast_only", "forecast_only", "forecast_and_scale")
	c.enum(p+".max_capacity_breach_behavior", &pol.MaxCapacityBreachBehavior, "HonorMaxCapacity", "HonorMaxCapacity", "IncreaseMaxCapacity")
	if pol.SchedulingBuffer == nil {
		d := Duration(policies.DefaultSchedulingBuffer)
		pol.SchedulingBuffer = &d
	}
	if !c.has(p+".name") && c.ok(p+".metric") {
		pol.Name = "predictive-" + pol.Metric
	}
	if err := pol.predictive().Validate(); err != nil && !c.brokenUnder(p) {
		c.badEach(p, err, nil)
	}
}

func (c *checker) hpa(p string, pol *Policy) {
	if !c.given(p + ".metric") {
		pol.Metric = "cpu"
	} else if pol.Metric != "cpu" {
		c.bad(p+".metric", "the HPA here scales on cpu utilisation only, got %q", pol.Metric)
	}
	c.target(p, pol)
	if !c.has(p + ".tolerance") {
		pol.Tolerance = 0.1
	} else if pol.Tolerance < 0 || pol.Tolerance >= 1 {
		c.bad(p+".tolerance", "must be in [0, 1), got %g", pol.Tolerance)
	}
	if !c.has(p + ".name") {
		pol.Name = fmt.Sprintf("hpa-cpu-%g", pol.Target)
	}
	if b, err := pol.hpaBehavior(); err != nil {
		c.bad(p+".behavior", "%v", err)
	} else if err := b.Validate(); err != nil && !c.brokenUnder(p+".behavior") {
		c.badEach(p+".behavior", err, nil)
	}
}

func (c *checker) guards() {
	g := c.s.Scaling.Guards
	if g == nil {
		return
	}
	if g.MaxStep < 0 {
		c.bad("scaling.guards.max_step", "must not be negative, got %d", g.MaxStep)
	}
	if g.MinInterval < 0 {
		c.bad("scaling.guards.min_interval", "must not be negative, got %s", g.MinInterval)
	}
	if g.BudgetUSDPerHour < 0 {
		c.bad("scaling.guards.budget_usd_per_hour", "must not be negative, got %g", g.BudgetUSDPerHour)
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
	cmp, err := parseComparison(a.Comparison)
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

func parseComparison(s string) (policies.Comparison, error) {
	for c := policies.GreaterThanThreshold; c <= policies.LessThanOrEqualToThreshold; c++ {
		if c.String() == s {
			return c, nil
		}
	}
	return 0, fmt.Errorf("unknown comparison %q", s)
}

func (pol Policy) stepPolicy() (policies.StepPolicy, error) {
	at, err := policies.ParseAdjustmentType(pol.AdjustmentType)
	if err != nil {
		return policies.StepPolicy{}, err
	}
	agg, err := policies.ParseAggregation(pol.MetricAggregationType)
	if err != nil {
		return policies.StepPolicy{}, err
	}
	sp := policies.StepPolicy{Name: pol.Name, AdjustmentType: at, MinAdjustmentMagnitude: pol.MinAdjustmentMagnitude, MetricAggregationType: agg}
	for _, s := range pol.Steps {
		lo, hi := math.Inf(-1), policies.Unbounded
		if s.Lower != nil {
			lo = *s.Lower
		}
		if s.Upper != nil {
			hi = *s.Upper
		}
		sp.Steps = append(sp.Steps, policies.StepAdjustment{Lower: lo, Upper: hi, Adjustment: s.Adjustment})
	}
	return sp, nil
}

func (pol Policy) scheduledAction() policies.ScheduledAction {
	a := policies.ScheduledAction{Name: pol.Name, Recurrence: pol.Recurrence, TimeZone: pol.TimeZone,
		Min: pol.SetMin, Max: pol.SetMax, Desired: pol.SetDesired}
	if pol.StartTime != nil {
		a.StartTime = *pol.StartTime
	}
	if pol.EndTime != nil {
		a.EndTime = *pol.EndTime
	}
	return a
}

func (pol Policy) predictive() policies.Predictive {
	p := policies.NewPredictive(pol.Name, pol.Target)
	if pol.Mode == "forecast_and_scale" {
		p.Mode = policies.ForecastAndScale
	}
	if pol.SchedulingBuffer != nil {
		p.SchedulingBuffer = pol.SchedulingBuffer.D()
	}
	if pol.MaxCapacityBreachBehavior == "IncreaseMaxCapacity" {
		p.MaxCapacityBreachBehavior = policies.IncreaseMaxCapacity
	}
	p.MaxCapacityBuffer = pol.MaxCapacityBuffer
	return p
}

// hpaBehavior is the behavior with the API server's defaults filled in
// (the defaults alone when the key is absent; build then takes the legacy
// path instead).
func (pol Policy) hpaBehavior() (policies.HPABehavior, error) {
	b := policies.DefaultHPABehavior()
	if pol.Behavior == nil {
		return b, nil
	}
	rules := func(r *HPARules, into *policies.HPARules) error {
		if r == nil {
			return nil
		}
		if r.StabilizationWindow != nil {
			into.StabilizationWindow = r.StabilizationWindow.D()
		}
		switch r.SelectPolicy {
		case "", "Max":
			into.SelectPolicy = policies.SelectMax
		case "Min":
			into.SelectPolicy = policies.SelectMin
		case "Disabled":
			into.SelectPolicy = policies.SelectDisabled
		default:
			return fmt.Errorf("unknown select_policy %q (Max, Min, Disabled)", r.SelectPolicy)
		}
		if len(r.Policies) > 0 {
			into.Policies = nil
			for _, p := range r.Policies {
				t := policies.HPAPods
				switch p.Type {
				case "Pods":
				case "Percent":
					t = policies.HPAPercent
				default:
					return fmt.Errorf("unknown policy type %q (Pods, Percent)", p.Type)
				}
				into.Policies = append(into.Policies, policies.HPAPolicy{Type: t, Value: p.Value, Period: p.Period.D()})
			}
		}
		return nil
	}
	if err := rules(pol.Behavior.ScaleUp, &b.ScaleUp); err != nil {
		return b, fmt.Errorf("scale_up: %w", err)
	}
	if err := rules(pol.Behavior.ScaleDown, &b.ScaleDown); err != nil {
		return b, fmt.Errorf("scale_down: %w", err)
	}
	return b, nil
}

// build makes the engine's scaler for this policy.
func (pol Policy) build() (sim.Scaler, error) {
	switch pol.Type {
	case "target_tracking":
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
	case "step":
		a, err := pol.alarm()
		if err != nil {
			return nil, err
		}
		sp, err := pol.stepPolicy()
		if err != nil {
			return nil, err
		}
		return &policies.StepScaler{Alarm: a, Policy: sp}, nil
	case "simple":
		a, err := pol.alarm()
		if err != nil {
			return nil, err
		}
		at, err := policies.ParseAdjustmentType(pol.AdjustmentType)
		if err != nil {
			return nil, err
		}
		cd := policies.DefaultCooldown
		if pol.Cooldown != nil {
			cd = pol.Cooldown.D()
		}
		return &policies.SimpleScaler{Alarm: a, Cooldown: cd, Policy: policies.SimplePolicy{Name: pol.Name,
			AdjustmentType: at, ScalingAdjustment: pol.Adjustment, MinAdjustmentMagnitude: pol.MinAdjustmentMagnitude}}, nil
	case "scheduled":
		return &policies.ScheduledScaler{Action: pol.scheduledAction()}, nil
	case "predictive":
		m, _ := sim.MetricByName(pol.Metric)
		return &policies.PredictiveScaler{Config: pol.predictive(), Metric: m}, nil
	case "hpa":
		b, err := pol.hpaBehavior()
		if err != nil {
			return nil, err
		}
		calc := policies.NewReplicaCalculator()
		calc.Tolerance = pol.Tolerance
		// No behavior key: the controller's legacy path; a behavior key,
		// even empty: the behavior path with the API server's defaults
		// filled in (docs/hpa.md).
		ctl := policies.NewLegacyHPA(1, 1)
		if pol.Behavior != nil {
			ctl = policies.NewHPA(1, 1)
			ctl.Behavior = b
		}
		return &policies.HPAScaler{PolicyName: pol.Name, TargetCPU: int64(math.Round(pol.Target)), Calc: calc, Controller: ctl}, nil
	}
	return nil, fmt.Errorf("unknown policy type %q", pol.Type)
}

// buildGuards makes the scaling guards; the budget uses the fleet's
// on-demand price per instance.
func (s *Scenario) buildGuards() []sim.Guard {
	g := s.Scaling.Guards
	if g == nil {
		return nil
	}
	var out []sim.Guard
	if g.BudgetUSDPerHour > 0 {
		out = append(out, policies.BudgetGuard{Cap: policies.BudgetCap{USDPerHour: g.BudgetUSDPerHour}, USDPerHour: s.InstanceType().USDPerHour})
	}
	if g.MaxStep > 0 || g.MinInterval > 0 {
		out = append(out, policies.RateGuard{Rate: policies.RateLimit{MaxStep: g.MaxStep, MinInterval: g.MinInterval.D()}})
	}
	return out
}
