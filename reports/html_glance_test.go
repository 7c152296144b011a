package reports

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// glanceDocs are three runs with hand-picked cost, p99 and SLO verdicts.
func glanceDocs(costs []float64, p99s []float64, met []bool) []*Document {
	var docs []*Document
	for i := range costs {
		d := &Document{Name: fmt.Sprintf("run-%d", i)}
		d.Summary.Cost.TotalUSD, d.Summary.Cost.MonthlyProjectionUSD = costs[i], costs[i]*10
		d.Summary.LatencyMs.P99 = p99s[i]
		if met != nil {
			d.Summary.SLO = SLO{Met: met[i], Checks: []SLOCheck{{Name: "p99_ms", Value: p99s[i], Limit: 500, Met: met[i]}}}
		}
		docs = append(docs, d)
	}
	return docs
}

func TestGlanceSentence(t *testing.T) {
	for _, c := range []struct {
		name        string
		costs, p99s []float64
		met         []bool
		want        string
	}{
		{"a variant is cheapest among those that meet", []float64{100, 80, 60}, []float64{300, 400, 900}, []bool{true, true, false},
			"run-1 meets the SLO at the lowest cost, $80.00 ($800.00 a month): saving $20.00 (20 %) against the base, run-0."},
		{"the base misses, a dearer variant meets", []float64{50, 80, 60}, []float64{900, 400, 700}, []bool{false, true, false},
			"run-1 meets the SLO at the lowest cost, $80.00 ($800.00 a month): $30.00 (60 %) more than the base, run-0, which misses its SLO."},
		{"the base is best", []float64{50, 80}, []float64{300, 400}, []bool{true, true},
			"run-0, the base, meets the SLO at the lowest cost: $50.00 ($500.00 a month)."},
		{"none meets", []float64{50, 80}, []float64{900, 800}, []bool{false, false}, "No run meets its SLO."},
		{"no SLO", []float64{50, 40}, []float64{900, 800}, nil,
			"No SLO is set; the cheapest run is run-1, $40.00 ($400.00 a month): saving $10.00 (20 %) against the base, run-0."},
	} {
		if got := glanceSentence(glanceDocs(c.costs, c.p99s, c.met)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// TestParetoFront: (cost, p99) 1: (10, 500), 2: (20, 300), 3: (25, 400)
// beaten by 2, 4: (30, 100), 5: (30, 150) beaten by 4.
func TestParetoFront(t *testing.T) {
	docs := glanceDocs([]float64{30, 10, 25, 20, 30}, []float64{150, 500, 400, 300, 100}, nil)
	var names []string
	for _, d := range paretoFront(docs) {
		names = append(names, d.Name)
	}
	if got := strings.Join(names, " "); got != "run-1 run-3 run-4" {
		t.Errorf("front %s, want run-1 run-3 run-4 (cheapest first)", got)
	}
}

// longRows is a steady series of n minutes with one one-minute spike
// and one gap.
func longRows(n, spikeAt, gapAt int) []Row {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	rows := make([]Row, n)
	for i := range rows {
		p99 := 200.0 + float64(i%7)
		if i == spikeAt {
			p99 = 12000
		}
		v := p99
		rows[i] = Row{Time: start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339), P99Ms: &v,
			Arrivals: 6000, InService: 4, Desired: 4, CPUPercent: 50, CapacityRPS: 240, CostUSD: 0.0064}
		if i == gapAt {
			rows[i].P99Ms = nil
		}
	}
	return rows
}

// TestSeriesDownsampling: beyond maxChartPoints rows, min/max per bucket
// keeps the spike, the trough and the gap, in time order.
func TestSeriesDownsampling(t *testing.T) {
	rows := longRows(10080, 5000, 7000)
	pts := series(rows, func(r Row) any { return chartOptional(r.P99Ms) })
	if len(pts) > maxChartPoints+maxChartPoints/2 || len(pts) < maxChartPoints/2 {
		t.Fatalf("%d points from %d rows", len(pts), len(rows))
	}
	var spike, gap, trough bool
	last := ""
	for _, p := range pts {
		v := p.Value.([2]any)
		tm := v[0].(string)
		if tm <= last {
			t.Fatalf("points out of time order at %s", tm)
		}
		last = tm
		switch v[1] {
		case 12000.0:
			spike = tm == rows[5000].Time
		case nil:
			gap = tm == rows[7000].Time
		case 200.0:
			trough = true
		}
	}
	if !spike || !gap || !trough {
		t.Errorf("spike kept %v, gap kept %v, a trough kept %v", spike, gap, trough)
	}
	if n := len(series(rows[:maxChartPoints], func(r Row) any { return r.InService })); n != maxChartPoints {
		t.Errorf("%d rows of %d drawn: short runs are drawn whole", n, maxChartPoints)
	}
}

// TestCompareReportAtAGlance: a 7-day comparison of 5 runs stays under
// 10 MB; arrivals are drawn once, each run has its colour, desired and
// pending are gaps where they equal the in-service count, latency is on a
// log axis, the header names the comparison and the glance sentence is
// above the summary.
func TestCompareReportAtAGlance(t *testing.T) {
	var docs []*Document
	for i := range 5 {
		d := sampleDocument(fmt.Sprintf("variant-%d", i), 0)
		d.Timeseries = longRows(7*24*60, 1000*(i+1), 9000)
		d.Summary.Cost.TotalUSD = 100 - float64(i)
		docs = append(docs, d)
	}
	page := renderHTML(t, docs...)
	checkSelfContained(t, page, docs...)
	t.Logf("7-day, 5-run report: %.1f MB", float64(len(page))/(1<<20))
	if len(page) >= 10<<20 {
		t.Errorf("7-day, 5-run report is %.1f MB, want < 10 MB", float64(len(page))/(1<<20))
	}
	s := string(page)
	if n := strings.Count(s, `"name":"arrivals/s (every run)"`); n != 1 {
		t.Errorf("%d shared arrival series, want 1", n)
	}
	if strings.Contains(s, `"name":"variant-1: arrivals/s"`) {
		t.Error("arrivals drawn per run though they are the same")
	}
	for i := range docs {
		// in service, pending, desired, capacity, p50, p99, cpu, cost, CDF, bar, scatter
		if n := strings.Count(s, `"color":"`+runColour(i)+`"`); n < 11 {
			t.Errorf("run %d's colour %s appears %d times, want on every chart", i, runColour(i), n)
		}
	}
	if !regexp.MustCompile(`"name":"ms \(log scale\)","type":"log"`).MatchString(s) {
		t.Error("latency is not on a log axis")
	}
	if !strings.Contains(s, "<h1>Comparison: variant-0 vs variant-1 vs variant-2 vs variant-3 vs variant-4</h1>") ||
		!strings.Contains(s, "Base scenario: variant-0") {
		t.Error("the header does not name the comparison and its base")
	}
	glance := `<p class="glance">variant-4 meets the SLO at the lowest cost, $96.00`
	if i, j := strings.Index(s, glance), strings.Index(s, "<table>"); i < 0 || i > j {
		t.Errorf("no %q above the summary table", glance)
	}
	if !strings.Contains(s, `"name":"Pareto front"`) || !strings.Contains(s, "@media print") {
		t.Error("no Pareto front or no print stylesheet")
	}
	// Every run's desired capacity equals its in-service count: drawn as
	// gaps only (in JSON: null), never as a number.
	if regexp.MustCompile(`"name":"variant-0: desired"[^]]*"value":\["[^"]+",[0-9]`).MatchString(s) {
		t.Error("desired drawn where it equals the in-service count")
	}
	var one bytes.Buffer
	if err := WriteHTML(&one, docs[0]); err != nil || !strings.Contains(one.String(), `"name":"arrivals/s"`) {
		t.Errorf("a single run keeps its own arrivals series: %v", err)
	}
}
