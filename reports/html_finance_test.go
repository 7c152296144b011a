package reports

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

var bestCellRE = regexp.MustCompile(`<td class="best"><strong>★ ([^<]*)</strong></td>`)

// summaryRowOf is the summary table row of the run named name.
func summaryRowOf(t *testing.T, page, name string) string {
	t.Helper()
	i := strings.Index(page, `<tr><td class="name">`+name+`</td>`)
	if i < 0 {
		t.Fatalf("no summary row for %q", name)
	}
	return page[i : i+strings.Index(page[i:], "</tr>")]
}

// The best (lowest) value of error rate, p50, p99, mean instances and cost
// is marked per column; equal values as shown are marked alike; peak
// instances and request counts never; one run alone has no marks.
func TestWriteHTMLMarksBestValues(t *testing.T) {
	a, b, c := sampleDocument("a", 0), sampleDocument("b", 0), sampleDocument("c", 0)
	a.Summary.LatencyMs.P50, b.Summary.LatencyMs.P50, c.Summary.LatencyMs.P50 = 30.04, 30.01, 31 // "30 ms" and "30 ms": a tie as shown
	a.Summary.LatencyMs.P99, b.Summary.LatencyMs.P99, c.Summary.LatencyMs.P99 = 200, 300, 250
	a.Summary.Instances.Mean, b.Summary.Instances.Mean, c.Summary.Instances.Mean = 5, 4, 6
	a.Summary.Cost.TotalUSD, b.Summary.Cost.TotalUSD, c.Summary.Cost.TotalUSD = 1200, 1100.5, 990
	a.Summary.Requests = Requests{Total: 1000, Completed: 990, Rejected: 10}
	b.Summary.Requests = Requests{Total: 1000, Completed: 1000}
	c.Summary.Requests = Requests{Total: 1000, Completed: 995, TimedOut: 5}
	page := string(renderHTML(t, a, b, c))

	best := func(name string) []string {
		var out []string
		for _, m := range bestCellRE.FindAllStringSubmatch(summaryRowOf(t, page, name), -1) {
			out = append(out, m[1])
		}
		return out
	}
	for _, tc := range []struct {
		run  string
		want []string
	}{
		{"a", []string{"30 ms", "200 ms"}},
		{"b", []string{"0 %", "30 ms", "4"}},
		{"c", []string{"$990.00"}},
	} {
		if got := best(tc.run); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("run %s: best cells %q, want %q", tc.run, got, tc.want)
		}
	}
	if !strings.Contains(summaryRowOf(t, page, "b"), "<td>$1,100.50</td>") {
		t.Error("cost is not written with a thousands separator")
	}
	if !strings.Contains(page, "★</strong> marks the best") {
		t.Error("page lacks the legend of ★")
	}
	if one := string(renderHTML(t, a)); strings.Contains(one, `class="best"`) {
		t.Error("a single run has best-value marks")
	}
}

