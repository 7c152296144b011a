package reports

import (
	"fmt"
	"math"

	"github.com/capsim/capsim/internal/humanize"
)

// GateKind marks a `capsim check --json` file, so that a later check can
// read it back as its baseline.
const GateKind = "capsim check"

// Gate is `capsim check --json`: every run's replications (seed and the
// numbers compared), the SLO verdict on their means and, with a baseline,
// one Change per compared metric (docs/ci.md).
type Gate struct {
	SchemaVersion string     `json:"schema_version"`
	CapsimVersion string     `json:"capsim_version"`
	Kind          string     `json:"kind"`
	Confidence    float64    `json:"confidence"`
	Seeds         string     `json:"seed_derivation"`
	Runs          []GateRun  `json:"runs"`
	Baseline      *Baseline  `json:"baseline,omitempty"`
	Changes       []Change   `json:"changes,omitempty"`
	Passed        bool       `json:"passed"`
	Limits        []GateRule `json:"limits,omitempty"`
}

// SeedDerivation names how replication seeds are derived (DeriveSeeds).
const SeedDerivation = "replication 1: the run's seed; replication i: output i-1 of SplitMix64 seeded with it"

// GateRun is one scenario (or variant) checked: its replications and the
// SLO verdict on their means.
type GateRun struct {
	Name         string        `json:"name"`
	Replications []Replication `json:"replications"`
	SLO          SLO           `json:"slo"`
}

// Replication is one simulation of a run on one seed: the numbers check
// compares, exact (rounded only where people read them).
type Replication struct {
	Seed                  uint64  `json:"seed"`
	Requests              int64   `json:"requests"`
	P99Ms                 float64 `json:"p99_ms"`
	ErrorRate             float64 `json:"error_rate"`
	CostPerMonthUSD       float64 `json:"cost_per_month_usd"`
	PerMillionRequestsUSD float64 `json:"per_million_requests_usd"`
}

// Baseline says what a check compared against.
type Baseline struct {
	File string `json:"file"`
	Kind string `json:"kind"` // result, compare, check
}

// ReplicationOf is a run's compared numbers.
func ReplicationOf(d *Document) Replication {
	s := d.Summary
	r := Replication{Seed: d.Seed, Requests: s.Requests.Total, P99Ms: s.LatencyMs.P99,
		CostPerMonthUSD: s.Cost.MonthlyProjectionUSD, PerMillionRequestsUSD: s.Cost.PerMillionRequestsUSD}
	if s.Requests.Total > 0 {
		r.ErrorRate = float64(s.Requests.Rejected+s.Requests.TimedOut) / float64(s.Requests.Total)
	}
	return r
}

// NewGateRun gathers the replications of one run. Its SLO is judged on the
// mean over the replications of each objective's value.
func NewGateRun(name string, docs []*Document) GateRun {
	g := GateRun{Name: name, SLO: SLO{Met: true}}
	for _, d := range docs {
		g.Replications = append(g.Replications, ReplicationOf(d))
	}
	if len(docs) == 0 {
		return g
	}
	for k, c := range docs[0].Summary.SLO.Checks {
		sum := 0.0
		for _, d := range docs {
			sum += d.Summary.SLO.Checks[k].Value
		}
		c.Value = sum / float64(len(docs))
		c.Met = c.Value <= c.Limit
		g.SLO.Met = g.SLO.Met && c.Met
		g.SLO.Checks = append(g.SLO.Checks, c)
	}
	if g.SLO.Checks == nil {
		g.SLO.Checks = []SLOCheck{}
	}
	return g
}

// Seeds are the run's replication seeds, in order.
func (g GateRun) Seeds() []uint64 {
	s := make([]uint64, len(g.Replications))
	for i, r := range g.Replications {
		s[i] = r.Seed
	}
	return s
}

// GateRule is an allowed increase: of metric's mean, relative to the
// baseline's (Relative, Max 0.05 is 5 %) or in percentage points of a
// share (Max 0.1 is 0.1 pp).
type GateRule struct {
	Metric   string  `json:"metric"`
	Max      float64 `json:"max"`
	Relative bool    `json:"relative"`
	Text     string  `json:"text"` // as given: "5%", "0.1pp"
}

// gateMetric is one number check compares, and how people read it.
type gateMetric struct {
	key, label string
	format     func(float64) string
	get        func(Replication) float64
}

