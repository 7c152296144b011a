package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/output"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/traces"
)

func fitWorkloadCommand() *cli.Command {
	return &cli.Command{
		Name:      "fit-workload",
		Usage:     "fit a service-time distribution to an ALB log's target_processing_time (or a requests-csv duration column) and print the scenario snippet",
		ArgsUsage: "FILE",
		Description: examples("capsim fit-workload alb.log --dist all          # an ALB access log: its target_processing_time",
			"capsim fit-workload requests.csv --format requests-csv --duration-column duration --dist empirical --samples-out samples.txt"),
		Flags: append(traceFlags(),
			&cli.StringFlag{Name: "dist", Value: "lognormal", Usage: "lognormal | gamma | empirical | all"},
			&cli.IntFlag{Name: "max-samples", Value: 1_000_000, Usage: "fit a uniform sample of at most this many durations"},
			&cli.PathFlag{Name: "samples-out", Usage: "empirical: write the sample (one duration in seconds a line) to `FILE`, for {dist: empirical, file: FILE}"}),
		Action: fitWorkload,
	}
}

func fitWorkload(c *cli.Context) error {
	path, err := oneFile(c, "fit-workload")
	if err != nil {
		return err
	}
	o, err := traceOptions(c, path)
	if err != nil {
		return badInput(err)
	}
	dists := []string{c.String("dist")}
	switch dists[0] {
	case "all":
		dists = []string{"lognormal", "gamma", "empirical"}
	case "lognormal", "gamma", "empirical":
	default:
		return badInput(fmt.Errorf("--dist %q: use lognormal, gamma, empirical or all", dists[0]))
	}
	if c.Int("max-samples") < 2 {
		return badInput(fmt.Errorf("--max-samples must be at least 2"))
	}
	var samplesOut *output.File
	if out := c.Path("samples-out"); out != "" {
		if samplesOut, err = outFile(c, "samples-out", out); err != nil {
			return err
		}
	}
	f, err := traces.OpenInput(path)
	if err != nil {
		return badInput(err)
	}
	defer f.Close()
	d, err := traces.CollectDurations(f, path, o, c.Int("max-samples"), 1)
	if err != nil {
		return badInput(err)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "# %s: %d requests with a recorded duration (%d without), %d fitted\n", path, d.Seen, d.Missing, len(d.Sample))
	for i, dist := range dists {
		fit, err := traces.FitDurations(d.Sample, dist)
		if err != nil {
			return badInput(fmt.Errorf("%s: %s: %v", path, dist, err))
		}
		spec := scenarios.FitSpec(fit)
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "# %s fit: Kolmogorov–Smirnov D = %.4f (p ≈ %.3g, optimistic: parameters fitted on the same sample), mean %.4gs\n", dist, fit.KS, fit.PValue, fit.Mean)
		if fit.Zeros > 0 {
			fmt.Fprintf(w, "# %d zero durations (below the log's resolution) left out of the fit\n", fit.Zeros)
		}
		if fit.Note != "" {
			fmt.Fprintf(w, "# %s\n", fit.Note)
		}
		if dist == "empirical" {
			spec.File = "SAMPLES.txt"
			if samplesOut != nil {
				spec.File = samplesOut.Name()
				var b strings.Builder
				for _, x := range d.Sample {
					fmt.Fprintf(&b, "%g\n", x)
				}
				if err := samplesOut.Write([]byte(b.String())); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(w, "# write the sample with --samples-out FILE (its path is relative to the scenario file)")
			}
		}
		fmt.Fprintln(w, "workload:")
		fmt.Fprintf(w, "  service_time: %s\n", specYAML(spec))
	}
	return nil
}

func specYAML(s scenarios.DistSpec) string {
	switch s.Dist {
	case "lognormal":
		return fmt.Sprintf("{dist: lognormal, median: %s, p99: %s}", s.Median, s.P99)
	case "gamma":
		return fmt.Sprintf("{dist: gamma, mean: %s, cv: %g}", s.Mean, s.CV)
	}
	return fmt.Sprintf("{dist: %s, file: %s}", s.Dist, s.File)
}
