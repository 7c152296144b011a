package reports

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/components"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// The HTML report inlines Apache ECharts, which `make assets` fetches from
// npm (pinned in assets/package.json) and copies into assets/; see
// assets/README.md. The patterns take every top-level file of assets/ whose
// name holds a dot or a hyphen. Each always matches a committed file
// (README.md, package-lock.json), so the package compiles before `make
// assets`; once built, echarts.min.js and the licence files match too;
// node_modules matches neither and is never embedded.
//
//go:embed assets/*.* assets/*-*
var assetFS embed.FS

// ErrAssetsNotBuilt is returned (wrapped) by WriteHTML when the embedded
// ECharts bundle is missing: the binary was built before `make assets`.
var ErrAssetsNotBuilt = errors.New("echarts.min.js is not built: run 'make assets'")

// MaxActivityRows caps each run's scaling-activity table in the HTML report;
// the JSON result always has every activity.
const MaxActivityRows = 500

// Chart element IDs. They are fixed, not random, so the same documents give
// the same bytes, and they name the JS variables (goecharts_<id>) that
// echarts.connect links.
const (
	chartLoad      = "load"
	chartInstances = "instances"
	chartLatency   = "latency"
	chartCPU       = "cpu"
)

// rowSeconds is the length of one Row: DESIGN.md §12 fixes the time series at
// one row per minute, so Arrivals/rowSeconds is the arrival rate.
const rowSeconds = 60

// echartsBundle is the embedded ECharts build and what the report says about it.
type echartsBundle struct {
	js      string
	version string
	notice  string // echarts' NOTICE file, reproduced in the report footer
}

var loadECharts = sync.OnceValues(func() (echartsBundle, error) {
	version, err := pinnedEChartsVersion()
	if err != nil {
		return echartsBundle{}, err
	}
	js, err := assetFS.ReadFile("assets/echarts.min.js")
	if errors.Is(err, fs.ErrNotExist) {
		return echartsBundle{}, fmt.Errorf("html report: %w", ErrAssetsNotBuilt)
	}
	if err != nil {
		return echartsBundle{}, fmt.Errorf("html report: %w", err)
	}
	if !bytes.Contains(js, []byte(`version="`+version+`"`)) {
		return echartsBundle{}, fmt.Errorf("html report: the embedded echarts.min.js is not echarts %s as pinned in reports/assets/package.json: run 'make assets'", version)
	}
	// The bundle goes inside a <script> element; it must not be able to end it.
	if bytes.Contains(bytes.ToLower(js), []byte("</script")) {
		return echartsBundle{}, errors.New("html report: the embedded echarts.min.js contains \"</script\" and cannot be inlined")
	}
	notice, err := assetFS.ReadFile("assets/ECHARTS-NOTICE")
	if err != nil {
		return echartsBundle{}, fmt.Errorf("html report: ECHARTS-NOTICE is missing (%w): run 'make assets'", ErrAssetsNotBuilt)
	}
	return echartsBundle{js: string(js), version: version, notice: strings.TrimSpace(string(notice))}, nil
})

// pinnedEChartsVersion reads the echarts version from the embedded
// package.json, the single place it is written down.
func pinnedEChartsVersion() (string, error) {
	b, err := assetFS.ReadFile("assets/package.json")
	if err != nil {
		return "", fmt.Errorf("html report: %w", err)
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return "", fmt.Errorf("html report: reports/assets/package.json: %w", err)
	}
	v := pkg.Dependencies["echarts"]
	if v == "" {
		return "", errors.New("html report: reports/assets/package.json has no echarts dependency")
	}
	return v, nil
}

