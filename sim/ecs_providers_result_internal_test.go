package sim

import "testing"

// TestPurchaseOf: a provider's purchase label from its group's split at
// its largest size (docs/result.md summary.capacity_providers).
func TestPurchaseOf(t *testing.T) {
	split := func(base, pct int) func(int) int { // on_demand_base_capacity, percentage above base
		return func(total int) int {
			b := min(base, total)
			return b + (total-b)*pct/100
		}
	}
	for _, c := range []struct {
		name  string
		group HostGroup
		want  string
	}{
		{"no distribution", HostGroup{Max: 10}, "on_demand"},
		{"100 % on-demand", HostGroup{Max: 10, OnDemandFor: split(0, 100)}, "on_demand"},
		{"0 % on-demand, no base", HostGroup{Max: 10, OnDemandFor: split(0, 0)}, "spot"},
		{"base 2, then spot", HostGroup{Max: 10, OnDemandFor: split(2, 0)}, "mixed"},
		{"half and half", HostGroup{Max: 10, OnDemandFor: split(0, 50)}, "mixed"},
		{"base above max", HostGroup{Max: 3, OnDemandFor: split(5, 0)}, "on_demand"},
	} {
		if got := purchaseOf(&c.group); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
