package reports

import (
	"math"
	"time"

	"github.com/capsim/capsim/internal/humanize"
)

// What people read (terminal, Markdown, HTML) is rounded by
// internal/humanize; the JSON result and the CSV keep exact values. This
// file holds the report-specific views built on it.

// checkKinds says how each SLO check is named and written for people.
var checkKinds = map[string]struct {
	label  string
	format func(float64) string
}{
	"p50_ms":     {"p50", humanize.Millis},
	"p99_ms":     {"p99", humanize.Millis},
	"error_rate": {"error rate", humanize.Percent},
}

// Label is the check's name for people: "p99" for p99_ms.
func (c SLOCheck) Label() string {
	if k, ok := checkKinds[c.Name]; ok {
		return k.label
	}
	return c.Name
}

// Human writes the check's value and limit rounded, in their unit:
// "10.7 s", "500 ms".
func (c SLOCheck) Human() (value, limit string) {
	f := humanize.Sig
	if k, ok := checkKinds[c.Name]; ok {
		f = k.format
	}
	return f(c.Value), f(c.Limit)
}

// Describe is the check for people: "p99 10.7 s (limit 500 ms)".
func (c SLOCheck) Describe() string {
	v, l := c.Human()
	return c.Label() + " " + v + " (limit " + l + ")"
}

// defaultStart is the wall clock of t = 0 when a scenario sets no start
// and replays no trace (docs/scenario.md).
const defaultStart = "1970-01-01T00:00:00Z"

// StartText writes a document's start; the default start (1970) reads as
// what it is, t = 0, rather than as a date the run had anything to do with.
func StartText(start string) string {
	if start == defaultStart {
		return "t = 0 (no start set; " + defaultStart + ")"
	}
	return start
}

// DurationText writes a document's Go duration ("24h0m0s") as "24 h".
func DurationText(d string) string {
	v, err := time.ParseDuration(d)
	if err != nil {
		return d
	}
	return humanize.Duration(v)
}

// cell is one value of a table people compare: its text as shown and the
// number behind it; Best marks the lowest of its column.
type cell struct {
	Text  string
	Value float64
	Best  bool
}

// markLowest marks, in each column, the cells that show the same text as
// the lowest value: values compare as shown (rounded), so runs that look
// equal are marked alike. With fewer than two rows nothing is marked.
func markLowest(cols [][]*cell) {
	for _, col := range cols {
		if len(col) < 2 {
			continue
		}
		lo := -1
		for i, c := range col {
			if !math.IsNaN(c.Value) && (lo < 0 || c.Value < col[lo].Value) {
				lo = i
			}
		}
		for _, c := range col {
			c.Best = lo >= 0 && c.Text == col[lo].Text
		}
	}
}
