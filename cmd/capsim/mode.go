package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// modeOption is --mode: how requests are simulated (docs/fluid.md).
func modeOption() cli.Flag {
	return &cli.StringFlag{Name: "mode", Usage: "simulate every request (`request`), queues in steps (fluid), or fluid only for large runs where it is accurate (auto); default: the scenario's mode key, else request"}
}

// resolutionOption is --resolution: the time series' row length
// (docs/outputs.md).
func resolutionOption() cli.Flag {
	return &cli.StringFlag{Name: "resolution", Usage: "time-series row length: `auto` (1m, or 1h for runs longer than 7 days) or whole minutes dividing a day (1m, 15m, 1h, ...); default: the scenario's output.resolution, else auto"}
}

// buildRun builds one run of sc, its mode taken from --mode when given;
// what auto mode picked is said on stderr; a request-mode run must be
// within --max-requests.
func buildRun(c *cli.Context, sc *scenarios.Scenario, seed *uint64) (*sim.Config, io.Closer, error) {
	if m := c.String("mode"); m != "" {
		if err := sc.SetMode(m); err != nil {
			return nil, nil, badInput(err)
		}
	}
	if r := c.String("resolution"); r != "" {
		if err := sc.SetResolution(r); err != nil {
			return nil, nil, badInput(fmt.Errorf("--resolution: %w", err))
		}
	}
	cfg, closer, err := sc.Build(seed)
	if err != nil {
		return nil, nil, badInput(err)
	}
	// The request budget guards request mode's run time; a fluid run's
	// time does not grow with its requests (docs/fluid.md).
	if cfg.Mode == sim.RequestMode {
		if err := checkBudget(c, sc); err != nil {
			closer.Close()
			return nil, nil, err
		}
	}
	if note := sc.ModeNote(); note != "" {
		fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", sc.Name, note)
	}
	return cfg, closer, nil
}
