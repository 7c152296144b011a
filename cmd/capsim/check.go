package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/output"
	"github.com/capsim/capsim/internal/safetext"
	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
)

// checkCommand is the CI gate: run a scenario (and its variants with
// --variants), replicated on derived seeds, and exit 1 if an SLO is
// missed or, against a baseline, a metric rises by more than allowed with
// the chosen confidence (docs/ci.md).
func checkCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.PathFlag{Name: "baseline", Usage: "compare with `FILE`: a result.json, compare.json or check --json output of the target branch"},
		&cli.StringFlag{Name: "baseline-variant", Usage: "compare the scenario with the baseline's run `NAME` (default: the run of the scenario's own name)"},
		&cli.IntFlag{Name: "replications", Value: 1, Usage: "simulate each run `N` times on derived seeds (docs/ci.md); 2 or more give confidence intervals"},
		&cli.Float64Flag{Name: "confidence", Value: 0.95, Usage: "confidence `LEVEL` of the intervals, between 0 and 1"},
	}
	for _, l := range limitFlags {
		flags = append(flags, &cli.StringFlag{Name: l.flag, Value: l.def, Usage: l.usage})
	}
	flags = append(flags,
		&cli.PathFlag{Name: "junit", Usage: "write JUnit XML (one test case per check) to `FILE`"},
		&cli.PathFlag{Name: "markdown", Usage: "write a Markdown summary (for a pull request comment) to `FILE`"},
		&cli.PathFlag{Name: "json", Usage: "write the check's JSON (replications, seeds, intervals; a later check's --baseline) to `FILE` (- for standard output)"},
		&cli.BoolFlag{Name: "variants", Usage: "check every variant too"},
		seedOption("use seed `N` instead of the scenario's (or the baseline's recorded seeds)"),
		maxRequestsFlag(),
	)
	return &cli.Command{
		Name:      "check",
		Usage:     "CI gate: simulate and exit 1 when an SLO is missed or a metric regresses against a baseline; JUnit XML, Markdown and JSON",
		ArgsUsage: "SCENARIO.yaml",
		Description: examples(
			"capsim check scenarios/examples/default.yaml",
			"capsim check scenarios/examples/compare-policies.yaml --variants --junit slo.xml --markdown slo.md",
			"capsim check scenarios/examples/default.yaml --replications 5 --json baseline.json",
			"capsim check scenarios/examples/default.yaml --replications 5 --baseline baseline.json --markdown check.md"),
		Flags:  flags,
		Action: checkAction,
	}
}

// checkOutputs are the files check writes, each checked before anything
// runs.
type checkOutputs struct{ junit, md, json *output.File }

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
	// The budget holds for each simulation; replications repeat it.
	if err := checkBudget(c, runs...); err != nil {
		return err
	}
	var outs checkOutputs
	for _, o := range []struct {
		flag string
		f    **output.File
	}{{"junit", &outs.junit}, {"markdown", &outs.md}, {"json", &outs.json}} {
		if p := c.Path(o.flag); p != "" {
			if *o.f, err = outFile(c, o.flag, p); err != nil {
				return err
			}
		}
	}
	n, conf := c.Int("replications"), c.Float64("confidence")
	if n < 1 {
		return badInput(fmt.Errorf("--replications %d: want 1 or more", n))
	}
	if !(conf > 0 && conf < 1) {
		return badInput(fmt.Errorf("--confidence %g: want a level between 0 and 1, such as 0.95", conf))
	}
	var rules []reports.GateRule
	for _, l := range limitFlags {
		r, err := parseLimit(l.flag, l.metric, l.unit, c.String(l.flag))
		if err != nil {
			return badInput(err)
		}
		rules = append(rules, r)
	}
	var base *reports.BaselineFile
	baseRuns := make([]reports.GateRun, len(runs))
	if p := c.Path("baseline"); p != "" {
		if base, err = reports.LoadBaseline(p); err != nil {
			return badInput(fmt.Errorf("--baseline: %w", err))
		}
		for i, r := range runs {
			name := r.Name
			if v := c.String("baseline-variant"); v != "" && i == 0 {
				name = v
			}
			if baseRuns[i], err = base.Find(name); err != nil {
				return badInput(fmt.Errorf("--baseline: %w", err))
			}
		}
	} else if c.IsSet("baseline-variant") {
		return badInput(fmt.Errorf("--baseline-variant needs --baseline"))
	}
	seeds := make([][]uint64, len(runs))
	for i := range runs {
		seeds[i] = replicationSeeds(c, sc.Seed, baseRuns[i], n)
	}
	docs, err := simulateReplications(c, runs, seeds)
	if err != nil {
		return err
	}
	g := &reports.Gate{SchemaVersion: reports.SchemaVersion, CapsimVersion: version, Kind: reports.GateKind,
		Confidence: conf, Seeds: reports.SeedDerivation}
	if base != nil {
		g.Baseline, g.Limits = &base.Baseline, rules
	}
	for i, r := range runs {
		gr := reports.NewGateRun(r.Name, docs[i])
		g.Runs = append(g.Runs, gr)
		if base != nil {
			g.Changes = append(g.Changes, reports.CompareRuns(baseRuns[i], gr, rules, conf)...)
		}
	}
	g.Finish()
	if c.Path("json") != "-" { // standard output carries the JSON alone
		printCheck(c.App.Writer, g)
	}
	if err := writeCheckOutputs(outs, g); err != nil {
		return err
	}
	if !g.Passed {
		return cli.Exit("check: "+failureSummary(g), exitFailed)
	}
	return nil
}

