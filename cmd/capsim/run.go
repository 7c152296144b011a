package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "simulate one scenario (the embedded default when none is given) and write its report",
		ArgsUsage: "[SCENARIO.yaml]",
		Description: examples(
			"capsim run                                         # the embedded default scenario",
			"capsim run scenarios/examples/finance.yaml --out finance-out",
			"capsim run scenarios/examples/default.yaml --seed 2 --json -"),
		Flags: []cli.Flag{
			&cli.PathFlag{Name: "out", Value: "capsim-out", Usage: "write result.json, timeseries.csv and report.html into `DIR`"},
			&cli.PathFlag{Name: "json", Usage: "write only the JSON result, to `FILE` (- for standard output)"},
			seedOption("use seed `N` instead of the scenario's"),
			modeOption(),
			resolutionOption(),
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"},
			maxRequestsFlag(),
		},
		Action: runAction,
	}
}

func runAction(c *cli.Context) error {
	if err := wantArgs(c, 0, 1, "scenario file"); err != nil {
		return err
	}
	var sc *scenarios.Scenario
	if c.NArg() == 1 {
		var err error
		if sc, err = scenarios.Load(c.Args().First()); err != nil {
			return badInput(err)
		}
		reportSkipped(c, sc)
	} else {
		sc, _ = scenarios.Default()
	}
	cfg, closer, err := buildRun(c, sc, seedFlag(c, nil))
	if err != nil {
		return err
	}
	defer closer.Close()
	jsonOut, dir, err := runOutputs(c, "result.json", "timeseries.csv", "report.html")
	if err != nil {
		return err
	}
	if dir != nil {
		defer dir.Close()
	}

	bar := newProgress(rawStderr(c), c.Bool("quiet"), cfg.Duration)
	cfg.Progress = bar.update
	res, err := sim.Run(cfg)
	bar.finish()
	if err != nil {
		return fmt.Errorf("simulation failed: %w", err)
	}
	doc := reportFor(sc, cfg, res)

	if jsonOut != nil {
		return jsonOut.WriteWith(func(w io.Writer) error { return reports.WriteJSON(w, doc) })
	}
	files, err := renderAll(doc)
	if err != nil {
		return err
	}
	noteOnlineReport(c.App.ErrWriter)
	if err := dir.Commit(files); err != nil {
		return err
	}
	if err := reports.WriteSummary(c.App.Writer, doc); err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "wrote %s\n", filepath.Join(c.Path("out"), "{result.json,timeseries.csv,report.html}"))
	return nil
}

// reportFor bills the run (pricing.Charge under the scenario's pricing
// plan) and builds its JSON document.
func reportFor(sc *scenarios.Scenario, cfg *sim.Config, res *sim.Result) *reports.Document {
	t := cfg.Fleet.Type
	bill := pricing.Charge(sc.PricingPlan(), res)
	rps := 0.0
	if m := cfg.Service.Mean(); m > 0 {
		rps = float64(t.VCPU) * t.Speed / m
	}
	return reports.Build(reports.Input{
		Name:           sc.Name,
		Description:    sc.Description,
		CapsimVersion:  version,
		Scenario:       sc,
		Start:          cfg.Start,
		Result:         res,
		Bill:           bill,
		PriceSource:    priceSource(cfg),
		PriceList:      sc.PriceList(),
		RPSPerInstance: rps,
		SLO:            sloSpec(sc.SLO),
		Demand:         demandBasis(sc, rps),
	})
}

// priceSource is where the instances' price comes from: the fleet's type,
// or for an ECS service the cluster's instance types (none on Fargate).
func priceSource(cfg *sim.Config) string {
	if e := cfg.ECS; e != nil {
		if e.Fargate {
			return "Fargate rates (docs/ecs.md)"
		}
		var srcs []string
		for _, p := range e.Providers {
			if src := p.Hosts.Type.PriceSource; !slices.Contains(srcs, src) {
				srcs = append(srcs, src)
			}
		}
		return strings.Join(srcs, "; ")
	}
	return cfg.Fleet.Type.PriceSource
}

// seedOption is the --seed flag: its default is the scenario's own seed,
// which the help says instead of urfave/cli's "(default: 0)".
func seedOption(usage string) cli.Flag {
	return &cli.Uint64Flag{Name: "seed", Usage: usage, DefaultText: "the scenario's seed"}
}

// examples is a command's help text: example command lines on files in
// the repository.
func examples(lines ...string) string {
	return "Examples:\n  " + strings.Join(lines, "\n  ")
}

// seedFlag is the --seed override, or def when the flag is not given.
func seedFlag(c *cli.Context, def *uint64) *uint64 {
	if !c.IsSet("seed") {
		return def
	}
	s := c.Uint64("seed")
	return &s
}

// sloSpec converts the scenario's objectives to the report's units.
func sloSpec(s scenarios.SLO) reports.SLOSpec {
	ms := func(d *scenarios.Duration) *float64 {
		if d == nil {
			return nil
		}
		v := d.Seconds() * 1000
		return &v
	}
	return reports.SLOSpec{P50Ms: ms(s.P50), P99Ms: ms(s.P99), ErrorRate: s.ErrorRate}
}

// renderAll renders every output in memory first, so a failure leaves no
// partial report behind.
func renderAll(doc *reports.Document) (map[string][]byte, error) {
	var js, csv, html bytes.Buffer
	if err := reports.WriteJSON(&js, doc); err != nil {
		return nil, err
	}
	if err := reports.WriteCSV(&csv, doc); err != nil {
		return nil, err
	}
	if err := reports.WriteHTML(&html, doc); err != nil {
		return nil, err
	}
	return map[string][]byte{
		"result.json":    js.Bytes(),
		"timeseries.csv": csv.Bytes(),
		"report.html":    html.Bytes(),
	}, nil
}
