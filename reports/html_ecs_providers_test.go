package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/pricing"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// TestProviderSummary: ec2-od-and-spot's summary.capacity_providers holds
// its on-demand and its spot provider in strategy order, and their
// figures add up to the cluster's (summary.instances, the on_demand and
// spot lines: the scenario has no RI or Savings Plan); a run with one
// provider has none.
func TestProviderSummary(t *testing.T) {
	docs := ecsCompareDocs(t)
	sp := docs[3]
	ps := sp.Summary.CapacityProviders
	if len(ps) != 2 || ps[0].Name != "od" || ps[1].Name != "spot" {
		t.Fatalf("capacity_providers %+v: want od then spot", ps)
	}
	if ps[0].Purchase != "on_demand" || ps[1].Purchase != "spot" || ps[0].InstanceType != "c5.large" || ps[1].TargetCapacity != 100 {
		t.Errorf("capacity_providers %+v: want od on_demand, spot spot, c5.large, target 100", ps)
	}
	in := sp.Summary.Instances
	if got := ps[0].MeanInService + ps[1].MeanInService; math.Abs(got-in.Mean) > 0.002 {
		t.Errorf("providers' mean in service %g + %g, the cluster's %g", ps[0].MeanInService, ps[1].MeanInService, in.Mean)
	}
	if got := ps[0].InstanceHours + ps[1].InstanceHours; math.Abs(got-in.InstanceHours) > 0.001 {
		t.Errorf("providers' instance-hours add up to %g, the cluster's %g", got, in.InstanceHours)
	}
	if ps[0].PeakInService+ps[1].PeakInService < in.Peak || ps[0].PeakInService == 0 || ps[1].PeakInService == 0 {
		t.Errorf("peaks %d and %d, the cluster's %d", ps[0].PeakInService, ps[1].PeakInService, in.Peak)
	}
	lines := sp.Summary.Cost.ByLine
	if got, want := ps[0].CostUSD+ps[1].CostUSD, lines[pricing.LineOnDemand]+lines[pricing.LineSpot]; math.Abs(got-want) > 1e-5 || ps[1].CostUSD <= 0 {
		t.Errorf("providers cost $%g + $%g, the on_demand and spot lines $%g", ps[0].CostUSD, ps[1].CostUSD, want)
	}
	if math.Abs(ps[0].CostUSD-lines[pricing.LineOnDemand]) > 1e-5 {
		t.Errorf("od costs $%g, the on_demand line $%g (the spot group has no on-demand instance)", ps[0].CostUSD, lines[pricing.LineOnDemand])
	}
	b, err := json.Marshal(docs[0].Summary)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "capacity_providers") {
		t.Error("a run with one capacity provider has summary.capacity_providers")
	}
}

