package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/internal/output"
	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/traces"
)

// traceFlags are the reader settings every trace command shares; they
// mirror the scenario's traffic.trace keys.
func traceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "format", Usage: "rate-csv | requests-csv | clf | alb", DefaultText: "guessed from the first line"},
		&cli.StringFlag{Name: "time-column", Usage: "rate-csv, requests-csv: header name of the time column"},
		&cli.StringFlag{Name: "value-column", Usage: "rate-csv: header name of the value column"},
		&cli.DurationFlag{Name: "trace-interval", Usage: "rate-csv: time one row covers", DefaultText: "the first two rows' spacing"},
		&cli.StringFlag{Name: "value-is", Value: "count", Usage: "rate-csv: count (per interval) or rate (per second)"},
		&cli.StringFlag{Name: "duration-column", Usage: "requests-csv: column of recorded service times"},
		&cli.StringFlag{Name: "time-zone", Usage: "requests-csv: IANA zone of timestamps without one", DefaultText: "UTC"},
		&cli.DurationFlag{Name: "reorder-window", Value: 5 * time.Second, Usage: "logs: sort lines up to this much out of order"},
		&cli.IntFlag{Name: "max-bad-lines", Usage: "logs: skip (and count) up to this many unparseable lines"},
		&cli.DurationFlag{Name: "spread", Usage: "logs: spread requests sharing a timestamp evenly over this long (1s for whole-second logs)", DefaultText: "off"},
		&cli.StringFlag{Name: "gaps", Value: "zero", Usage: "stretches without data: zero | skip | interpolate"},
		&cli.DurationFlag{Name: "gap-threshold", Value: 5 * time.Minute, Usage: "shortest stretch without data that is a gap"},
	}
}

// traceOptions reads the trace flags; format is guessed from the file's
// first line when not given.
func traceOptions(c *cli.Context, path string) (traces.TraceOptions, error) {
	o := traces.TraceOptions{Format: c.String("format")}
	if o.Format == "" {
		f, err := traces.SniffFile(path)
		if err != nil {
			return o, err
		}
		o.Format = f
	}
	if _, ok := traces.Lookup(o.Format); !ok {
		return o, fmt.Errorf("--format %q: use %s", o.Format, traces.OrList(traces.Names(), "or"))
	}
	gaps := traces.GapPolicy{Mode: c.String("gaps"), Threshold: c.Duration("gap-threshold")}
	switch gaps.Mode {
	case "zero", "skip", "interpolate":
	default:
		return o, fmt.Errorf("--gaps %q: use zero, skip or interpolate", gaps.Mode)
	}
	if gaps.Threshold <= 0 {
		return o, fmt.Errorf("--gap-threshold must be greater than 0")
	}
	if c.Int("max-bad-lines") < 0 || c.Duration("reorder-window") < 0 || c.Duration("spread") < 0 {
		return o, fmt.Errorf("--max-bad-lines, --reorder-window and --spread must not be negative")
	}
	if v := c.String("value-is"); v != "count" && v != "rate" {
		return o, fmt.Errorf("--value-is %q: use count or rate", v)
	}
	o.Rate = traces.RateCSVOptions{TimeColumn: c.String("time-column"), ValueColumn: c.String("value-column"),
		Interval: c.Duration("trace-interval"), ValueIsRate: c.String("value-is") == "rate", Gaps: gaps}
	o.Log = traces.LogOptions{TimeColumn: c.String("time-column"), DurationColumn: c.String("duration-column"),
		ReorderWindow: c.Duration("reorder-window"), MaxBadLines: c.Int("max-bad-lines"), Gaps: gaps, Spread: c.Duration("spread")}
	if z := c.String("time-zone"); z != "" {
		loc, err := time.LoadLocation(z)
		if err != nil {
			return o, fmt.Errorf("--time-zone %q: not an IANA zone name", z)
		}
		o.Log.Location = loc
	}
	return o, nil
}

