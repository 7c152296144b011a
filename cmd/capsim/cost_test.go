package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// priced is the short scenario with every pricing key.
const priced = short + `pricing:
  reserved: [{type: m5.large, count: 1, discount: 0.4}]
  savings_plans: [{kind: compute, usd_per_hour: 0.02, discount: 0.3}]
  ebs: {gb_per_instance: 8}
  data_transfer: {response_bytes: 20000}
`

// TestRunCostReport: the JSON cost summary has the old keys and the new
// ones, and its lines add up.
func TestRunCostReport(t *testing.T) {
	code, stdout, stderr := capsim(t, "run", "--quiet", "--json", "-", writeScenario(t, priced))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Summary struct {
			Cost map[string]json.RawMessage `json:"cost"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Summary.Cost
	for _, k := range []string{"total_usd", "by_purchase_option", "by_instance_type", "per_million_requests_usd", "monthly_projection_usd",
		"price_source", "by_line", "instances_usd", "rates", "idle_capacity", "price_list", "commitments", "savings_plan_what_if", "warnings"} {
		if _, ok := c[k]; !ok {
			t.Errorf("summary.cost has no %q", k)
		}
	}
	var total float64
	var lines, options map[string]float64
	json.Unmarshal(c["total_usd"], &total)
	json.Unmarshal(c["by_line"], &lines)
	json.Unmarshal(c["by_purchase_option"], &options)
	var sum float64
	for _, l := range []string{"on_demand", "reserved_instances", "savings_plans", "ebs", "load_balancer", "data_transfer"} {
		if lines[l] <= 0 {
			t.Errorf("line %s = %g, want > 0 (lines %v)", l, lines[l], lines)
		}
	}
	for _, v := range lines {
		sum += v
	}
	if math.Abs(sum-total) > 1e-5 {
		t.Errorf("lines sum to %g, total %g", sum, total)
	}
	if options["reserved"] <= 0 || options["savings_plan"] <= 0 {
		t.Errorf("purchase options %v", options)
	}
}

// TestPricingInputErrors: a negative commitment is exit 2 with
// file:line:column; an RI the fleet cannot use is a lint warning only.
func TestPricingInputErrors(t *testing.T) {
	bad := writeScenario(t, short+"pricing:\n  savings_plans: [{kind: compute, usd_per_hour: -5, discount: 0.3}]\n")
	code, _, stderr := capsim(t, "run", "--quiet", "--json", "-", bad)
	if code != exitInput || !strings.Contains(stderr, "s.yaml:14:49: pricing.savings_plans[0].usd_per_hour: a commitment cannot be negative") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	warn := writeScenario(t, short+"pricing:\n  reserved: [{type: c5.large, count: 2, usd_per_hour: 0.05}]\n")
	code, stdout, stderr := capsim(t, "lint", warn)
	if code != 0 || !strings.Contains(stdout, "ok") || !strings.Contains(stderr, "s.yaml:14:14: pricing.reserved[0]: warning: the fleet runs m5.large, not the family c5") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = capsim(t, "run", "--quiet", "--out", t.TempDir(), warn)
	if code != 0 || !strings.Contains(stdout, "warning") || !strings.Contains(stdout, "cover nothing") {
		t.Errorf("run with an unused RI: exit %d, summary:\n%s", code, stdout)
	}
}
