package policies

import "github.com/capsim/capsim/sim"

// How fluid mode approximates each algorithm (sim.Split, docs/fluid.md).

// FluidSplit: every N-th request to each target.
func (*RoundRobin) FluidSplit() sim.Split { return sim.SplitEven }

// FluidSplit: work goes where there is room: one pooled queue.
func (*LeastOutstanding) FluidSplit() sim.Split { return sim.SplitShortest }

// FluidSplit: a random thinning per target.
func (Random) FluidSplit() sim.Split { return sim.SplitRandom }

// FluidSplit: two choices come close to the pooled queue.
func (PowerOfTwo) FluidSplit() sim.Split { return sim.SplitShortest }

// FluidSplit: shares by weight, random thinning.
func (WeightedRandom) FluidSplit() sim.Split { return sim.SplitWeighted }

// FluidSplit: work goes where there is room: one pooled queue.
func (*LeastConnections) FluidSplit() sim.Split { return sim.SplitShortest }

// FluidSplit: shares by weight.
func (*WeightedRoundRobin) FluidSplit() sim.Split { return sim.SplitWeighted }

var (
	_ sim.FluidRouter = (*RoundRobin)(nil)
	_ sim.FluidRouter = (*LeastOutstanding)(nil)
	_ sim.FluidRouter = Random{}
	_ sim.FluidRouter = PowerOfTwo{}
	_ sim.FluidRouter = WeightedRandom{}
	_ sim.FluidRouter = (*LeastConnections)(nil)
	_ sim.FluidRouter = (*WeightedRoundRobin)(nil)
)
