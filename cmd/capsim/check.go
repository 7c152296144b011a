package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/output"
	"github.com/capsim/capsim/internal/safetext"
	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
)

// checkCommand is the CI gate: run a scenario (and its variants with
// --variants) and exit 1 if any SLO is missed.
func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "CI gate: simulate and exit 1 when an SLO is missed; JUnit XML and a Markdown summary",
		ArgsUsage: "SCENARIO.yaml",
		Description: examples(
			"capsim check scenarios/examples/default.yaml",
			"capsim check scenarios/examples/compare-policies.yaml --variants --junit slo.xml --markdown slo.md"),
		Flags: []cli.Flag{
			&cli.PathFlag{Name: "junit", Usage: "write JUnit XML (one test case per SLO check) to `FILE`"},
			&cli.PathFlag{Name: "markdown", Usage: "write a Markdown summary (for a pull request comment) to `FILE`"},
			&cli.BoolFlag{Name: "variants", Usage: "check every variant too"},
			seedOption("use seed `N` instead of the scenario's"),
			maxRequestsFlag(),
		},
		Action: checkAction,
	}
}

func checkAction(c *cli.Context) error {
	if err := wantArgs(c, 1, 1, "scenario file"); err != nil {
		return err
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
	// Both outputs are checked before anything runs.
	var junit, md *output.File
	if p := c.Path("junit"); p != "" {
		if junit, err = outFile(c, "junit", p); err != nil {
			return err
		}
	}
	if p := c.Path("markdown"); p != "" {
		if md, err = outFile(c, "markdown", p); err != nil {
			return err
		}
	}
	b, err := buildAll(runs, seedFlag(c, &sc.Seed))
	if err != nil {
		return err
	}
	defer b.Close()
	docs, err := b.runAll()
	if err != nil {
		return err
	}
	failed := 0
	for i, r := range runs {
		d := docs[i]
		for _, ch := range d.Summary.SLO.Checks {
			verdict := "ok  "
			if !ch.Met {
				verdict = "FAIL"
				failed++
			}
			fmt.Fprintf(c.App.Writer, "%s %s: %s\n", verdict, safetext.Line(r.Name), ch.Describe())
		}
		if len(d.Summary.SLO.Checks) == 0 {
			fmt.Fprintf(c.App.Writer, "ok   %s: no slo set, nothing checked\n", safetext.Line(r.Name))
		}
	}
	if junit != nil {
		if err := junit.WriteWith(func(w io.Writer) error { return reports.WriteJUnit(w, docs...) }); err != nil {
			return err
		}
	}
	if md != nil {
		if err := md.WriteWith(func(w io.Writer) error { return reports.WriteMarkdown(w, reports.Compare(version, docs)) }); err != nil {
			return err
		}
	}
	if failed > 0 {
		return cli.Exit(fmt.Sprintf("check: %d SLO check(s) missed", failed), exitFailed)
	}
	return nil
}
