package sim_test

import (
	"strings"
	"testing"

	"github.com/capsim/capsim/sim"
)

// TestAutoKeepsRequestModeForECSSpot: fluid mode's cost missed by up to
// 6.8 % on an ECS cluster whose spot instances EC2 interrupts
// (docs/fluid.md, the ecs-compare rows), so auto keeps request mode
// there; an on-demand cluster, or spot without interruptions, may go fluid.
func TestAutoKeepsRequestModeForECSSpot(t *testing.T) {
	halfSpot := func(total int) int { return total / 2 }
	service, err := sim.LogNormalMedianP99(0.025, 0.150) // ecs-compare's workload
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		hosts sim.HostGroup
		spot  bool
	}{
		{"on-demand", sim.HostGroup{Max: 10}, false},
		{"spot, interrupted", sim.HostGroup{Max: 10, OnDemandFor: halfSpot, SpotInterruptionsPerHour: 0.05}, true},
		{"spot, never interrupted", sim.HostGroup{Max: 10, OnDemandFor: halfSpot}, false},
		{"all on-demand by the split", sim.HostGroup{Max: 10, OnDemandFor: func(n int) int { return n }, SpotInterruptionsPerHour: 0.05}, false},
	} {
		cfg := &sim.Config{Service: service, ECS: &sim.ECSConfig{Providers: []sim.CapacityProvider{{Name: "od", Hosts: sim.HostGroup{Max: 4}}, {Name: "x", Hosts: tc.hosts}}}}
		_, why := sim.ChooseMode(cfg, 1e18)
		if got := strings.Contains(why, "spot interruptions"); got != tc.spot {
			t.Errorf("%s: auto says %q", tc.name, why)
		}
	}
}

// TestAutoKeepsRequestModeForECSDeployments: fluid mode runs deployments,
// but misses the latency users see during one (docs/fluid.md, ECS
// services), so auto keeps request mode for a service with any.
func TestAutoKeepsRequestModeForECSDeployments(t *testing.T) {
	service, err := sim.LogNormalMedianP99(0.025, 0.150)
	if err != nil {
		t.Fatal(err)
	}
	for _, deps := range [][]sim.Deployment{nil, {{At: sim.Hour, MinHealthyPercent: 100, MaxPercent: 200}}} {
		cfg := &sim.Config{Service: service, ECS: &sim.ECSConfig{Fargate: true, Deployments: deps}}
		mode, why := sim.ChooseMode(cfg, 1e18)
		if want := len(deps) == 0; (mode == sim.FluidMode) != want || !want && !strings.Contains(why, "deployment") {
			t.Errorf("%d deployments: auto chose %v (%q)", len(deps), mode, why)
		}
	}
}

// TestAutoBurstable: auto keeps request mode for standard-mode CPU credits
// (throttling: up to +6 % instance-hours with a t3.large account,
// docs/fluid.md) and may pick fluid for unlimited mode, which does not
// throttle and whose surplus fluid mode bills within the bounds.
func TestAutoBurstable(t *testing.T) {
	standard := stepLoad(1)
	standard.Fleet.Type.Burstable = true
	standard.Fleet.Credits = func() sim.CreditMeter { return &bucket{credits: 20} }
	standard.Fleet.ThrottledSpeed = 0.4
	if m, why := sim.ChooseMode(standard, 1e18); m != sim.RequestMode || !strings.Contains(why, "standard-mode CPU credits") {
		t.Errorf("standard mode: auto picks %v (%s)", m, why)
	}
	unlimited := stepLoad(1)
	unlimited.Fleet.Type = sim.InstanceType{Name: "t3.large", VCPU: 2, Speed: 1, USDPerHour: 0.0832, Burstable: true}
	if m, why := sim.ChooseMode(unlimited, 1e18); m != sim.FluidMode {
		t.Errorf("unlimited mode: auto picks %v (%s)", m, why)
	}
}
