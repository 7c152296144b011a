// The report's ECS charts and summary table (docs/outputs.md "ECS
// services"): drawn only for runs with a service, so the report of any
// other run is unchanged.

package reports

import (
	"html/template"
	"math"
	"strconv"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/capsim/capsim/internal/humanize"
)

const (
	chartTasks           = "tasks"
	chartClusterCapacity = "cluster_capacity"
	chartPendingTime     = "pending_time"
)

// isECS says the document is an ECS service's run: its rows carry the
// task columns.
func isECS(d *Document) bool { return len(d.Timeseries) > 0 && d.Timeseries[0].RowECS != nil }

// hasCluster says an ECS run has EC2 instances (a Fargate run has none,
// and no reservation metric).
func hasCluster(d *Document) bool {
	return isECS(d) && d.Timeseries[0].CapacityProviderReservation != nil
}

// ecsCharts are the charts of the ECS runs among docs, in page order, with
// their ids; none when no run is one.
func ecsCharts(docs []*Document, safe *scriptSafeOptions) (ids []string, out []*charts.Line) {
	var ecs, cluster []int
	for i, d := range docs {
		if isECS(d) {
			ecs = append(ecs, i)
		}
		if hasCluster(d) {
			cluster = append(cluster, i)
		}
	}
	if len(ecs) == 0 {
		return nil, nil
	}
	ids, out = append(ids, chartTasks), append(out, tasksChart(docs, ecs, safe))
	if len(cluster) > 0 {
		ids, out = append(ids, chartClusterCapacity), append(out, capacityChart(docs, cluster, safe))
	}
	ids, out = append(ids, chartPendingTime), append(out, pendingChart(docs, ecs, safe))
	return ids, out
}

// addECSCharts puts the ECS charts, under their heading, among the
// zoom-linked time charts.
func addECSCharts(lay *pageLayout, docs []*Document, safe *scriptSafeOptions) {
	ids, cs := ecsCharts(docs, safe)
	if len(ids) == 0 {
		return
	}
	lay.section("ecs")
	for i, id := range ids {
		lay.add(id, cs[i])
	}
	addProviderCharts(lay, docs, safe) // runs with several capacity providers (html_ecs_providers.go)
}

// twoGridChart is a time chart of two panes on one time axis, top over
// bottom, zoomed together (its slider moves both x axes, and the page's
// other time charts follow through echarts.connect).
func twoGridChart(id, title, top, bottom string, safe *scriptSafeOptions) *charts.Line {
	both := []int{0, 1}
	label := &opts.AxisLabel{Formatter: "{MM}-{dd} {HH}:{mm}", HideOverlap: opts.Bool(true), ShowMaxLabel: opts.Bool(false)}
	c := charts.NewLine()
	c.SetGlobalOptions(
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{Title: title, Left: "10"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "plain", Top: "30", Left: "10", Right: "10"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithAxisPointerOpts(&opts.AxisPointer{Link: []opts.AxisPointerLink{{XAxisIndex: both}}}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "slider", XAxisIndex: both}, opts.DataZoom{Type: "inside", XAxisIndex: both}),
		charts.WithXAxisOpts(opts.XAxis{Type: "time", GridIndex: 0, AxisLabel: label}),
		charts.WithYAxisOpts(opts.YAxis{Name: top, Type: "value", GridIndex: 0}),
	)
	c.ExtendXAxis(opts.XAxis{Type: "time", GridIndex: 1, AxisLabel: label})
	c.ExtendYAxis(opts.YAxis{Name: bottom, Type: "value", GridIndex: 1})
	c.Accept(safe)
	return c
}

// fitPanes sizes a twoGridChart once its series are added: its legend
// wraps, about four entries a line at the report's width, and the panes
// start below it.
func fitPanes(c *charts.Line, id string) {
	lines := (len(c.MultiSeries) + 3) / 4
	top := 56 + 24*lines
	c.GridList = nil
	c.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: strconv.Itoa(top+180+60+180+64) + "px", Theme: "white"}),
		charts.WithGridOpts(
			opts.Grid{Left: "20", Right: "30", Top: strconv.Itoa(top), Height: "180", ContainLabel: opts.Bool(true)},
			opts.Grid{Left: "20", Right: "30", Top: strconv.Itoa(top + 180 + 60), Height: "180", ContainLabel: opts.Bool(true)}))
}

// inGrid draws a series in the bottom pane (axis index 1).
func inGrid(pane int, lc opts.LineChart) charts.SeriesOpts {
	lc.XAxisIndex, lc.YAxisIndex = pane, pane
	return charts.WithLineChartOpts(lc)
}

