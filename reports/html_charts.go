package reports

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/capsim/capsim/pricing"
)

// Chart IDs of the charts beyond the four time series (see html.go). The
// forecast charts are forecastID(run, policy).
const (
	chartCost        = "cost"
	chartLatencyCDF  = "latency_cdf"
	chartCostLines   = "cost_lines"
	chartCostVsP99   = "cost_p99"
	chartSavingsPlan = "savings_plan"
)

// forecastID names run i's k-th predictive policy's chart (policies in
// name order): only [a-z0-9_], since the ID is also a JS variable name.
func forecastID(run, k int) string {
	return "forecast_" + strconv.Itoa(run) + "_" + strconv.Itoa(k)
}

// runName is the series name of run d: the metric alone for one run, the
// run's name and the metric for several.
func runName(docs []*Document, d *Document, metric string) string {
	if len(docs) == 1 {
		return metric
	}
	return pageTitle(d) + ": " + metric
}

// seriesName is alone for one run, the run's name for several.
func seriesName(docs []*Document, d *Document, alone string) string {
	if len(docs) == 1 {
		return alone
	}
	return pageTitle(d)
}

// valueChartOpts are the options every chart on value (not time) axes shares.
func valueChartOpts(id, title, subtitle, xName, yName, trigger string) []charts.GlobalOpts {
	top := "48"
	if subtitle != "" {
		top = "64"
	}
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: "360px", Theme: "white"}),
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: subtitle, Left: "10"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "4", Right: "10", Width: "55%"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: trigger}),
		charts.WithGridOpts(opts.Grid{Left: "20", Right: "40", Top: top, Bottom: "40", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Name: xName, NameLocation: "middle", NameGap: 28, Type: "value", Scale: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName, Type: "value", Scale: opts.Bool(true)}),
	}
}

// costOverTime is the cumulative bill per run on the shared time axis (it
// zooms with the other time series).
func costOverTime(docs []*Document, safe *scriptSafeOptions) *charts.Line {
	c := newLineChart(chartCost, "Cost over time (cumulative)", "USD", safe)
	for _, d := range docs {
		var sum float64
		c.AddSeries(runName(docs, d, "cost"), series(d.Timeseries, func(r Row) any {
			sum += r.CostUSD
			return chartNumber(round(sum, 4))
		}), charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	}
	return c
}

// latencyCDF draws the summary percentiles as a step CDF: at p50 half the
// requests took at most that long, and so on up to the maximum. Between two
// percentiles the true curve is unknown; the step holds the lower bound.
func latencyCDF(docs []*Document, safe *scriptSafeOptions) *charts.Line {
	c := charts.NewLine()
	logX := true
	for _, d := range docs {
		if d.Summary.Requests.Completed == 0 {
			continue // not drawn
		}
		for _, v := range percentilePoints(d.Summary.LatencyMs) {
			logX = logX && v.ms > 0
		}
	}
	xType, xName := "log", "latency ms (log scale)"
	if !logX {
		xType, xName = "value", "latency ms"
	}
	c.SetGlobalOptions(valueChartOpts(chartLatencyCDF, "Latency CDF (from summary percentiles)",
		"steps at p50, p90, p95, p99, p99.9 and max; between them the true curve is not known",
		xName, "fraction ≤ x", "item")...)
	c.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Name: xName, NameLocation: "middle", NameGap: 28, Type: xType}),
		charts.WithYAxisOpts(opts.YAxis{Name: "fraction ≤ x", Type: "value", Min: 0, Max: 1}),
	)
	for _, d := range docs {
		if d.Summary.Requests.Completed == 0 {
			continue
		}
		pts := percentilePoints(d.Summary.LatencyMs)
		data := []opts.LineData{{Value: [2]any{chartNumber(pts[0].ms), 0}, Symbol: "none"}}
		for _, p := range pts {
			data = append(data, opts.LineData{Name: p.name, Value: [2]any{chartNumber(p.ms), p.fraction}})
		}
		c.AddSeries(seriesName(docs, d, "completed requests"), data, charts.WithLineChartOpts(opts.LineChart{Step: "end", ShowSymbol: opts.Bool(true), SymbolSize: 6}))
	}
	c.Accept(safe)
	return c
}

type percentilePoint struct {
	name     string
	ms       float64
	fraction float64
}

func percentilePoints(l Latency) []percentilePoint {
	return []percentilePoint{
		{"p50", l.P50, 0.5}, {"p90", l.P90, 0.9}, {"p95", l.P95, 0.95},
		{"p99", l.P99, 0.99}, {"p99.9", l.P999, 0.999}, {"max", l.Max, 1},
	}
}

// lineOrder is the order of the bill's lines in the breakdown.
var lineOrder = []string{pricing.LineOnDemand, pricing.LineSpot, pricing.LineReserved, pricing.LineSavingsPlans,
	pricing.LineCPUCredits, pricing.LineEBS, pricing.LineLoadBalancer, pricing.LineDataTransfer}

