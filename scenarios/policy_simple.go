package scenarios

import (
	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// simpleKind makes one adjustment when an alarm fires, then waits out
// its cooldown (docs/aws-model.md §1.2).
var simpleKind = policyKind{
	name:  "simple",
	keys:  []string{"alarm", "adjustment_type", "adjustment", "min_adjustment_magnitude", "cooldown"},
	check: (*checker).alarmPolicy,
	build: buildSimple,
}

// buildSimple makes the simple scaler on its alarm, with its cooldown.
func buildSimple(pol Policy) (sim.Scaler, error) {
	a, err := pol.alarm()
	if err != nil {
		return nil, err
	}
	at, err := policies.ParseAdjustmentType(pol.AdjustmentType)
	if err != nil {
		return nil, err
	}
	cd := policies.DefaultCooldown
	if pol.Cooldown != nil {
		cd = pol.Cooldown.D()
	}
	return &policies.SimpleScaler{Alarm: a, Cooldown: cd, Policy: policies.SimplePolicy{Name: pol.Name,
		AdjustmentType: at, ScalingAdjustment: pol.Adjustment, MinAdjustmentMagnitude: pol.MinAdjustmentMagnitude}}, nil
}
