package scenarios

import (
	"strings"
	"testing"
)

// TestPurchaseKeys: the mixed-instances split follows AWS's table, spot
// interruptions need spot capacity, and a standard-mode burstable type gets
// credit throttling at its baseline.
func TestPurchaseKeys(t *testing.T) {
	s, err := Parse("p.yaml", []byte(valid+"  instances_distribution: {on_demand_base_capacity: 10, on_demand_percentage_above_base_capacity: 50}\n"), ".")
	if err != nil {
		t.Fatal(err)
	}
	cfg, c, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	// docs/aws-model.md §1.10: base 10, 50 % → 10 of 10, 15 of 20, 25 of 40 on-demand.
	for total, want := range map[int]int{10: 10, 20: 15, 40: 25} {
		if got := cfg.Fleet.OnDemandFor(total); got != want {
			t.Errorf("on-demand of %d: %d, want %d", total, got, want)
		}
	}

	_, err = Parse("p.yaml", []byte(valid+"  spot_interruptions_per_hour: 0.1\n"), ".")
	if err == nil || !strings.Contains(err.Error(), "p.yaml:10:32: fleet.spot_interruptions_per_hour: needs spot capacity") {
		t.Errorf("interruptions without spot: %v", err)
	}

	burst := strings.Replace(valid, "m5.large", "t2.micro", 1) + "pricing: {burstable: {mode: standard}}\n"
	s, err = Parse("b.yaml", []byte(burst), ".")
	if err != nil {
		t.Fatal(err)
	}
	cfg, c, err = s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if cfg.Fleet.Credits == nil || cfg.Fleet.ThrottledSpeed != 0.10 {
		t.Errorf("t2.micro standard: credits %v, throttled speed %g (want the 10 %% baseline)", cfg.Fleet.Credits != nil, cfg.Fleet.ThrottledSpeed)
	}
}
