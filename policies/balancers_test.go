package policies_test

import (
	"math"
	"strings"
	"testing"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// fleetOf is N one-vCPU instances with Poisson arrivals at rate lambda·N and
// exponential service of mean 1 (scaled to 10 ms): the setting of the
// supermarket model.
func fleetOf(n int, lambda float64, lb sim.Balancer, requests int) *sim.Config {
	const mean = 0.010
	rate := lambda * float64(n) / mean
	return &sim.Config{
		Seed:       9,
		Duration:   sim.FromSeconds(float64(requests) / rate),
		Traffic:    &sim.ConstantRate{RPS: rate},
		Service:    sim.Exponential{MeanSeconds: mean},
		Timeout:    sim.Hour,
		QueueLimit: 1 << 20,
		Fleet: sim.FleetConfig{
			Type: sim.InstanceType{Name: "one", VCPU: 1, Speed: 1},
			Min:  n, Max: n, Desired: n,
			BootTime: sim.Constant{Value: 60},
		},
		Balancer:     lb,
		HealthCheck:  sim.HealthCheck{Interval: 30 * sim.Second, HealthyThreshold: 2},
		MetricPeriod: sim.Minute,
		EvalInterval: sim.Minute,
	}
}

// TestBalancersAgainstQueueingTheory holds each algorithm to a closed form
// nobody here wrote:
//   - random: each server is an independent M/M/1 at load λ, so the mean
//     time in system is 1/(1−λ) service times;
//   - power of two choices: the supermarket model (Mitzenmacher 2001;
//     Vvedenskaya et al. 1996): as N → ∞ the fraction of servers with at
//     least i requests is λ^(2^i − 1), so the mean number per server is
//     Σ_{i≥1} λ^(2^i−1) and, by Little's law, the mean time in system is
//     that sum ÷ λ. With N = 100 the finite-N correction is small.
//   - round robin: each server sees Erlang-N arrivals, so it must beat
//     random, and least outstanding requests (join the shortest queue) must
//     beat power of two.
func TestBalancersAgainstQueueingTheory(t *testing.T) {
	const n, lambda, requests = 100, 0.9, 3_000_000
	sojourn := func(lb sim.Balancer) float64 {
		res, err := sim.Run(fleetOf(n, lambda, lb, requests))
		if err != nil {
			t.Fatal(err)
		}
		if !res.Requests.Conserved() {
			t.Fatalf("requests not conserved: %+v", res.Requests)
		}
		return res.SojournSum / float64(res.SojournN) / 0.010
	}
	random := sojourn(policies.Random{})
	if want := 1 / (1 - lambda); math.Abs(random-want)/want > 0.05 {
		t.Errorf("random: mean time in system %.3f service times, M/M/1 gives %.3f", random, want)
	}
	p2 := sojourn(policies.PowerOfTwo{})
	var sum float64
	for i := 1; i < 64; i++ {
		sum += math.Pow(lambda, math.Pow(2, float64(i))-1)
	}
	if want := sum / lambda; math.Abs(p2-want)/want > 0.05 {
		t.Errorf("power of two: mean time in system %.3f service times, supermarket model gives %.3f", p2, want)
	}
	rr := sojourn(&policies.RoundRobin{})
	lor := sojourn(&policies.LeastOutstanding{})
	if !(rr < random) || !(lor < p2) {
		t.Errorf("ordering broken: random %.3f, round robin %.3f, power of two %.3f, least outstanding %.3f", random, rr, p2, lor)
	}
	t.Logf("mean time in system (service times): random %.3f, round robin %.3f, power of two %.3f, least outstanding %.3f", random, rr, p2, lor)
}

// TestBalancerNames: every name resolves; an unknown one is an error that
// lists the known ones.
func TestBalancerNames(t *testing.T) {
	for _, name := range policies.BalancerNames() {
		if _, err := policies.NewBalancer(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err := policies.NewBalancer("fastest")
	if err == nil || !strings.Contains(err.Error(), "round_robin") {
		t.Errorf("unknown algorithm error %v does not list the known ones", err)
	}
}
