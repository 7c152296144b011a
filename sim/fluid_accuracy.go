package sim

import "math"

// FluidErrors compares a fluid run with a request-mode run of the same
// scenario on the figures docs/fluid.md holds fluid mode to: relative
// errors (fluid − request) / request, and the peak's difference in
// instances. Cost is billed outside sim; InstanceHours stands for it here.
type FluidErrors struct {
	InstanceHours float64
	MeanInService float64
	PeakInService int // fluid − request, instances
	Activities    float64
	P50, P99      float64
}

// ScalingActivities counts the decisions that changed desired capacity.
func (r *Result) ScalingActivities() int {
	n := 0
	for _, a := range r.Activities {
		if a.From != a.To {
			n++
		}
	}
	return n
}

// CompareFluid returns fluid's errors against request.
func CompareFluid(fluid, request *Result) FluidErrors {
	return FluidErrors{
		InstanceHours: relErr(fluid.InstanceHours(), request.InstanceHours()),
		MeanInService: relErr(fluid.MeanInService, request.MeanInService),
		PeakInService: fluid.PeakInService - request.PeakInService,
		Activities:    relErr(float64(fluid.ScalingActivities()), float64(request.ScalingActivities())),
		P50:           relErr(fluid.LatencyMs(50), request.LatencyMs(50)),
		P99:           relErr(fluid.LatencyMs(99), request.LatencyMs(99)),
	}
}

// relErr is (got − want) / want; 0 when both are 0.
func relErr(got, want float64) float64 {
	if want == 0 {
		if got == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return (got - want) / want
}
