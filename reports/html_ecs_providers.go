// The report's capacity-provider charts and table (docs/outputs.md "ECS
// services"): drawn only for runs whose service has several capacity
// providers (docs/ecs.md "Several capacity providers"), so the report of
// any other run is unchanged.

package reports

import (
	"html/template"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/capsim/capsim/internal/humanize"
)

// providerInstancesID and providerReservationID name run i's two
// provider charts: only [a-z0-9_], since
// an ID is also a JS variable name.
func providerInstancesID(run int) string   { return "cp_instances_" + strconv.Itoa(run) }
func providerReservationID(run int) string { return "cp_reservation_" + strconv.Itoa(run) }

// providerNames are the capacity providers of a run with several, in
// strategy order, from its rows (nil with one or none).
func providerNames(d *Document) []string {
	if !isECS(d) {
		return nil
	}
	var names []string
	for _, p := range d.Timeseries[0].CapacityProviders {
		names = append(names, p.Name)
	}
	return names
}

// providerAt is the named provider's minute of row r (nil: not there).
func providerAt(r Row, name string) *ProviderRow {
	if r.RowECS == nil {
		return nil
	}
	for k := range r.CapacityProviders {
		if r.CapacityProviders[k].Name == name {
			return &r.CapacityProviders[k]
		}
	}
	return nil
}

// providerSummary is the named provider's summary figures (nil: a
// document without them).
func providerSummary(d *Document, name string) *CapacityProvider {
	for k := range d.Summary.CapacityProviders {
		if d.Summary.CapacityProviders[k].Name == name {
			return &d.Summary.CapacityProviders[k]
		}
	}
	return nil
}

// addProviderCharts puts, for each run with several capacity providers,
// its two provider charts among the zoom-linked time charts, under the
// provider table.
func addProviderCharts(lay *pageLayout, docs []*Document, safe *scriptSafeOptions) {
	first := true
	for i, d := range docs {
		names := providerNames(d)
		if len(names) == 0 {
			continue
		}
		if first {
			lay.section("providers")
			first = false
		}
		lay.add(providerInstancesID(i), providerInstancesChart(docs, i, names, safe))
		lay.add(providerReservationID(i), providerReservationChart(docs, i, names, safe))
	}
}

// providerTitle names a provider chart, with the run's name on a page of
// several runs.
func providerTitle(docs []*Document, i int, title string) string {
	if len(docs) == 1 {
		return title
	}
	return title + ": " + pageTitle(docs[i])
}

// providerStyle colours provider k (runPalette, in strategy order).
func providerStyle(k int, lineType string) []charts.SeriesOpts {
	c := runColour(k)
	return []charts.SeriesOpts{charts.WithLineStyleOpts(opts.LineStyle{Color: c, Type: lineType}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: c})}
}

// providerInstancesChart stacks each provider's instances in service, a
// band a provider, and its desired capacity dashed, stacked in the same
// order: each dashed line is where its band's top would be with every
// desired instance in service. The stacks share their rows (stackRows).
func providerInstancesChart(docs []*Document, i int, names []string, safe *scriptSafeOptions) *charts.Line {
	d := docs[i]
	c := newLineChart(providerInstancesID(i), providerTitle(docs, i, "Instances by capacity provider"), "instances", safe)
	rows := d.Timeseries
	count := func(name string, of func(*ProviderRow) int) func(Row) any {
		return func(r Row) any {
			if p := providerAt(r, name); p != nil {
				return of(p)
			}
			return nil
		}
	}
	inService := func(p *ProviderRow) int { return p.InService }
	desired := func(p *ProviderRow) int { return p.Desired }
	idx := stackRows(rows, func(r Row) float64 {
		var sum int
		for _, p := range r.CapacityProviders {
			sum += p.InService + p.Desired
		}
		return float64(sum)
	})
	for k, name := range names {
		lc := opts.LineChart{ShowSymbol: opts.Bool(false), Step: "end", Stack: "in service"}
		c.AddSeries(name+" in service", seriesAt(rows, idx, count(name, inService)),
			append(providerStyle(k, ""), charts.WithLineChartOpts(lc), charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.45)}))...)
	}
	for k, name := range names {
		lc := opts.LineChart{ShowSymbol: opts.Bool(false), Step: "end", Stack: "desired"}
		c.AddSeries(name+" desired", seriesAt(rows, idx, count(name, desired)), append(providerStyle(k, "dashed"), charts.WithLineChartOpts(lc))...)
	}
	return c
}