var lineLabels = map[string]string{
	pricing.LineOnDemand: "on-demand", pricing.LineSpot: "spot", pricing.LineReserved: "Reserved Instances",
	pricing.LineSavingsPlans: "Savings Plans", pricing.LineCPUCredits: "CPU credits", pricing.LineEBS: "EBS",
	pricing.LineLoadBalancer: "load balancer", pricing.LineDataTransfer: "data out",
}

func lineLabel(k string) string {
	if l, ok := lineLabels[k]; ok {
		return l
	}
	return k
}

// costLineKeys lists the bill lines any run has, known lines in lineOrder,
// then the others by name.
func costLineKeys(docs []*Document) []string {
	seen := map[string]bool{}
	var other []string
	for _, d := range docs {
		for k := range d.Summary.Cost.ByLine {
			if !seen[k] && !slices.Contains(lineOrder, k) {
				other = append(other, k)
			}
			seen[k] = true
		}
	}
	slices.Sort(other)
	var keys []string
	for _, k := range lineOrder {
		if seen[k] {
			keys = append(keys, k)
		}
	}
	return append(keys, other...)
}

// costBreakdown is a bar per bill line, one series per run.
func costBreakdown(docs []*Document, keys []string, safe *scriptSafeOptions) *charts.Bar {
	c := charts.NewBar()
	c.SetGlobalOptions(valueChartOpts(chartCostLines, "Cost by line", "", "", "USD", "axis")...)
	c.SetGlobalOptions(
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithYAxisOpts(opts.YAxis{Name: "USD", Type: "value"}),
	)
	labels := make([]string, len(keys))
	for i, k := range keys {
		labels[i] = lineLabel(k)
	}
	c.SetXAxis(labels)
	for _, d := range docs {
		data := make([]opts.BarData, len(keys))
		for i, k := range keys {
			v, ok := d.Summary.Cost.ByLine[k]
			if ok {
				digits := 2
				if math.Abs(v) < 1 {
					digits = 4
				}
				data[i] = opts.BarData{Value: chartNumber(round(v, digits))}
			} else {
				data[i] = opts.BarData{Value: nil}
			}
		}
		c.AddSeries(seriesName(docs, d, "cost"), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(len(docs) <= 3), Position: "top", Formatter: "${c}"}))
	}
	c.Accept(safe)
	return c
}

// costVsP99 places each run at (cost, p99), labelled by its name.
func costVsP99(docs []*Document, safe *scriptSafeOptions) *charts.Scatter {
	c := charts.NewScatter()
	c.SetGlobalOptions(valueChartOpts(chartCostVsP99, "Cost vs p99 latency", "one point per run; lower left is better",
		"cost USD", "p99 ms", "item")...)
	for i, d := range docs {
		p := opts.ScatterData{Name: pageTitle(d), Value: [2]any{chartNumber(d.Summary.Cost.TotalUSD), chartNumber(d.Summary.LatencyMs.P99)}, SymbolSize: 14}
		o := []charts.SeriesOpts{charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{a}"})}
		if limit, ok := sloLimit(d, "p99_ms"); ok && i == 0 {
			o = append(o,
				charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: "SLO p99", YAxis: limit}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
					Symbol:    []string{"none", "none"},
					Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: "SLO p99 {c} ms"},
					LineStyle: &opts.LineStyle{Color: "#c23531", Type: "dashed"},
				}))
		}
		c.AddSeries(pageTitle(d), []opts.ScatterData{p}, o...)
	}
	c.Accept(safe)
	return c
}

