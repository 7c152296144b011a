// The report's charts: which are drawn, in what order, in which styles.

package reports

import (
	"math"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/components"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// pageLayout is the report's charts in page order, with the templates
// rendered before each (before[i] precedes charts[i]) and those left for
// after the last chart (pending).
type pageLayout struct {
	charts  []components.Charter
	ids     []string
	before  [][]string
	pending []string
}

func (l *pageLayout) section(name string) { l.pending = append(l.pending, name) }

func (l *pageLayout) add(id string, c components.Charter) {
	l.charts = append(l.charts, c)
	l.ids = append(l.ids, id)
	l.before = append(l.before, l.pending)
	l.pending = nil
}

// buildCharts lays out the page: the summary; five zoom-linked time-series
// charts (load vs capacity, instances, latency, CPU, cumulative cost), one
// set of series per document, x = Row.Time on a time axis (so runs align by
// wall clock); the latency CDF; the cost breakdown and, with several runs,
// cost vs p99; the finance tables and the Savings Plan what-if; each
// predictive policy's forecast; the scaling activity.
func buildCharts(docs []*Document, safe *scriptSafeOptions) *pageLayout {
	multi := len(docs) > 1
	name := func(d *Document, metric string) string {
		if !multi {
			return metric
		}
		return pageTitle(d) + ": " + metric
	}
	step := opts.LineChart{ShowSymbol: opts.Bool(false), Step: "end"}
	smooth := opts.LineChart{ShowSymbol: opts.Bool(false)}

	load := newLineChart(chartLoad, "Load vs capacity", "requests/s", safe)
	inst := newLineChart(chartInstances, "Instances", "instances", safe)
	lat := newLineChart(chartLatency, "Latency", "ms", safe)
	cpu := newLineChart(chartCPU, "CPU", "%", safe)
	cpu.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: "%", Type: "value", Min: 0, Max: 100}))

	// With several runs, each has one colour on every chart and the
	// metrics of a chart differ by line type; what all runs share (the
	// arrivals, with common random numbers) is drawn once, in grey; desired
	// and pending capacity only in the minutes they differ from the
	// in-service count, where they say something; latency on a log axis,
	// so that one run's spike does not flatten every other curve.
	shared := multi && sameArrivals(docs)
	if shared {
		load.AddSeries("arrivals/s (every run)", arrivalSeries(docs[0]), charts.WithLineChartOpts(smooth),
			charts.WithLineStyleOpts(opts.LineStyle{Color: sharedColour, Width: 1}), charts.WithItemStyleOpts(opts.ItemStyle{Color: sharedColour}))
	}
	if multi {
		lat.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: "ms (log scale)", Type: "log"}))
		for _, c := range []*charts.Line{load, inst, lat, cpu} {
			wideLegend(c)
		}
	}
	for i, d := range docs {
		rows := d.Timeseries
		style := func(lineType string) []charts.SeriesOpts { return runStyle(multi, i, lineType) }
		if !shared {
			load.AddSeries(name(d, "arrivals/s"), arrivalSeries(d), append(style(""), charts.WithLineChartOpts(smooth))...)
		}
		load.AddSeries(name(d, "capacity"), series(rows, func(r Row) any { return chartNumber(r.CapacityRPS) }),
			append(style("dashed"), charts.WithLineChartOpts(step))...)

		inst.AddSeries(name(d, "in service"), series(rows, func(r Row) any { return r.InService }), append(style(""), charts.WithLineChartOpts(step))...)
		inst.AddSeries(name(d, "pending"), series(rows, func(r Row) any {
			if multi && r.Pending == 0 {
				return nil
			}
			return r.Pending
		}), append(style("dotted"), charts.WithLineChartOpts(step))...)
		inst.AddSeries(name(d, "desired"), series(rows, func(r Row) any {
			if multi && r.Desired == r.InService {
				return nil
			}
			return r.Desired
		}), append(style("dashed"), charts.WithLineChartOpts(step))...)

		if peak, ok := peakSeries(d); ok {
			inst.AddSeries(name(d, "peak in service"), peak, append(style("dashed"), charts.WithLineChartOpts(step))...)
		}

		lat.AddSeries(name(d, "p50"), series(rows, func(r Row) any { return chartOptional(r.P50Ms) }), append(style("dotted"), charts.WithLineChartOpts(smooth))...)
		p99 := append(style(""), charts.WithLineChartOpts(smooth))
		if limit, ok := sloLimit(d, "p99_ms"); ok && i == 0 {
			p99 = append(p99,
				charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: "SLO p99", YAxis: limit}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
					Symbol:    []string{"none", "none"},
					Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: "SLO p99 {c} ms"},
					LineStyle: &opts.LineStyle{Color: "#c23531", Type: "dashed"},
				}))
		}
		lat.AddSeries(name(d, "p99"), series(rows, func(r Row) any { return chartOptional(r.P99Ms) }), p99...)

		cpu.AddSeries(name(d, "cpu"), series(rows, func(r Row) any { return chartNumber(r.CPUPercent) }), append(style(""), charts.WithLineChartOpts(smooth))...)
	}

	lay := &pageLayout{}
	lay.section("top")
	lay.add(chartLoad, load)
	lay.add(chartInstances, inst)
	lay.add(chartLatency, lat)
	lay.add(chartCPU, cpu)
	lay.add(chartCost, costOverTime(docs, safe))
	addECSCharts(lay, docs, safe) // only for ECS services (html_ecs.go)
	linked := slices.Clone(lay.ids)

	lay.section("distribution")
	lay.add(chartLatencyCDF, latencyCDF(docs, safe))
	if keys := costLineKeys(docs); len(keys) > 0 || len(docs) > 1 {
		lay.section("cost")
		if len(keys) > 0 {
			lay.add(chartCostLines, costBreakdown(docs, keys, safe))
		}
		if len(docs) > 1 {
			lay.add(chartCostVsP99, costVsP99(docs, safe))
		}
	}
	addYear(lay, docs, safe)
	lay.section("finance")
	if anyWhatIf(docs) {
		lay.add(chartSavingsPlan, savingsPlanChart(docs, safe))
	}
	first := true
	for i, d := range docs {
		for k, policy := range forecastPolicies(d) {
			if first {
				lay.section("forecast")
				first = false
			}
			lay.add(forecastID(i, k), forecastChart(docs, i, k, policy, safe))
		}
	}

	// Runs after the last chart is set up: link zoom and tooltips across the
	// time-series charts, keep every chart sized to the window, and mark the
	// page as drawn (the browser test reads data-charts from the DOM).
	vars := func(ids []string) string {
		v := make([]string, len(ids))
		for i, id := range ids {
			v[i] = "goecharts_" + id
		}
		return strings.Join(v, ", ")
	}
	last := lay.charts[len(lay.charts)-1].(interface{ AddJSFuncs(...string) })
	last.AddJSFuncs(`(function () {` +
		`var linked = [` + vars(linked) + `];` +
		`var all = [` + vars(lay.ids) + `];` +
		`echarts.connect(linked);` +
		`window.addEventListener("resize", function () { all.forEach(function (c) { c.resize(); }); });` +
		`document.body.setAttribute("data-charts", String(all.length));` +
		`})();`)
	return lay
}

