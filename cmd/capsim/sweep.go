package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
)

func sweepCommand() *cli.Command {
	return &cli.Command{
		Name:      "sweep",
		Usage:     "run every point of the scenario's sweep grid (or one shard of it) on all cores",
		ArgsUsage: "SCENARIO.yaml",
		Description: examples(
			"capsim sweep scenarios/examples/sweep.yaml --out sweep-out",
			"capsim sweep scenarios/examples/sweep.yaml --shard 0/2 --out shards   # writes shards/sweep-0-of-2.json"),
		Flags: []cli.Flag{
			&cli.PathFlag{Name: "out", Value: "capsim-out", Usage: "write sweep.json and sweep.md into `DIR`, or under an s3://bucket/prefix"},
			endpointFlag,
			&cli.StringFlag{Name: "shard", Usage: "run points i with i mod K = I, as `I/K`; defaults from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) with CAPSIM_SHARD_COUNT, AWS_BATCH_JOB_ARRAY_INDEX/_SIZE, or CAPSIM_SHARD_INDEX/_COUNT"},
			&cli.BoolFlag{Name: "full", Usage: "keep every run's full document (time series included) in sweep.json"},
			seedOption("use seed `N` instead of the scenario's (every point uses the same one)"),
			&cli.IntFlag{Name: "replications", Value: 1, Usage: "simulate each point `N` times on derived seeds (as check does) and report the means, with intervals"},
			modeOption(),
			resolutionOption(),
			maxRequestsFlag(),
		},
		Action: sweepAction,
	}
}

// shardOf reads the shard from the flag or the batch system's environment.
func shardOf(flag string) (reports.Shard, error) {
	parse := func(i, k string) (reports.Shard, error) {
		ii, err1 := strconv.Atoi(i)
		kk, err2 := strconv.Atoi(k)
		if err1 != nil || err2 != nil || kk < 1 || ii < 0 || ii >= kk {
			return reports.Shard{}, fmt.Errorf("shard %q/%q: want I/K with 0 <= I < K", i, k)
		}
		return reports.Shard{Index: ii, Count: kk}, nil
	}
	if flag != "" {
		i, k, ok := strings.Cut(flag, "/")
		if !ok {
			return reports.Shard{}, fmt.Errorf("--shard %q: want I/K, e.g. 0/4", flag)
		}
		return parse(i, k)
	}
	for _, env := range [][2]string{
		{"JOB_COMPLETION_INDEX", "CAPSIM_SHARD_COUNT"},
		{"AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE"},
		{"CAPSIM_SHARD_INDEX", "CAPSIM_SHARD_COUNT"},
	} {
		if i, k := os.Getenv(env[0]), os.Getenv(env[1]); i != "" && k != "" {
			return parse(i, k)
		}
	}
	return reports.Shard{Index: 0, Count: 1}, nil
}

