package scenarios

import (
	"slices"

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
	Comparison        string   `yaml:"comparison" json:"comparison" jsonschema:"required"`
	Threshold         float64  `yaml:"threshold" json:"threshold" jsonschema:"required"`
	TreatMissingData  string   `yaml:"treat_missing_data,omitempty" json:"treat_missing_data,omitempty" jsonschema_description:"default missing"`
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

// metricName checks a metric name against the engine's metrics.
func (c *checker) metricName(path, name string) bool {
	if _, ok := sim.MetricByName(name); !ok {
		c.bad(path, "unknown metric %q%s", name, choices(name, sim.MetricNames()))
		return false
	}
	if name == "memory" && (c.s.Service == nil || c.s.Service.Task.MemoryUsed == nil) {
		c.bad(path, "memory is published only for an ECS service whose service.task.memory_used says how much memory its tasks use (docs/ecs.md)")
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

func (c *checker) target(p string, pol *Policy) {
	switch {
	case !c.given(p + ".target"):
		c.bad(p, "%s needs a target, e.g. target: 50", pol.Type)
	case pol.Target <= 0:
		c.bad(p+".target", "must be greater than 0, got %g", pol.Target)
	case (pol.Metric == "cpu" || pol.Metric == "memory") && pol.Target > 100:
		c.bad(p+".target", "a %s target is a percentage: at most 100, got %g", pol.Metric, pol.Target)
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
