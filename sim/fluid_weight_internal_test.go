package sim

import "testing"

// TestFluidWeightThrottled: a burstable instance out of credits (speed 0.4
// of the 1.0 it registered at) gets, in fluid mode's split, what its
// balancer gives it in request mode: an equal share from balancers that
// ignore weights (round robin picks it in turn whatever its speed), its
// registered weight from weighted ones, and its capacity now where work
// goes where there is room. A slow-starting target keeps its ramp.
func TestFluidWeightThrottled(t *testing.T) {
	throttled := instance{slots: 2, speed: 0.4, throttled: true}
	ramping := instance{slots: 2, speed: 1, slowStart: true}
	ts := Targets{w: []float64{2, 0.5}} // registered: 2 slots × 1.0; ramping at 25 %
	for _, tc := range []struct {
		split    Split
		in       *instance
		p        int
		want     float64
		behaving string
	}{
		{SplitEven, &throttled, 0, 1, "round robin: an equal share"},
		{SplitRandom, &throttled, 0, 1, "random: an equal share"},
		{SplitWeighted, &throttled, 0, 2, "weighted: the registered weight"},
		{SplitShortest, &throttled, 0, 0.8, "least outstanding: its capacity now"},
		{SplitEven, &ramping, 1, 0.25, "round robin: the slow-start ramp"},
		{SplitShortest, &ramping, 1, 0.5, "least outstanding: capacity × ramp"},
	} {
		if got := ts.fluidWeight(tc.p, tc.in, tc.split); got != tc.want {
			t.Errorf("%s: weight %g, want %g", tc.behaving, got, tc.want)
		}
	}
}
