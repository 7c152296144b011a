package pricing

import (
	"fmt"
	"testing"
)

// TestAllocateSpot: the three allocation strategies of docs/aws-model.md §1.10
// as documented approximations.
func TestAllocateSpot(t *testing.T) {
	pools := []SpotPool{
		{Type: "m5.large", Zone: 0, USDPerHour: 0.03, InterruptionRate: 0.10},
		{Type: "m5.large", Zone: 1, USDPerHour: 0.04, InterruptionRate: 0.01},
		{Type: "c5.large", Zone: 0, USDPerHour: 0.05, InterruptionRate: 0.011},
		{Type: "m6i.large", Zone: 0, USDPerHour: 0.02, InterruptionRate: 0.5},
		{Type: "m5.xlarge", Zone: 0, USDPerHour: 0.05, InterruptionRate: 0.2, Weight: 2}, // 0.025 per unit
	}
	cases := []struct {
		strategy string
		n, k     int
		want     string
	}{
		{LowestPrice, 5, 2, "[0 0 0 3 2]"}, // m6i 0.02 and m5.xlarge 0.025/unit
		{LowestPrice, 6, 3, "[2 0 0 2 2]"}, // ... and m5.large zone 0
		{LowestPrice, 3, 0, "[0 0 0 3 0]"}, // at least one pool
		{CapacityOptimized, 4, 2, "[0 4 0 0 0]"},
		{PriceCapacityOptimized, 4, 2, "[0 4 0 0 0]"}, // best third by rate: pools 1 and 2; cheaper: 1
		{"diversified", 4, 2, "[0 0 0 0 0]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(AllocateSpot(c.strategy, pools, c.n, c.k)); got != c.want {
			t.Errorf("%s, n %d, pools %d: %s, want %s", c.strategy, c.n, c.k, got, c.want)
		}
	}
	// Price-capacity-optimized picks price among the low-risk pools.
	pools[2].USDPerHour = 0.035
	if got := fmt.Sprint(AllocateSpot(PriceCapacityOptimized, pools, 2, 2)); got != "[0 0 2 0 0]" {
		t.Errorf("price-capacity-optimized with a cheaper low-risk pool: %s", got)
	}
}
