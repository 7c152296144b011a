package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
)

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "simulate a scenario and each of its variants on the same traffic, and compare them",
		ArgsUsage: "SCENARIO.yaml",
		Description: examples(
			"capsim compare scenarios/examples/compare-policies.yaml",
			"capsim compare scenarios/examples/compare-policies.yaml --out compare-out --seed 3"),
		Flags: []cli.Flag{
			&cli.PathFlag{Name: "out", Value: "capsim-out", Usage: "write compare.json, compare.md and report.html into `DIR`"},
			&cli.PathFlag{Name: "json", Usage: "write only the JSON comparison, to `FILE` (- for standard output)"},
			seedOption("use seed `N` instead of the scenario's (every run uses the same one)"),
			modeOption(),
			resolutionOption(),
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "accepted for symmetry with run; compare shows no progress bar"},
			maxRequestsFlag(),
		},
		Action: compareAction,
	}
}

func compareAction(c *cli.Context) error {
	if err := wantArgs(c, 1, 1, "scenario file"); err != nil {
		return err
	}
	sc, err := scenarios.Load(c.Args().First())
	if err != nil {
		return badInput(err)
	}
	runs, err := sc.Runs()
	if err != nil {
		return badInput(err)
	}
	// Every variant runs on the base scenario's seed: the same arrivals
	// and service demands (common random numbers).
	seed := *seedFlag(c, &sc.Seed)
	seeds := make([][]uint64, len(runs))
	for i := range seeds {
		seeds[i] = []uint64{seed}
	}
	b, err := buildReplications(c, runs, seeds)
	if err != nil {
		return err
	}
	defer b.Close()
	jsonOut, dir, err := runOutputs(c, "compare.json", "compare.md", "report.html")
	if err != nil {
		return err
	}
	if dir != nil {
		defer dir.Close()
	}
	reps, err := b.simulate()
	if err != nil {
		return err
	}
	docs := make([]*reports.Document, len(reps))
	for i, r := range reps {
		docs[i] = r[0]
	}
	cmp := reports.Compare(version, docs)
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cmp); err != nil {
		return err
	}
	if jsonOut != nil {
		return jsonOut.Write(js.Bytes())
	}
	var md, html bytes.Buffer
	if err := reports.WriteMarkdown(&md, cmp); err != nil {
		return err
	}
	if err := reports.WriteHTML(&html, docs...); err != nil {
		return err
	}
	noteOnlineReport(c.App.ErrWriter)
	if err := dir.Commit(map[string][]byte{
		"compare.json": js.Bytes(),
		"compare.md":   md.Bytes(),
		"report.html":  html.Bytes(),
	}); err != nil {
		return err
	}
	if err := reports.WriteComparison(c.App.Writer, cmp); err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "wrote %s\n", filepath.Join(c.Path("out"), "{compare.json,compare.md,report.html}"))
	return nil
}
