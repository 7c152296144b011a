package main

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// stepScenario: step scaling (AWS's example bands) under a load that jumps
// twice, so a step fires while earlier launches still warm up (a long
// warmup) and asks for more than max.
const stepScenario = `name: steps
seed: 3
duration: 3h
traffic:
  synthetic: {shape: constant, rps: 100, spikes: [{at: 30m, rps: 120, for: 90m}, {at: 34m, rps: 500, for: 60m}]}
workload:
  service_time: {dist: lognormal, median: 30ms, p99: 200ms}
fleet: {instance_type: c5.large, min: 2, max: 10, desired: 3, warmup: 600s}
scaling:
  policies:
    - name: cpu-high
      type: step
      alarm: {metric: cpu, comparison: GreaterThanOrEqualToThreshold, threshold: 60, evaluation_periods: 2}
      adjustment_type: PercentChangeInCapacity
      steps:
        - {lower: 0, upper: 10, adjustment: 10}
        - {lower: 10, upper: 25, adjustment: 30}
        - {lower: 25, adjustment: 60}
      min_adjustment_magnitude: 1
    - name: cpu-low
      type: step
      alarm: {metric: cpu, comparison: LessThanThreshold, threshold: 30, evaluation_periods: 10}
      adjustment_type: ChangeInCapacity
      steps:
        - {upper: 0, adjustment: -1}
`

var (
	fromTo  = regexp.MustCompile(`: (\d+) → (\d+)`)
	longNum = regexp.MustCompile(`\d+\.\d{4,}`)
)

// TestScalingReasonsMatchTheirActivity: every scaling activity whose reason
// says "from → to" says the activity's own from → to, or why the group
// changed by a different amount (capped at max, held at min, a guard); no
// reason prints a number with more than three significant digits' worth of
// decimals (it once read "at 22.852865526270836").
func TestScalingReasonsMatchTheirActivity(t *testing.T) {
	code, stdout, stderr := capsim(t, "run", "--quiet", "--json", "-", writeScenario(t, stepScenario))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Activities []struct {
			Policy, Reason string
			From, To       int
		} `json:"scaling_activities"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	checked, warming, capped := 0, 0, 0
	for _, a := range doc.Activities {
		if n := longNum.FindString(a.Reason); n != "" {
			t.Errorf("reason prints %s unrounded: %q", n, a.Reason)
		}
		m := fromTo.FindStringSubmatch(a.Reason)
		if m == nil || a.From == a.To {
			continue
		}
		checked++
		from, _ := strconv.Atoi(m[1])
		to, _ := strconv.Atoi(m[2])
		if strings.Contains(a.Reason, "warming up") {
			warming++
		}
		if strings.Contains(a.Reason, "capped at max") || strings.Contains(a.Reason, "held at") || strings.Contains(a.Reason, "by a guard") {
			capped++
			if from != a.From {
				t.Errorf("%d → %d: reason says from %d: %q", a.From, a.To, from, a.Reason)
			}
			continue
		}
		if from != a.From || to != a.To {
			t.Errorf("activity %d → %d, reason %q", a.From, a.To, a.Reason)
		}
	}
	if checked < 4 || warming == 0 || capped == 0 {
		t.Errorf("%d activities checked, %d while warming, %d capped: the scenario no longer exercises the cases", checked, warming, capped)
	}
}
