package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/components"

	"github.com/capsim/capsim/internal/humanize"
)

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

// WriteHTML writes one self-contained HTML page for one or more runs: a
// summary table, four zoom-linked charts (load vs capacity, instances,
// latency, CPU) and each run's scaling activity. With several documents every
// chart carries one set of series per document, so variants compare side by
// side; the page title and the description come from the first.
//
// ECharts is inlined, so the page opens with no network; a binary built
// without the bundle links the pinned version on EChartsCDN instead. Every string taken
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
	return writeHTML(w, bundle, docs)
}

func writeHTML(w io.Writer, bundle echartsBundle, docs []*Document) error {
	safe := &scriptSafeOptions{}
	lay := buildCharts(docs, safe)
	page := components.NewPage()
	page.SetPageTitle(comparisonTitle(docs))
	page.SetLayout(components.PageNoneLayout)
	page.AddCharts(lay.charts...)
	// AddCharts merges each chart's assets (the CDN echarts.min.js) into the
	// page, so clear them after it, then inline the embedded bundle instead.
	page.Assets.ClearPresetJSAssets()
	page.Assets.AddCustomizedHeaders(
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
		"<style>"+reportCSS+"</style>",
		bundle.script(),
	)
	var rendered bytes.Buffer
	if err := page.Render(&rendered); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	if safe.err != nil {
		return fmt.Errorf("html report: %w", safe.err)
	}

	data := map[string]any{
		"top":       topView(docs),
		"finance":   financeSection(docs),
		"year":      yearSection(docs),
		"providers": providersView(docs),
		"bottom":    bottomView(docs, bundle),
	}
	section := func(names []string) ([]byte, error) {
		var b bytes.Buffer
		for _, n := range names {
			if err := reportTemplates.ExecuteTemplate(&b, n, data[n]); err != nil {
				return nil, err
			}
		}
		return b.Bytes(), nil
	}
	before := make([][]byte, len(lay.before))
	for i, names := range lay.before {
		var err error
		if before[i], err = section(names); err != nil {
			return fmt.Errorf("html report: %w", err)
		}
	}
	after, err := section(append(lay.pending, "bottom"))
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	out, err := weaveBody(rendered.Bytes(), before, after)
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	_, err = w.Write(out)
	return err
}

// chartContainer opens each chart's element in go-echarts' page template.
var chartContainer = []byte(`<div class="container">`)

// weaveBody puts before[i] in front of the i-th chart's container of the
// page go-echarts rendered, and after right before </body> (its page
// template has no slot for our own HTML). The inlined ECharts text sits in
// <head>, so <body> is searched after the last </head>; chart options hold
// no '<' (scriptSafeOptions), so the containers found are the charts' own
// and the last </body> is the real one.
func weaveBody(page []byte, before [][]byte, after []byte) ([]byte, error) {
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
	body := page[open:closing]
	if n := bytes.Count(body, chartContainer); n != len(before) {
		return nil, fmt.Errorf("go-echarts page has %d chart containers, want %d", n, len(before))
	}
	size := len(page) + len(after) + 2
	for _, b := range before {
		size += len(b) + 1
	}
	out := make([]byte, 0, size)
	out = append(out, page[:open]...)
	for _, b := range before {
		i := bytes.Index(body, chartContainer)
		out = append(out, body[:i]...)
		out = append(out, '\n')
		out = append(out, b...)
		out = append(out, '\n')
		out = append(out, chartContainer...)
		body = body[i+len(chartContainer):]
	}
	out = append(out, body...)
	out = append(out, after...)
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
	ErrorRate, P50, P99                    cell
	Peak                                   string
	Mean, Cost, PerMillion                 cell
	SLOClass, SLOText, SLODetail           string
	SLOLines                               []string // SLODetail's checks, one a line
	Elasticity                             string   // θU/θO τU/τO υ, docs/elasticity.md
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
	Base               string // with several runs: the base scenario the header no longer names
	Glance             string // with several runs: the cheapest run meeting the SLO, and its saving
	Meta               []string
	Mode               string // the mode and its measured accuracy (ModeAccuracy)
	Summary            []summaryRow
	Tasks              []tasksRow      // the ECS runs' task table (html_ecs.go)
	Deployments        []deploymentRow // the ECS runs' deployments (ecs_deploy.go)
	Multi              bool
}

type bottomData struct {
	Activities     []activityView
	CapsimVersion  string
	EChartsVersion string
	EChartsCDN     string // where the page loads ECharts from; empty when inlined
	Notice         string
	MaxRows        int
}