func traceCommand() *cli.Command {
	return &cli.Command{
		Name:  "trace",
		Usage: "inspect or convert a traffic trace (" + strings.Join(traces.Names(), ", ") + ")",
		Subcommands: []*cli.Command{
			{
				Name:      "inspect",
				Usage:     "duration, totals, mean and peak rate, gaps, burstiness and a sparkline of a trace",
				ArgsUsage: "FILE",
				Description: examples("capsim trace inspect scenarios/examples/data/nasa_1995-08-01_access.log.gz --html trace.html",
					"capsim trace inspect scenarios/examples/data/wikipedia_en_2016-01_hourly.csv --time-column hour_utc --value-column requests"),
				Flags:  append(traceFlags(), &cli.PathFlag{Name: "html", Usage: "also write a plot of the request rate to `FILE`"}),
				Action: traceInspect,
			},
			{
				Name:      "convert",
				Usage:     "convert a trace to rate-csv (any input) or requests-csv (a log)",
				ArgsUsage: "FILE",
				Description: examples("capsim trace convert scenarios/examples/data/nasa_1995-08-01_access.log.gz --interval 5m --out rates.csv",
					"capsim trace convert scenarios/examples/data/nasa_1995-08-01_access.log.gz --to requests-csv --out requests.csv"),
				Flags: append(traceFlags(),
					&cli.StringFlag{Name: "to", Value: traces.RateCSVFormat, Usage: traces.RateCSVFormat + " | requests-csv"},
					&cli.DurationFlag{Name: "interval", Value: time.Minute, Usage: "rate-csv: the output's interval"},
					&cli.PathFlag{Name: "out", Usage: "write to `FILE`", DefaultText: "standard output"}),
				Action: traceConvert,
			},
		},
	}
}

func oneFile(c *cli.Context, cmd string) (string, error) {
	if err := wantArgs(c, 1, 1, "trace file"); err != nil {
		return "", err
	}
	return c.Args().First(), nil
}

// openTrace takes the one trace file a trace command names, with its
// reading options, and opens it.
func openTrace(c *cli.Context, cmd string) (string, traces.TraceOptions, *traces.Input, error) {
	path, err := oneFile(c, cmd)
	if err != nil {
		return "", traces.TraceOptions{}, nil, err
	}
	o, err := traceOptions(c, path)
	if err != nil {
		return "", traces.TraceOptions{}, nil, badInput(err)
	}
	f, err := traces.OpenInput(path)
	if err != nil {
		return "", traces.TraceOptions{}, nil, badInput(err)
	}
	return path, o, f, nil
}

