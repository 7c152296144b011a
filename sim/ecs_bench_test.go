package sim_test

import (
	"testing"
	"time"

	"github.com/capsim/capsim/sim"
)

// dayAt2000ECS is dayAt2000 as an ECS service: 4-vCPU tasks (one to an
// m5.xlarge) on a capacity provider at target_capacity 100, the service
// on target tracking at 50 % CPU. workers 4 runs each request on a whole
// vCPU (the ordinary slots); workers 8 shares the task's CPU (sim/ps.go);
// shares makes its cpu CPU shares of the instance (sim/shares.go; one
// task to an instance, so the same service, through the shares' path).
func dayAt2000ECS(workers int, shares bool) *sim.Config {
	cfg := dayAt2000()
	host := cfg.Fleet
	cfg.Fleet.Type = sim.InstanceType{Name: "task", VCPU: workers, Speed: 1}
	cfg.Fleet.BootTime = sim.Constant{Value: 20}
	cfg.Fleet.Warmup = 0
	cfg.DeregistrationDelay = 30 * sim.Second
	cfg.ECS = &sim.ECSConfig{
		TaskCPU: 4096, TaskMemoryMiB: 8192, CPUShares: shares,
		Placement: []sim.PlacementStrategy{{Type: sim.Spread, Field: sim.FieldZone}, {Type: sim.Binpack, Field: sim.FieldMemory}},
		Providers: []sim.CapacityProvider{{Hosts: sim.HostGroup{Type: host.Type, Min: 0, Max: 100, Desired: host.Desired, BootTime: host.BootTime, Zones: 3,
			UnitsPerInstance: 4096, MiBPerInstance: 16384},
			Scaling: &sim.ManagedScaling{TargetCapacity: 100, MinStep: 1, MaxStep: 10000, Warmup: 300 * sim.Second, TerminationProtection: true}}},
	}
	return cfg
}

// BenchmarkDay2000ECS runs dayAt2000ECS once per op; compare its ns/op
// with BenchmarkDay2000's (docs/performance.md).
func BenchmarkDay2000ECS(b *testing.B) {
	for _, w := range []struct {
		name    string
		workers int
		shares  bool
	}{{"slots", 4, false}, {"shared", 8, false}, {"shares", 8, true}} {
		b.Run(w.name, func(b *testing.B) {
			for range b.N {
				start := time.Now()
				res, err := sim.Run(dayAt2000ECS(w.workers, w.shares))
				if err != nil {
					b.Fatal(err)
				}
				el := time.Since(start).Seconds()
				b.ReportMetric(float64(res.Requests.Total), "requests")
				b.ReportMetric(float64(2*res.Requests.Total)/el, "events/s")
				b.ReportMetric(float64(res.PeakInService), "peak-instances")
				b.ReportMetric(float64(res.TaskSummary.PeakRunning), "peak-tasks")
			}
		})
	}
}