// replicationSeeds are one run's seeds. Against a baseline that recorded
// its seeds (check --json), and without --seed, the candidate reruns on
// them in order (common random numbers: replication i of both sides sees
// the same arrivals and service demands, and the intervals pair up);
// beyond the baseline's replications, and otherwise, they are derived from
// the seed (reports.DeriveSeeds).
func replicationSeeds(c *cli.Context, scenarioSeed uint64, base reports.GateRun, n int) []uint64 {
	if s := seedFlag(c, nil); s != nil {
		return reports.DeriveSeeds(*s, n)
	}
	if len(base.Replications) == 0 {
		return reports.DeriveSeeds(scenarioSeed, n)
	}
	recorded := base.Seeds()
	seeds := reports.DeriveSeeds(recorded[0], n)
	copy(seeds, recorded)
	return seeds
}

// printCheck writes one line per SLO check and per judged change.
func printCheck(w io.Writer, g *reports.Gate) {
	for _, r := range g.Runs {
		name := safetext.Line(r.Name)
		for _, ch := range r.SLO.Checks {
			fmt.Fprintf(w, "%s %s: %s\n", okFail(ch.Met), name, ch.Describe())
		}
		if len(r.SLO.Checks) == 0 {
			fmt.Fprintf(w, "ok   %s: no slo set, nothing checked\n", name)
		}
		for _, ch := range g.Changes {
			if ch.Run == r.Name && ch.Rule != nil {
				fmt.Fprintf(w, "%s %s: %s\n", okFail(!ch.Regression()), name, ch.Describe(g.Confidence))
			}
		}
	}
}

func okFail(ok bool) string {
	if ok {
		return "ok  "
	}
	return "FAIL"
}

// failureSummary names what failed: "2 regression(s) (short: p99 +95.4 %,
// cost per month +97.1 %); 1 SLO check(s) missed (short: p99 ...)".
func failureSummary(g *reports.Gate) string {
	var regs, missed []string
	for _, ch := range g.Changes {
		if ch.Regression() {
			regs = append(regs, fmt.Sprintf("%s: %s %s, limit %s", safetext.Line(ch.Run), ch.Label(), ch.ChangeText(), ch.LimitText()))
		}
	}
	for _, r := range g.Runs {
		for _, ch := range r.SLO.Checks {
			if !ch.Met {
				missed = append(missed, safetext.Line(r.Name)+": "+ch.Describe())
			}
		}
	}
	var parts []string
	if len(regs) > 0 {
		parts = append(parts, fmt.Sprintf("%d regression(s) (%s)", len(regs), strings.Join(regs, "; ")))
	}
	if len(missed) > 0 {
		parts = append(parts, fmt.Sprintf("%d SLO check(s) missed (%s)", len(missed), strings.Join(missed, "; ")))
	}
	return strings.Join(parts, "; ")
}

// writeCheckOutputs writes the files asked for; the verdict is known, so
// they are written before check exits 1.
func writeCheckOutputs(o checkOutputs, g *reports.Gate) error {
	if o.junit != nil {
		if err := o.junit.WriteWith(func(w io.Writer) error { return reports.WriteGateJUnit(w, g) }); err != nil {
			return err
		}
	}
	if o.md != nil {
		if err := o.md.WriteWith(func(w io.Writer) error { return reports.WriteGateMarkdown(w, g) }); err != nil {
			return err
		}
	}
	if o.json != nil {
		return o.json.WriteWith(func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(g)
		})
	}
	return nil
}
