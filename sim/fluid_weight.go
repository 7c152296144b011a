package sim

// capacity is a target's full weight: its slots at its speed now. A
// burstable instance out of CPU credits runs at the throttled speed
// (sim/purchase.go, stepCredits), so its capacity then is lower than when
// it registered, while the balancer's weight (Targets.w) keeps the value
// it was given at registration or by the slow-start ramp.
func (in *instance) capacity() float64 { return float64(in.slots) * in.speed }

// fluidWeight is target p's weight in fluid mode's split of a step's
// requests (sim/fluid.go, fluidRoute): what the balancer of that split
// gives the target in request mode (docs/fluid.md, "Balancers").
//
//   - Balancers that ignore weights (random, round robin) give every target
//     an equal share, except that a target in slow start keeps a pick with
//     probability weight ÷ capacity (router.pickAmong): its ramp, and 1
//     outside slow start — whatever its speed. A throttled instance gets
//     the same share as the others, and serves it at its throttled speed.
//   - Weighted balancers read the weight as it stands.
//   - Least outstanding requests and the like send work where there is
//     room, which follows each target's capacity now: a throttled
//     instance takes less (the ramp sets a slow-starting target's weight
//     from its capacity now).
func (ts *Targets) fluidWeight(p int, in *instance, split Split) float64 {
	w := ts.w[p]
	switch split {
	case SplitWeighted:
		return w
	case SplitShortest:
		if in.slowStart {
			return w
		}
		return in.capacity()
	}
	if !in.slowStart {
		return 1
	}
	return w / in.capacity()
}
