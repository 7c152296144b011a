package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/output"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/stack"
)

// validateCommand replays a scenario, scaled down, against a real local
// stack (HAProxy, backend processes, an open-loop load generator) and
// compares it with the simulation of the same scaled scenario.
func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "run the scenario (scaled down, fixed fleet, constant rate) on a real HAProxy stack on 127.0.0.1 and compare with the simulation; exit 1 outside tolerance",
		ArgsUsage: "SCENARIO.yaml",
		Description: examples("capsim validate scenarios/examples/bench-2000rps.yaml --duration 20s",
			"capsim validate scenarios/examples/default.yaml --queue lb --json validate.json"),
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "duration", Value: 20 * time.Second, Usage: "how long to send load (5s–5m)"},
			&cli.PathFlag{Name: "json", Usage: "write the report as JSON to `FILE` (- for stdout)"},
			&cli.StringFlag{Name: "queue", Value: "instance", Usage: "where requests wait for a slot: instance (in the backend, as behind an ALB: the simulator's model) or lb (HAProxy's queue, server maxconn = slots)"},
			seedOption("use seed `N` instead of the scenario's"),
			maxRequestsFlag(),
		},
		Action: validateAction,
	}
}

func validateAction(c *cli.Context) error {
	if err := wantArgs(c, 1, 1, "scenario file"); err != nil {
		return err
	}
	d := c.Duration("duration")
	if d < 5*time.Second || d > 5*time.Minute {
		return badInput(fmt.Errorf("validate: --duration %v: want 5s to 5m", d))
	}
	sc, err := scenarios.Load(c.Args().First())
	if err != nil {
		return badInput(err)
	}
	// The scaled run is small, but finding its rate reads the whole traffic.
	if err := checkBudget(c, sc); err != nil {
		return err
	}
	var jsonOut *output.File
	if p := c.Path("json"); p != "" {
		if jsonOut, err = outFile(c, "json", p); err != nil {
			return err
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("validate: cannot find the capsim executable to start backends: %w", err)
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := stack.Validate(ctx, sc, stack.Options{
		Duration: d,
		Seed:     seedFlag(c, nil),
		Backend:  stack.Launcher{Path: exe, Args: []string{"backend"}},
		Queue:    c.String("queue"),
		Log:      c.App.ErrWriter,
	})
	var in stack.InputError
	switch {
	case errors.As(err, &in):
		return badInput(err)
	case errors.Is(err, context.Canceled):
		return cli.Exit("validate: interrupted; every process it started is stopped", exitFailed)
	case err != nil:
		return fmt.Errorf("validate: %w", err)
	}
	rep.WriteTable(c.App.Writer)
	if jsonOut != nil {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := jsonOut.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	if !rep.OK {
		return cli.Exit("validate: outside tolerance", exitFailed)
	}
	return nil
}

// backendCommand is the emulated instance `capsim validate` starts, one
// process per instance (hidden: not for users).
func backendCommand() *cli.Command {
	return &cli.Command{
		Name:            "backend",
		Hidden:          true,
		SkipFlagParsing: true,
		Usage:           "an emulated instance for validate: --slots S [--port P]",
		Action: func(c *cli.Context) error {
			if code := stack.BackendMain(c.Args().Slice(), os.Stdin, rawStdout(c), rawStderr(c)); code != 0 {
				return cli.Exit("", code)
			}
			return nil
		},
	}
}
