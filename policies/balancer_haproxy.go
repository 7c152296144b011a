package policies

import "github.com/capsim/capsim/sim"

// HAProxyRandom is HAProxy 2.6's `balance random(<draws>)` as its source
// has it (src/backend.c, get_server_rnd; src/lb_chash.c): each draw is an
// independent random point on the consistent-hash ring, so two draws may
// land on the same server, and the server serving fewer requests (per unit
// of weight) wins, a tie going to the later draw. This is the supermarket
// model as Mitzenmacher states it (d choices independently and uniformly
// at random), where PowerOfTwo draws two distinct targets; with four
// targets one request in four then goes to a single random choice.
//
// A draw here is uniform over the targets, which HAProxy's is when every
// server has the same share of the ring: capsim validate gives each server
// the same, largest weight (stack.ServerWeight), so each holds 4,096
// points, and the test stack/TestHAProxyRandomShares measures the shares.
// Weights are equal on that stack and left out of the comparison.
//
// It is not a scenario algorithm: capsim validate simulates with it when
// the real side is HAProxy's random(2), so that both sides make the same
// choice (docs/validation-scaling.md).
type HAProxyRandom struct{ Draws int }

var _ sim.Balancer = HAProxyRandom{}

func (h HAProxyRandom) Pick(t *sim.Targets) int {
	n := t.Len()
	best := t.Rand().IntN(n)
	for range h.Draws - 1 {
		if c := t.Rand().IntN(n); t.Outstanding(c) <= t.Outstanding(best) {
			best = c
		}
	}
	return best
}

func (h HAProxyRandom) String() string { return "haproxy_random" }
