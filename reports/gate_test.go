package reports

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// gateRun is a run of hand-picked replications: p99 and the cost per
// month per seed, the cost per million requests a thousandth of the
// monthly cost.
func gateRun(name string, seeds []uint64, p99, cost []float64) GateRun {
	g := GateRun{Name: name, SLO: SLO{Met: true, Checks: []SLOCheck{}}}
	for i, s := range seeds {
		g.Replications = append(g.Replications, Replication{Seed: s, Requests: 1_000_000, P99Ms: p99[i],
			CostPerMonthUSD: cost[i], PerMillionRequestsUSD: cost[i] / 1000})
	}
	return g
}

// defaultRules are check's default limits: p99 +10 %, cost +5 %, error
// rate +0.1 pp.
var defaultRules = []GateRule{
	{Metric: "p99_ms", Max: 0.10, Relative: true, Text: "10%"},
	{Metric: "cost_per_month_usd", Max: 0.05, Relative: true, Text: "5%"},
	{Metric: "error_rate", Max: 0.001, Text: "0.1pp"},
}

// doubledGate is a candidate whose p99 and cost rose by half on each of
// the baseline's seeds: p99 200, 210, 190 → 300, 315, 285 ms (+50 % on each
// seed), cost $1,000, $1,100, $900 → $1,500, $1,650, $1,350.
func doubledGate() *Gate {
	seeds := []uint64{1, 2, 3}
	base := gateRun("web", seeds, []float64{200, 210, 190}, []float64{1000, 1100, 900})
	cand := gateRun("web", seeds, []float64{300, 315, 285}, []float64{1500, 1650, 1350})
	g := &Gate{Kind: GateKind, Confidence: 0.95, Runs: []GateRun{cand}, Baseline: &Baseline{File: "base.json", Kind: "check"},
		Limits: defaultRules, Changes: CompareRuns(base, cand, defaultRules, 0.95)}
	g.Finish()
	return g
}

