package reports

import (
	"slices"
	"strings"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/pricing"
)

// financeView is the report's finance section: HTML tables of what
// summary.cost holds, each shown only when some run has it.
type financeView struct {
	Multi       bool
	Runs        []string // column heads of the breakdown tables
	Rates       []financeRates
	Breakdowns  []breakdownTable
	Idle        []idleRow
	Prices      []priceRow
	Commitments []commitmentRow
	Warnings    []warningGroup
	WhatIf      []whatIfRow
	// WhatIfSource is the what-if's discount source when every run shares it.
	WhatIfSource string
}

type financeRates struct {
	Name                                    string
	Total, Hour, Day, Month, Year, PerMReqs string
}

type breakdownTable struct {
	Title, Head, Note string
	Rows              []breakdownRow
}

type breakdownRow struct {
	Name  string
	Cells []string
}

type idleRow struct {
	Name, Paid, Busy, Share, USD string
}

type priceRow struct {
	Name, Source, Date, Region, OS string
}

type commitmentRow struct {
	Name, Reserved, ReservedUSD, SavingsPlan, SavingsPlanUSD, Credits string
}

type warningGroup struct {
	Name     string
	Warnings []string
}

type whatIfRow struct {
	Name, Kind, Discount, Source              string
	Current, OnDemand, NoPlan, Best, BestBill string
	SavingNow, SavingOnDemand, BreakEven      string
}

