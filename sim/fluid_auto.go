package sim

import "fmt"

// AutoFluidThreshold is the expected request count above which auto mode
// runs fluid: 100 million requests take request mode about 15 s (7 M
// requests/s); a fluid run takes about as long as its steps and ticks,
// about a second a simulated month (docs/fluid.md).
const AutoFluidThreshold = 100e6

// Where fluid mode's approximation misses by more than docs/fluid.md's
// bounds, auto mode keeps request mode.
const (
	// arrivals burstier than this coefficient of variation
	autoMaxArrivalCV = 2
	// service times with a squared coefficient of variation above this
	// (a lognormal of σ ≈ 1.27, p99/median ≈ 19)
	autoMaxServiceCS2 = 4
)

// ExpectedArrivals is the expected number of requests src brings in
// (0, end]: the integral of its rate.
func ExpectedArrivals(src RateSource, end Time) float64 {
	return newRateIntegral(src).take(end)
}

// ChooseMode is auto mode's choice for cfg with an expected request count
// (negative: unknown), and why.
func ChooseMode(cfg *Config, expected float64) (Mode, string) {
	switch {
	case cfg.Requests != nil || expected < 0:
		return RequestMode, "a replayed request log: fluid mode needs a rate"
	case FluidUnsupported(cfg) != "":
		return RequestMode, FluidUnsupported(cfg)
	case expected <= AutoFluidThreshold:
		return RequestMode, fmt.Sprintf("about %.3g requests, not above the %.0e threshold", expected, AutoFluidThreshold)
	case cfg.Fleet.Credits != nil:
		// Standard mode: whether a throttled instance runs its next minute
		// at full speed turns on whether it idled for an instant in this
		// one, which a step's averages cannot follow (docs/fluid.md, "Where
		// the approximation misses"). Unlimited mode (a burstable type
		// without Credits: no throttling, surplus billed from each
		// instance's CPU by the minute) is within the bounds and may go
		// fluid.
		return RequestMode, fmt.Sprintf("about %.3g requests, but standard-mode CPU credits (throttling to the baseline) are where fluid mode is inaccurate (docs/fluid.md)", expected)
	case cfg.ECS != nil && len(cfg.ECS.Deployments) > 0:
		return RequestMode, fmt.Sprintf("about %.3g requests, but an ECS deployment's latency is where fluid mode misses (its p99 12–43 %% low on ecs-deploy.yaml, docs/fluid.md)", expected)
	case ecsSpotInterrupted(cfg):
		return RequestMode, fmt.Sprintf("about %.3g requests, but spot interruptions of an ECS cluster's instances are where fluid mode misses on cost (up to 6.8 %%, docs/fluid.md)", expected)
	case cfg.Arrivals.Kind == GammaRenewal && cfg.Arrivals.CV > autoMaxArrivalCV:
		return RequestMode, fmt.Sprintf("about %.3g requests, but arrivals of cv %g are too bursty for fluid mode (docs/fluid.md)", expected, cfg.Arrivals.CV)
	}
	if s := newServiceShape(cfg.Service, NewRand(cfg.Seed, StreamFluid)); s.cs2 > autoMaxServiceCS2 {
		return RequestMode, fmt.Sprintf("about %.3g requests, but service times of squared cv %.2g are too heavy-tailed for fluid mode (docs/fluid.md)", expected, s.cs2)
	}
	return FluidMode, fmt.Sprintf("about %.3g requests, above the %.0e threshold", expected, AutoFluidThreshold)
}

// FluidUnsupported says what of cfg fluid mode does not model (empty: it
// models all of it). An ECS service runs in fluid mode with a task-level
// CPU limit and without a memory model (docs/fluid.md, "ECS services").
func FluidUnsupported(cfg *Config) string {
	switch {
	case cfg.ECS == nil:
		return ""
	case cfg.ECS.CPUShares:
		// A task's CPU then depends on its neighbours' requests at every
		// instant (sim/shares.go), which a step's averages do not give.
		return "an ECS service with cpu_limit: shares: fluid mode models task-level CPU limits only (docs/fluid.md)"
	case cfg.ECS.MemoryUse != nil:
		// Memory follows the requests in flight on each task, sampled at
		// every tick; fluid mode does not keep them per task.
		return "an ECS service with memory_used: fluid mode does not model task memory (docs/fluid.md)"
	}
	return ""
}

// ecsSpotInterrupted says an ECS cluster has a group with spot instances
// that EC2 interrupts: which tasks lose their instance, and when, differ
// between the modes, and fluid's cost missed by up to 6.8 % on
// ecs-compare's on-demand-and-spot variant (docs/fluid.md, ECS rows).
func ecsSpotInterrupted(cfg *Config) bool {
	if cfg.ECS == nil {
		return false
	}
	for _, p := range cfg.ECS.Providers {
		if h := p.Hosts; h.OnDemandFor != nil && h.OnDemandFor(h.Max) < h.Max && h.SpotInterruptionsPerHour > 0 {
			return true
		}
	}
	return false
}
