package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/scenarios"
)

// maxRequestsFlag is the request budget of every simulating command: a
// run estimated to send more fails up front (docs/reliability.md).
func maxRequestsFlag() cli.Flag {
	return &cli.Float64Flag{Name: "max-requests", Value: scenarios.DefaultMaxRequests,
		Usage: "refuse, before it starts, a run estimated to send more than `N` requests (raise it for a longer run)"}
}

// checkBudget applies --max-requests to every run a command is about to
// make.
func checkBudget(c *cli.Context, runs ...*scenarios.Scenario) error {
	max := c.Float64("max-requests")
	if !c.IsSet("max-requests") {
		max = scenarios.DefaultMaxRequests
	}
	if !(max > 0) {
		return badInput(fmt.Errorf("--max-requests must be greater than 0, got %g", max))
	}
	for _, r := range runs {
		if err := r.CheckBudget(max); err != nil {
			return badInput(err)
		}
	}
	return nil
}