// WriteHTML writes one self-contained HTML page for one or more runs: a
// summary table, four zoom-linked charts (load vs capacity, instances,
// latency, CPU) and each run's scaling activity. With several documents every
// chart carries one set of series per document, so variants compare side by
// side; the page title and the description come from the first.
//
// ECharts is inlined, so the page opens with no network. Every string taken
// from a document is escaped, in the HTML and inside the chart scripts. The
// output depends only on the documents: same input, same bytes.
func WriteHTML(w io.Writer, docs ...*Document) error {
	if len(docs) == 0 {
		return errors.New("html report: no document to render")
	}
	for i, d := range docs {
		if d == nil {
			return fmt.Errorf("html report: document %d is nil", i)
		}
	}
	bundle, err := loadECharts()
	if err != nil {
		return err
	}

	safe := &scriptSafeOptions{}
	page := components.NewPage()
	page.SetPageTitle(pageTitle(docs[0]))
	page.SetLayout(components.PageNoneLayout)
	page.AddCharts(buildCharts(docs, safe)...)
	// AddCharts merges each chart's assets (the CDN echarts.min.js) into the
	// page, so clear them after it, then inline the embedded bundle instead.
	page.Assets.ClearPresetJSAssets()
	page.Assets.AddCustomizedHeaders(
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
		"<style>"+reportCSS+"</style>",
		"<script>"+bundle.js+"</script>",
	)
	var rendered bytes.Buffer
	if err := page.Render(&rendered); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	if safe.err != nil {
		return fmt.Errorf("html report: %w", safe.err)
	}

	var top, bottom bytes.Buffer
	if err := reportTemplates.ExecuteTemplate(&top, "top", topView(docs)); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	if err := reportTemplates.ExecuteTemplate(&bottom, "bottom", bottomView(docs, bundle)); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	out, err := spliceBody(rendered.Bytes(), top.Bytes(), bottom.Bytes())
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	_, err = w.Write(out)
	return err
}

// spliceBody puts top right after <body> and bottom right before </body> of
// the page go-echarts rendered (its page template has no slot for our own
// HTML). The inlined ECharts text sits in <head>, so <body> is searched after
// the last </head>; chart options hold no '<' (scriptSafeOptions), so the last
// </body> is the real one.
func spliceBody(page, top, bottom []byte) ([]byte, error) {
	headEnd := bytes.LastIndex(page, []byte("</head>"))
	if headEnd < 0 {
		return nil, errors.New("go-echarts page has no </head>")
	}
	open := bytes.Index(page[headEnd:], []byte("<body>"))
	if open < 0 {
		return nil, errors.New("go-echarts page has no <body> after </head>")
	}
	open += headEnd + len("<body>")
	closing := bytes.LastIndex(page, []byte("</body>"))
	if closing < open {
		return nil, errors.New("go-echarts page has no </body> after <body>")
	}
	out := make([]byte, 0, len(page)+len(top)+len(bottom)+2)
	out = append(out, page[:open]...)
	out = append(out, '\n')
	out = append(out, top...)
	out = append(out, page[open:closing]...)
	out = append(out, bottom...)
	out = append(out, '\n')
	out = append(out, page[closing:]...)
	return out, nil
}

func pageTitle(d *Document) string {
	if strings.TrimSpace(d.Name) == "" {
		return "capsim report"
	}
	return d.Name
}

// scriptSafeOptions is a go-echarts configuration visitor. go-echarts writes
// each chart's option object into a <script> element without escaping
// (JSONNotEscaped | safeJS), so a series name such as "</script><b>x" would
// end the script and inject markup. Visit re-encodes every top-level option
// with encoding/json's HTML-safe escaping (<, >, & and U+2028/2029 become
// \u escapes), which JavaScript reads back as the same characters; the outer
// encoder copies the pre-encoded values verbatim. The catch: no option may
// hold a JS function (types.FuncStr), whose code would be escaped too; the
// report uses none.
type scriptSafeOptions struct {
	charts.BaseConfigurationVisitor
	err error
}

func (v *scriptSafeOptions) Visit(option map[string]any) {
	option["useUTC"] = true // axis labels and tooltips in UTC, like the document's times
	keys := make([]string, 0, len(option))
	for k := range option {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b, err := json.Marshal(option[k])
		if err != nil {
			v.err = errors.Join(v.err, fmt.Errorf("chart option %q: %w", k, err))
			continue
		}
		option[k] = json.RawMessage(b)
	}
}

