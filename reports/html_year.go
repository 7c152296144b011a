package reports

import (
	"html/template"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/capsim/capsim/internal/humanize"
)

// The year report: for runs of at least MonthsFrom, what finance asks of a
// month, a quarter or a year — the cost of each calendar month with the
// last, partial month projected to a whole one, the fleet each month took,
// and the Savings Plan commitment that minimises the run's bill with the
// break-even beyond which a plan stops paying (summary.months and
// summary.savings_plan_commitment, docs/result.md).

// Chart IDs of the year section.
const (
	chartMonthsCost      = "months_cost"
	chartMonthsInstances = "months_instances"
	chartCommitment      = "commitment"
)

// anyMonths says whether some run has its months.
func anyMonths(docs []*Document) bool {
	for _, d := range docs {
		if len(d.Summary.Months) > 0 {
			return true
		}
	}
	return false
}

// addYear lays out the year section and its charts, for runs with months.
func addYear(lay *pageLayout, docs []*Document, safe *scriptSafeOptions) {
	if !anyMonths(docs) {
		return
	}
	lay.section("year")
	lay.add(chartMonthsCost, monthsCostChart(docs, safe))
	lay.add(chartMonthsInstances, monthsInstancesChart(docs, safe))
	for _, d := range docs {
		if d.Summary.SavingsPlanCommitment != nil {
			lay.add(chartCommitment, commitmentChart(docs, safe))
			break
		}
	}
}

// yearView is the year section's tables.
type yearView struct {
	Multi bool
	Runs  []yearRun
}

type yearRun struct {
	Name       string
	Months     []yearMonth
	Total      yearMonth
	Projection string // the next 12 months at the last month's rate, in words
	Commitment *commitmentView
}

type yearMonth struct {
	Month, Hours, Cost, Projected, Peak, Mean, Requests string
	Partial                                             bool
}

type commitmentView struct {
	Kind, Discount, Hours              string
	Best, BestBill, NoPlan, Saving     string
	BestUsed, Year                     string
	BreakEven, BreakEvenUsed, MinShare string
}

func yearSection(docs []*Document) *yearView {
	if !anyMonths(docs) {
		return nil
	}
	v := &yearView{Multi: len(docs) > 1}
	for _, d := range docs {
		ms := d.Summary.Months
		if len(ms) == 0 {
			continue
		}
		run := yearRun{Name: pageTitle(d)}
		var cost, proj, hours float64
		var peak int
		var req int64
		var meanW float64
		for _, m := range ms {
			run.Months = append(run.Months, yearMonth{
				Month: m.Month, Hours: humanize.Fixed(m.Hours, 0), Cost: humanize.USD(m.CostUSD), Projected: humanize.USD(m.ProjectedUSD),
				Peak: strconv.Itoa(m.PeakInstances), Mean: humanize.Sig(m.MeanInstances), Requests: humanize.Int(m.Requests), Partial: m.Partial,
			})
			cost += m.CostUSD
			proj += m.ProjectedUSD
			hours += m.Hours
			peak = max(peak, m.PeakInstances)
			req += m.Requests
			meanW += m.MeanInstances * m.Hours
		}
		run.Total = yearMonth{Month: "run", Hours: humanize.Fixed(hours, 0), Cost: humanize.USD(cost), Projected: humanize.USD(proj),
			Peak: strconv.Itoa(peak), Requests: humanize.Int(req)}
		if hours > 0 {
			run.Total.Mean = humanize.Sig(meanW / hours)
		}
		last := ms[len(ms)-1]
		if last.MonthHours > 0 {
			run.Projection = "At the rate of " + last.Month + " (" + humanize.USD(last.ProjectedUSD) + " a month), the next 12 months cost " +
				humanize.USD(last.ProjectedUSD*12) + " before growth."
		}
		if c := d.Summary.SavingsPlanCommitment; c != nil {
			run.Commitment = &commitmentView{
				Kind: c.Kind, Discount: humanize.Percent(c.Discount), Hours: humanize.Fixed(c.Hours, 0),
				Best: humanize.USD(c.BestUSDPerHour) + "/h", BestBill: humanize.USD(c.BestUSD), NoPlan: humanize.USD(c.NoPlanUSD),
				Saving: humanize.USD(c.SavingUSD), BestUsed: humanize.Percent(c.BestUsedShare), Year: humanize.USD(c.YearCommitmentUSD),
				BreakEven: humanize.USD(c.BreakEvenUSDPerHour) + "/h", BreakEvenUsed: humanize.Percent(c.BreakEvenUsedShare),
				MinShare: humanize.Percent(1 - c.Discount),
			}
			if c.NoPlanUSD > 0 {
				run.Commitment.Saving += " (" + humanize.Percent(c.SavingUSD/c.NoPlanUSD) + ")"
			}
		}
		v.Runs = append(v.Runs, run)
	}
	return v
}

