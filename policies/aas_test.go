package policies

import (
	"testing"

	"github.com/capsim/capsim/sim"
)

// TestAASCooldown: Application Auto Scaling's cooldown rules
// (https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html,
// ScaleInCooldown in TargetTrackingScalingPolicyConfiguration): a
// scale-in cooldown blocks scale-in; a scale-out during it goes ahead at
// once and ends it; proposals are capacities, so after a +2 scale-out a +3
// step from the same starting point adds 1.
func TestAASCooldown(t *testing.T) {
	g := NewAASCooldown(300*sim.Second, 300*sim.Second)
	steps := []struct {
		at                sim.Time
		current, proposed int
		want              int
	}{
		{0, 10, 12, 12},                // +2
		{60 * sim.Second, 12, 13, 13},  // a +3 step from 10: adds 1
		{120 * sim.Second, 13, 11, 11}, // scale-in: starts the scale-in cooldown
		{240 * sim.Second, 11, 10, 11}, // blocked: 120 s into it
		{300 * sim.Second, 11, 12, 12}, // a scale-out goes ahead and ends it
		{330 * sim.Second, 12, 11, 11}, // so scale-in may follow at once
		{400 * sim.Second, 11, 10, 11}, // and starts a new cooldown
		{631 * sim.Second, 11, 10, 10}, // 301 s later it is over
	}
	for i, s := range steps {
		got, why := g.Limit(s.at, 0, s.current, s.proposed)
		if got != s.want {
			t.Errorf("step %d at %v: %d → %d allowed %d (%s), want %d", i, s.at, s.current, s.proposed, got, why, s.want)
		}
	}
}
