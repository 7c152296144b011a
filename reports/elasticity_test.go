package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/capsim/capsim/sim"
)

// The expected values are computed by hand from the formulas of Herbst et
// al., "Ready for Rain? A View from SPEC Research on the Future of Cloud
// Metrics" (SPEC RG tech report SPEC-RG-2016-01), as docs/elasticity.md
// writes them; each case shows its arithmetic.
func TestElasticityOfHandComputed(t *testing.T) {
	ones := func(n int) []float64 {
		dt := make([]float64, n)
		for i := range dt {
			dt[i] = 1
		}
		return dt
	}
	cases := []struct {
		name           string
		demand, supply []int
		dt             []float64
		want           Elasticity
	}{{
		// Supply equals demand in every step and moves with it:
		// no shortfall, no excess, no time wrong, Δs = Δd every step.
		name:   "perfect",
		demand: []int{2, 2, 3}, supply: []int{2, 2, 3}, dt: ones(3),
		want: Elasticity{},
	}, {
		// d = 4 throughout; s = 2, 4, 6, 4.
		// θU = 100/4 · (2/4) = 12.5; θO = 100/4 · (2/4) = 12.5
		// τU = 100 · 1/4 = 25; τO = 25
		// Δd = 0, 0, 0 (sgn 0); Δs = +2, +2, −2 (sgn +, +, −): all three
		// steps differ, υ = 100 · 3/3 = 100.
		name:   "oscillating supply, flat demand",
		demand: []int{4, 4, 4, 4}, supply: []int{2, 4, 6, 4}, dt: ones(4),
		want: Elasticity{ThetaU: 12.5, ThetaO: 12.5, TauU: 25, TauO: 25, Upsilon: 100},
	}, {
		// Supply lags demand by one step.
		// d = 1 2 3 3 2 1, s = 1 1 2 3 3 2
		// under in steps 2 (1/2) and 3 (1/3): θU = 100/6 · 5/6 = 13.889
		// over in steps 5 (1/2) and 6 (1/1):  θO = 100/6 · 3/2 = 25
		// τU = 100 · 2/6 = 33.333; τO = 33.333
		// sgn Δd = + + 0 − −, sgn Δs = 0 + + 0 −: steps 2, 4, 5 differ,
		// υ = 100 · 3/5 = 60.
		name:   "one step behind",
		demand: []int{1, 2, 3, 3, 2, 1}, supply: []int{1, 1, 2, 3, 3, 2}, dt: ones(6),
		want: Elasticity{ThetaU: 13.889, ThetaO: 25, TauU: 33.333, TauO: 33.333, Upsilon: 60},
	}, {
		// Steps of 60, 60 and 30 s (a run ending mid-minute); no demand in
		// the first. T = 150, T⁺ = 90.
		// d = 0 2 2, s = 1 1 3
		// θU = 100/90 · (1/2 · 60) = 33.333; θO = 100/90 · (1/2 · 30) = 16.667
		// τU = 100 · 60/150 = 40; τO = 100 · (60 + 30)/150 = 60
		// sgn Δd = +, 0; sgn Δs = 0, +: both differ,
		// υ = 100 · (60 + 30)/(150 − 60) = 100.
		name:   "no demand, partial last step",
		demand: []int{0, 2, 2}, supply: []int{1, 1, 3}, dt: []float64{60, 60, 30},
		want: Elasticity{ThetaU: 33.333, ThetaO: 16.667, TauU: 40, TauO: 60, Upsilon: 100},
	}, {
		// Supply and demand rise and fall together, supply one instance
		// high: d = 1 2 1, s = 2 3 2.
		// θO = 100/3 · (1/1 + 1/2 + 1/1) = 83.333; τO = 100
		// sgn Δd = +, −; sgn Δs = +, −: υ = 0.
		name:   "over by one, in step",
		demand: []int{1, 2, 1}, supply: []int{2, 3, 2}, dt: ones(3),
		want: Elasticity{ThetaO: 83.333, TauO: 100},
	}, {
		// One step: no change to compare, υ = 0 (T − Δt₁ = 0).
		// θU = 100 · 1/2 = 50, τU = 100.
		name:   "single step",
		demand: []int{2}, supply: []int{1}, dt: ones(1),
		want: Elasticity{ThetaU: 50, TauU: 100},
	}, {
		name: "empty",
		want: Elasticity{},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ElasticityOf(c.demand, c.supply, c.dt); got != c.want {
				t.Errorf("ElasticityOf(%v, %v, %v)\n got %+v\nwant %+v", c.demand, c.supply, c.dt, got, c.want)
			}
		})
	}
}

