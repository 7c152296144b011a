package main

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// checkCommand is the CI gate: run a scenario (and its variants with
// --variants) and exit 1 if any SLO is missed.
func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "CI gate: simulate and exit 1 when an SLO is missed; JUnit XML and a Markdown summary",
		ArgsUsage: "SCENARIO.yaml",
		Flags: []cli.Flag{
			&cli.PathFlag{Name: "junit", Usage: "write JUnit XML (one test case per SLO check) to `FILE`"},
			&cli.PathFlag{Name: "markdown", Usage: "write a Markdown summary (for a pull request comment) to `FILE`"},
			&cli.BoolFlag{Name: "variants", Usage: "check every variant too"},
			&cli.Uint64Flag{Name: "seed", Usage: "override the scenario's seed"},
			maxRequestsFlag(),
		},
		Action: checkAction,
	}
}

func checkAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return badInput(fmt.Errorf("check: name one scenario file"))
	}
	sc, err := scenarios.Load(c.Args().First())
	if err != nil {
		return badInput(err)
	}
	runs := []*scenarios.Scenario{sc}
	if c.Bool("variants") {
		if runs, err = sc.Runs(); err != nil {
			return badInput(err)
		}
	}
	if err := checkBudget(c, runs...); err != nil {
		return err
	}
	seed := seedFlag(c, &sc.Seed)
	var docs []*reports.Document
	failed := 0
	for _, r := range runs {
		cfg, closer, err := r.Build(seed)
		if err != nil {
			return badInput(err)
		}
		res, err := sim.Run(cfg)
		closer.Close()
		if err != nil {
			return fmt.Errorf("%s: simulation failed: %w", r.Name, err)
		}
		d := reportFor(r, cfg, res)
		docs = append(docs, d)
		for _, ch := range d.Summary.SLO.Checks {
			verdict := "ok  "
			if !ch.Met {
				verdict = "FAIL"
				failed++
			}
			fmt.Fprintf(c.App.Writer, "%s %s: %s = %.4g (limit %.4g)\n", verdict, r.Name, ch.Name, ch.Value, ch.Limit)
		}
		if len(d.Summary.SLO.Checks) == 0 {
			fmt.Fprintf(c.App.Writer, "ok   %s: no slo set, nothing checked\n", r.Name)
		}
	}
	files := map[string][]byte{}
	if p := c.Path("junit"); p != "" {
		var b bytes.Buffer
		if err := reports.WriteJUnit(&b, docs...); err != nil {
			return err
		}
		files[filepath.Clean(p)] = b.Bytes()
	}
	if p := c.Path("markdown"); p != "" {
		var b bytes.Buffer
		if err := reports.WriteMarkdown(&b, reports.Compare(version, docs)); err != nil {
			return err
		}
		files[filepath.Clean(p)] = b.Bytes()
	}
	if err := writeFiles(files); err != nil {
		return err
	}
	if failed > 0 {
		return cli.Exit(fmt.Sprintf("check: %d SLO check(s) missed", failed), exitFailed)
	}
	return nil
}