// savingsPlanChart draws each run's bill against the hourly commitment of
// the Savings Plan what-if, with the optimum and the break-even marked.
func savingsPlanChart(docs []*Document, safe *scriptSafeOptions) *charts.Line {
	c := charts.NewLine()
	c.SetGlobalOptions(valueChartOpts(chartSavingsPlan, "Savings Plan what-if: bill vs hourly commitment",
		"● lowest bill   ▲ break-even (the largest commitment that costs no more than no plan)",
		"commitment USD/h", "bill USD", "axis")...)
	for _, d := range docs {
		w := d.Summary.Cost.SavingsPlanWhatIf
		if w == nil || len(w.Points) == 0 {
			continue
		}
		pts := slices.Clone(w.Points)
		if !slices.ContainsFunc(pts, func(p pricing.WhatIfPoint) bool { return p.USDPerHour == w.BreakEvenUSDPerHour }) {
			pts = append(pts, pricing.WhatIfPoint{USDPerHour: w.BreakEvenUSDPerHour, TotalUSD: w.NoPlanUSD})
		}
		slices.SortStableFunc(pts, func(a, b pricing.WhatIfPoint) int {
			switch {
			case a.USDPerHour < b.USDPerHour:
				return -1
			case a.USDPerHour > b.USDPerHour:
				return 1
			}
			return 0
		})
		data := make([]opts.LineData, len(pts))
		for i, p := range pts {
			data[i] = opts.LineData{Value: [2]any{chartNumber(p.USDPerHour), chartNumber(p.TotalUSD)}}
		}
		label := func(text string) *opts.Label {
			return &opts.Label{Show: opts.Bool(true), Position: "bottom", Formatter: text}
		}
		o := []charts.SeriesOpts{
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true), SymbolSize: 4}),
			charts.WithMarkPointNameCoordItemOpts(
				opts.MarkPointNameCoordItem{Name: "lowest bill", Coordinate: []any{chartNumber(w.BestUSDPerHour), chartNumber(w.BestUSD)},
					Symbol: "circle", SymbolSize: 12, Label: label("$" + strconv.FormatFloat(w.BestUSDPerHour, 'f', 3, 64) + "/h")},
				opts.MarkPointNameCoordItem{Name: "break-even", Coordinate: []any{chartNumber(w.BreakEvenUSDPerHour), chartNumber(w.NoPlanUSD)},
					Symbol: "triangle", SymbolSize: 12, Label: label("$" + strconv.FormatFloat(w.BreakEvenUSDPerHour, 'f', 3, 64) + "/h")},
			),
		}
		if len(docs) == 1 {
			o = append(o,
				charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: "no plan", YAxis: w.NoPlanUSD}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
					Symbol:    []string{"none", "none"},
					Label:     &opts.Label{Show: opts.Bool(true), Position: "insideStartTop", Formatter: "no plan ${c}"},
					LineStyle: &opts.LineStyle{Color: "#59636e", Type: "dashed"},
				}))
		}
		c.AddSeries(seriesName(docs, d, "bill"), data, o...)
	}
	c.Accept(safe)
	return c
}

// forecastChart draws one predictive policy's hourly forecast beside the
// load measured in each hour, and the capacity it planned on a second axis.
func forecastChart(docs []*Document, run, k int, policy string, safe *scriptSafeOptions) *charts.Line {
	d := docs[run]
	rows := d.Forecasts[policy]
	title := "Forecast: " + policy
	if len(docs) > 1 {
		title = "Forecast: " + pageTitle(d) + " · " + policy
	}
	unit := forecastUnit(d.policyMetrics[policy])
	c := newTimeChart(forecastID(run, k), title, unit, "320px", false, safe)
	c.ExtendYAxis(opts.YAxis{Name: "instances", Type: "value", Position: "right", SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	point := func(r ForecastRow, v any) opts.LineData { return opts.LineData{Value: [2]any{r.Time, v}} }
	var load, actual, capacity []opts.LineData
	for _, r := range rows {
		load = append(load, point(r, chartNumber(r.Load)))
		actual = append(actual, point(r, chartOptional(r.Actual)))
		capacity = append(capacity, point(r, r.Capacity))
	}
	fo := []charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}),
		charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed"})}
	if end, ok := runEnd(d); ok {
		fo = append(fo,
			charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: "end of run", XAxis: end}),
			charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
				Symbol:    []string{"none", "none"},
				Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: "end of run"},
				LineStyle: &opts.LineStyle{Color: "#59636e", Type: "dotted"},
			}))
	}
	// The measured load first, so the dashed forecast is drawn over it.
	c.AddSeries("actual load", actual, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	c.AddSeries("forecast load", load, fo...)
	c.AddSeries("forecast capacity", capacity, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), Step: "end", YAxisIndex: 1}))
	return c
}

// forecastPolicies lists d's predictive policies with a forecast, by name.
func forecastPolicies(d *Document) []string {
	var names []string
	for name, rows := range d.Forecasts {
		if len(rows) > 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// forecastUnit is the unit of ForecastRow.Load for a policy's metric.
func forecastUnit(metric string) string {
	switch metric {
	case "cpu":
		return "CPU % × instances"
	case "request_count_per_target":
		return "requests/min"
	}
	return "load"
}

// runEnd is the wall-clock end of the run, as the time axis writes it.
func runEnd(d *Document) (string, bool) {
	start, err := time.Parse(time.RFC3339, d.Start)
	if err != nil {
		return "", false
	}
	dur, err := time.ParseDuration(d.Duration)
	if err != nil || dur <= 0 {
		return "", false
	}
	return start.Add(dur).UTC().Format(time.RFC3339), true
}

// anyWhatIf says whether some run has a Savings Plan what-if to draw.
func anyWhatIf(docs []*Document) bool {
	return slices.ContainsFunc(docs, func(d *Document) bool {
		w := d.Summary.Cost.SavingsPlanWhatIf
		return w != nil && len(w.Points) > 0
	})
}