// TestGateMarkdownTable: the pull-request comment has the table the issue
// asks for (metric, baseline, candidate, change absolute and in %,
// confidence interval, limit, verdict), one row per compared metric with
// as many cells as the header, and the cost as cost tools show a diff:
// before, after, difference, per month and per million requests.
func TestGateMarkdownTable(t *testing.T) {
	g := doubledGate()
	if g.Passed {
		t.Fatal("a +50 % p99 and cost passed the +10 % / +5 % limits")
	}
	var b bytes.Buffer
	if err := WriteGateMarkdown(&b, g); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	header := "| metric | baseline | candidate | change | 95 % interval | limit | verdict |"
	rows := map[string]string{}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| ") && line != header {
			cells := strings.Split(strings.Trim(line, "|"), "|")
			if len(cells) != 7 {
				t.Errorf("%d cells, want 7: %s", len(cells), line)
			}
			rows[strings.TrimSpace(cells[0])] = line
		}
	}
	if !strings.Contains(md, header) {
		t.Fatalf("no table header %q:\n%s", header, md)
	}
	// Paired by seed: the p99 differences 100, 105, 95 ms have mean 100
	// and standard deviation 5; with t(0.975, 2) = 4.303 (NIST/SEMATECH
	// e-Handbook, §1.3.6.7.2) the interval is 100 ± 4.303 · 5/√3 =
	// 87.6 … 112.4 ms, over the baseline's 200 ms: +43.8 % … +56.2 %. The
	// cost differences 500, 550, 450 give 500 ± 124.2 over $1,000:
	// +37.6 % … +62.4 % (and the same for the cost per million requests,
	// a fixed share of it).
	for metric, want := range map[string]string{
		"p99":                       "| p99 | 200 ms | 300 ms | +100 ms (+50 %) | +43.8 % … +56.2 % | +10 % | **regression** |",
		"cost per month":            "| cost per month | $1,000.00 | $1,500.00 | +$500.00 (+50 %) | +37.6 % … +62.4 % | +5 % | **regression** |",
		"cost per million requests": "| cost per million requests | $1.00 | $1.50 | +$0.50 (+50 %) | +37.6 % … +62.4 % | — | — |",
		"error rate":                "| error rate | 0 % | 0 % | 0 pp | 0 pp … 0 pp | +0.1 pp | no change |",
	} {
		if rows[metric] != want {
			t.Errorf("row %s:\n got %s\nwant %s", metric, rows[metric], want)
		}
	}
	for _, want := range []string{
		"### capsim check **failed**",
		"Cost per month $1,000.00 → $1,500.00 (+$500.00); per million requests $1.00 → $1.50 (+$0.50).",
		"3 replication(s), paired by seed with the baseline (common random numbers, paired-t); seeds 1, 2, 3.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// TestUSDDiff: a difference is written with the precision of the amounts
// it is the difference of.
func TestUSDDiff(t *testing.T) {
	for _, c := range []struct {
		v, base, cand float64
		want          string
	}{
		{0.9722, 1.7814, 2.7536, "$0.97"}, // $1.78 → $2.75
		{638.41, 1169.92, 1808.33, "$638.41"},
		{0.0123, 0.0961, 0.1084, "$0.0123"}, // below a dollar: four decimals, as the amounts
		{1234.5, 10000, 11234.5, "$1,234.50"},
	} {
		if got := usdDiff(c.v, c.base, c.cand); got != c.want {
			t.Errorf("usdDiff(%g, %g, %g) = %s, want %s", c.v, c.base, c.cand, got, c.want)
		}
	}
}

// TestGateJUnitWellFormed: the check's JUnit parses as XML (encoding/xml,
// the structure CI systems read: testsuites > testsuite > testcase >
// failure), its counts add up, and each regression is a failed case
// whose message names the metric, the change and the limit.
func TestGateJUnitWellFormed(t *testing.T) {
	g := doubledGate()
	g.Runs[0].SLO = SLO{Met: false, Checks: []SLOCheck{{Name: "p99_ms", Value: 300, Limit: 250, Met: false}}}
	var b bytes.Buffer
	if err := WriteGateJUnit(&b, g); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), xml.Header) {
		t.Errorf("no XML declaration:\n%s", b.String())
	}
	var parsed struct {
		Tests  int `xml:"tests,attr"`
		Fails  int `xml:"failures,attr"`
		Suites []struct {
			Name  string `xml:"name,attr"`
			Tests int    `xml:"tests,attr"`
			Fails int    `xml:"failures,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Class   string `xml:"classname,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	dec := xml.NewDecoder(&b)
	dec.Strict = true
	if err := dec.Decode(&parsed); err != nil {
		t.Fatalf("JUnit is not well-formed XML: %v", err)
	}
	if len(parsed.Suites) != 1 || parsed.Suites[0].Name != "web" {
		t.Fatalf("suites %+v", parsed.Suites)
	}
	s := parsed.Suites[0]
	failed := map[string]string{}
	for _, c := range s.Cases {
		if c.Class != "capsim.web" {
			t.Errorf("case %s: classname %q", c.Name, c.Class)
		}
		if c.Failure != nil {
			failed[c.Name] = c.Failure.Message
		}
	}
	// 1 SLO check + 3 judged changes (p99, error rate, cost per month; the
	// cost per million requests is shown, not judged).
	if parsed.Tests != 4 || s.Tests != 4 || len(s.Cases) != 4 || parsed.Fails != 3 || s.Fails != len(failed) {
		t.Errorf("tests %d/%d, cases %d, failures %d/%d (%v)", parsed.Tests, s.Tests, len(s.Cases), parsed.Fails, s.Fails, failed)
	}
	for name, want := range map[string]string{
		"p99_ms":                      "p99 300 ms exceeds its limit 250 ms",
		"p99_ms_increase":             "p99 +100 ms (+50 %) exceeds the allowed +10 % with 95 % confidence",
		"cost_per_month_usd_increase": "cost per month +$500.00 (+50 %) exceeds the allowed +5 % with 95 % confidence",
	} {
		if failed[name] != want {
			t.Errorf("case %s: failure %q, want %q", name, failed[name], want)
		}
	}
}
