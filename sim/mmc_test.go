package sim_test

import (
	"fmt"
	"testing"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// mmc builds a fixed fleet of one instance with c vCPUs, Poisson arrivals at
// rate rho·c·mu and exponential service of mean 1/mu: exactly M/M/c.
func mmc(c int, rho float64, meanService float64, requests int, seed uint64) *sim.Config {
	lambda := rho * float64(c) / meanService
	return &sim.Config{
		Seed:       seed,
		Duration:   sim.FromSeconds(float64(requests) / lambda),
		Traffic:    &sim.ConstantRate{RPS: lambda},
		Service:    sim.Exponential{MeanSeconds: meanService},
		Timeout:    100 * sim.Hour,
		QueueLimit: 1 << 30,
		Fleet: sim.FleetConfig{
			Type: sim.InstanceType{Name: "mmc", VCPU: c, Speed: 1},
			Min:  1, Max: 1, Desired: 1,
			BootTime: sim.Constant{Value: 60},
		},
		Balancer:     policies.Random{},
		HealthCheck:  sim.HealthCheck{Interval: 30 * sim.Second, HealthyThreshold: 2},
		MetricPeriod: sim.Minute,
		EvalInterval: sim.Minute,
	}
}

// TestErlangC checks the engine against queueing theory: the mean wait of
// M/M/c must match Erlang C within 3 %, and Little's law L = λW must hold
// within 1 %, for ρ ∈ {0.5, 0.8, 0.9} and c ∈ {1, 4, 10}.
func TestErlangC(t *testing.T) {
	for _, c := range []int{1, 4, 10} {
		for _, rho := range []float64{0.5, 0.8, 0.9} {
			t.Run(fmt.Sprintf("c=%d/rho=%g", c, rho), func(t *testing.T) {
				t.Parallel()
				const meanService = 0.010
				n := requestsFor(c, rho)
				res, err := sim.Run(mmc(c, rho, meanService, n, 7))
				if err != nil {
					t.Fatal(err)
				}
				checkInvariants(t, res)
				want := mmcWait(c, rho) * meanService
				got := res.WaitSum / float64(res.WaitCount)
				if e := relErr(got, want); e > 0.03 {
					t.Errorf("mean wait %.6fs, Erlang C %.6fs: off by %.2f%% (> 3%%)", got, want, 100*e)
				}
				// Little's law: time-average number in the system equals
				// throughput × mean time in the system.
				lambda := float64(res.SojournN) / res.Duration.Seconds()
				w := res.SojournSum / float64(res.SojournN)
				if e := relErr(res.MeanInSystem, lambda*w); e > 0.01 {
					t.Errorf("Little's law: L = %.4f, λW = %.4f: off by %.2f%% (> 1%%)", res.MeanInSystem, lambda*w, 100*e)
				}
				t.Logf("n=%d wait %.6f vs %.6f (%.2f%%)", res.Requests.Total, got, want, 100*relErr(got, want))
			})
		}
	}
}

// requestsFor sizes a run so the sampling error of the mean wait is well
// under the 3 % tolerance: heavy traffic relaxes slowly, roughly like
// 1/(1−ρ)², and light traffic on many servers rarely waits at all, so both
// ends need many customers.
func requestsFor(c int, rho float64) int {
	return max(2_000_000, int(200_000/((1-rho)*(1-rho))/float64(c)))
}

func checkInvariants(t *testing.T, res *sim.Result) {
	t.Helper()
	if !res.Requests.Conserved() {
		t.Errorf("requests not conserved: %+v", res.Requests)
	}
}