func TestDemandedInstances(t *testing.T) {
	cases := []struct {
		rps, per float64
		want     int
	}{
		{0, 2, 0},
		{2, 2, 1},            // exactly one instance's worth
		{120.0 / 60, 2, 1},   // 120 requests in a minute at 2 rps each
		{0.1 * 3, 0.1, 3},    // 0.30000000000000004 / 0.1 is not above 3
		{2.01, 2, 2},         // a little more needs another instance
		{5, 0, 0},            // no capacity basis: no demand
		{700.0 / 60, 3.5, 4}, // 11.667 rps at 3.5 each: ⌈3.33⌉
	}
	for _, c := range cases {
		if got := demandedInstances(c.rps, c.per); got != c.want {
			t.Errorf("demandedInstances(%v, %v) = %d, want %d", c.rps, c.per, got, c.want)
		}
	}
}

// runElasticity reads demand from each minute's arrivals and supply from
// its in-service count. Here one instance serves 2 rps at the target:
// 60, 240 and 30 arrivals in minutes of 60, 60 and 30 s are 1, 2 and 1
// rps, so d = 1, 2, 1; s = 1, 1, 2.
// θU = 100/150 · (1/2 · 60) = 20; θO = 100/150 · (1/1 · 30) = 20;
// τU = 40, τO = 20; sgn Δd = +, −; sgn Δs = 0, +: υ = 100.
func TestRunElasticityFromMinutes(t *testing.T) {
	res := &sim.Result{Duration: 150 * sim.Second, Minutes: []sim.MinuteRow{
		{Start: 0, Arrivals: 60, InService: 1},
		{Start: sim.Minute, Arrivals: 240, InService: 1},
		{Start: 2 * sim.Minute, Arrivals: 30, InService: 2},
	}}
	basis := DemandBasis{PerInstanceRPS: 2, TargetUtilizationPercent: 50, Source: "default"}
	got := runElasticity(Input{Result: res, Demand: basis})
	want := &Elasticity{ThetaU: 20, ThetaO: 20, TauU: 40, TauO: 20, Upsilon: 100, DemandBasis: basis}
	if got == nil || *got != *want {
		t.Fatalf("runElasticity = %+v, want %+v", got, want)
	}
	if runElasticity(Input{Result: res}) != nil {
		t.Error("no per-instance capacity: want no elasticity metrics")
	}
}

// TestElasticityInEveryTable: the metrics of each run reach the terminal
// comparison, compare.md and the HTML summary table as θU/θO τU/τO υ (θ
// with one decimal, τ and υ whole, docs/elasticity.md), and a run
// without them shows a dash.
func TestElasticityInEveryTable(t *testing.T) {
	a, b := sampleDocument("tracking", 0), sampleDocument("fixed", 1)
	a.Summary.Elasticity = &Elasticity{ThetaU: 2.14, ThetaO: 6.06, TauU: 20.6, TauO: 44.9, Upsilon: 63.2,
		DemandBasis: DemandBasis{PerInstanceRPS: 18.3, TargetUtilizationPercent: 50, Source: "policy cpu (cpu 50 %)"}}
	b.Summary.Elasticity = nil
	cmp := Compare("test", []*Document{a, b})
	if cmp.Table[0].Elasticity == nil || *cmp.Table[0].Elasticity != *a.Summary.Elasticity || cmp.Table[1].Elasticity != nil {
		t.Fatalf("compare.json rows: %+v, %+v", cmp.Table[0].Elasticity, cmp.Table[1].Elasticity)
	}
	const cell = "2.1/6.1 21/45 63"
	var term, md bytes.Buffer
	if err := WriteComparison(&term, cmp); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, cmp); err != nil {
		t.Fatal(err)
	}
	page := string(renderHTML(t, a, b))
	for what, s := range map[string]string{"terminal": term.String(), "compare.md": md.String(), "HTML": page} {
		if !strings.Contains(s, elasticityHeader) || !strings.Contains(s, cell) {
			t.Errorf("%s lacks the %q column or the cell %q:\n%.2000s", what, elasticityHeader, cell, s)
		}
	}
	if !strings.Contains(md.String(), "| "+cell+" |") || !strings.Contains(md.String(), "| – |") {
		t.Errorf("compare.md: want the cell %q and a dash for the run without metrics:\n%s", cell, md.String())
	}
}
