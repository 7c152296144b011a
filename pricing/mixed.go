package pricing

import (
	"cmp"
	"slices"
)

// MixedSplit divides an Auto Scaling group's capacity between On-Demand
// and Spot under a mixed-instances policy (docs/aws-model.md §1.10): the first
// base units are On-Demand, and of the rest, percentAboveBase percent are
// On-Demand, rounded up — "in favour of On-Demand" — and the remainder
// Spot. It reproduces the table of ASG-UG ec2-auto-scaling-mixed-instances-
// groups.md exactly (see mixed_test.go). Negative inputs count as 0 and
// percentages are clamped to 0–100.
func MixedSplit(total, base, percentAboveBase int) (onDemand, spot int) {
	total, base = max(0, total), max(0, base)
	p := max(0, min(100, percentAboveBase))
	if total <= base {
		return total, 0
	}
	above := total - base
	od := (above*p + 99) / 100 // ceil(above × p / 100) in integers
	return base + od, above - od
}

// Spot allocation strategies of a mixed-instances group (docs/aws-model.md
// §1.10).
const (
	LowestPrice            = "lowest-price"
	CapacityOptimized      = "capacity-optimized"
	PriceCapacityOptimized = "price-capacity-optimized"
)

// SpotPool is one spot capacity pool: an instance type in a zone.
// InterruptionRate (expected interruptions per instance-hour) stands in
// for the spare capacity AWS sees and does not publish: the lower, the
// more capacity.
type SpotPool struct {
	Type             string
	Zone             int
	USDPerHour       float64 // spot price now
	InterruptionRate float64
	Weight           float64 // capacity units per instance (WeightedCapacity; 0 means 1)
}

// AllocateSpot spreads n spot launches over pools and returns how many go
// to each, by strategy — documented approximations of AWS's:
//
//   - lowest-price: the `lowestPools` (SpotInstancePools, 1–20, AWS's
//     default 2) cheapest pools per capacity unit, launches dealt round
//     robin, cheapest first;
//   - capacity-optimized: every launch to the pool with the lowest
//     interruption rate (the most spare capacity);
//   - price-capacity-optimized: the pools with the lowest interruption
//     rates (the best third, at least one), then the cheapest of those per
//     capacity unit.
//
// Ties go to the earlier pool, so the result is deterministic. An unknown
// strategy or no pools gives all zeros.
func AllocateSpot(strategy string, pools []SpotPool, n, lowestPools int) []int {
	out := make([]int, len(pools))
	if len(pools) == 0 || n <= 0 {
		return out
	}
	unit := func(i int) float64 {
		w := pools[i].Weight
		if w <= 0 {
			w = 1
		}
		return pools[i].USDPerHour / w
	}
	idx := make([]int, len(pools))
	for i := range idx {
		idx[i] = i
	}
	byPrice := func(a, b int) int { return cmp.Compare(unit(a), unit(b)) }
	byRate := func(a, b int) int { return cmp.Compare(pools[a].InterruptionRate, pools[b].InterruptionRate) }
	switch strategy {
	case LowestPrice:
		k := max(1, min(20, lowestPools, len(pools)))
		slices.SortStableFunc(idx, byPrice)
		for i := range n {
			out[idx[i%k]]++
		}
	case CapacityOptimized:
		slices.SortStableFunc(idx, byRate)
		out[idx[0]] = n
	case PriceCapacityOptimized:
		slices.SortStableFunc(idx, byRate)
		best := idx[:max(1, (len(idx)+2)/3)]
		slices.SortStableFunc(best, byPrice)
		out[best[0]] = n
	}
	return out
}