// runStyle colours run i's series when the page holds several runs
// (runPalette), with lineType ("", "dashed", "dotted") telling a chart's
// metrics apart; with one run, ECharts' palette colours the metrics.
func runStyle(multi bool, i int, lineType string) []charts.SeriesOpts {
	if !multi {
		if lineType == "" {
			return nil
		}
		return []charts.SeriesOpts{charts.WithLineStyleOpts(opts.LineStyle{Type: lineType})}
	}
	c := runColour(i)
	return []charts.SeriesOpts{charts.WithLineStyleOpts(opts.LineStyle{Color: c, Type: lineType}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: c})}
}

// wideLegend puts a time chart's legend on its own lines under the title,
// the whole width, wrapped rather than paged: with several runs it holds
// a run × metric entry each, and a paged legend hides most of them.
func wideLegend(c *charts.Line) {
	c.GridList = nil // WithGridOpts appends: replace newTimeChart's grid
	c.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "plain", Top: "30", Left: "10", Right: "10"}),
		charts.WithGridOpts(opts.Grid{Left: "20", Right: "30", Top: "104", Bottom: "64", ContainLabel: opts.Bool(true)}),
		charts.WithInitializationOpts(opts.Initialization{ChartID: c.ChartID, Width: "100%", Height: "440px", Theme: "white"}),
	)
}

// arrivalSeries is the arrival rate of each row (a minute, or an hour
// for long runs: rowSecondsOf).
func arrivalSeries(d *Document) []opts.LineData {
	secs := rowSecondsOf(d)
	return series(d.Timeseries, func(r Row) any {
		return chartNumber(math.Round(float64(r.Arrivals)/secs*1000) / 1000)
	})
}

// sameArrivals says whether every run saw the same arrivals minute by
// minute (variants on one seed do: common random numbers).
func sameArrivals(docs []*Document) bool {
	for _, d := range docs[1:] {
		if len(d.Timeseries) != len(docs[0].Timeseries) {
			return false
		}
		for k, r := range d.Timeseries {
			if o := docs[0].Timeseries[k]; r.Time != o.Time || r.Arrivals != o.Arrivals {
				return false
			}
		}
	}
	return true
}

func newLineChart(id, title, unit string, safe *scriptSafeOptions) *charts.Line {
	return newTimeChart(id, title, unit, "360px", true, safe)
}

// newTimeChart is a line chart on a time axis; with slider, a zoom slider
// under it (and the grid's room for it), otherwise zoom by scrolling only.
func newTimeChart(id, title, unit, height string, slider bool, safe *scriptSafeOptions) *charts.Line {
	zoom := []opts.DataZoom{{Type: "slider", XAxisIndex: 0}, {Type: "inside", XAxisIndex: 0}}
	bottom := "64"
	if !slider {
		zoom, bottom = zoom[1:], "24"
	}
	c := charts.NewLine()
	c.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: height, Theme: "white"}),
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{Title: title, Left: "10"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "4", Right: "10", Width: "65%"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithDataZoomOpts(zoom...),
		charts.WithGridOpts(opts.Grid{Left: "20", Right: "30", Top: "48", Bottom: bottom, ContainLabel: opts.Bool(true)}),
		// A string template (not a JS function: see scriptSafeOptions); the
		// default labels show a bare day number ("2") at midnight.
		charts.WithXAxisOpts(opts.XAxis{Type: "time", AxisLabel: &opts.AxisLabel{Formatter: "{MM}-{dd} {HH}:{mm}", HideOverlap: opts.Bool(true), ShowMaxLabel: opts.Bool(false)}}),
		charts.WithYAxisOpts(opts.YAxis{Name: unit, Type: "value"}),
	)
	c.Accept(safe)
	return c
}

// chartNumber maps NaN and ±Inf, which JSON cannot hold, to a gap.
func chartNumber(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

func chartOptional(v *float64) any {
	if v == nil {
		return nil
	}
	return chartNumber(*v)
}
