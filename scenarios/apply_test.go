package scenarios

import (
	"strings"
	"testing"
)

// TestVariants: each variant is the base with its paths set, read again
// with every default and check.
func TestVariants(t *testing.T) {
	base := valid + `scaling:
  policies:
    - {type: target_tracking, metric: cpu, target: 50}
variants:
  - name: cpu-70
    set: {"scaling.policies[0].target": 70}
  - name: rr-big
    set: {load_balancer.algorithm: round_robin, fleet.min: 4}
`
	s, err := Parse("v.yaml", []byte(base), ".")
	if err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs()
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 || runs[1].Name != "cpu-70" || runs[2].Name != "rr-big" {
		t.Fatalf("runs %d: %v", len(runs), runs)
	}
	if got := runs[1].Scaling.Policies[0].Target; got != 70 {
		t.Errorf("cpu-70 target %g", got)
	}
	if runs[1].Scaling.Policies[0].Name != "cpu-70" {
		t.Errorf("policy name not recomputed: %q", runs[1].Scaling.Policies[0].Name)
	}
	if f := runs[2].Fleet; f.Min != 4 || f.Desired != 4 || runs[2].LoadBalancer.Algorithm != "round_robin" {
		t.Errorf("rr-big fleet %+v, algorithm %s: desired must follow the new min", f, runs[2].LoadBalancer.Algorithm)
	}
	if s.Scaling.Policies[0].Target != 50 {
		t.Error("the base scenario changed")
	}

	bad := strings.Replace(base, "fleet.min: 4", "fleet.min: 40", 1)
	s, err = Parse("v.yaml", []byte(bad), ".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Runs(); err == nil || !strings.Contains(err.Error(), "rr-big") || !strings.Contains(err.Error(), "min (40) is greater than max (10)") {
		t.Errorf("a variant breaking min <= max: %v", err)
	}
}
