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
		Usage:     "run the scenario on a real HAProxy stack on 127.0.0.1 (live: as written, in real time, its scaling policies driving real backends; or scaled down to a fixed fleet at a constant rate) and compare with the simulation; exit 1 outside tolerance",
		ArgsUsage: "SCENARIO.yaml",
		Description: examples("capsim validate scenarios/examples/validate-target-tracking.yaml --html validate.html",
			"capsim validate scenarios/examples/bench-2000rps.yaml --duration 20s",
			"capsim validate scenarios/examples/default.yaml --queue lb --json validate.json"),
		Flags: append([]cli.Flag{
			&cli.DurationFlag{Name: "duration", Value: 20 * time.Second, Usage: "scale the scenario down to a fixed fleet at its mean rate and send load this long (5s–5m); without it a scenario of at most 5m that scales or has a shaped load runs live, as written, in real time, with its policies driving the real fleet"},
			&cli.PathFlag{Name: "json", Usage: "write the report as JSON to `FILE` (- for stdout)"},
			&cli.PathFlag{Name: "html", Usage: "live runs: write a page overlaying the simulated and real instance counts and latencies to `FILE`"},
			&cli.StringFlag{Name: "queue", Value: "instance", Usage: "where requests wait for a slot: instance (in the backend, as behind an ALB: the simulator's model) or lb (HAProxy's queue, server maxconn = slots)"},
			seedOption("use seed `N` instead of the scenario's"),
			maxRequestsFlag(),
		}, targetFlags()...),
		Action: validateAction,
	}
}

func validateAction(c *cli.Context) error {
	if err := wantArgs(c, 1, 1, "scenario file"); err != nil {
		return err
	}
	// Without --duration a short scenario runs live, as written
	// (stack.IsLive); with it, scaled down to a fixed fleet.
	var d time.Duration
	if c.IsSet("duration") {
		d = c.Duration("duration")
		if d < 5*time.Second || d > 5*time.Minute {
			return badInput(fmt.Errorf("validate: --duration %v: want 5s to 5m", d))
		}
	}
	if err := targetOnly(c); err != nil {
		return err
	}
	if c.String("target") != "" && d != 0 {
		return badInput(errors.New("validate: --target replays the scenario as written; --duration does not apply"))
	}
	sc, err := scenarios.Load(c.Args().First())
	if err != nil {
		return badInput(err)
	}
	// The scaled run is small, but finding its rate reads the whole traffic.
	if err := checkBudget(c, sc); err != nil {
		return err
	}
	var jsonOut, htmlOut *output.File
	if p := c.Path("json"); p != "" {
		if jsonOut, err = outFile(c, "json", p); err != nil {
			return err
		}
	}
	if p := c.Path("html"); p != "" {
		if htmlOut, err = outFile(c, "html", p); err != nil {
			return err
		}
	}
	// The scenario, then each of its variants (validate-p2c-vs-rr.yaml
	// validates two balancers under the same load).
	runs := []*scenarios.Scenario{sc}
	for i := range sc.Variants {
		v, err := sc.Variant(i)
		if err != nil {
			return badInput(err)
		}
		runs = append(runs, v)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("validate: cannot find the capsim executable to start backends: %w", err)
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	var reps []*stack.Report
	ok := true
	for _, run := range runs {
		if len(runs) > 1 {
			fmt.Fprintf(c.App.Writer, "== %s\n", run.Name)
		}
		var rep *stack.Report
		if c.String("target") != "" {
			rep, err = validateTarget(ctx, c, run)
		} else {
			rep, err = stack.Validate(ctx, run, stack.Options{
				Duration: d,
				Seed:     seedFlag(c, nil),
				Backend:  stack.Launcher{Path: exe, Args: []string{"backend"}},
				Queue:    c.String("queue"),
				Log:      c.App.ErrWriter,
			})
		}
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
		reps = append(reps, rep)
		ok = ok && rep.OK
	}
	if jsonOut != nil {
		// One run: its report, as before; with variants, every run's.
		var v any = reps[0]
		if len(reps) > 1 {
			v = struct {
				Runs []*stack.Report `json:"runs"`
				OK   bool            `json:"ok"`
			}{reps, ok}
		}
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		if err := jsonOut.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	if htmlOut != nil {
		page, err := validationPage(reps)
		if err != nil {
			return badInput(err)
		}
		if err := htmlOut.Write(page); err != nil {
			return err
		}
	}
	if !ok {
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
