package scenarios

import (
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// predictiveKind forecasts the load and schedules capacity ahead of it
// (docs/aws-model.md §1.6).
var predictiveKind = policyKind{
	name:  "predictive",
	keys:  []string{"metric", "target", "mode", "scheduling_buffer", "max_capacity_breach_behavior", "max_capacity_buffer"},
	check: (*checker).predictive,
	build: buildPredictive,
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

// buildPredictive makes the predictive scaler on its metric.
func buildPredictive(pol Policy) (sim.Scaler, error) {
	m, _ := sim.MetricByName(pol.Metric)
	return &policies.PredictiveScaler{Config: pol.predictive(), Metric: m}, nil
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
