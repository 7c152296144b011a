package reports

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/capsim/capsim/internal/safetext"
)

// Comparison is `capsim compare`'s JSON: every run's full document, plus
// one row per run with the numbers architects compare.
type Comparison struct {
	SchemaVersion string          `json:"schema_version"`
	CapsimVersion string          `json:"capsim_version"`
	Runs          []*Document     `json:"runs"`
	Table         []ComparisonRow `json:"comparison"`
}

// ComparisonRow is one run's headline numbers.
type ComparisonRow struct {
	Name                  string  `json:"name"`
	Requests              int64   `json:"requests"`
	ErrorRate             float64 `json:"error_rate"` // (rejected + timed out) / total
	P50Ms                 float64 `json:"p50_ms"`
	P99Ms                 float64 `json:"p99_ms"`
	PeakInstances         int     `json:"peak_instances"`
	MeanInstances         float64 `json:"mean_instances"`
	CostUSD               float64 `json:"cost_usd"`
	PerMillionRequestsUSD float64 `json:"per_million_requests_usd"`
	SLOMet                bool    `json:"slo_met"`
	// Elasticity is the run's summary.elasticity (docs/elasticity.md).
	Elasticity *Elasticity `json:"elasticity,omitempty"`
}

// Compare builds the comparison of runs, in the order given.
func Compare(version string, docs []*Document) *Comparison {
	c := &Comparison{SchemaVersion: SchemaVersion, CapsimVersion: version, Runs: docs}
	for _, d := range docs {
		s := d.Summary
		row := ComparisonRow{Name: d.Name, Requests: s.Requests.Total, P50Ms: s.LatencyMs.P50, P99Ms: s.LatencyMs.P99,
			PeakInstances: s.Instances.Peak, MeanInstances: s.Instances.Mean, CostUSD: s.Cost.TotalUSD,
			PerMillionRequestsUSD: s.Cost.PerMillionRequestsUSD, SLOMet: s.SLO.Met, Elasticity: s.Elasticity}
		if s.Requests.Total > 0 {
			row.ErrorRate = round(float64(s.Requests.Rejected+s.Requests.TimedOut)/float64(s.Requests.Total), 6)
		}
		c.Table = append(c.Table, row)
	}
	return c
}

// bestMarks says, per column, which rows hold the best (lowest) value.
func (c *Comparison) bestMarks() [][5]bool {
	marks := make([][5]bool, len(c.Table))
	cols := []func(r ComparisonRow) float64{
		func(r ComparisonRow) float64 { return r.ErrorRate },
		func(r ComparisonRow) float64 { return r.P50Ms },
		func(r ComparisonRow) float64 { return r.P99Ms },
		func(r ComparisonRow) float64 { return r.MeanInstances },
		func(r ComparisonRow) float64 { return r.CostUSD },
	}
	for j, f := range cols {
		best := 0.0
		for i, r := range c.Table {
			if i == 0 || f(r) < best {
				best = f(r)
			}
		}
		for i, r := range c.Table {
			marks[i][j] = f(r) == best && len(c.Table) > 1
		}
	}
	return marks
}

func star(b bool) string {
	if b {
		return " *"
	}
	return ""
}

// WriteComparison prints the comparison as a terminal table; * marks the
// best value of a column.
func WriteComparison(w io.Writer, c *Comparison) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "run\terrors\tp50 ms\tp99 ms\tinstances mean/peak\tcost USD\tUSD per M req\t"+elasticityHeader+"\tslo")
	for i, r := range c.Table {
		m := c.bestMarks()[i]
		fmt.Fprintf(tw, "%s\t%.4f%%%s\t%.1f%s\t%.1f%s\t%.2f%s / %d\t%.2f%s\t%.4f\t%s\t%s\n", safetext.Line(r.Name),
			100*r.ErrorRate, star(m[0]), r.P50Ms, star(m[1]), r.P99Ms, star(m[2]), r.MeanInstances, star(m[3]),
			r.PeakInstances, r.CostUSD, star(m[4]), r.PerMillionRequestsUSD, elasticityCompact(r.Elasticity), met(r.SLOMet))
	}
	return tw.Flush()
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// WriteMarkdown writes the comparison as a Markdown table for a pull
// request comment; best values are bold.
func WriteMarkdown(w io.Writer, c *Comparison) error {
	var b strings.Builder
	b.WriteString("| run | errors | p50 ms | p99 ms | instances mean / peak | cost USD | USD per M req | " + elasticityHeader + " | SLO |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	bold := func(s string, on bool) string {
		if on {
			return "**" + s + "**"
		}
		return s
	}
	for i, r := range c.Table {
		m := c.bestMarks()[i]
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s / %d | %s | %.4f | %s | %s |\n", mdEscape(r.Name),
			bold(fmt.Sprintf("%.4f%%", 100*r.ErrorRate), m[0]), bold(fmt.Sprintf("%.1f", r.P50Ms), m[1]),
			bold(fmt.Sprintf("%.1f", r.P99Ms), m[2]), bold(fmt.Sprintf("%.2f", r.MeanInstances), m[3]), r.PeakInstances,
			bold(fmt.Sprintf("%.2f", r.CostUSD), m[4]), r.PerMillionRequestsUSD, mdEscape(elasticityCompact(r.Elasticity)), met(r.SLOMet))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape makes a user's string (a run name) plain text in a GitHub
// Flavored Markdown table cell, whatever it holds: control characters go
// (safetext.Line), every character that can start inline markup is
// backslash-escaped (links and images [ ] ( ) !, HTML and autolinks < > :
// / . @, code `, emphasis * _ ~, entities &, math $, cells |, and \
// itself), so no link, image, HTML tag, emphasis, autolink or entity can
// form; a name like cpu-80 stays readable in the raw file; and
// "@" and "#" are followed by a zero-width space, because GitHub turns
// @name and #123 in the rendered text into mentions and issue links, which
// a backslash does not prevent (docs/reliability.md, "Output files").
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range safetext.Line(s) {
		if strings.ContainsRune(markdownActive, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		if r == '@' || r == '#' {
			b.WriteRune('\u200b')
		}
	}
	return b.String()
}

// markdownActive are the characters mdEscape escapes; all are ASCII
// punctuation, which CommonMark lets a backslash escape.
const markdownActive = "\\`*_~[]()!<>&|:/.@$#"
