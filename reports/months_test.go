package reports

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// hourlyRun is a run of n hourly rows from start: every minute costs
// $0.01, every row has 3,600 arrivals, and row i has the in-service mean,
// peak and end count fleet(i) gives.
func hourlyRun(start time.Time, n int, fleet func(i int) (mean float64, peak, end int)) Input {
	res := &sim.Result{Duration: sim.Time(n) * sim.Hour, Resolution: sim.Hour}
	for i := range n {
		mean, peak, end := fleet(i)
		res.Minutes = append(res.Minutes, sim.MinuteRow{Start: sim.Time(i) * sim.Hour, Arrivals: 3600, InService: end,
			InServiceMean: mean, InServiceMax: peak, P50: math.NaN(), P99: math.NaN()})
	}
	bill := pricing.Bill{PerMinute: make([]float64, n*60)}
	for k := range bill.PerMinute {
		bill.PerMinute[k] = 0.01
	}
	bill.TotalUSD = 0.01 * float64(n*60)
	return Input{Result: res, Bill: bill, Start: start}
}

// TestMonthsByHand: 29 days from noon on 31 January 2027 (UTC) end at
// noon on 1 March: 12 hours of January (a 744-hour month), all 672 of
// February 2027 and 12 hours of March. At $0.01 a minute January costs
// 12 × 60 × 0.01 = $7.20, projected to 7.20 × 744 / 12 = $446.40; February
// 672 × 0.60 = $403.20, whole; March as January. The fleet: 2 on average
// in January with one hour peaking at 3, 5 in February with a peak of 8,
// 1 in March.
func TestMonthsByHand(t *testing.T) {
	start := time.Date(2027, 1, 31, 12, 0, 0, 0, time.UTC)
	in := hourlyRun(start, 29*24, func(i int) (float64, int, int) {
		switch {
		case i < 12:
			return 2, 2 + boolInt(i == 5), 2
		case i < 12+672:
			return 5, 5 + 3*boolInt(i == 100), 5
		}
		return 1, 1, 1
	})
	d := Build(in)
	if d.SeriesResolutionS != 3600 {
		t.Errorf("series_resolution_s %d, want 3600", d.SeriesResolutionS)
	}
	want := []Month{
		{Month: "2027-01", Hours: 12, MonthHours: 744, Partial: true, CostUSD: 7.2, ProjectedUSD: 446.4, PeakInstances: 3, MeanInstances: 2, Requests: 12 * 3600},
		{Month: "2027-02", Hours: 672, MonthHours: 672, CostUSD: 403.2, ProjectedUSD: 403.2, PeakInstances: 8, MeanInstances: 5, Requests: 672 * 3600},
		{Month: "2027-03", Hours: 12, MonthHours: 744, Partial: true, CostUSD: 7.2, ProjectedUSD: 446.4, PeakInstances: 1, MeanInstances: 1, Requests: 12 * 3600},
	}
	checkMonths(t, d.Summary.Months, want)
	// Each hourly row's cost is its 60 minutes': $0.60.
	for i, r := range d.Timeseries {
		if math.Abs(r.CostUSD-0.6) > 1e-9 {
			t.Fatalf("row %d costs %v, want 0.6", i, r.CostUSD)
		}
	}
}

// TestMonthsUTCAndLeapYear: a start given in another zone counts in UTC
// (19:00 at UTC−5 on 31 January is midnight of 1 February UTC), and
// February 2028 has 29 days (696 hours). 30 days from there: all of
// February 2028, then 1 day of March.
func TestMonthsUTCAndLeapYear(t *testing.T) {
	start := time.Date(2028, 1, 31, 19, 0, 0, 0, time.FixedZone("UTC-5", -5*3600))
	in := hourlyRun(start, 30*24, func(int) (float64, int, int) { return 4, 4, 4 })
	want := []Month{
		{Month: "2028-02", Hours: 696, MonthHours: 696, CostUSD: 417.6, ProjectedUSD: 417.6, PeakInstances: 4, MeanInstances: 4, Requests: 696 * 3600},
		{Month: "2028-03", Hours: 24, MonthHours: 744, Partial: true, CostUSD: 14.4, ProjectedUSD: 446.4, PeakInstances: 4, MeanInstances: 4, Requests: 24 * 3600},
	}
	checkMonths(t, Build(in).Summary.Months, want)
}

// TestMonthsOnlyForLongRuns: below MonthsFrom (28 days) there are no
// months; at it there are.
func TestMonthsOnlyForLongRuns(t *testing.T) {
	start := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	flat := func(int) (float64, int, int) { return 1, 1, 1 }
	if m := Build(hourlyRun(start, 28*24-1, flat)).Summary.Months; m != nil {
		t.Errorf("a 671-hour run has months: %+v", m)
	}
	checkMonths(t, Build(hourlyRun(start, 28*24, flat)).Summary.Months, []Month{
		{Month: "2027-02", Hours: 672, MonthHours: 672, CostUSD: 403.2, ProjectedUSD: 403.2, PeakInstances: 1, MeanInstances: 1, Requests: 672 * 3600},
	})
}

