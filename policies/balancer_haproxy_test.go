package policies_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// TestHAProxyRandomDrawsWithReplacement: HAProxy's random(2) draws two
// servers independently (HAProxy 2.6 src/backend.c, get_server_rnd), so
// among targets holding 0, 1, 2 and 9 requests the busiest is picked when
// both draws land on it, 1/16 of the time, and the idle one whenever either
// draw does, 1 − (3/4)² = 7/16; the scenario's power_of_two, drawing two
// distinct targets, never picks the busiest and picks the idle one half
// the time (3 of the 6 pairs contain it). 200,000 picks: each frequency
// within 5 standard deviations of the binomial.
func TestHAProxyRandomDrawsWithReplacement(t *testing.T) {
	const picks = 200_000
	freq := func(b sim.Balancer) []float64 {
		tg := sim.NewTargets([]float64{1, 1, 1, 1}, []int{0, 1, 2, 9}, rand.New(rand.NewPCG(1, 2)))
		n := make([]float64, 4)
		for range picks {
			n[b.Pick(tg)]++
		}
		for i := range n {
			n[i] /= picks
		}
		return n
	}
	near := func(got, p float64) bool { return math.Abs(got-p) <= 5*math.Sqrt(p*(1-p)/picks)+1e-12 }
	h := freq(policies.HAProxyRandom{Draws: 2})
	if !near(h[3], 1.0/16) || !near(h[0], 7.0/16) {
		t.Errorf("HAProxyRandom{2}: busiest %.4f, idle %.4f; want 1/16 = 0.0625 and 7/16 = 0.4375", h[3], h[0])
	}
	p := freq(policies.PowerOfTwo{})
	if p[3] != 0 || !near(p[0], 0.5) {
		t.Errorf("PowerOfTwo: busiest %.4f, idle %.4f; want 0 and 1/2", p[3], p[0])
	}
	one := freq(policies.HAProxyRandom{Draws: 1})
	for i, f := range one {
		if !near(f, 0.25) {
			t.Errorf("HAProxyRandom{1}: target %d picked %.4f of the time, want a uniform 1/4", i, f)
		}
	}
}