// tasksChart draws tasks by state over the cluster's instances by state.
// One run: both panes stacked (RUNNING under PENDING; in service under
// launching), on rows shared by the stack so the bands add up; several:
// one colour a run, running solid, pending dotted.
func tasksChart(docs []*Document, ecs []int, safe *scriptSafeOptions) *charts.Line {
	c := twoGridChart(chartTasks, "Tasks over instances", "tasks", "instances", safe)
	step := opts.LineChart{ShowSymbol: opts.Bool(false), Step: "end"}
	if len(docs) == 1 {
		rows := docs[0].Timeseries
		idx := stackRows(rows, func(r Row) float64 { return float64(r.TasksRunning + r.TasksPending + r.InService + r.Pending) })
		area := charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.5)})
		stacked := func(pane int, stack string) charts.SeriesOpts {
			lc := step
			lc.Stack = stack
			return inGrid(pane, lc)
		}
		c.AddSeries("tasks running", seriesAt(rows, idx, func(r Row) any { return r.TasksRunning }), stacked(0, "tasks"), area)
		c.AddSeries("tasks pending", seriesAt(rows, idx, func(r Row) any { return r.TasksPending }), stacked(0, "tasks"), area)
		if hasCluster(docs[0]) {
			c.AddSeries("instances in service", seriesAt(rows, idx, func(r Row) any { return r.InService }), stacked(1, "instances"), area)
			c.AddSeries("instances launching", seriesAt(rows, idx, func(r Row) any { return r.Pending }), stacked(1, "instances"), area)
		}
		fitPanes(c, chartTasks)
		return c
	}
	for _, i := range ecs {
		d := docs[i]
		rows := d.Timeseries
		name := pageTitle(d) + ": "
		c.AddSeries(name+"tasks running", series(rows, func(r Row) any { return r.TasksRunning }), append(runStyle(true, i, ""), inGrid(0, step))...)
		c.AddSeries(name+"tasks pending", series(rows, func(r Row) any { return r.TasksPending }), append(runStyle(true, i, "dotted"), inGrid(0, step))...)
		if hasCluster(d) {
			c.AddSeries(name+"instances in service", series(rows, func(r Row) any { return r.InService }), append(runStyle(true, i, ""), inGrid(1, step))...)
		}
	}
	fitPanes(c, chartTasks)
	return c
}

// capacityChart draws the cluster's CPU and memory: registered by its
// instances, reserved by tasks, and (CPU) used by requests — the gaps are
// capacity paid for and not reserved, and reserved and not used.
func capacityChart(docs []*Document, cluster []int, safe *scriptSafeOptions) *charts.Line {
	c := twoGridChart(chartClusterCapacity, "Cluster capacity: registered, reserved, used", "vCPU", "GiB", safe)
	step := opts.LineChart{ShowSymbol: opts.Bool(false), Step: "end"}
	multi := len(docs) > 1
	for _, i := range cluster {
		d := docs[i]
		rows := d.Timeseries
		name := ""
		if multi {
			name = pageTitle(d) + ": "
		}
		style := func(lineType string) []charts.SeriesOpts { return runStyle(multi, i, lineType) }
		vcpu := func(units int) any { return math.Round(float64(units)/1024*1000) / 1000 }
		c.AddSeries(name+"vCPU registered", series(rows, func(r Row) any { return vcpu(r.RegisteredCPUUnits) }), append(style("dashed"), inGrid(0, step))...)
		c.AddSeries(name+"vCPU reserved", series(rows, func(r Row) any { return vcpu(r.ReservedCPUUnits) }), append(style(""), inGrid(0, step))...)
		// The service's CPU % is CPU used ÷ reserved by its tasks (docs/ecs.md).
		c.AddSeries(name+"vCPU used", series(rows, func(r Row) any {
			return chartNumber(math.Round(r.CPUPercent/100*float64(r.ReservedCPUUnits)/1024*1000) / 1000)
		}), append(style("dotted"), inGrid(0, step))...)
		gib := func(mib int) any { return math.Round(float64(mib)/1024*1000) / 1000 }
		c.AddSeries(name+"GiB registered", series(rows, func(r Row) any { return gib(r.RegisteredMemoryMiB) }), append(style("dashed"), inGrid(1, step))...)
		c.AddSeries(name+"GiB reserved", series(rows, func(r Row) any { return gib(r.ReservedMemoryMiB) }), append(style(""), inGrid(1, step))...)
	}
	fitPanes(c, chartClusterCapacity)
	return c
}