// TestProviderReport: a run with two capacity providers adds the provider
// table and its two charts — a series per provider, in the zoom group —
// and a run with one provider, or none, has none of it.
func TestProviderReport(t *testing.T) {
	docs := ecsCompareDocs(t)
	sp := docs[3]
	ids := func(ds ...*Document) []string { return buildCharts(ds, &scriptSafeOptions{}).ids }
	if got := ids(sp); !slices.Contains(got, "cp_instances_0") || !slices.Contains(got, "cp_reservation_0") {
		t.Errorf("two providers: charts %v, want cp_instances_0 and cp_reservation_0", got)
	}
	for _, d := range []*Document{docs[0], docs[1], docs[2], sampleDocument("web", 0)} {
		if got := ids(d); slices.ContainsFunc(got, func(id string) bool { return strings.HasPrefix(id, "cp_") }) {
			t.Errorf("%s: charts %v, want no provider chart", d.Name, got)
		}
	}
	page := string(renderHTML(t, sp))
	p := sp.Summary.CapacityProviders[1]
	row := fmt.Sprintf(`<tr><td class="name">spot</td><td>spot</td><td>c5.large</td><td>100 %%</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>`,
		p.PeakInService, esc(humanize.Sig(p.MeanInService)), esc(humanize.Sig(p.InstanceHours)), esc(humanize.USD(p.CostUSD)))
	for _, w := range []string{"<h3>Capacity providers</h3>", row, `<td class="name">od</td><td>on-demand</td>`,
		`"name":"od in service"`, `"name":"spot in service"`, `"name":"od desired"`, `"name":"spot desired"`,
		`"name":"od reservation %"`, `"name":"spot reservation %"`, `"stack":"in service"`, `"stack":"desired"`,
		"Instances by capacity provider", "Capacity provider reservation", `"yAxis":100`, "target_capacity {c} %"} {
		if !strings.Contains(page, w) {
			t.Errorf("the two-provider report lacks %q", w)
		}
	}
	// Both charts zoom with the other time charts.
	linked := regexp.MustCompile(`var linked = \[([^\]]*)\]`).FindStringSubmatch(page)
	if linked == nil || !strings.Contains(linked[1], "goecharts_cp_instances_0") || !strings.Contains(linked[1], "goecharts_cp_reservation_0") {
		t.Errorf("the provider charts are not in the zoom group: %v", linked)
	}
	for _, d := range []*Document{docs[0], sampleDocument("web", 0)} {
		plain := string(renderHTML(t, d))
		for _, no := range []string{"Capacity providers", "cp_instances", "cp_reservation", "Instances by capacity provider", `"stack":"in service"`, `"stack":"desired"`} {
			if strings.Contains(plain, no) {
				t.Errorf("%s: the report has %q", d.Name, no)
			}
		}
	}
	// A comparison names the run in the table and the charts' titles.
	cmp := string(renderHTML(t, docs...))
	for _, w := range []string{`<tr><td class="name">ec2-od-and-spot</td><td class="name">od</td>`, "Instances by capacity provider: ec2-od-and-spot", `id="cp_reservation_3"`} {
		if !strings.Contains(cmp, w) {
			t.Errorf("the comparison lacks %q", w)
		}
	}
}

// TestProviderTargets: providers with different target capacities get a
// marked line each, in their colours; the same target, one.
func TestProviderTargets(t *testing.T) {
	d := *ecsCompareDocs(t)[3]
	d.Summary.CapacityProviders = slices.Clone(d.Summary.CapacityProviders)
	d.Summary.CapacityProviders[1].TargetCapacity = 80
	page := string(renderHTML(t, &d))
	for _, w := range []string{"od target {c} %", "spot target {c} %", `"yAxis":80`} {
		if !strings.Contains(page, w) {
			t.Errorf("targets 100 and 80: the report lacks %q", w)
		}
	}
	if strings.Contains(page, "target_capacity {c} %") {
		t.Error("targets 100 and 80 drawn as one line")
	}
}

// TestProviderStackRows: beyond maxChartPoints the provider bands and
// desired lines all keep the same rows, so the stacks add up.
func TestProviderStackRows(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	rows := make([]Row, 2*maxChartPoints+13)
	for i := range rows {
		rows[i] = Row{Time: start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339), RowECS: &RowECS{CapacityProviders: []ProviderRow{
			{Name: "a", InService: (i * 7) % 13, Desired: (i * 3) % 5}, {Name: "b", InService: (i * 11) % 17, Desired: i % 4}}}}
	}
	d := &Document{Name: "long", Timeseries: rows}
	c := providerInstancesChart([]*Document{d}, 0, providerNames(d), &scriptSafeOptions{})
	if len(c.MultiSeries) != 4 {
		t.Fatalf("%d series, want 4", len(c.MultiSeries))
	}
	first := c.MultiSeries[0].Data.([]opts.LineData)
	if len(first) > maxChartPoints {
		t.Errorf("%d points, want ≤ %d", len(first), maxChartPoints)
	}
	for _, s := range c.MultiSeries[1:] {
		data := s.Data.([]opts.LineData)
		if len(data) != len(first) {
			t.Fatalf("series %s has %d points, %s %d", s.Name, len(data), c.MultiSeries[0].Name, len(first))
		}
		for k := range data {
			if data[k].Value.([2]any)[0] != first[k].Value.([2]any)[0] {
				t.Fatalf("point %d: %s at %v, %s at %v", k, s.Name, data[k].Value, c.MultiSeries[0].Name, first[k].Value)
			}
		}
	}
}