func financeSection(docs []*Document) financeView {
	v := financeView{Multi: len(docs) > 1}
	for _, d := range docs {
		v.Runs = append(v.Runs, pageTitle(d))
	}
	for _, d := range docs {
		c := d.Summary.Cost
		month := c.Rates.PerMonthUSD
		if month == 0 {
			month = c.MonthlyProjectionUSD
		}
		r := financeRates{Name: pageTitle(d), Total: humanize.USD(c.TotalUSD), Month: humanize.USD(month), PerMReqs: humanize.USD(c.PerMillionRequestsUSD),
			Hour: "–", Day: "–", Year: "–"}
		if c.Rates.PerHourUSD != 0 {
			r.Hour, r.Day, r.Year = humanize.USD(c.Rates.PerHourUSD), humanize.USD(c.Rates.PerDayUSD), humanize.USD(c.Rates.PerYearUSD)
		}
		v.Rates = append(v.Rates, r)
	}

	if keys := costLineKeys(docs); len(keys) > 0 {
		t := breakdownTable{Title: "By cost line", Head: "line", Note: "share of the bill"}
		for _, k := range keys {
			t.Rows = append(t.Rows, breakdownCells(docs, lineLabel(k), func(c Cost) (float64, bool, float64) {
				v, ok := c.ByLine[k]
				return v, ok, c.TotalUSD
			}))
		}
		v.Breakdowns = append(v.Breakdowns, t)
	}
	for _, b := range []struct {
		title, head string
		m           func(Cost) map[string]float64
	}{
		{"By purchase option", "purchase option", func(c Cost) map[string]float64 { return c.ByPurchaseOption }},
		{"By instance type", "instance type", func(c Cost) map[string]float64 { return c.ByInstanceType }},
	} {
		var keys []string
		for _, d := range docs {
			for k := range b.m(d.Summary.Cost) {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
		if len(keys) == 0 {
			continue
		}
		slices.Sort(keys)
		t := breakdownTable{Title: b.title, Head: b.head, Note: "share of the instances' cost"}
		for _, k := range keys {
			t.Rows = append(t.Rows, breakdownCells(docs, strings.ReplaceAll(k, "_", "-"), func(c Cost) (float64, bool, float64) {
				v, ok := b.m(c)[k]
				whole := c.InstancesUSD
				if whole == 0 {
					for _, x := range b.m(c) {
						whole += x
					}
				}
				return v, ok, whole
			}))
		}
		v.Breakdowns = append(v.Breakdowns, t)
	}

	for _, d := range docs {
		i := d.Summary.Cost.Idle
		if i.PaidVCPUHours > 0 {
			v.Idle = append(v.Idle, idleRow{Name: pageTitle(d), Paid: humanize.Fixed(i.PaidVCPUHours, 1), Busy: humanize.Fixed(i.BusyVCPUHours, 1),
				Share: humanize.Percent(i.IdleShare), USD: humanize.USD(i.IdleUSD)})
		}
	}

	for _, d := range docs {
		c := d.Summary.Cost
		p := priceRow{Name: pageTitle(d), Source: c.PriceList.Source, Date: c.PriceList.Date, Region: c.PriceList.Region, OS: c.PriceList.OS}
		if p.Source == "" {
			p.Source = c.PriceSource
		}
		if p.Source == "" && p.Date == "" {
			continue
		}
		v.Prices = append(v.Prices, p)
	}
	if len(v.Prices) > 1 && allSame(v.Prices, func(p priceRow) priceRow { p.Name = ""; return p }) && len(v.Prices) == len(docs) {
		v.Prices = v.Prices[:1]
		v.Prices[0].Name = "every run"
	}

	for _, d := range docs {
		c := d.Summary.Cost
		ri, riOK := c.ByLine[pricing.LineReserved]
		sp, spOK := c.ByLine[pricing.LineSavingsPlans]
		cm := c.Commitments
		if !riOK && !spOK && cm.ReservedUsedShare == 0 && cm.SavingsPlanUsedShare == 0 && cm.SurplusCredits == 0 {
			continue
		}
		row := commitmentRow{Name: pageTitle(d), Reserved: "–", ReservedUSD: "–", SavingsPlan: "–", SavingsPlanUSD: "–",
			Credits: humanize.Fixed(cm.SurplusCredits, 1)}
		if riOK || cm.ReservedUsedShare != 0 {
			row.Reserved, row.ReservedUSD = humanize.Percent(cm.ReservedUsedShare), humanize.USD(ri)
		}
		if spOK || cm.SavingsPlanUsedShare != 0 {
			row.SavingsPlan, row.SavingsPlanUSD = humanize.Percent(cm.SavingsPlanUsedShare), humanize.USD(sp)
		}
		v.Commitments = append(v.Commitments, row)
	}

	for _, d := range docs {
		if ws := d.Summary.Cost.Warnings; len(ws) > 0 {
			v.Warnings = append(v.Warnings, warningGroup{Name: pageTitle(d), Warnings: ws})
		}
	}

	for _, d := range docs {
		w := d.Summary.Cost.SavingsPlanWhatIf
		if w == nil {
			continue
		}
		c := d.Summary.Cost
		row := whatIfRow{Name: pageTitle(d), Kind: w.Kind, Discount: humanize.Percent(w.Discount), Source: w.DiscountSource,
			Current: humanize.USD(c.TotalUSD), OnDemand: "–", NoPlan: humanize.USD(w.NoPlanUSD),
			Best: perHour(w.BestUSDPerHour), BestBill: humanize.USD(w.BestUSD),
			SavingNow: saving(w.BestUSD, c.TotalUSD), SavingOnDemand: saving(w.BestUSD, w.AllOnDemandUSD),
			BreakEven: perHour(w.BreakEvenUSDPerHour)}
		if w.AllOnDemandUSD != 0 {
			row.OnDemand = humanize.USD(w.AllOnDemandUSD)
		}
		v.WhatIf = append(v.WhatIf, row)
	}
	if len(v.WhatIf) > 0 && allSame(v.WhatIf, func(w whatIfRow) string { return w.Source }) {
		v.WhatIfSource = v.WhatIf[0].Source
	}
	return v
}

// breakdownCells is one row of a breakdown table: each run's amount and
// its share of whole, or "–" when the run has no such entry.
func breakdownCells(docs []*Document, name string, get func(Cost) (v float64, ok bool, whole float64)) breakdownRow {
	row := breakdownRow{Name: name}
	for _, d := range docs {
		v, ok, whole := get(d.Summary.Cost)
		if !ok {
			row.Cells = append(row.Cells, "–")
			continue
		}
		cell := humanize.USD(v)
		if whole > 0 {
			cell += " · " + humanize.Percent(v/whole)
		}
		row.Cells = append(row.Cells, cell)
	}
	return row
}

func allSame[T any, K comparable](xs []T, key func(T) K) bool {
	for _, x := range xs[1:] {
		if key(x) != key(xs[0]) {
			return false
		}
	}
	return true
}

const financeTemplate = `
{{- define "finance" -}}
<section class="finance">
<h2>Finance</h2>
<h3>Bill and rates</h3>
<p class="hint">Rates project the simulated period's bill: a month is 730 hours, a year 8,760.</p>
<table>
<thead><tr><th>run</th><th>bill</th><th>per hour</th><th>per day</th><th>per month (730 h)</th><th>per year</th><th>per million requests</th></tr></thead>
<tbody>
{{- range .Rates}}
<tr><td class="name">{{.Name}}</td><td>{{.Total}}</td><td>{{.Hour}}</td><td>{{.Day}}</td><td><strong>{{.Month}}</strong></td><td>{{.Year}}</td><td>{{.PerMReqs}}</td></tr>
{{- end}}
</tbody>
</table>
{{- range .Breakdowns}}
<h3>{{.Title}}</h3>
<table class="breakdown">
<thead><tr><th>{{.Head}}</th>{{range $.Runs}}<th>{{if $.Multi}}{{.}}{{else}}cost{{end}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr><td class="name">{{.Name}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
<p class="note">Each cell: USD · {{.Note}}.</p>
{{- end}}
{{- with .Idle}}
<h3>Idle capacity</h3>
<p class="hint">Paid vCPU time nobody used (paid minus busy vCPU-hours), priced at the instances' cost.</p>
<table>
<thead><tr><th>run</th><th>paid vCPU-h</th><th>busy vCPU-h</th><th>idle share</th><th>idle cost</th></tr></thead>
<tbody>
{{- range .}}
<tr><td class="name">{{.Name}}</td><td>{{.Paid}}</td><td>{{.Busy}}</td><td>{{.Share}}</td><td>{{.USD}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- with .Commitments}}
<h3>Commitments</h3>
<table>
<thead><tr><th>run</th><th>Reserved Instances used</th><th>RI fees</th><th>Savings Plan used</th><th>SP commitment</th><th>surplus CPU credits</th></tr></thead>
<tbody>
{{- range .}}
<tr><td class="name">{{.Name}}</td><td>{{.Reserved}}</td><td>{{.ReservedUSD}}</td><td>{{.SavingsPlan}}</td><td>{{.SavingsPlanUSD}}</td><td>{{.Credits}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- with .Prices}}
<h3>Prices</h3>
<table class="prices">
<thead><tr><th>run</th><th>source</th><th>date</th><th>region</th><th>OS</th></tr></thead>
<tbody>
{{- range .}}
<tr><td class="name">{{.Name}}</td><td>{{.Source}}</td><td>{{.Date}}</td><td>{{.Region}}</td><td>{{.OS}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- with .Warnings}}
<h3>Cost warnings</h3>
{{- range .}}
<ul class="warnings">
{{- $name := .Name}}
{{- range .Warnings}}
<li>{{if $.Multi}}<strong>{{$name}}</strong>: {{end}}{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- end}}
{{- with .WhatIf}}
<h3>Savings Plan what-if</h3>
<p class="hint">The scenario's Savings Plans replaced by one plan at a range of hourly commitments (its Reserved Instances kept), on this run's usage. The saving is against the current set-up (the bill as charged, with the scenario's own commitments) and against all on-demand (no commitment at all); above the break-even commitment a plan costs more than no Savings Plan.</p>
<table class="whatif">
<thead><tr><th>run</th><th>plan</th><th>discount</th><th>current bill</th><th>all on-demand</th><th>no Savings Plan</th><th>best commitment</th><th>bill at best</th><th>saving vs current</th><th>saving vs all on-demand</th><th>break-even commitment</th></tr></thead>
<tbody>
{{- range .}}
<tr><td class="name">{{.Name}}</td><td>{{.Kind}}</td><td title="{{.Source}}">{{.Discount}}</td><td>{{.Current}}</td><td>{{.OnDemand}}</td><td>{{.NoPlan}}</td><td><strong>{{.Best}}</strong></td><td>{{.BestBill}}</td><td>{{.SavingNow}}</td><td>{{.SavingOnDemand}}</td><td>{{.BreakEven}}</td></tr>
{{- end}}
</tbody>
</table>
{{- if $.WhatIfSource}}
<p class="note">Discount source: {{$.WhatIfSource}}.</p>
{{- else}}
<p class="note">Discount source: {{range $i, $w := .}}{{if $i}}; {{end}}{{$w.Name}}: {{$w.Source}}{{end}}.</p>
{{- end}}
{{- end}}
</section>
{{- end}}`
