package sim_test

import (
	"reflect"
	"testing"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// stepLoad is a fleet of 2-vCPU instances serving constant 10 ms requests
// (200 requests/s each at 100 % CPU) under target tracking on CPU at 50 %,
// with traffic stepping from 100 to 360 requests/s at 30 minutes and back
// down to 100 at 90 minutes.
func stepLoad(seed uint64) *sim.Config {
	return &sim.Config{
		Seed:     seed,
		Duration: 3 * sim.Hour,
		Traffic: &sim.FuncRate{F: func(t sim.Time) float64 {
			if t >= 30*sim.Minute && t < 90*sim.Minute {
				return 360
			}
			return 100
		}},
		Service:    sim.Constant{Value: 0.010},
		Timeout:    30 * sim.Second,
		QueueLimit: 1000,
		Fleet: sim.FleetConfig{
			Type: sim.InstanceType{Name: "t", VCPU: 2, Speed: 1, USDPerHour: 0.1},
			Min:  2, Max: 10, Desired: 2,
			BootTime: sim.Constant{Value: 60},
			Warmup:   120 * sim.Second,
			Zones:    3, Termination: []string{"Default"},
		},
		Balancer:            &policies.RoundRobin{},
		HealthCheck:         sim.HealthCheck{Interval: 10 * sim.Second, HealthyThreshold: 2},
		DeregistrationDelay: 30 * sim.Second,
		Scalers:             []sim.Scaler{policies.NewTargetTracking("cpu50", sim.MetricCPU, 50)},
		MetricPeriod:        sim.Minute,
		PublishDelay:        sim.Minute,
		EvalInterval:        sim.Minute,
	}
}

// TestTargetTrackingStepLoad: a step in load scales the group out within
// minutes (3 of 3 datapoints above target, published a minute late), to the
// capacity ceil(current × metric / target) asks for; when the load falls it
// scales back in, but only after 15 low datapoints.
func TestTargetTrackingStepLoad(t *testing.T) {
	res, err := sim.Run(stepLoad(3))
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	checkFleetBounds(t, res, 2, 10)
	var firstOut, firstIn *sim.Activity
	for i := range res.Activities {
		a := &res.Activities[i]
		if a.To > a.From && firstOut == nil {
			firstOut = a
		}
		if a.To < a.From && firstIn == nil {
			firstIn = a
		}
	}
	if firstOut == nil {
		t.Fatalf("no scale-out; activities: %+v", res.Activities)
	}
	// 360 rps on 2 instances saturates them (CPU 100 %): ceil(2 × 100 / 50) = 4.
	if firstOut.From != 2 || firstOut.To != 4 {
		t.Errorf("first scale-out %d → %d, want 2 → 4 (%s)", firstOut.From, firstOut.To, firstOut.Reason)
	}
	// The third high datapoint covers minute 32–33 and is published at 34.
	if firstOut.Time < 33*sim.Minute || firstOut.Time > 35*sim.Minute {
		t.Errorf("first scale-out at %v, want 33–35 min (3 datapoints + 1 min publish delay)", firstOut.Time)
	}
	// At 360 rps, 4 instances run at 45 %, inside (0.7 × 50, 50]: the group settles at 4.
	at := res.Minutes[85]
	if at.InService != 4 {
		t.Errorf("in service at minute 85: %d, want 4", at.InService)
	}
	if firstIn == nil || firstIn.Time < 90*sim.Minute+15*sim.Minute {
		t.Errorf("scale-in %+v: want one, no earlier than 15 datapoints after the drop at 90 min", firstIn)
	}
	last := res.Minutes[len(res.Minutes)-1]
	if last.InService != 2 {
		t.Errorf("in service at the end: %d, want back at 2", last.InService)
	}
}

// TestDeterminism: the same seed gives identical results; another seed
// gives different numbers.
func TestDeterminism(t *testing.T) {
	a, err := sim.Run(stepLoad(11))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := sim.Run(stepLoad(11))
	c, _ := sim.Run(stepLoad(12))
	if !reflect.DeepEqual(a.Minutes, b.Minutes) || a.Requests != b.Requests || !reflect.DeepEqual(a.Activities, b.Activities) {
		t.Error("same seed, different results")
	}
	if a.Requests == c.Requests {
		t.Error("different seeds, identical request counts")
	}
}

// checkFleetBounds: in-service and desired capacity stay within [min, max]
// in every minute (docs/aws-model.md §1.1).
func checkFleetBounds(t *testing.T, res *sim.Result, lo, hi int) {
	t.Helper()
	for _, m := range res.Minutes {
		if m.Desired < lo || m.Desired > hi || m.InService > hi {
			t.Fatalf("minute %v: desired %d, in service %d outside [%d, %d]", m.Start, m.Desired, m.InService, lo, hi)
		}
	}
}

// TestSlowStart: with slow start (docs/aws-model.md §4.1) the instances that
// join at the scale-out take a smaller share of requests during their ramp
// than without it; by the end of the ramp round robin treats them equally.
func TestSlowStart(t *testing.T) {
	newShare := func(slow sim.Time) (int64, int64) {
		cfg := stepLoad(3)
		cfg.Duration = 80 * sim.Minute
		cfg.SlowStart = slow
		cfg.Fleet.Max = 4 // one scale-out, 2 → 4, in both runs
		res, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, res)
		var old, young int64
		for _, in := range res.Instances {
			if in.Launch == 0 {
				old += in.Routed
			} else {
				young += in.Routed
			}
		}
		return old, young
	}
	_, without := newShare(0)
	_, with := newShare(10 * sim.Minute)
	// 4 instances at 360 req/s: a new one takes 90 req/s at full share, so a
	// linear ramp over 10 minutes costs each about 90 × 300 s = 27,000
	// requests; two new instances, about 54,000 in all.
	lost := without - with
	if lost < 40_000 || lost > 70_000 {
		t.Errorf("new instances took %d requests with slow start, %d without: %d fewer, want about 54,000", with, without, lost)
	}
}