func sweepAction(c *cli.Context) error {
	if err := wantArgs(c, 1, 1, "scenario file"); err != nil {
		return err
	}
	sc, err := scenarios.Load(c.Args().First())
	if err != nil {
		return badInput(err)
	}
	n := sc.Sweep.Runs()
	if n == 0 {
		return badInput(fmt.Errorf("sweep: %s has no sweep grid", c.Args().First()))
	}
	shard, err := shardOf(c.String("shard"))
	if err != nil {
		return badInput(err)
	}
	var points []int
	for i := shard.Index; i < n; i += shard.Count {
		points = append(points, i)
	}
	reps := c.Int("replications")
	if reps < 1 {
		return badInput(fmt.Errorf("--replications %d: want 1 or more", reps))
	}
	// Every point runs on the same seeds (common random numbers), each
	// replication on its derived seed (reports.DeriveSeeds).
	seeds := []uint64{*seedFlag(c, &sc.Seed)}
	if reps > 1 {
		seeds = reports.DeriveSeeds(seeds[0], reps)
	}
	// Build every point first: a bad grid value fails before any run.
	runs := make([]*scenarios.Scenario, len(points))
	pointSeeds := make([][]uint64, len(points))
	for k, p := range points {
		if runs[k], err = sc.SweepRun(p); err != nil {
			return badInput(err)
		}
		if err := checkBudget(c, runs[k]); err != nil {
			return err
		}
		pointSeeds[k] = seeds
	}
	built, err := buildReplications(c, runs, pointSeeds)
	if err != nil {
		return err
	}
	defer built.Close()
	name := "sweep.json"
	if shard.Count > 1 {
		name = fmt.Sprintf("sweep-%d-of-%d.json", shard.Index, shard.Count)
	}
	dir, err := sweepOut(c, name, sweepMarkdown(name))
	if err != nil {
		return err
	}
	defer dir.Close()
	docs, err := built.simulate()
	if err != nil {
		return err
	}
	sw := &reports.Sweep{SchemaVersion: reports.SchemaVersion, CapsimVersion: version, Scenario: sc.Name, Points: n, Shard: shard}
	for k, d := range docs {
		row := reports.SweepRow{Point: points[k]}
		if reps == 1 {
			row.ComparisonRow = reports.Compare(version, d).Table[0]
		} else {
			row.ComparisonRow, row.Replicas = reports.MeanRow(d, 0.95)
		}
		sw.Table = append(sw.Table, row)
		if c.Bool("full") {
			sw.Runs = append(sw.Runs, d...)
		}
	}
	return writeSweep(c, dir, sw, name)
}

// upperFirst capitalises a sentence that starts a Markdown paragraph.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sweepMarkdown is the name of the Markdown table beside a sweep file.
func sweepMarkdown(name string) string { return strings.TrimSuffix(name, ".json") + ".md" }

func writeSweep(c *cli.Context, dir sweepSink, sw *reports.Sweep, name string) error {
	var js, md bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sw); err != nil {
		return err
	}
	cmp := sw.Comparison()
	if err := reports.WriteMarkdown(&md, cmp); err != nil {
		return err
	}
	if note := sw.ReplicationNote(); note != "" {
		fmt.Fprintf(&md, "\n%s.\n", upperFirst(note))
	}
	fmt.Fprintf(&md, "\n%s.\n", sw.CheapestMarkdown())
	if err := dir.Commit(map[string][]byte{name: js.Bytes(), sweepMarkdown(name): md.Bytes()}); err != nil {
		return err
	}
	if err := reports.WriteComparison(c.App.Writer, cmp); err != nil {
		return err
	}
	if note := sw.ReplicationNote(); note != "" {
		fmt.Fprintln(c.App.Writer, note)
	}
	fmt.Fprintln(c.App.Writer, sw.CheapestText())
	fmt.Fprintf(c.App.Writer, "wrote %s (%d of %d grid points)\n", dir.Where(name), len(sw.Table), sw.Points)
	return nil
}

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "combine the shard files of one sweep; fails if a grid point is missing or repeated",
		ArgsUsage: "SWEEP-SHARD.json... | s3://bucket/prefix",
		Description: examples(
			"capsim merge shards/sweep-0-of-2.json shards/sweep-1-of-2.json --out sweep-out",
			"capsim merge s3://my-bucket/sweeps/run-1 --out s3://my-bucket/sweeps/run-1/merged"),
		Flags: []cli.Flag{
			&cli.PathFlag{Name: "out", Value: "capsim-out", Usage: "write sweep.json and sweep.md into `DIR`, or under an s3://bucket/prefix"},
			endpointFlag,
		},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 1, -1, "sweep shard file"); err != nil {
				return err
			}
			dir, err := sweepOut(c, "sweep.json", "sweep.md")
			if err != nil {
				return err
			}
			defer dir.Close()
			srcs, err := readShards(c, c.Args().Slice())
			if err != nil {
				return err
			}
			var parts []*reports.Sweep
			for _, src := range srcs {
				sw, err := reports.ParseSweep(src.name, src.data)
				if err != nil {
					return badInput(err)
				}
				parts = append(parts, sw)
			}
			merged, err := reports.MergeSweeps(parts)
			if err != nil {
				return badInput(err)
			}
			return writeSweep(c, dir, merged, "sweep.json")
		},
	}
}
