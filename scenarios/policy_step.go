package scenarios

import (
	"math"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// stepKind scales by the step adjustments of an alarm's breach
// (docs/aws-model.md §1.3).
var stepKind = policyKind{
	name:  "step",
	keys:  []string{"alarm", "adjustment_type", "steps", "min_adjustment_magnitude", "metric_aggregation_type"},
	check: (*checker).alarmPolicy,
	build: buildStep,
}

// buildStep makes the step scaler on its alarm.
func buildStep(pol Policy) (sim.Scaler, error) {
	a, err := pol.alarm()
	if err != nil {
		return nil, err
	}
	sp, err := pol.stepPolicy()
	if err != nil {
		return nil, err
	}
	return &policies.StepScaler{Alarm: a, Policy: sp}, nil
}

func (pol Policy) stepPolicy() (policies.StepPolicy, error) {
	at, err := policies.ParseAdjustmentType(pol.AdjustmentType)
	if err != nil {
		return policies.StepPolicy{}, err
	}
	agg, err := policies.ParseAggregation(pol.MetricAggregationType)
	if err != nil {
		return policies.StepPolicy{}, err
	}
	sp := policies.StepPolicy{Name: pol.Name, AdjustmentType: at, MinAdjustmentMagnitude: pol.MinAdjustmentMagnitude, MetricAggregationType: agg}
	for _, s := range pol.Steps {
		lo, hi := math.Inf(-1), policies.Unbounded
		if s.Lower != nil {
			lo = *s.Lower
		}
		if s.Upper != nil {
			hi = *s.Upper
		}
		sp.Steps = append(sp.Steps, policies.StepAdjustment{Lower: lo, Upper: hi, Adjustment: s.Adjustment})
	}
	return sp, nil
}
