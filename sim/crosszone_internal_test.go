package sim

import (
	"math"
	"testing"
)

type firstTarget struct{}

func (firstTarget) Pick(t *Targets) int { return t.Rand().IntN(t.Len()) }

// TestCrossZone reproduces AWS's example (docs/aws-model.md §4.1): two zones
// with 2 and 8 targets. With cross-zone load balancing each target gets
// 10 % of requests; without it each zone's node gets half, so the 2 targets
// get 25 % each and the 8 get 6.25 % each.
func TestCrossZone(t *testing.T) {
	for _, off := range []bool{false, true} {
		cfg := &Config{
			Duration: Hour, Traffic: &ConstantRate{RPS: 1}, Service: Constant{Value: 0.001}, Timeout: Second,
			Fleet: FleetConfig{Type: InstanceType{Name: "x", VCPU: 1, Speed: 1}, Min: 0, Max: 20, Zones: 2,
				BootTime: Constant{Value: 1}},
			Balancer: firstTarget{}, MetricPeriod: Minute, EvalInterval: Minute, CrossZoneOff: off,
		}
		e, err := newEngine(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 10 {
			id := e.launch()
			zone := int32(0)
			if i >= 2 {
				zone = 1
			}
			in := &e.fleet.inst[id]
			e.fleet.zoneActive[in.zone]--
			e.fleet.zoneActive[zone]++
			in.zone = zone
			e.enterService(id, false)
		}
		const n = 200_000
		count := make([]float64, 10)
		for range n {
			count[e.lb.pick(e.fleet.inst)]++
		}
		for id, c := range count {
			want := 0.10
			if off {
				want = 0.0625
				if id < 2 {
					want = 0.25
				}
			}
			if got := c / n; math.Abs(got-want) > 0.01 {
				t.Errorf("cross-zone off=%v: target %d got %.4f of requests, want %.4f", off, id, got, want)
			}
		}
	}
}
