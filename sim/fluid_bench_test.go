package sim_test

import (
	"math"
	"testing"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// yearFluid is docs/fluid.md's speed case: 365 days of hourly traffic
// (a diurnal and weekly cycle around 2,000 requests/s, growing 20 % over
// the year) on 4-vCPU instances under target tracking, in fluid mode.
func yearFluid() *sim.Config {
	day := float64(24 * sim.Hour)
	return &sim.Config{
		Seed:     1,
		Duration: 365 * 24 * sim.Hour,
		Mode:     sim.FluidMode,
		Traffic: &sim.FuncRate{Step: sim.Hour, End: 365 * 24 * sim.Hour, F: func(t sim.Time) float64 {
			x := float64(t)
			weekly := 1.0
			if int(x/day)%7 >= 5 {
				weekly = 0.7
			}
			return 2000 * (1 + 0.5*math.Sin(2*math.Pi*x/day)) * weekly * math.Pow(1.2, x/(365*day))
		}},
		Service:    sim.LogNormal{Mu: math.Log(0.020), Sigma: 0.8},
		Timeout:    30 * sim.Second,
		QueueLimit: 1000,
		Fleet: sim.FleetConfig{
			Type: sim.InstanceType{Name: "m5.xlarge", VCPU: 4, Speed: 1, USDPerHour: 0.192},
			Min:  2, Max: 200, Desired: 20,
			BootTime: sim.Constant{Value: 90},
			Warmup:   300 * sim.Second,
			Zones:    3, Termination: []string{"Default"},
		},
		Balancer:            &policies.LeastOutstanding{},
		HealthCheck:         sim.HealthCheck{Interval: 10 * sim.Second, HealthyThreshold: 2},
		DeregistrationDelay: 30 * sim.Second,
		Scalers:             []sim.Scaler{policies.NewTargetTracking("cpu50", sim.MetricCPU, 50)},
		MetricPeriod:        sim.Minute,
		PublishDelay:        sim.Minute,
		EvalInterval:        sim.Minute,
	}
}

// BenchmarkFluidYear: go test -run '^$' -bench FluidYear -benchmem ./sim
func BenchmarkFluidYear(b *testing.B) {
	for i := 0; i < b.N; i++ {
		c := yearFluid()
		c.FluidStep = 10 * sim.Second
		r, err := sim.Run(c)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(r.Requests.Total)/1e9, "Greq")
		b.ReportMetric(r.MeanInService, "instances")
	}
}
