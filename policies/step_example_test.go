package policies_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// exampleLoad drives the step-scaling worked example of the EC2 Auto
// Scaling user guide ("Step and simple scaling policies",
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html;
// docs/aws-model.md §1.3) on a real fleet. Each 2-vCPU instance serves
// 10-ms requests, so CPU = rate / (2 × instances) %. The rates put the
// metric where the example puts it: 45 % on 10 (no step), 61 % on 10 (the
// +10 % band) and 55 % on 11, 72.7 % on 11 (the +30 % band) and 57 % on 14,
// then 39.3 % on 14 (the −10 % band) and 42.3 % on 13.
func exampleLoad(t sim.Time) float64 {
	switch {
	case t < 10*sim.Minute:
		return 900
	case t < 20*sim.Minute:
		return 1220
	case t < 35*sim.Minute:
		return 1600
	}
	return 1100
}

// exampleConfig is the example's group of 10 with its two policies:
// threshold 50, scale-out steps [0, 10) 0, [10, 20) +10 %, [20, ∞) +30 %
// on an alarm at ≥ 50; scale-in steps (−10, 0] 0, (−20, −10] −10 %,
// (−∞, −20] −30 % on an alarm at ≤ 50; one 1-minute datapoint each,
// published a minute late. Instances are in service 50 s after launch and
// warm up for 180 s, so a datapoint an alarm sees after a scale-out's
// warm-up was measured on the new capacity.
func exampleConfig() *sim.Config {
	alarm := func(c policies.Comparison) policies.AlarmSpec {
		return policies.AlarmSpec{Metric: sim.MetricCPU, Statistic: policies.Stat{Kind: policies.StatAverage},
			Alarm: policies.Alarm{Period: time.Minute, EvaluationPeriods: 1, Comparison: c, Threshold: 50}}
	}
	out := &policies.StepScaler{Alarm: alarm(policies.GreaterThanOrEqualToThreshold), Policy: exampleOutPolicy}
	in := &policies.StepScaler{Alarm: alarm(policies.LessThanOrEqualToThreshold), Policy: exampleInPolicy}
	cfg := group(exampleLoad, 45*sim.Minute, 10, out, in)
	cfg.Fleet.BootTime = sim.Constant{Value: 30}
	cfg.Fleet.Warmup = 180 * sim.Second
	return cfg
}

var (
	exampleOutPolicy = policies.StepPolicy{Name: "out", AdjustmentType: policies.PercentChangeInCapacity, Steps: []policies.StepAdjustment{
		{Lower: 0, Upper: 10, Adjustment: 0}, {Lower: 10, Upper: 20, Adjustment: 10}, {Lower: 20, Upper: policies.Unbounded, Adjustment: 30}}}
	exampleInPolicy = policies.StepPolicy{Name: "in", AdjustmentType: policies.PercentChangeInCapacity, Steps: []policies.StepAdjustment{
		{Lower: -10, Upper: 0, Adjustment: 0}, {Lower: -20, Upper: -10, Adjustment: -10}, {Lower: -policies.Unbounded, Upper: -20, Adjustment: -30}}}
)

type exampleStep struct {
	at       sim.Time
	from, to int
	policy   string
	step     string // the step that applied, as the reason writes it (with its unit)
}

func exampleSteps(res *sim.Result) []exampleStep {
	var out []exampleStep
	for _, a := range res.Activities {
		if a.To != a.From && a.Policy == "group" {
			step := a.Reason[strings.Index(a.Reason, "step ")+5:]
			step = step[:strings.Index(step, " at ")]
			out = append(out, exampleStep{a.Time, a.From, a.To, strings.SplitN(a.Reason, ":", 2)[0], step})
		}
	}
	return out
}

// TestStepWorkedExampleEndToEnd reproduces the example datapoint by
// datapoint (docs/scaling-policies.md):
//
//   - 12 min: the 10–11 min datapoint reads 61 %: +10 % of 10 → 11. The
//     next datapoints, still measured on 10 (61 %) or on the 10 old
//     instances while the new one warms up, ask for 11 again: already
//     launching, no action (the example's "desired capacity of the group
//     is already 11").
//   - 22 min: 72.7 % on 11: +30 % of 11 = 3.3 → 3 → 14 (the example's
//     "14"); the datapoints that follow are 72.7 % until the three new
//     instances take traffic, then 57 %: no action.
//   - 37 min: 39.3 % on 14: −10 % of 14 = −1.4 → −1 → 13 (the example's
//     "13").
//   - 38 min: the alarm evaluates the 36–37 min datapoint, measured on 14
//     instances before the scale-in, and it reads 39.3 % again. A standard
//     CloudWatch alarm sees it: it evaluates every minute over its newest
//     datapoints, stays in ALARM, and Auto Scaling re-invokes the policy
//     while it does. The guide's rule decides the outcome: instances still
//     terminating count as current capacity. Here the victim finished
//     terminating at once (its 10-ms requests were done), so the group is
//     13 and −10 % of 13 = −1.3 → −1 → 12. With a terminate lifecycle hook
//     holding the victim in Terminating:Wait past 38 min, current capacity
//     is 13 + 1 = 14, −10 % of 14 → 13, which is desired already: no
//     action, and the run ends at 13 as the example does.
//   - 39 min on: 42.3 % on 13 or 45.8 % on 12: no step, no action.
func TestStepWorkedExampleEndToEnd(t *testing.T) {
	for _, c := range []struct {
		name string
		hook *sim.LifecycleHook
		want []exampleStep
	}{
		{"victim gone at once", nil, []exampleStep{
			{12 * sim.Minute, 10, 11, "out", "[10, 20) +10 %"}, {22 * sim.Minute, 11, 14, "out", "[20, +∞) +30 %"},
			{37 * sim.Minute, 14, 13, "in", "[-20, -10) -10 %"}, {38 * sim.Minute, 13, 12, "in", "[-20, -10) -10 %"}}},
		{"victim in Terminating:Wait for 3 min", &sim.LifecycleHook{Duration: sim.Constant{Value: 180}}, []exampleStep{
			{12 * sim.Minute, 10, 11, "out", "[10, 20) +10 %"}, {22 * sim.Minute, 11, 14, "out", "[20, +∞) +30 %"},
			{37 * sim.Minute, 14, 13, "in", "[-20, -10) -10 %"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := exampleConfig()
			cfg.Fleet.TerminateHook = c.hook
			res := run(t, cfg)
			got := exampleSteps(res)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("scaling steps\n got %v\nwant %v", got, c.want)
				for _, a := range res.Activities {
					t.Logf("%v %s %d → %d %s", a.Time, a.Policy, a.From, a.To, a.Reason)
				}
			}
		})
	}
}
