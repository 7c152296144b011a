package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

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
		Flags: []cli.Flag{
			&cli.PathFlag{Name: "out", Value: "capsim-out", Usage: "write result.json, timeseries.csv and report.html into `DIR`"},
			&cli.PathFlag{Name: "json", Usage: "write only the JSON result, to `FILE` (- for standard output)"},
			&cli.Uint64Flag{Name: "seed", Usage: "override the scenario's seed"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"},
			maxRequestsFlag(),
		},
		Action: runAction,
	}
}

func runAction(c *cli.Context) error {
	if c.NArg() > 1 {
		return badInput(fmt.Errorf("run: one scenario at a time (got %d)", c.NArg()))
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
	if err := checkBudget(c, sc); err != nil {
		return err
	}
	cfg, closer, err := sc.Build(seedFlag(c, nil))
	if err != nil {
		return badInput(err)
	}
	defer closer.Close()

	bar := newProgress(c.App.ErrWriter, c.Bool("quiet"), cfg.Duration)
	cfg.Progress = bar.update
	res, err := sim.Run(cfg)
	bar.finish()
	if err != nil {
		return fmt.Errorf("simulation failed: %w", err)
	}
	doc := reportFor(sc, cfg, res)

	if path := c.Path("json"); path != "" {
		var buf bytes.Buffer
		if err := reports.WriteJSON(&buf, doc); err != nil {
			return err
		}
		if path == "-" {
			_, err := c.App.Writer.Write(buf.Bytes())
			return err
		}
		return writeFiles(map[string][]byte{path: buf.Bytes()})
	}
	files, err := renderAll(doc, c.Path("out"))
	if err != nil {
		return err
	}
	if err := writeFiles(files); err != nil {
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
		PriceSource:    t.PriceSource,
		PriceList:      sc.PriceList(),
		RPSPerInstance: rps,
		SLO:            sloSpec(sc.SLO),
	})
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
func renderAll(doc *reports.Document, dir string) (map[string][]byte, error) {
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
		filepath.Join(dir, "result.json"):    js.Bytes(),
		filepath.Join(dir, "timeseries.csv"): csv.Bytes(),
		filepath.Join(dir, "report.html"):    html.Bytes(),
	}, nil
}

// writeFiles writes each file to a temporary name beside it, then renames
// them all into place: readers never see a half-written report.
func writeFiles(files map[string][]byte) error {
	type pending struct{ tmp, final string }
	var done []pending
	cleanup := func() {
		for _, p := range done {
			os.Remove(p.tmp)
		}
	}
	for path, b := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			cleanup()
			return err
		}
		f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
		if err != nil {
			cleanup()
			return err
		}
		done = append(done, pending{f.Name(), path})
		// CreateTemp makes the file private; reports are meant to be shared.
		_ = f.Chmod(0o644)
		_, werr := f.Write(b)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			cleanup()
			return fmt.Errorf("writing %s: %w", path, werr)
		}
	}
	for _, p := range done {
		if err := os.Rename(p.tmp, p.final); err != nil {
			cleanup()
			return err
		}
	}
	return nil
}
