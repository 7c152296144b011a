package pricing

// MixedSplit divides an Auto Scaling group's capacity between On-Demand
// and Spot under a mixed-instances policy (AWS-SEMANTICS §1.10): the first
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