// gateMetrics are the compared numbers, in the order reports list them.
// A metric without a GateRule is shown, not judged.
var gateMetrics = []gateMetric{
	{"p99_ms", "p99", humanize.Millis, func(r Replication) float64 { return r.P99Ms }},
	{"error_rate", "error rate", humanize.Percent, func(r Replication) float64 { return r.ErrorRate }},
	{"cost_per_month_usd", "cost per month", humanize.USD, func(r Replication) float64 { return r.CostPerMonthUSD }},
	{"per_million_requests_usd", "cost per million requests", humanize.USD, func(r Replication) float64 { return r.PerMillionRequestsUSD }},
}

// Estimate is one side's mean over its replications.
type Estimate struct {
	Mean     float64  `json:"mean"`
	N        int      `json:"n"`
	Interval Interval `json:"interval"`
}

// Change is one metric of one run, candidate against baseline. Change is
// the difference of the means; Relative is Change over the baseline's mean
// (null when that is 0); Interval is the confidence interval of the
// judged quantity: relative for a relative rule (and for a metric only
// shown), the absolute difference otherwise.
type Change struct {
	Run       string    `json:"run"`
	Metric    string    `json:"metric"`
	Baseline  Estimate  `json:"baseline"`
	Candidate Estimate  `json:"candidate"`
	Change    float64   `json:"change"`
	Relative  *float64  `json:"relative_change"`
	Interval  Interval  `json:"interval"`
	Rule      *GateRule `json:"limit,omitempty"`
	Verdict   string    `json:"verdict"`
}

// Verdicts on a change. Only a regression fails the check.
const (
	VerdictRegression     = "regression"      // the interval's lower bound exceeds the allowed increase
	VerdictNotSignificant = "not significant" // the interval holds 0: within the noise
	VerdictWithinLimit    = "within limit"    // a real increase, no more than allowed
	VerdictImproved       = "improved"        // the interval lies below 0
	VerdictNoChange       = "no change"       // every replication gave the same value on both sides
	VerdictShown          = "shown"           // no limit on this metric
)

// judge applies the rule to the interval of the change: a regression
// only when even its lower bound exceeds the limit, so noise cannot fail
// a pull request at the chosen confidence.
func judge(iv Interval, limit float64) string {
	switch {
	case iv.Low > limit:
		return VerdictRegression
	case iv.Low == 0 && iv.High == 0:
		return VerdictNoChange
	case iv.High < 0:
		return VerdictImproved
	case iv.Low <= 0:
		return VerdictNotSignificant
	}
	return VerdictWithinLimit
}

// Regression says whether c fails the check.
func (c Change) Regression() bool { return c.Verdict == VerdictRegression }

// CompareRuns compares one candidate run with its baseline run, metric by
// metric. Replications pair up (paired-t) when both sides ran on the same
// seeds in the same order; otherwise Welch's interval is used.
func CompareRuns(base, cand GateRun, rules []GateRule, conf float64) []Change {
	paired := len(base.Replications) == len(cand.Replications)
	for i := range base.Replications {
		paired = paired && base.Replications[i].Seed == cand.Replications[i].Seed
	}
	var out []Change
	for _, m := range gateMetrics {
		b, c := values(base, m), values(cand, m)
		ch := Change{Run: cand.Name, Metric: m.key, Baseline: estimate(b, conf), Candidate: estimate(c, conf)}
		var iv Interval
		ch.Change, iv = DiffInterval(b, c, paired, conf)
		mb := ch.Baseline.Mean
		if mb != 0 {
			r := ch.Change / math.Abs(mb)
			ch.Relative = &r
		}
		// Relative to a zero baseline, any increase is infinite: the
		// absolute interval is kept and judged against a limit of 0.
		relIv, relMax := iv, func(float64) float64 { return 0 }
		if mb != 0 {
			relIv = Interval{Low: iv.Low / math.Abs(mb), High: iv.High / math.Abs(mb), Method: iv.Method}
			relMax = func(v float64) float64 { return v }
		}
		ch.Interval, ch.Verdict = relIv, VerdictShown
		for _, r := range rules {
			if r.Metric != m.key {
				continue
			}
			ch.Rule = &r
			if r.Relative {
				ch.Verdict = judge(relIv, relMax(r.Max))
			} else {
				ch.Interval = iv
				ch.Verdict = judge(iv, r.Max)
			}
		}
		out = append(out, ch)
	}
	return out
}

