package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
)

func TestDemandBasis(t *testing.T) {
	pol := func(ps ...scenarios.Policy) *scenarios.Scenario {
		return &scenarios.Scenario{Scaling: scenarios.Scaling{Policies: ps}}
	}
	cases := []struct {
		name string
		sc   *scenarios.Scenario
		want reports.DemandBasis
	}{
		// 40 rps per instance at 100 % CPU; 70 % of it by default.
		{"fixed fleet", pol(), reports.DemandBasis{PerInstanceRPS: 28, TargetUtilizationPercent: 70, Source: "default"}},
		{"cpu target", pol(scenarios.Policy{Name: "cpu60", Type: "target_tracking", Metric: "cpu", Target: 60}),
			reports.DemandBasis{PerInstanceRPS: 24, TargetUtilizationPercent: 60, Source: "policy cpu60 (cpu 60 %)"}},
		// 1200 requests per target per minute is 20 per second, whatever the CPU.
		{"request count target", pol(scenarios.Policy{Name: "rpt", Type: "target_tracking", Metric: "request_count_per_target", Target: 1200}),
			reports.DemandBasis{PerInstanceRPS: 20, Source: "policy rpt (request_count_per_target 1200)"}},
	}
	for _, c := range cases {
		if got := demandBasis(c.sc, 40); got != c.want {
			t.Errorf("%s: demandBasis = %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestRunReportsElasticity: result.json carries summary.elasticity with
// the five metrics and the policy the demand came from, and the terminal
// summary has its line.
func TestRunReportsElasticity(t *testing.T) {
	code, out, errs := capsim(t, "run", "--quiet", "--json", "-", "testdata/sweep-small.yaml")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	var doc struct {
		Summary struct {
			Elasticity map[string]any `json:"elasticity"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	e := doc.Summary.Elasticity
	for _, k := range []string{"theta_u", "theta_o", "tau_u", "tau_o", "upsilon"} {
		v, ok := e[k].(float64)
		if !ok || v < 0 || v > 1000 {
			t.Errorf("summary.elasticity.%s = %v", k, e[k])
		}
	}
	basis, _ := e["demand_basis"].(map[string]any)
	if basis["source"] != "policy cpu (cpu 50 %)" || basis["target_utilization_percent"] != 50.0 {
		t.Errorf("demand_basis = %v, want the scenario's cpu 50 %% policy", basis)
	}
	_, text, _ := capsim(t, "run", "--quiet", "--out", t.TempDir(), "testdata/sweep-small.yaml")
	if !strings.Contains(text, "elasticity") || !strings.Contains(text, "θU") {
		t.Errorf("the summary has no elasticity line:\n%s", text)
	}
}