// buildCharts makes the four time-series charts, one set of series per
// document, x = Row.Time on a time axis (so runs align by wall clock).
func buildCharts(docs []*Document, safe *scriptSafeOptions) []components.Charter {
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

	for i, d := range docs {
		rows := d.Timeseries
		load.AddSeries(name(d, "arrivals/s"), series(rows, func(r Row) any {
			return chartNumber(math.Round(float64(r.Arrivals)/rowSeconds*1000) / 1000)
		}), charts.WithLineChartOpts(smooth))
		load.AddSeries(name(d, "capacity"), series(rows, func(r Row) any { return chartNumber(r.CapacityRPS) }),
			charts.WithLineChartOpts(step), charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed"}))

		inst.AddSeries(name(d, "in service"), series(rows, func(r Row) any { return r.InService }), charts.WithLineChartOpts(step))
		inst.AddSeries(name(d, "pending"), series(rows, func(r Row) any { return r.Pending }), charts.WithLineChartOpts(step))
		inst.AddSeries(name(d, "desired"), series(rows, func(r Row) any { return r.Desired }),
			charts.WithLineChartOpts(step), charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed"}))

		lat.AddSeries(name(d, "p50"), series(rows, func(r Row) any { return chartOptional(r.P50Ms) }), charts.WithLineChartOpts(smooth))
		p99 := []charts.SeriesOpts{charts.WithLineChartOpts(smooth)}
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

		cpu.AddSeries(name(d, "cpu"), series(rows, func(r Row) any { return chartNumber(r.CPUPercent) }), charts.WithLineChartOpts(smooth))
	}

	all := []string{chartLoad, chartInstances, chartLatency, chartCPU}
	vars := make([]string, len(all))
	for i, id := range all {
		vars[i] = "goecharts_" + id
	}
	// Runs after the last chart is set up: link zoom and tooltips across the
	// charts, keep them sized to the window, and mark the page as drawn (the
	// browser test reads data-charts from the DOM).
	cpu.AddJSFuncs(`(function () {` +
		`var all = [` + strings.Join(vars, ", ") + `];` +
		`echarts.connect(all);` +
		`window.addEventListener("resize", function () { all.forEach(function (c) { c.resize(); }); });` +
		`document.body.setAttribute("data-charts", String(all.length));` +
		`})();`)

	return []components.Charter{load, inst, lat, cpu}
}

func newLineChart(id, title, unit string, safe *scriptSafeOptions) *charts.Line {
	c := charts.NewLine()
	c.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: "360px", Theme: "white"}),
		charts.WithAnimation(false),
		charts.WithTitleOpts(opts.Title{Title: title, Left: "10"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "4", Right: "10", Width: "65%"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithDataZoomOpts(
			opts.DataZoom{Type: "slider", XAxisIndex: 0},
			opts.DataZoom{Type: "inside", XAxisIndex: 0},
		),
		charts.WithGridOpts(opts.Grid{Left: "20", Right: "30", Top: "48", Bottom: "64", ContainLabel: opts.Bool(true)}),
		// A string template (not a JS function: see scriptSafeOptions); the
		// default labels show a bare day number ("2") at midnight.
		charts.WithXAxisOpts(opts.XAxis{Type: "time", AxisLabel: &opts.AxisLabel{Formatter: "{MM}-{dd} {HH}:{mm}", HideOverlap: opts.Bool(true), ShowMaxLabel: opts.Bool(false)}}),
		charts.WithYAxisOpts(opts.YAxis{Name: unit, Type: "value"}),
	)
	c.Accept(safe)
	return c
}

// series pairs each row's time with one value: [time, value] points on a
// time axis; a nil value is null in JSON, which ECharts draws as a gap.
func series(rows []Row, value func(Row) any) []opts.LineData {
	out := make([]opts.LineData, len(rows))
	for i, r := range rows {
		out[i] = opts.LineData{Value: [2]any{r.Time, value(r)}}
	}
	return out
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

func sloLimit(d *Document, name string) (float64, bool) {
	for _, c := range d.Summary.SLO.Checks {
		if c.Name == name && !math.IsNaN(c.Limit) && !math.IsInf(c.Limit, 0) {
			return c.Limit, true
		}
	}
	return 0, false
}

// ---- the HTML around the charts (html/template escapes every value) ----

type summaryRow struct {
	Name                                   string
	Requests, Completed, Rejected, Timeout string
	P50, P99                               string
	Peak, Mean                             string
	Cost                                   string
	SLOClass, SLOText, SLODetail           string
}

type activityView struct {
	Name      string // shown when the page holds several runs
	Rows      []activityRow
	Total     int
	Truncated bool
}

type activityRow struct {
	Time, Offset, Policy, Change, Reason string
}

type topData struct {
	Title, Description string
	Meta               []string
	Summary            []summaryRow
}

type bottomData struct {
	Activities     []activityView
	CapsimVersion  string
	EChartsVersion string
	Notice         string
	MaxRows        int
}

func topView(docs []*Document) topData {
	first := docs[0]
	t := topData{Title: pageTitle(first), Description: first.Description}
	for _, kv := range [][2]string{
		{"start", first.Start}, {"duration", first.Duration},
		{"seed", strconv.FormatUint(first.Seed, 10)}, {"capsim", first.CapsimVersion},
	} {
		if kv[1] != "" {
			t.Meta = append(t.Meta, kv[0]+" "+kv[1])
		}
	}
	for _, d := range docs {
		s := d.Summary
		row := summaryRow{
			Name:      pageTitle(d),
			Requests:  groupDigits(s.Requests.Total),
			Completed: groupDigits(s.Requests.Completed),
			Rejected:  groupDigits(s.Requests.Rejected),
			Timeout:   groupDigits(s.Requests.TimedOut),
			P50:       strconv.FormatFloat(s.LatencyMs.P50, 'f', 1, 64),
			P99:       strconv.FormatFloat(s.LatencyMs.P99, 'f', 1, 64),
			Peak:      strconv.Itoa(s.Instances.Peak),
			Mean:      strconv.FormatFloat(s.Instances.Mean, 'f', 2, 64),
			Cost:      usd(s.Cost.TotalUSD),
		}
		switch {
		case len(s.SLO.Checks) == 0:
			row.SLOClass, row.SLOText, row.SLODetail = "na", "no SLO", ""
		case s.SLO.Met:
			row.SLOClass, row.SLOText = "met", "met"
		default:
			row.SLOClass, row.SLOText = "missed", "missed"
		}
		var detail []string
		for _, c := range s.SLO.Checks {
			op := "≤"
			if !c.Met {
				op = ">"
			}
			detail = append(detail, fmt.Sprintf("%s %.4g %s %.4g", c.Name, c.Value, op, c.Limit))
		}
		row.SLODetail = strings.Join(detail, ", ")
		t.Summary = append(t.Summary, row)
	}
	return t
}

func bottomView(docs []*Document, b echartsBundle) bottomData {
	out := bottomData{
		CapsimVersion:  docs[0].CapsimVersion,
		EChartsVersion: b.version,
		Notice:         b.notice,
		MaxRows:        MaxActivityRows,
	}
	for _, d := range docs {
		v := activityView{Total: len(d.ScalingActivities)}
		if len(docs) > 1 {
			v.Name = pageTitle(d)
		}
		acts := d.ScalingActivities
		if len(acts) > MaxActivityRows {
			acts, v.Truncated = acts[:MaxActivityRows], true
		}
		for _, a := range acts {
			v.Rows = append(v.Rows, activityRow{
				Time: a.Time, Offset: a.Offset, Policy: a.Policy,
				Change: strconv.Itoa(a.From) + " → " + strconv.Itoa(a.To), Reason: a.Reason,
			})
		}
		out.Activities = append(out.Activities, v)
	}
	return out
}

// groupDigits writes 1234567 as 1,234,567.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func usd(v float64) string {
	if math.Abs(v) < 1 {
		return "$" + strconv.FormatFloat(v, 'f', 4, 64)
	}
	return "$" + strconv.FormatFloat(v, 'f', 2, 64)
}

var reportTemplates = template.Must(template.New("report").Parse(`
{{- define "top" -}}
<header class="report">
<h1>{{.Title}}</h1>
{{- with .Description}}
<p class="description">{{.}}</p>
{{- end}}
{{- with .Meta}}
<p class="meta">{{range $i, $m := .}}{{if $i}} · {{end}}{{$m}}{{end}}</p>
{{- end}}
</header>
<section class="summary">
<h2>Summary</h2>
<table>
<thead><tr><th>run</th><th>requests</th><th>completed</th><th>rejected</th><th>timed out</th><th>p50 ms</th><th>p99 ms</th><th>peak instances</th><th>mean instances</th><th>cost</th><th>SLO</th></tr></thead>
<tbody>
{{- range .Summary}}
<tr><td class="name">{{.Name}}</td><td>{{.Requests}}</td><td>{{.Completed}}</td><td>{{.Rejected}}</td><td>{{.Timeout}}</td><td>{{.P50}}</td><td>{{.P99}}</td><td>{{.Peak}}</td><td>{{.Mean}}</td><td>{{.Cost}}</td><td class="slo {{.SLOClass}}"{{with .SLODetail}} title="{{.}}"{{end}}>{{.SLOText}}{{with .SLODetail}}<br><small>{{.}}</small>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
</section>
<h2>Over time</h2>
<p class="hint">Drag the slider under a chart, or scroll over it, to zoom; the other charts follow.</p>
{{- end}}

{{- define "bottom" -}}
{{- range .Activities}}
<section class="activities">
<h2>Scaling activity{{with .Name}}: {{.}}{{end}}</h2>
{{- if .Rows}}
<table>
<thead><tr><th>time</th><th>policy</th><th class="change">from → to</th><th>reason</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr><td class="time"{{with .Offset}} title="+{{.}}"{{end}}>{{.Time}}</td><td>{{.Policy}}</td><td class="change">{{.Change}}</td><td class="reason">{{.Reason}}</td></tr>
{{- end}}
</tbody>
</table>
{{- if .Truncated}}
<p class="note">Showing the first {{$.MaxRows}} of {{.Total}} scaling activities; the JSON result holds all of them.</p>
{{- end}}
{{- else}}
<p class="note">No scaling activity.</p>
{{- end}}
</section>
{{- end}}
<footer>
<p>Made by capsim{{with .CapsimVersion}} {{.}}{{end}}. Charts drawn by Apache ECharts {{.EChartsVersion}} (Apache License 2.0), inlined so this file opens without a network.</p>
{{- with .Notice}}
<details><summary>Third-party notices</summary><pre>{{.}}</pre></details>
{{- end}}
</footer>
{{- end}}`))

// reportCSS styles our tables around the go-echarts chart containers
// (.container > .item).
const reportCSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; max-width: 1280px; margin: 0 auto; padding: 16px 24px; }
h1 { font-size: 22px; margin: 4px 0; }
h2 { font-size: 17px; margin: 22px 0 8px; }
.description { margin: 2px 0; }
.meta, .hint, .note, footer { color: #59636e; font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #d1d9e0; padding: 4px 8px; text-align: right; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.name, th:first-child, .activities th, .activities td { text-align: left; }
.activities .change { text-align: center; white-space: nowrap; }
td.slo.met { color: #1a7f37; font-weight: 600; }
td.slo.missed { color: #cf222e; font-weight: 600; }
td.slo.na { color: #59636e; }
td.slo small { font-weight: normal; color: #59636e; }
.container { margin: 8px 0 16px; }
footer { margin-top: 28px; border-top: 1px solid #d1d9e0; padding-top: 8px; }
footer pre { white-space: pre-wrap; }
`
