package reports

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/internal/safetext"
)

// WriteJSON writes the document as indented JSON. Go sorts map keys, so the
// same run gives the same bytes.
func WriteJSON(w io.Writer, d *Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// CSVHeader is the time-series column order.
var CSVHeader = []string{"time", "arrivals", "completed", "rejected", "timed_out", "in_service", "pending",
	"desired", "cpu_percent", "p50_ms", "p99_ms", "cost_usd", "capacity_rps", "in_system", "mean_latency_ms"}

// longCSVHeader is the columns rows longer than a minute add, after the
// others (docs/outputs.md).
var longCSVHeader = []string{"in_service_mean", "in_service_max", "desired_max", "cpu_percent_max"}

func optInt(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// WriteCSV writes the per-minute time series; empty p50/p99 cells mean no
// request completed in that minute.
func WriteCSV(w io.Writer, d *Document) error {
	cw := csv.NewWriter(w)
	header := CSVHeader
	ecs := len(d.Timeseries) > 0 && d.Timeseries[0].RowECS != nil
	long := d.SeriesResolutionS > 0
	if ecs {
		header = append(append([]string(nil), header...), ecsCSVHeader...)
	}
	if long {
		header = append(append([]string(nil), header...), longCSVHeader...)
	}
	// Several capacity providers: each one's columns at the very end, so
	// every other column keeps its place (docs/outputs.md).
	providers := 0
	if ecs {
		cp := providerCSVHeader(d.Timeseries[0].RowECS)
		providers = len(d.Timeseries[0].RowECS.CapacityProviders)
		header = append(append([]string(nil), header...), cp...)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	opt := func(v *float64) string {
		if v == nil {
			return ""
		}
		return f(*v)
	}
	i := strconv.FormatInt
	for _, r := range d.Timeseries {
		rec := []string{r.Time, i(r.Arrivals, 10), i(r.Completed, 10), i(r.Rejected, 10), i(r.TimedOut, 10),
			strconv.Itoa(r.InService), strconv.Itoa(r.Pending), strconv.Itoa(r.Desired), f(r.CPUPercent),
			opt(r.P50Ms), opt(r.P99Ms), f(r.CostUSD), f(r.CapacityRPS), f(r.InSystem), opt(r.MeanLatencyMs)}
		if ecs && r.RowECS != nil {
			rec = append(rec, r.RowECS.csv()...)
		}
		if long {
			rec = append(rec, opt(r.InServiceMean), optInt(r.InServiceMax), optInt(r.DesiredMax), opt(r.CPUPercentMax))
		}
		for k := 0; k < providers; k++ {
			if r.RowECS != nil && k < len(r.RowECS.CapacityProviders) {
				rec = append(rec, r.RowECS.CapacityProviders[k].csv()...)
			} else {
				rec = append(rec, make([]string, len(providerCSVColumns))...)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSummary prints the short table `capsim run` shows on the terminal,
// rounded for people (internal/humanize); the JSON has the exact values.
func WriteSummary(w io.Writer, d *Document) error {
	s := d.Summary
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	n := humanize.Int
	rows := [][2]string{
		{"scenario", safetext.Line(d.Name)},
		{"simulated", DurationText(d.Duration) + " from " + StartText(d.Start)},
		{"mode", ModeText(d.Mode)},
		{"requests", n(s.Requests.Total) + " (completed " + n(s.Requests.Completed) + ", rejected " + n(s.Requests.Rejected) +
			", timed out " + n(s.Requests.TimedOut) + ", in flight " + n(s.Requests.InFlightAtEnd) + ")"},
		{"latency p50 / p99", humanize.Millis(s.LatencyMs.P50) + " / " + humanize.Millis(s.LatencyMs.P99)},
		{"instances peak / mean", fmt.Sprintf("%d / %s (%s instance-hours)", s.Instances.Peak, humanize.Sig(s.Instances.Mean), humanize.Sig(s.Instances.InstanceHours))},
		{"mean cpu", humanize.Sig(s.Utilization.MeanCPUPercent) + " %"},
	}
	if t := s.Tasks; t != nil {
		rows = append(rows, [2]string{"tasks peak / mean", fmt.Sprintf("%d / %s running; %s task-seconds pending for capacity; on Fargate %s",
			t.PeakRunning, humanize.Sig(t.MeanRunning), humanize.Sig(t.PendingTaskSeconds), humanize.USD(t.FargateEquivalentUSD))})
	}
	if len(s.Deployments) > 0 {
		rows = append(rows, [2]string{"deployments", deploymentsLine(s.Deployments)})
	}
	rows = append(rows, [][2]string{
		{"cost", humanize.USD(s.Cost.TotalUSD) + " (≈ " + humanize.USD(s.Cost.MonthlyProjectionUSD) + "/month, " +
			humanize.USD(s.Cost.PerMillionRequestsUSD) + " per million requests)"},
	}...)
	rows = append(rows, financeRows(s.Cost)...)
	rows = append(rows, monthRows(s)...)
	if s.Elasticity != nil {
		rows = append(rows, [2]string{"elasticity", elasticityLine(s.Elasticity)})
	}
	if len(s.SLO.Checks) > 0 {
		verdict := "met"
		if !s.SLO.Met {
			verdict = "NOT met"
		}
		var checks []string
		for _, c := range s.SLO.Checks {
			checks = append(checks, c.Describe())
		}
		rows = append(rows, [2]string{"slo", verdict + ": " + strings.Join(checks, "; ")})
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], r[1])
	}
	return tw.Flush()
}
