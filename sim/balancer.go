package sim

import "math/rand/v2"

// Balancer picks the target for one request (docs/architecture.md). It is called
// once per arrival, so implementations must not allocate.
type Balancer interface {
	// Pick returns a position in [0, t.Len()); t.Len() is at least 1.
	Pick(t *Targets) int
}

// WeightAware is implemented by balancers that read Targets.Weight
// themselves; for the others the engine applies the slow-start ramp by
// re-picking (see engine.route).
type WeightAware interface {
	UsesWeights() bool
}

// Targets is the balancer's view of the routable targets: in service,
// healthy, not draining. Positions are stable between scaling events.
type Targets struct {
	ids []int32
	out []int32   // outstanding requests per position, kept dense for fast scans
	w   []float64 // weight per position: capacity × slow-start ramp
	rng *rand.Rand
}

// NewTargets builds a view of targets with these weights and outstanding
// counts: for testing balancers, and for a live balancer that is not the
// simulator.
func NewTargets(weights []float64, outstanding []int, r *rand.Rand) *Targets {
	t := &Targets{rng: r, w: append([]float64(nil), weights...)}
	for i := range weights {
		t.ids = append(t.ids, int32(i))
		o := 0
		if i < len(outstanding) {
			o = outstanding[i]
		}
		t.out = append(t.out, int32(o))
	}
	return t
}

// SetOutstanding updates target i's outstanding count (see NewTargets).
func (t *Targets) SetOutstanding(i, n int) { t.out[i] = int32(n) }

// Len is the number of routable targets.
func (t *Targets) Len() int { return len(t.ids) }

// Outstanding is the number of requests target i is serving or queueing.
func (t *Targets) Outstanding(i int) int { return int(t.out[i]) }

// Connections counts requests target i has open; with one request per
// connection it equals Outstanding.
func (t *Targets) Connections(i int) int { return t.Outstanding(i) }

// Weight is target i's relative capacity (vCPU × speed), scaled down while
// it ramps up in slow start.
func (t *Targets) Weight(i int) float64 { return t.w[i] }

// ID is the instance number of target i, stable for the whole run.
func (t *Targets) ID(i int) int { return int(t.ids[i]) }

// Rand is the load balancer's own random stream.
func (t *Targets) Rand() *rand.Rand { return t.rng }

// add appends a target and returns its position.
func (t *Targets) add(id, out int32, w float64) int32 {
	t.ids = append(t.ids, id)
	t.out = append(t.out, out)
	t.w = append(t.w, w)
	return int32(len(t.ids) - 1)
}

// remove takes out the target at p by moving the last one into its place;
// it returns the id of the target that moved (or -1).
func (t *Targets) remove(p int32) int32 {
	last := int32(len(t.ids) - 1)
	moved := int32(-1)
	if p != last {
		moved = t.ids[last]
		t.ids[p], t.out[p], t.w[p] = t.ids[last], t.out[last], t.w[last]
	}
	t.ids, t.out, t.w = t.ids[:last], t.out[:last], t.w[:last]
	return moved
}
