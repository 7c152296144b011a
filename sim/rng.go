package sim

import "math/rand/v2"

// Stream names one purpose for random numbers. Each purpose has its own
// seeded stream so that two variants that differ only in, say, the scaling
// policy still see the same arrivals and the same service demands (common
// random numbers, docs/architecture.md).
type Stream uint64

// The random streams of a run.
const (
	StreamArrivals Stream = iota + 1
	StreamService
	StreamBoot
	StreamBalancer
	StreamTermination
	StreamNoise
	StreamHealth
	StreamSpot
	StreamPlacement // ECS: random placement and tie-breaks
	StreamFluid     // fluid mode's sampling of latency strata (sim/fluid.go)
)

// NewRand returns the random stream for purpose p under seed.
func NewRand(seed uint64, p Stream) *rand.Rand {
	// PCG with the purpose as its increment selector; the constant spreads
	// purposes far apart in the state space.
	return rand.New(rand.NewPCG(seed, uint64(p)*0x9E3779B97F4A7C15))
}