// The finance section shows, as tables, every part of summary.cost a run
// has, and leaves out the parts no run has.
func TestWriteHTMLFinanceTables(t *testing.T) {
	page := string(renderHTML(t, sampleDocument("checkout-api", 0)))
	fin := page[strings.Index(page, `<section class="finance">`):]
	fin = fin[:strings.Index(fin, "</section>")]
	for _, want := range []string{
		"<h3>Bill and rates</h3>",
		"<td>$2.22</td><td>$0.4435</td><td>$10.64</td><td><strong>$323.77</strong></td><td>$3,885.24</td><td>$0.7391</td>",
		"<h3>By cost line</h3>",
		`<tr><td class="name">on-demand</td><td>$1.20 · 54.1 %</td></tr>`,
		`<tr><td class="name">Reserved Instances</td><td>$0.5000 · 22.5 %</td></tr>`,
		`<tr><td class="name">EBS</td><td>$0.00 · 0 %</td></tr>`,
		"<h3>By purchase option</h3>",
		`<tr><td class="name">reserved</td><td>$0.5000 · 26.3 %</td></tr>`,
		"<h3>By instance type</h3>",
		`<tr><td class="name">m5.large</td><td>$1.90 · 100 %</td></tr>`,
		"<h3>Idle capacity</h3>",
		"<td>46.2</td><td>20.1</td><td>56.5 %</td><td>$1.07</td>",
		"<h3>Commitments</h3>",
		"<td>80 %</td><td>$0.5000</td><td>100 %</td><td>$0.2000</td>",
		"<h3>Savings Plan what-if</h3>",
		"<td>compute</td><td title=\"assumed\">28 %</td><td>$2.22</td><td>$2.40</td><td>$2.22</td><td><strong>$0.2/h</strong></td><td>$1.90</td><td>$0.3176 (14.3 %)</td><td>$0.5000 (20.8 %)</td><td>$0.45/h</td>",
		"Discount source: assumed.",
		"<td>AWS Price List API via Karpenter, us-east-1, 2026-07-20</td><td>2026-07-20</td><td>us-east-1</td><td>linux</td>",
		"<h3>Cost warnings</h3>",
		"<li>spot is billed at the discount</li>",
	} {
		if !strings.Contains(fin, want) {
			t.Errorf("finance section lacks %q", want)
		}
	}

	// An older or sparser result: no lines, options, types, idle capacity,
	// commitments, what-if or warnings.
	d := sampleDocument("bare", 0)
	d.Summary.Cost = Cost{TotalUSD: 3, MonthlyProjectionUSD: 438, PriceSource: "embedded catalogue"}
	bare := string(renderHTML(t, d))
	for _, absent := range []string{"<h3>By cost line</h3>", "<h3>By purchase option</h3>", "<h3>Idle capacity</h3>",
		"<h3>Commitments</h3>", "<h3>Savings Plan what-if</h3>", "<h3>Cost warnings</h3>", `id="savings_plan"`, `id="cost_lines"`} {
		if strings.Contains(bare, absent) {
			t.Errorf("a bill without it still shows %q", absent)
		}
	}
	for _, want := range []string{"<td><strong>$438.00</strong></td>", "<td>embedded catalogue</td>"} {
		if !strings.Contains(bare, want) {
			t.Errorf("bare finance section lacks %q", want)
		}
	}
	checkSelfContained(t, []byte(bare), d)
}

// Several runs: one column per run in the breakdowns, "–" where a run has
// no such entry, shared prices written once, warnings named by run.
func TestWriteHTMLFinanceSeveralRuns(t *testing.T) {
	a, b := sampleDocument("a<1>", 0), sampleDocument("b", 0)
	b.Summary.Cost.ByInstanceType = map[string]float64{"c5.large": 1.9}
	b.Summary.Cost.Warnings = nil
	page := string(renderHTML(t, a, b))
	for _, want := range []string{
		`<thead><tr><th>instance type</th><th>a&lt;1&gt;</th><th>b</th></tr></thead>`,
		`<tr><td class="name">c5.large</td><td>–</td><td>$1.90 · 100 %</td></tr>`,
		`<tr><td class="name">every run</td><td>AWS Price List API`,
		`<li><strong>a&lt;1&gt;</strong>: spot is billed at the discount</li>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// Maps (bill lines, options, types, forecasts) come out in a fixed order.
func TestWriteHTMLDeterministicMaps(t *testing.T) {
	d := sampleDocument("maps", 0)
	rows := d.Forecasts["forecast"]
	d.Forecasts = map[string][]ForecastRow{"zeta": rows, "alpha": rows, "mu": rows, "beta": rows}
	d.Summary.Cost.ByLine["zz_other"] = 0.1
	d.Summary.Cost.ByLine["aa_other"] = 0.2
	d.Summary.Cost.ByInstanceType = map[string]float64{"m5.large": 1, "c5.large": 0.5, "t3.micro": 0.4}
	first := renderHTML(t, d)
	for range 5 {
		if !bytes.Equal(first, renderHTML(t, d)) {
			t.Fatal("two renders of the same document differ")
		}
	}
	s := string(first)
	order := []string{`Forecast: alpha`, `Forecast: beta`, `Forecast: mu`, `Forecast: zeta`}
	last := -1
	for _, o := range order {
		i := strings.Index(s, o)
		if i < last {
			t.Errorf("%q is not after the previous forecast", o)
		}
		last = i
	}
	if i, j := strings.Index(s, `"on-demand","Reserved Instances","Savings Plans","EBS","load balancer","aa_other","zz_other"`), 0; i < j {
		t.Error("cost lines are not in the bill's order, then by name")
	}
}