// providerReservationChart draws each provider's
// CapacityProviderReservation against its target_capacity (a marked
// line; one, grey, when every provider has the same target): above it
// the provider's managed scaling adds instances, below it removes them.
func providerReservationChart(docs []*Document, i int, names []string, safe *scriptSafeOptions) *charts.Line {
	d := docs[i]
	c := newLineChart(providerReservationID(i), providerTitle(docs, i, "Capacity provider reservation"), "reservation %", safe)
	targets := make([]int, len(names))
	same := true
	for k, name := range names {
		if s := providerSummary(d, name); s != nil {
			targets[k] = s.TargetCapacity
		}
		same = same && targets[k] == targets[0]
	}
	for k, name := range names {
		o := append(providerStyle(k, ""), charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), Step: "end"}))
		colour, label := runColour(k), name+" target {c} %"
		if same {
			colour, label = sharedColour, "target_capacity {c} %"
		}
		if t := targets[k]; t > 0 && (!same || k == 0) {
			o = append(o,
				charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: name + " target_capacity", YAxis: t}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
					Symbol:    []string{"none", "none"},
					Label:     &opts.Label{Show: opts.Bool(true), Position: "insideStartTop", Formatter: label},
					LineStyle: &opts.LineStyle{Color: colour, Type: "dashed"},
				}))
		}
		c.AddSeries(name+" reservation %", series(d.Timeseries, func(r Row) any {
			if p := providerAt(r, name); p != nil {
				return chartNumber(p.CapacityProviderReservation)
			}
			return nil
		}), o...)
	}
	return c
}

// providerRow is one capacity provider's line of the provider table.
type providerRow struct {
	Run, Name, Purchase, InstanceType, Target string
	Peak, Mean, InstanceHours, Cost           string
}

// providersData is the provider table: its rows, and whether it names
// the runs (a page of several).
type providersData struct {
	Multi bool
	Rows  []providerRow
}

// purchaseLabels are CapacityProvider.Purchase in words.
var purchaseLabels = map[string]string{"on_demand": "on-demand", "spot": "spot", "mixed": "on-demand and spot"}

// providersView is the provider table of the runs with several capacity
// providers among docs, from their summary.capacity_providers.
func providersView(docs []*Document) providersData {
	out := providersData{Multi: len(docs) > 1}
	for _, d := range docs {
		for _, p := range d.Summary.CapacityProviders {
			target := "fixed group"
			if p.TargetCapacity > 0 {
				target = strconv.Itoa(p.TargetCapacity) + " %"
			}
			purchase, ok := purchaseLabels[p.Purchase]
			if !ok {
				purchase = p.Purchase
			}
			out.Rows = append(out.Rows, providerRow{Run: pageTitle(d), Name: p.Name, Purchase: purchase, InstanceType: p.InstanceType,
				Target: target, Peak: strconv.Itoa(p.PeakInService), Mean: humanize.Sig(p.MeanInService),
				InstanceHours: humanize.Sig(p.InstanceHours), Cost: humanize.USD(p.CostUSD)})
		}
	}
	return out
}

// The provider section's template: its heading, table and the charts' key.
func init() {
	template.Must(reportTemplates.New("ecs-provider-templates").Parse(`
{{- define "providers" -}}
<h3>Capacity providers</h3>
{{- if .Rows}}
<table class="providers">
<thead><tr>{{if .Multi}}<th>run</th>{{end}}<th>provider</th><th>purchase</th><th>instance type</th><th title="managed scaling's target_capacity">target capacity</th><th>peak in service</th><th>mean in service</th><th title="launch to termination, as summary.instances.instance_hours">instance-hours</th><th title="on-demand and spot time of its instances and the Savings Plan dollars covering it; RI fees and unused commitment are the account's">cost</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{if $.Multi}}<td class="name">{{.Run}}</td>{{end}}<td class="name">{{.Name}}</td><td>{{.Purchase}}</td><td>{{.InstanceType}}</td><td>{{.Target}}</td><td>{{.Peak}}</td><td>{{.Mean}}</td><td>{{.InstanceHours}}</td><td>{{.Cost}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
<p class="hint">Each capacity provider's Auto Scaling group: its instances in service stacked, a band a provider, with its desired capacity dashed and stacked in the same order (each dashed line is where its band's top would be with every desired instance in service); and each provider's CapacityProviderReservation against its target capacity — above the target its managed scaling adds instances, below it removes them.</p>
{{- end}}
`))
}