// monthLabels is the union of the runs' months, in order.
func monthLabels(docs []*Document) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range docs {
		for _, m := range d.Summary.Months {
			if !seen[m.Month] {
				seen[m.Month] = true
				out = append(out, m.Month)
			}
		}
	}
	// Months are YYYY-MM: sorting the strings sorts the months.
	for i := 1; i < len(out); i++ {
		for k := i; k > 0 && out[k] < out[k-1]; k-- {
			out[k], out[k-1] = out[k-1], out[k]
		}
	}
	return out
}

// monthValues is one value per label, nil where the run lacks the month.
func monthValues(d *Document, labels []string, value func(Month) any) []opts.BarData {
	at := map[string]Month{}
	for _, m := range d.Summary.Months {
		at[m.Month] = m
	}
	data := make([]opts.BarData, len(labels))
	for i, l := range labels {
		if m, ok := at[l]; ok {
			data[i] = opts.BarData{Value: value(m)}
		}
	}
	return data
}

func categoryChart(id, title, subtitle, unit string, labels []string, safe *scriptSafeOptions) *charts.Bar {
	c := charts.NewBar()
	c.SetGlobalOptions(valueChartOpts(id, title, subtitle, "", unit, "axis")...)
	c.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithYAxisOpts(opts.YAxis{Name: unit, Type: "value"}),
	)
	c.SetXAxis(labels)
	c.Accept(safe)
	return c
}

// monthsCostChart is a bar per month: the cost accrued, and stacked on a
// partial month the rest of its projection to the whole month.
func monthsCostChart(docs []*Document, safe *scriptSafeOptions) *charts.Bar {
	labels := monthLabels(docs)
	c := categoryChart(chartMonthsCost, "Cost per month",
		"the bill by calendar month (UTC); a partial month's lighter top is its projection to the whole month", "USD", labels, safe)
	for n, d := range docs {
		if len(d.Summary.Months) == 0 {
			continue
		}
		stack := "run" + strconv.Itoa(n)
		colour := runColour(n)
		o := []charts.SeriesOpts{charts.WithBarChartOpts(opts.BarChart{Stack: stack})}
		if len(docs) > 1 {
			o = append(o, charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}))
		}
		c.AddSeries(seriesName(docs, d, "cost"), monthValues(d, labels, func(m Month) any { return chartNumber(round(m.CostUSD, 2)) }), o...)
		rest := monthValues(d, labels, func(m Month) any {
			if !m.Partial {
				return nil
			}
			return chartNumber(round(m.ProjectedUSD-m.CostUSD, 2))
		})
		c.AddSeries(runName(docs, d, "projected rest of the month"), rest,
			charts.WithBarChartOpts(opts.BarChart{Stack: stack}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour, Opacity: opts.Float(0.35)}))
	}
	return c
}

// monthsInstancesChart is each month's peak and mean instances in service.
func monthsInstancesChart(docs []*Document, safe *scriptSafeOptions) *charts.Bar {
	labels := monthLabels(docs)
	c := categoryChart(chartMonthsInstances, "Instances per month", "peak (most in service at once) and time-weighted mean", "instances", labels, safe)
	for n, d := range docs {
		if len(d.Summary.Months) == 0 {
			continue
		}
		var peak, mean []charts.SeriesOpts
		if len(docs) > 1 {
			peak = append(peak, charts.WithItemStyleOpts(opts.ItemStyle{Color: runColour(n)}))
			mean = append(mean, charts.WithItemStyleOpts(opts.ItemStyle{Color: runColour(n), Opacity: opts.Float(0.5)}))
		}
		c.AddSeries(runName(docs, d, "peak"), monthValues(d, labels, func(m Month) any { return m.PeakInstances }), peak...)
		c.AddSeries(runName(docs, d, "mean"), monthValues(d, labels, func(m Month) any { return chartNumber(round(m.MeanInstances, 2)) }), mean...)
	}
	return c
}

