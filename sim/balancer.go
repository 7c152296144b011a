package sim

import "math/rand/v2"

// Balancer picks the target for one request (DESIGN.md §5). It is called
// once per arrival, so implementations must not allocate.
type Balancer interface {
	// Pick returns a position in [0, t.Len()); t.Len() is at least 1.
	Pick(t *Targets) int
}

// Targets is the balancer's view of the routable targets: in service,
// healthy, not draining. Positions are stable between scaling events.
type Targets struct {
	ids  []int32
	out  []int32 // outstanding requests per position, kept dense for fast scans
	inst []instance
	rng  *rand.Rand
}

// Len is the number of routable targets.
func (t *Targets) Len() int { return len(t.ids) }

// Outstanding is the number of requests target i is serving or queueing.
func (t *Targets) Outstanding(i int) int { return int(t.out[i]) }

// Connections counts requests target i has open; with one request per
// connection it equals Outstanding.
func (t *Targets) Connections(i int) int { return t.Outstanding(i) }

// Weight is target i's relative capacity (vCPU × speed).
func (t *Targets) Weight(i int) float64 {
	in := &t.inst[t.ids[i]]
	return float64(in.slots) * in.speed
}

// ID is the instance number of target i, stable for the whole run.
func (t *Targets) ID(i int) int { return int(t.ids[i]) }

// Rand is the load balancer's own random stream.
func (t *Targets) Rand() *rand.Rand { return t.rng }