func topView(docs []*Document) topData {
	first := docs[0]
	t := topData{Title: comparisonTitle(docs), Description: first.Description, Multi: len(docs) > 1, Glance: glanceSentence(docs),
		Mode: ModeAccuracy(first.Mode)}
	if t.Multi {
		t.Base = pageTitle(first)
	}
	for _, kv := range [][2]string{
		{"start", StartText(first.Start)}, {"duration", DurationText(first.Duration)},
		{"seed", strconv.FormatUint(first.Seed, 10)}, {"capsim", first.CapsimVersion},
		{"mode", ModeText(first.Mode)},
	} {
		if kv[1] != "" {
			t.Meta = append(t.Meta, kv[0]+" "+kv[1])
		}
	}
	for _, d := range docs {
		s := d.Summary
		row := summaryRow{
			Name:       pageTitle(d),
			Requests:   humanize.Int(s.Requests.Total),
			Completed:  humanize.Int(s.Requests.Completed),
			Rejected:   humanize.Int(s.Requests.Rejected),
			Timeout:    humanize.Int(s.Requests.TimedOut),
			ErrorRate:  cell{Text: humanize.Percent(errorRate(s.Requests)), Value: errorRate(s.Requests)},
			P50:        cell{Text: humanize.Millis(s.LatencyMs.P50), Value: s.LatencyMs.P50},
			P99:        cell{Text: humanize.Millis(s.LatencyMs.P99), Value: s.LatencyMs.P99},
			Peak:       strconv.Itoa(s.Instances.Peak),
			Mean:       cell{Text: humanize.Sig(s.Instances.Mean), Value: s.Instances.Mean},
			Cost:       cell{Text: humanize.USD(s.Cost.TotalUSD), Value: s.Cost.TotalUSD},
			PerMillion: cell{Text: humanize.USD(s.Cost.PerMillionRequestsUSD), Value: s.Cost.PerMillionRequestsUSD},
			Elasticity: elasticityCompact(s.Elasticity),
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
			v, l := c.Human()
			detail = append(detail, c.Label()+" "+v+" "+op+" "+l)
		}
		row.SLODetail, row.SLOLines = strings.Join(detail, ", "), detail
		t.Summary = append(t.Summary, row)
	}
	markBest(t.Summary)
	t.Tasks = tasksView(docs)
	t.Deployments = deploymentsView(docs)
	return t
}

// markBest marks, with several runs, the lowest value of each column whose
// smaller is better: error rate, p50, p99, mean instances, cost and cost
// per million requests.
func markBest(rows []summaryRow) {
	cols := make([][]*cell, 6)
	for i := range rows {
		r := &rows[i]
		for k, c := range []*cell{&r.ErrorRate, &r.P50, &r.P99, &r.Mean, &r.Cost, &r.PerMillion} {
			cols[k] = append(cols[k], c)
		}
	}
	markLowest(cols)
}

// errorRate is (rejected + timed out) / total, as Compare computes it.
func errorRate(r Requests) float64 {
	if r.Total == 0 {
		return 0
	}
	return float64(r.Rejected+r.TimedOut) / float64(r.Total)
}

func bottomView(docs []*Document, b echartsBundle) bottomData {
	out := bottomData{
		CapsimVersion:  docs[0].CapsimVersion,
		EChartsVersion: b.version,
		EChartsCDN:     b.src,
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
			row := activityRow{
				Time: a.Time, Offset: a.Offset, Policy: a.Policy,
				Change: strconv.Itoa(a.From) + " → " + strconv.Itoa(a.To), Reason: a.Reason,
			}
			if d.Start == defaultStart { // no wall clock: time since t = 0 says more
				row.Time, row.Offset = "+"+a.Offset, ""
			}
			v.Rows = append(v.Rows, row)
		}
		out.Activities = append(out.Activities, v)
	}
	return out
}

