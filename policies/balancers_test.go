package policies_test

import (
	"math"
	"math/rand/v2"
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

// TestWeightedShares: on a mixed fleet, weighted algorithms split requests
// in proportion to capacity.
func TestWeightedShares(t *testing.T) {
	for _, lb := range []sim.Balancer{policies.WeightedRandom{}, &policies.WeightedRoundRobin{}} {
		got := pickShares(lb, []float64{1, 3}, 40000)
		if math.Abs(got[1]/got[0]-3) > 0.1 {
			t.Errorf("%v: shares %v, want 1:3", lb, got)
		}
	}
}

// pickShares counts picks per target over n requests with no load.
func pickShares(lb sim.Balancer, weights []float64, n int) []float64 {
	t := sim.NewTargets(weights, nil, rand.New(rand.NewPCG(1, 2)))
	got := make([]float64, len(weights))
	for range n {
		got[lb.Pick(t)]++
	}
	return got
}

// TestLeastConnectionsWeighted: connections per unit of weight decide.
func TestLeastConnectionsWeighted(t *testing.T) {
	tg := sim.NewTargets([]float64{2, 8}, []int{1, 3}, rand.New(rand.NewPCG(1, 2)))
	// (1+1)/2 = 1.0 vs (3+1)/8 = 0.5: the big instance, though busier.
	if got := (&policies.LeastConnections{}).Pick(tg); got != 1 {
		t.Errorf("picked %d, want 1", got)
	}
	if got := (&policies.LeastOutstanding{}).Pick(tg); got != 0 {
		t.Errorf("least outstanding picked %d, want 0 (fewest requests)", got)
	}
}
