package main

import (
	"fmt"

	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
)

// defaultTargetUtilization is the CPU utilisation at which the elasticity
// metrics size the demand when no policy states a per-instance target (a
// fixed fleet, step or scheduled scaling): capsim's convention, not an AWS
// default (docs/elasticity.md).
const defaultTargetUtilization = 70.0

// demandBasis says how much load one instance should carry, for the
// elasticity metrics: the scenario's own capacity target where a policy
// states one, else defaultTargetUtilization of what an instance serves at
// 100 % CPU (rpsAtFull: vCPU × speed ÷ mean service time).
func demandBasis(sc *scenarios.Scenario, rpsAtFull float64) reports.DemandBasis {
	t, ok := sc.CapacityTarget()
	switch {
	case ok && t.Metric == "request_count_per_target":
		// The target is requests per target per minute: the policy's own
		// definition of one instance's share.
		return reports.DemandBasis{PerInstanceRPS: t.Target / 60,
			Source: fmt.Sprintf("policy %s (request_count_per_target %g)", t.Policy, t.Target)}
	case ok:
		return reports.DemandBasis{PerInstanceRPS: rpsAtFull * t.Target / 100, TargetUtilizationPercent: t.Target,
			Source: fmt.Sprintf("policy %s (cpu %g %%)", t.Policy, t.Target)}
	}
	return reports.DemandBasis{PerInstanceRPS: rpsAtFull * defaultTargetUtilization / 100,
		TargetUtilizationPercent: defaultTargetUtilization, Source: "default"}
}