var reportTemplates = template.Must(template.New("report").Parse(`
{{- define "top" -}}
<header class="report">
<h1>{{.Title}}</h1>
{{- if .Base}}
<p class="description">Base scenario: {{.Base}}{{with .Description}} — {{.}}{{end}}</p>
{{- else}}{{with .Description}}
<p class="description">{{.}}</p>
{{- end}}{{end}}
{{- with .Meta}}
<p class="meta">{{range $i, $m := .}}{{if $i}} · {{end}}{{$m}}{{end}}</p>
{{- end}}
{{- with .Mode}}
<p class="mode"><strong>Mode</strong> {{.}}</p>
{{- end}}
</header>
<section class="summary">
<h2>Summary</h2>
{{- with .Glance}}
<p class="glance">{{.}}</p>
{{- end}}
<table>
<thead><tr><th>run</th><th>requests</th><th>completed</th><th>rejected</th><th>timed out</th><th>error rate</th><th>p50</th><th>p99</th><th>peak instances</th><th>mean instances</th><th>cost</th><th>per M requests</th><th title="under/over-provisioning accuracy θU/θO, timeshare τU/τO, instability υ (docs/elasticity.md)">θU/θO τU/τO υ %</th><th>SLO</th></tr></thead>
<tbody>
{{- range .Summary}}
<tr><td class="name">{{.Name}}</td><td>{{.Requests}}</td><td>{{.Completed}}</td><td>{{.Rejected}}</td><td>{{.Timeout}}</td>{{template "cell" .ErrorRate}}{{template "cell" .P50}}{{template "cell" .P99}}<td>{{.Peak}}</td>{{template "cell" .Mean}}{{template "cell" .Cost}}{{template "cell" .PerMillion}}<td>{{.Elasticity}}</td><td class="slo {{.SLOClass}}"{{with .SLODetail}} title="{{.}}"{{end}}>{{.SLOText}}{{with .SLOLines}}<br><small>{{range $i, $l := .}}{{if $i}}<br>{{end}}{{$l}}{{end}}</small>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- if .Multi}}
<p class="note"><strong>★</strong> marks the best (lowest) value of a column.</p>
{{- end}}
{{- template "tasks" .Tasks}}
{{- template "deployments" .Deployments}}
</section>
<h2>Over time</h2>
<p class="hint">Drag the slider under a chart, or scroll over it, to zoom; the other charts follow.</p>
{{- end}}

{{- define "cell" -}}
{{if .Best}}<td class="best"><strong>★ {{.Text}}</strong></td>{{else}}<td>{{.Text}}</td>{{end}}
{{- end}}

{{- define "distribution" -}}
<h2>Latency distribution</h2>
<p class="hint">The result keeps latency percentiles, not every request: the curve steps through p50, p90, p95, p99, p99.9 and the maximum.</p>
{{- end}}

{{- define "cost" -}}
<h2>Cost</h2>
{{- end}}

{{- define "forecast" -}}
<h2>Predictive scaling forecast</h2>
<p class="hint">Each predictive policy's hourly forecast (dashed) beside the load measured in that hour, in the policy's metric × instances; the capacity it planned is on the right axis. Hours after the end of the run have no measurement.</p>
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
<p>Made by capsim{{with .CapsimVersion}} {{.}}{{end}}. Charts drawn by Apache ECharts {{.EChartsVersion}} (Apache License 2.0), {{if .EChartsCDN}}loaded from {{.EChartsCDN}}: the charts need the network (a capsim built after <code>make assets</code> inlines ECharts, so its reports open offline){{else}}inlined so this file opens without a network{{end}}.</p>
{{- with .Notice}}
<details><summary>Third-party notices</summary><pre>{{.}}</pre></details>
{{- end}}
</footer>
{{- end}}` + financeTemplate))

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
.summary { overflow-x: auto; } /* a narrow window scrolls the table, the page keeps its width */
.summary table { font-size: 13px; } /* fourteen columns fit 1,200 px (docs/ci.md's screenshot) */
.summary th, .summary td { padding: 4px 4px; }
.summary td.slo { min-width: 8em; }
td.best { color: #0a3069; white-space: nowrap; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.finance table { margin-bottom: 4px; }
.finance td { white-space: nowrap; }
.finance .prices td, .finance .whatif td { white-space: normal; }
.finance table.breakdown { width: auto; min-width: 50%; }
ul.warnings { margin: 4px 0; padding-left: 20px; color: #9a6700; }
.container { margin: 8px 0 16px; }
footer { margin-top: 28px; border-top: 1px solid #d1d9e0; padding-top: 8px; }
footer pre { white-space: pre-wrap; }
.mode { margin: 4px 0; padding: 4px 8px; background: #f6f8fa; border-left: 3px solid #0969da; font-size: 12px; }
.year td { white-space: nowrap; }
.glance { font-size: 15px; font-weight: 600; margin: 4px 0 8px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  .summary { overflow: visible; }
  .summary table { font-size: 10px; } /* the fourteen columns fit A4 landscape */
  .hint { display: none; }
  .container, table, tr, .glance { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .activities { break-before: page; }
  th { background: none; }
  details { display: none; }
}
`