func values(g GateRun, m gateMetric) []float64 {
	v := make([]float64, len(g.Replications))
	for i, r := range g.Replications {
		v[i] = m.get(r)
	}
	return v
}

func estimate(xs []float64, conf float64) Estimate {
	m, iv := MeanInterval(xs, conf)
	return Estimate{Mean: m, N: len(xs), Interval: iv}
}

// Finish sets Passed: every run met its SLO and no change is a regression.
func (g *Gate) Finish() {
	g.Passed = true
	for _, r := range g.Runs {
		g.Passed = g.Passed && r.SLO.Met
	}
	for _, c := range g.Changes {
		g.Passed = g.Passed && !c.Regression()
	}
}

// metricOf finds a compared metric by key.
func metricOf(key string) gateMetric {
	for _, m := range gateMetrics {
		if m.key == key {
			return m
		}
	}
	return gateMetric{key: key, label: key, format: humanize.Sig}
}

// Label is the metric for people: "p99", "cost per month".
func (c Change) Label() string { return metricOf(c.Metric).label }

// ChangeText is the change for people, absolute and relative:
// "+393 ms (+95.4 %)", "+0.012 pp" for a share.
func (c Change) ChangeText() string {
	m := metricOf(c.Metric)
	if m.key == "error_rate" {
		return signed(c.Change*100, humanize.Sig) + " pp"
	}
	s := signed(c.Change, m.format)
	if isUSD(m.key) {
		s = signed(c.Change, func(v float64) string { return usdDiff(v, c.Baseline.Mean, c.Candidate.Mean) })
	}
	if c.Relative != nil {
		s += " (" + signed(*c.Relative*100, humanize.Sig) + " %)"
	}
	return s
}

// IntervalText is the confidence interval of the judged change:
// "+90.1 % … +99.8 %", or "n/a (one replication)" when there is none.
func (c Change) IntervalText() string {
	if c.Interval.Method == MethodNone {
		return "none (1 replication)"
	}
	f := func(v float64) string { return signed(v*100, humanize.Sig) + " %" }
	if c.Rule != nil && !c.Rule.Relative {
		f = func(v float64) string { return signed(v*100, humanize.Sig) + " pp" }
	}
	return f(c.Interval.Low) + " … " + f(c.Interval.High)
}

// LimitText is the allowed increase: "+10 %", "+0.1 pp", or "" for a
// metric only shown.
func (c Change) LimitText() string {
	if c.Rule == nil {
		return ""
	}
	if c.Rule.Relative {
		return signed(c.Rule.Max*100, humanize.Sig) + " %"
	}
	return signed(c.Rule.Max*100, humanize.Sig) + " pp"
}

// Describe is the change for people: "p99 412 ms → 805 ms, +393 ms
// (+95.4 %), 95 % CI +90.1 % … +99.8 %, limit +10 %: regression".
func (c Change) Describe(conf float64) string {
	m := metricOf(c.Metric)
	s := fmt.Sprintf("%s %s → %s, %s", m.label, m.format(c.Baseline.Mean), m.format(c.Candidate.Mean), c.ChangeText())
	if c.Interval.Method != MethodNone {
		s += fmt.Sprintf(", %s CI %s", humanize.Percent(conf), c.IntervalText())
	}
	if l := c.LimitText(); l != "" {
		s += ", limit " + l
	}
	return s + ": " + c.Verdict
}

// isUSD says whether a compared metric is in dollars.
func isUSD(key string) bool { return key == "cost_per_month_usd" || key == "per_million_requests_usd" }

// usdDiff writes a difference of two dollar amounts with the precision
// they are shown with: cents when either is $1 or more ("$1.78 → $2.75,
// +$0.97", as cost tools show a diff), humanize.USD's four decimals
// below a dollar, where cents would round small rates away.
func usdDiff(v, base, cand float64) string {
	if math.Abs(base) >= 1 || math.Abs(cand) >= 1 {
		return "$" + humanize.Fixed(v, 2)
	}
	return humanize.USD(v)
}

// signed writes v with its sign: "+12 ms", "−3.1 %" (the minus sign, as
// humanize writes −∞), "0".
func signed(v float64, f func(float64) string) string {
	switch {
	case v > 0:
		return "+" + f(v)
	case v < 0:
		return "−" + f(-v)
	}
	return f(0)
}
