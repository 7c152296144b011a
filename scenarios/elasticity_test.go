package scenarios

import "testing"

func TestCapacityTarget(t *testing.T) {
	cases := []struct {
		name     string
		policies []Policy
		want     CapacityTarget
		ok       bool
	}{
		{"no policies", nil, CapacityTarget{}, false},
		{"cpu target tracking", []Policy{{Name: "cpu-60", Type: "target_tracking", Metric: "cpu", Target: 60}},
			CapacityTarget{"cpu-60", "cpu", 60}, true},
		{"first capacity target wins, latency skipped", []Policy{
			{Name: "lat", Type: "target_tracking", Metric: "latency", Target: 200},
			{Name: "step", Type: "step"},
			{Name: "rpt", Type: "target_tracking", Metric: "request_count_per_target", Target: 1200},
			{Name: "cpu", Type: "hpa", Metric: "cpu", Target: 50},
		}, CapacityTarget{"rpt", "request_count_per_target", 1200}, true},
		{"forecast only does not scale", []Policy{
			{Name: "p", Type: "predictive", Metric: "cpu", Target: 40, Mode: "forecast_only"},
			{Name: "h", Type: "hpa", Metric: "cpu", Target: 50},
		}, CapacityTarget{"h", "cpu", 50}, true},
		{"expression is not a per-instance target", []Policy{
			{Name: "x", Type: "target_tracking", Metric: "cpu", Expression: "errors / request_count * 100", Target: 1},
		}, CapacityTarget{}, false},
	}
	for _, c := range cases {
		sc := &Scenario{Scaling: Scaling{Policies: c.policies}}
		got, ok := sc.CapacityTarget()
		if got != c.want || ok != c.ok {
			t.Errorf("%s: CapacityTarget() = %+v, %v; want %+v, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
