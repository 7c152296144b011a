package sim_test

import (
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// dayAt2000 is the end-to-end yardstick: 24 hours of diurnal
// traffic averaging 2,000 requests/s (about 173 M requests) on an
// autoscaled fleet of 4-vCPU instances, least outstanding requests, target
// tracking on CPU at 50 %.
func dayAt2000() *sim.Config {
	svc, _ := sim.LogNormalMedianP99(0.020, 0.120)
	return &sim.Config{
		Seed:     1,
		Duration: 24 * sim.Hour,
		Traffic: &sim.FuncRate{End: 24 * sim.Hour, F: func(t sim.Time) float64 {
			// peak-to-trough 3: 2000 × (1 + 0.5 sin)
			return 2000 * (1 + 0.5*math.Sin(2*math.Pi*(t.Seconds()/86400-0.25)))
		}},
		Service:    svc,
		Timeout:    30 * sim.Second,
		QueueLimit: 1000,
		Fleet: sim.FleetConfig{
			Type: sim.InstanceType{Name: "m5.xlarge", VCPU: 4, Speed: 1, USDPerHour: 0.192},
			Min:  4, Max: 100, Desired: 12,
			BootTime: svcBoot(),
			Warmup:   300 * sim.Second,
			Zones:    3, Termination: []string{"Default"},
		},
		Balancer:            &policies.LeastOutstanding{},
		LBOverhead:          sim.Millisecond,
		HealthCheck:         sim.HealthCheck{Interval: 30 * sim.Second, HealthyThreshold: 5},
		DeregistrationDelay: 300 * sim.Second,
		Scalers:             []sim.Scaler{policies.NewTargetTracking("cpu50", sim.MetricCPU, 50)},
		MetricPeriod:        sim.Minute,
		PublishDelay:        sim.Minute,
		EvalInterval:        sim.Minute,
	}
}

func svcBoot() sim.Dist {
	d, _ := sim.LogNormalMedianP99(90, 180)
	return d
}

// BenchmarkDay2000 runs dayAt2000 once per op and reports requests/s of
// wall time, events/s and the heap in use at the end.
func BenchmarkDay2000(b *testing.B) {
	for range b.N {
		start := time.Now()
		res, err := sim.Run(dayAt2000())
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(start).Seconds()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(res.Requests.Total), "requests")
		b.ReportMetric(float64(2*res.Requests.Total)/el, "events/s")
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(res.PeakInService), "peak-instances")
	}
}