// pendingChart draws the time tasks spend PENDING, minute by minute (the
// PENDING tasks at the minute's end × 60 s), and on EC2 the
// CapacityProviderReservation that sends the provider scaling (right axis).
func pendingChart(docs []*Document, ecs []int, safe *scriptSafeOptions) *charts.Line {
	// Rows are minutes, or hours in a long run (rowSecondsOf).
	secs := rowSecondsOf(docs[ecs[0]])
	unit := "task-s / min"
	if secs != 60 {
		unit = "task-s / " + humanize.Duration(time.Duration(secs*float64(time.Second)))
	}
	c := newLineChart(chartPendingTime, "Pending time", unit, safe)
	c.ExtendYAxis(opts.YAxis{Name: "reservation %", Type: "value", Position: "right", SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	multi := len(docs) > 1
	if multi {
		wideLegend(c)
	}
	step := opts.LineChart{ShowSymbol: opts.Bool(false), Step: "end"}
	right := step
	right.YAxisIndex = 1
	for _, i := range ecs {
		d := docs[i]
		rows := d.Timeseries
		name := ""
		if multi {
			name = pageTitle(d) + ": "
		}
		opt := append(runStyle(multi, i, ""), charts.WithLineChartOpts(step))
		if !multi {
			opt = append(opt, charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.4)}))
		}
		secs := rowSecondsOf(d)
		c.AddSeries(name+"pending task-seconds", series(rows, func(r Row) any { return chartNumber(float64(r.TasksPending) * secs) }), opt...)
		if hasCluster(d) {
			c.AddSeries(name+"capacity provider reservation %", series(rows, func(r Row) any { return chartOptional(r.CapacityProviderReservation) }),
				append(runStyle(multi, i, "dashed"), charts.WithLineChartOpts(right))...)
		}
	}
	return c
}

// stackRows are the rows a stacked chart draws: every row, or beyond
// maxChartPoints the lowest and highest total of each bucket. ECharts
// stacks series point by point, so every series of a stack must have the
// same rows (series' own min/max per series would not).
func stackRows(rows []Row, total func(Row) float64) []int {
	if len(rows) <= maxChartPoints {
		idx := make([]int, len(rows))
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	buckets := maxChartPoints / 2
	var idx []int
	for b := range buckets {
		lo, hi := b*len(rows)/buckets, (b+1)*len(rows)/buckets
		minI, maxI := lo, lo
		for i := lo; i < hi; i++ {
			if total(rows[i]) < total(rows[minI]) {
				minI = i
			}
			if total(rows[i]) > total(rows[maxI]) {
				maxI = i
			}
		}
		idx = append(idx, min(minI, maxI))
		if minI != maxI {
			idx = append(idx, max(minI, maxI))
		}
	}
	return idx
}

// seriesAt is series on the given rows only.
func seriesAt(rows []Row, idx []int, value func(Row) any) []opts.LineData {
	out := make([]opts.LineData, len(idx))
	for k, i := range idx {
		out[k] = opts.LineData{Value: [2]any{rows[i].Time, value(rows[i])}}
	}
	return out
}

// tasksRow is one ECS run's line of the summary's task table.
type tasksRow struct {
	Name              string
	Peak, Mean        string
	Pending, Idle     cell
	FargateEquivalent string
}

// tasksView is the task table of the ECS runs among docs (nil: none).
func tasksView(docs []*Document) []tasksRow {
	var out []tasksRow
	for _, d := range docs {
		t := d.Summary.Tasks
		if t == nil {
			continue
		}
		idle := d.Summary.Cost.Idle.IdleShare
		out = append(out, tasksRow{Name: pageTitle(d), Peak: strconv.Itoa(t.PeakRunning), Mean: humanize.Sig(t.MeanRunning),
			Pending: cell{Text: humanize.Sig(t.PendingTaskSeconds), Value: t.PendingTaskSeconds},
			Idle:    cell{Text: humanize.Percent(idle), Value: idle}, FargateEquivalent: humanize.USD(t.FargateEquivalentUSD)})
	}
	if len(docs) > 1 {
		var pending, idle []*cell
		for i := range out {
			pending, idle = append(pending, &out[i].Pending), append(idle, &out[i].Idle)
		}
		markLowest([][]*cell{pending, idle})
	}
	return out
}

// The templates of the ECS table (under the summary) and of the ECS
// charts' heading; "tasks" writes nothing without an ECS run.
func init() {
	template.Must(reportTemplates.New("ecs-templates").Parse(`
{{- define "tasks" -}}
{{- if . }}
<h3>ECS tasks</h3>
<table class="tasks">
<thead><tr><th>run</th><th>peak running</th><th>mean running</th><th title="task-seconds spent PENDING for lack of capacity (not image pull and start)">pending for capacity, task-s</th><th title="paid vCPU time not serving requests; on EC2 it includes instance capacity no task reserved">idle share</th><th title="what the same tasks cost on Fargate at the scenario's Fargate rates">same tasks on Fargate</th></tr></thead>
<tbody>
{{- range .}}
<tr><td class="name">{{.Name}}</td><td>{{.Peak}}</td><td>{{.Mean}}</td>{{template "cell" .Pending}}{{template "cell" .Idle}}<td>{{.FargateEquivalent}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- end}}

{{- define "ecs" -}}
<h3>ECS service: tasks and cluster</h3>
<p class="hint">Tasks by state over the cluster's instances; the cluster's CPU and memory as its instances register them, its tasks reserve them and (CPU) its requests use them; the time tasks spend PENDING each minute (PENDING tasks at the minute's end × 60 s, image pull and start included) beside the capacity provider reservation that scales the instances (above 100: tasks wait for instances). A Fargate run has no instances and no reservation.</p>
{{- end}}
`))
}
