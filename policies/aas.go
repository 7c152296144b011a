package policies

import (
	"fmt"

	"github.com/capsim/capsim/sim"
)

// AASCooldown is Application Auto Scaling's cooldowns for an ECS service
// (docs/ecs.md, "Service auto scaling"; AWS:
// https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html):
//
//   - during a scale-out cooldown only a larger scale-out goes ahead: a
//     proposal counts the capacity already added, so after +2 a +3 step
//     (computed from the same starting point) adds 1;
//   - a scale-in cooldown blocks scale-in; a scale-out during it goes
//     ahead at once and ends it.
//
// It is a sim.Guard with state: build one per run.
type AASCooldown struct {
	Out, In         sim.Time
	lastOut, lastIn sim.Time
	outSet, inSet   bool
}

// NewAASCooldown makes the guard; ECS's defaults are 300 s each.
func NewAASCooldown(out, in sim.Time) *AASCooldown { return &AASCooldown{Out: out, In: in} }

// Limit applies the cooldowns to a change from current to proposed.
func (a *AASCooldown) Limit(now, _ sim.Time, current, proposed int) (int, string) {
	switch {
	case proposed > current:
		a.lastOut, a.outSet = now, true
		a.inSet = false // a scale-out ends the scale-in cooldown
		return proposed, ""
	case proposed < current:
		if a.inSet && now < a.lastIn+a.In {
			return current, fmt.Sprintf("scale-in cooldown: %v left", (a.lastIn + a.In - now).Duration())
		}
		a.lastIn, a.inSet = now, true
		return proposed, ""
	}
	return proposed, ""
}