// TestMonthsFromMinuteRows: with minute rows the peak and mean are the
// minute-end counts; 28 days of minutes from 1 February 2027 at 3
// instances, one minute at 7.
func TestMonthsFromMinuteRows(t *testing.T) {
	n := 28 * 24 * 60
	res := &sim.Result{Duration: sim.Time(n) * sim.Minute, Resolution: sim.Minute}
	for i := range n {
		res.Minutes = append(res.Minutes, sim.MinuteRow{Start: sim.Time(i) * sim.Minute, Arrivals: 60, InService: 3 + 4*boolInt(i == 999),
			P50: math.NaN(), P99: math.NaN()})
	}
	bill := pricing.Bill{PerMinute: make([]float64, n)}
	d := Build(Input{Result: res, Bill: bill, Start: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)})
	if d.SeriesResolutionS != 0 {
		t.Errorf("minute rows wrote series_resolution_s %d", d.SeriesResolutionS)
	}
	ms := d.Summary.Months
	if len(ms) != 1 || ms[0].PeakInstances != 7 || math.Abs(ms[0].MeanInstances-round(3+4.0/float64(n), 3)) > 1e-12 || ms[0].Requests != int64(60*n) {
		t.Errorf("months %+v", ms)
	}
	if d.Timeseries[0].InServiceMean != nil {
		t.Error("a minute row has in_service_mean")
	}
}

func checkMonths(t *testing.T, got, want []Month) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d months, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Month != w.Month || g.Partial != w.Partial || g.PeakInstances != w.PeakInstances || g.Requests != w.Requests ||
			math.Abs(g.Hours-w.Hours) > 1e-9 || g.MonthHours != w.MonthHours ||
			math.Abs(g.CostUSD-w.CostUSD) > 1e-6 || math.Abs(g.ProjectedUSD-w.ProjectedUSD) > 1e-6 || math.Abs(g.MeanInstances-w.MeanInstances) > 1e-9 {
			t.Errorf("month %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestHourlyColumns: an hourly document writes the added columns in the
// JSON and after the others in the CSV; a minute document writes neither.
func TestHourlyColumns(t *testing.T) {
	in := hourlyRun(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 2, func(i int) (float64, int, int) { return 2.5, 3, 2 })
	in.Result.Minutes[1].DesiredMax, in.Result.Minutes[1].CPUPercentMax = 4, 91.25
	in.RPSPerInstance = 100
	d := Build(in)
	r := d.Timeseries[1]
	if r.InServiceMean == nil || *r.InServiceMean != 2.5 || *r.InServiceMax != 3 || *r.DesiredMax != 4 || *r.CPUPercentMax != 91.25 || r.CapacityRPS != 250 {
		t.Errorf("row %+v", r)
	}
	var b strings.Builder
	if err := WriteCSV(&b, d); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if !strings.HasSuffix(lines[0], ",mean_latency_ms,in_service_mean,in_service_max,desired_max,cpu_percent_max") {
		t.Errorf("header %s", lines[0])
	}
	if !strings.HasSuffix(lines[2], ",2.5,3,4,91.25") {
		t.Errorf("row %s", lines[2])
	}
	var js strings.Builder
	if err := WriteJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"series_resolution_s": 3600`, `"in_service_mean": 2.5`, `"in_service_max": 3`, `"desired_max": 4`, `"cpu_percent_max": 91.25`} {
		if !strings.Contains(js.String(), k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
}

// TestMonthsMarkdown: compare.md of runs with months adds a table of cost
// per month, one column per run, rendered by goldmark's GitHub Flavored
// Markdown as one more table: a header, three months and the commitment.
func TestMonthsMarkdown(t *testing.T) {
	start := time.Date(2027, 1, 31, 12, 0, 0, 0, time.UTC)
	a := Build(hourlyRun(start, 29*24, func(int) (float64, int, int) { return 2, 2, 2 }))
	a.Name = "base"
	b := Build(hourlyRun(start, 29*24, func(int) (float64, int, int) { return 3, 3, 3 }))
	b.Name = "cpu-70"
	var md bytes.Buffer
	if err := WriteMarkdown(&md, Compare("test", []*Document{a, b})); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| month (UTC) | base | cpu-70 |", "| 2027-01 | $7.20 (12 h; month $446.40) |", "| 2027-02 | $403.20 | $403.20 |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("compare.md lacks %q:\n%s", want, md.String())
		}
	}
	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md.Bytes(), &html); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(html.String(), "<table>"); n != 2 {
		t.Errorf("%d tables, want 2:\n%s", n, html.String())
	}
	if n := strings.Count(html.String(), "<tr>"); n != 3+1+3+1 {
		t.Errorf("%d rows, want 8 (the comparison's header and 2 runs, the months' header, 3 months and the commitment):\n%s", n, html.String())
	}
}