func traceInspect(c *cli.Context) error {
	path, o, f, err := openTrace(c, "trace inspect")
	if err != nil {
		return err
	}
	defer f.Close()
	var html *output.File
	if out := c.Path("html"); out != "" {
		if html, err = outFile(c, "html", out); err != nil {
			return err
		}
	}
	s, err := traces.InspectTrace(f, path, o)
	if err != nil {
		return badInput(err)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "%s (%s)\n", path, s.Format)
	fmt.Fprintf(w, "  span        %s → %s (%s)\n", s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339), s.Duration())
	unit := "requests"
	if s.Format == traces.RateCSVFormat {
		fmt.Fprintf(w, "  rows        %s\n", humanize.Int(int64(s.Rows)))
	}
	fmt.Fprintf(w, "  %-11s %s\n", unit, humanize.Int(int64(math.Round(s.Requests))))
	fmt.Fprintf(w, "  mean rate   %s req/s\n", humanize.Sig(s.MeanRPS))
	peakWhat := "busiest second"
	if s.Format == traces.RateCSVFormat {
		peakWhat = "busiest row"
	}
	fmt.Fprintf(w, "  peak rate   %s req/s (%s); %s requests in the busiest minute (%s req/s)\n", humanize.Sig(s.PeakRPS), peakWhat,
		humanize.Int(int64(math.Round(s.PeakMinute))), humanize.Sig(s.PeakMinute/60))
	if s.Format != traces.RateCSVFormat {
		fmt.Fprintf(w, "  burstiness  inter-arrival CV %s (1 = Poisson)\n", humanize.Sig(s.InterArrivalCV))
		fmt.Fprintf(w, "  skipped     %d unparseable line(s)%s; %d line(s) sorted into place\n", s.Skipped, lineList(s.FirstSkipped), s.Reordered)
	}
	fmt.Fprintf(w, "  gaps        %d of at least %s without data, %s in all\n", s.GapCount, s.GapThreshold, s.GapTime)
	for i, g := range s.Gaps {
		if i == 10 {
			fmt.Fprintf(w, "              … and %d more\n", s.GapCount-10)
			break
		}
		fmt.Fprintf(w, "              %s → %s (%s), before line %d\n", g.From.Format(time.RFC3339), g.To.Format(time.RFC3339), g.To.Sub(g.From), g.Line)
	}
	fmt.Fprintf(w, "  rate        %s\n", traces.Sparkline(s.Series, 60))
	if html != nil {
		var buf bytes.Buffer
		title := fmt.Sprintf("%s: requests per %s", filepath.Base(path), s.SeriesStep)
		if err := reports.WriteTracePlot(&buf, title, s.Start, s.SeriesStep, s.Series); err != nil {
			return err
		}
		if err := html.Write(buf.Bytes()); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s\n", html.Name())
	}
	return nil
}

func lineList(lines []int) string {
	if len(lines) == 0 {
		return ""
	}
	var s []string
	for _, l := range lines {
		s = append(s, fmt.Sprint(l))
	}
	if len(s) == 1 {
		return " (line " + s[0] + ")"
	}
	return " (lines " + strings.Join(s, ", ") + ")"
}

func traceConvert(c *cli.Context) error {
	path, o, f, err := openTrace(c, "trace convert")
	if err != nil {
		return err
	}
	defer f.Close()
	to := c.String("to")
	if to != traces.RateCSVFormat && to != "requests-csv" {
		return badInput(fmt.Errorf("--to %q: use rate-csv or requests-csv", to))
	}
	if to == traces.RateCSVFormat && c.Duration("interval") <= 0 {
		return badInput(fmt.Errorf("--interval must be greater than 0"))
	}
	convert := func(w io.Writer) error {
		if to == traces.RateCSVFormat {
			return traces.ConvertToRateCSV(w, f, path, o, c.Duration("interval"))
		}
		return traces.ConvertToRequestsCSV(w, f, path, o)
	}
	out := c.Path("out")
	if out == "" {
		out = "-"
	}
	dst, err := outFile(c, "out", out)
	if err != nil {
		return err
	}
	// A file is filled under a temporary name and renamed into place only
	// when the conversion succeeds; a stream gets the rows as they come.
	var cerr error
	werr := dst.WriteWith(func(w io.Writer) error {
		cerr = convert(w)
		return cerr
	})
	if cerr != nil {
		return badInput(cerr)
	}
	return werr
}

// reportSkipped says on stderr how many lines of a request log were
// skipped (max_bad_lines) and how many gaps it has.
func reportSkipped(c *cli.Context, sc *scenarios.Scenario) {
	st := sc.LogStats()
	if st == nil {
		return
	}
	if st.Bad > 0 {
		fmt.Fprintf(c.App.ErrWriter, "capsim: trace: %d unparseable line(s) skipped%s\n", st.Bad, lineList(st.FirstBad))
	}
	if st.GapCount > 0 {
		fmt.Fprintf(c.App.ErrWriter, "capsim: trace: %d gap(s) without requests, %s in all (traffic.trace.gaps: %s)\n", st.GapCount, st.GapTime, sc.Traffic.Trace.Gaps)
	}
}
