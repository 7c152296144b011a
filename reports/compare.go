package reports

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/capsim/capsim/internal/humanize"
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
	// SLOChecks are the run's checks, so a comparison (and a sweep without
	// --full) can say which objective a run missed, by how much.
	SLOChecks []SLOCheck `json:"slo_checks"`
	// Elasticity is the run's summary.elasticity (docs/elasticity.md).
	Elasticity *Elasticity `json:"elasticity,omitempty"`
	// ECS is an ECS run's pending time, idle share and Fargate
	// equivalent (docs/ecs.md); absent for other runs.
	ECS *ECSRow `json:"ecs,omitempty"`
}

// Compare builds the comparison of runs, in the order given.
func Compare(version string, docs []*Document) *Comparison {
	c := &Comparison{SchemaVersion: SchemaVersion, CapsimVersion: version, Runs: docs}
	for _, d := range docs {
		s := d.Summary
		row := ComparisonRow{Name: d.Name, Requests: s.Requests.Total, P50Ms: s.LatencyMs.P50, P99Ms: s.LatencyMs.P99,
			PeakInstances: s.Instances.Peak, MeanInstances: s.Instances.Mean, CostUSD: s.Cost.TotalUSD,
			PerMillionRequestsUSD: s.Cost.PerMillionRequestsUSD, SLOMet: s.SLO.Met, SLOChecks: s.SLO.Checks,
			Elasticity: s.Elasticity, ECS: ecsRowOf(s)}
		if s.Requests.Total > 0 {
			row.ErrorRate = round(float64(s.Requests.Rejected+s.Requests.TimedOut)/float64(s.Requests.Total), 6)
		}
		c.Table = append(c.Table, row)
	}
	return c
}

// comparisonCells are each row's compared values as people read them
// (internal/humanize), the lowest of each column marked: error rate, p50,
// p99, mean instances, cost, cost per million requests.
func (c *Comparison) comparisonCells() [][6]*cell {
	rows := make([][6]*cell, len(c.Table))
	cols := make([][]*cell, 6)
	for i, r := range c.Table {
		rows[i] = [6]*cell{
			{Text: humanize.Percent(r.ErrorRate), Value: r.ErrorRate},
			{Text: humanize.Millis(r.P50Ms), Value: r.P50Ms},
			{Text: humanize.Millis(r.P99Ms), Value: r.P99Ms},
			{Text: humanize.Sig(r.MeanInstances), Value: r.MeanInstances},
			{Text: humanize.USD(r.CostUSD), Value: r.CostUSD},
			{Text: humanize.USD(r.PerMillionRequestsUSD), Value: r.PerMillionRequestsUSD},
		}
		for k, c := range rows[i] {
			cols[k] = append(cols[k], c)
		}
	}
	markLowest(cols)
	return rows
}

func star(c *cell) string {
	if c.Best {
		return c.Text + " *"
	}
	return c.Text
}

// WriteComparison prints the comparison as a terminal table; * marks the
// best value of a column.
func WriteComparison(w io.Writer, c *Comparison) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "run\terrors\tp50\tp99\tinstances mean / peak\tcost\tper M requests\t"+elasticityHeader+"\tslo")
	for i, cells := range c.comparisonCells() {
		r := c.Table[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s / %d\t%s\t%s\t%s\t%s\n", safetext.Line(r.Name), star(cells[0]), star(cells[1]), star(cells[2]),
			star(cells[3]), r.PeakInstances, star(cells[4]), star(cells[5]), elasticityCompact(r.Elasticity), sloText(r))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, l := range ecsNotes(c) {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// sloText is a row's verdict, naming each missed check with its value and
// limit: "NOT met: p99 3.61 s (limit 500 ms)".
func sloText(r ComparisonRow) string {
	verdict, missed := sloVerdict(r)
	if len(missed) == 0 {
		return verdict
	}
	return verdict + ": " + strings.Join(missed, "; ")
}

// sloVerdict is "met", "no SLO" or "NOT met", and the missed checks.
func sloVerdict(r ComparisonRow) (verdict string, missed []string) {
	if r.SLOMet {
		if r.SLOChecks != nil && len(r.SLOChecks) == 0 {
			return "no SLO", nil
		}
		return "met", nil
	}
	for _, ch := range r.SLOChecks {
		if !ch.Met {
			missed = append(missed, ch.Describe())
		}
	}
	return "NOT met", missed
}

// WriteMarkdown writes the comparison as a Markdown table for a pull
// request comment; best values are bold, and each run that missed its SLO
// has the checks it failed, with value and limit, in its SLO cell.
func WriteMarkdown(w io.Writer, c *Comparison) error {
	var b strings.Builder
	b.WriteString("| run | errors | p50 | p99 | instances mean / peak | cost | per M requests | " + elasticityHeader + " | SLO |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	bold := func(c *cell) string {
		if c.Best {
			return "**" + c.Text + "**"
		}
		return c.Text
	}
	for i, cells := range c.comparisonCells() {
		r := c.Table[i]
		verdict, missed := sloVerdict(r)
		slo := verdict
		if !r.SLOMet {
			slo = "**" + verdict + "**"
		}
		if len(missed) > 0 {
			slo += ": " + strings.Join(missed, "; ") // our own words and numbers: nothing to escape
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s / %d | %s | %s | %s | %s |\n", mdEscape(r.Name),
			bold(cells[0]), bold(cells[1]), bold(cells[2]), bold(cells[3]), r.PeakInstances,
			bold(cells[4]), bold(cells[5]), elasticityCompact(r.Elasticity), slo) // digits, dots and slashes: nothing to escape
	}
	writeMonthsMarkdown(&b, c)
	if notes := ecsNotes(c); len(notes) > 0 {
		b.WriteString("\n")
		for _, l := range notes {
			b.WriteString("- " + mdEscape(l) + "\n")
		}
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