// commitmentChart draws each run's bill against the hourly Savings Plan
// commitment, with the share of the commitment its load uses on the right
// axis: the bill is lowest at the best commitment and back at no plan's
// where the used share falls to 1 − discount.
func commitmentChart(docs []*Document, safe *scriptSafeOptions) *charts.Line {
	c := charts.NewLine()
	c.SetGlobalOptions(valueChartOpts(chartCommitment, "Savings Plan commitment over the run's load",
		"● lowest bill   ▲ break-even; dotted: share of the commitment used (right axis)",
		"commitment USD/h", "bill USD", "axis")...)
	c.ExtendYAxis(opts.YAxis{Name: "used %", Type: "value", Position: "right", Min: 0, Max: 100, SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	for n, d := range docs {
		s := d.Summary.SavingsPlanCommitment
		if s == nil || len(s.Points) == 0 {
			continue
		}
		bill := make([]opts.LineData, len(s.Points))
		used := make([]opts.LineData, len(s.Points))
		for i, p := range s.Points {
			bill[i] = opts.LineData{Value: [2]any{chartNumber(p.USDPerHour), chartNumber(round(p.TotalUSD, 2))}}
			u := any(nil)
			if p.UsedShare != nil {
				u = chartNumber(round(*p.UsedShare*100, 2))
			}
			used[i] = opts.LineData{Value: [2]any{chartNumber(p.USDPerHour), u}}
		}
		label := func(text string) *opts.Label {
			return &opts.Label{Show: opts.Bool(true), Position: "bottom", Formatter: text}
		}
		style := runStyle(len(docs) > 1, n, "")
		o := append(style,
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}),
			charts.WithMarkPointNameCoordItemOpts(
				opts.MarkPointNameCoordItem{Name: "lowest bill", Coordinate: []any{chartNumber(s.BestUSDPerHour), chartNumber(s.BestUSD)},
					Symbol: "circle", SymbolSize: 12, Label: label("$" + strconv.FormatFloat(s.BestUSDPerHour, 'f', 2, 64) + "/h")},
				opts.MarkPointNameCoordItem{Name: "break-even", Coordinate: []any{chartNumber(s.BreakEvenUSDPerHour), chartNumber(s.NoPlanUSD)},
					Symbol: "triangle", SymbolSize: 12, Label: label("$" + strconv.FormatFloat(s.BreakEvenUSDPerHour, 'f', 2, 64) + "/h")},
			))
		c.AddSeries(seriesName(docs, d, "bill"), bill, o...)
		c.AddSeries(runName(docs, d, "used share"), used, append(runStyle(len(docs) > 1, n, "dotted"),
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), YAxisIndex: 1}))...)
	}
	c.Accept(safe)
	return c
}

// peakSeries is the most instances in service at once in each row of a
// series coarser than a minute (in_service_max); false for minute rows,
// whose in_service already is the value at each minute's end.
func peakSeries(d *Document) ([]opts.LineData, bool) {
	if d.SeriesResolutionS == 0 {
		return nil, false
	}
	return series(d.Timeseries, func(r Row) any {
		if r.InServiceMax == nil {
			return nil
		}
		return *r.InServiceMax
	}), true
}

// rowSecondsOf is the length of d's time-series rows in seconds.
func rowSecondsOf(d *Document) float64 {
	if d.SeriesResolutionS > 0 {
		return float64(d.SeriesResolutionS)
	}
	return 60
}

var _ = template.Must(reportTemplates.New("year").Parse(`
{{- define "year" -}}
{{- with . -}}
<section class="year">
<h2>Months and commitments</h2>
<p class="hint">The bill by calendar month (UTC) with a partial month projected to a whole one (cost × the month's hours ÷ the hours simulated in it); the fleet each month took; and the Savings Plan commitment that minimises the run's bill, computed hour by hour over the run's on-demand spend.</p>
{{- range .Runs}}
{{- if $.Multi}}
<h3>{{.Name}}</h3>
{{- end}}
<table>
<thead><tr><th>month</th><th>hours simulated</th><th>cost</th><th>projected month</th><th>peak instances</th><th>mean instances</th><th>requests</th></tr></thead>
<tbody>
{{- range .Months}}
<tr><td class="name">{{.Month}}{{if .Partial}} (partial){{end}}</td><td>{{.Hours}}</td><td>{{.Cost}}</td><td>{{if .Partial}}<strong>{{.Projected}}</strong>{{else}}{{.Projected}}{{end}}</td><td>{{.Peak}}</td><td>{{.Mean}}</td><td>{{.Requests}}</td></tr>
{{- end}}
<tr><th>{{.Total.Month}}</th><th>{{.Total.Hours}}</th><th>{{.Total.Cost}}</th><th>{{.Total.Projected}}</th><th>{{.Total.Peak}}</th><th>{{.Total.Mean}}</th><th>{{.Total.Requests}}</th></tr>
</tbody>
</table>
{{- with .Projection}}
<p class="note">{{.}}</p>
{{- end}}
{{- with .Commitment}}
<p class="glance">Commit {{.Best}} to one {{.Kind}} Savings Plan ({{.Discount}} off on-demand): the bill is {{.BestBill}} instead of {{.NoPlan}} with no plan, {{.Saving}} less; the load uses {{.BestUsed}} of that commitment ({{.Year}} over a one-year term).</p>
<p class="note">Break-even: above {{.BreakEven}} a plan costs more than none. There the load uses {{.BreakEvenUsed}} of the commitment — a plan pays for itself while more than {{.MinShare}} (1 − discount) of its commitment is used. Figures over the {{.Hours}} hours simulated.</p>
{{- end}}
{{- end}}
</section>
{{- end}}
{{- end}}`))
