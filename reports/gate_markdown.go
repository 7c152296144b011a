package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/capsim/capsim/internal/humanize"
)

// WriteGateMarkdown writes the check for a pull-request comment: the
// verdict, then per run a table of metric, baseline, candidate, change
// (absolute and %), confidence interval and verdict; the cost as cost
// tools show a diff (before, after, difference) per month and per million
// requests; the SLO checks; and how the runs were replicated.
func WriteGateMarkdown(w io.Writer, g *Gate) error {
	var b strings.Builder
	verdict := "passed"
	if !g.Passed {
		verdict = "**failed**"
	}
	fmt.Fprintf(&b, "### capsim check %s\n\n", verdict)
	if g.Baseline != nil {
		fmt.Fprintf(&b, "Against the baseline %s (%s), %s confidence. A change is a regression only when the whole interval lies above the allowed increase.\n\n",
			mdEscape(g.Baseline.File), g.Baseline.Kind, humanize.Percent(g.Confidence))
	}
	for _, r := range g.Runs {
		changes := g.changesOf(r.Name)
		fmt.Fprintf(&b, "#### %s\n\n", mdEscape(r.Name))
		if len(changes) > 0 {
			b.WriteString("| metric | baseline | candidate | change | " + humanize.Percent(g.Confidence) + " interval | limit | verdict |\n")
			b.WriteString("|---|---:|---:|---:|---:|---:|---|\n")
			for _, c := range changes {
				m := metricOf(c.Metric)
				v := c.Verdict
				if c.Regression() {
					v = "**" + v + "**"
				}
				if c.Verdict == VerdictShown {
					v = "—"
				}
				limit := c.LimitText()
				if limit == "" {
					limit = "—"
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", m.label, m.format(c.Baseline.Mean),
					m.format(c.Candidate.Mean), c.ChangeText(), c.IntervalText(), limit, v)
			}
			b.WriteString("\n")
			writeCostDiff(&b, changes)
		}
		writeGateSLO(&b, r)
		fmt.Fprintf(&b, "%s; seeds %s.\n\n", replicationText(len(r.Replications), pairing(changes)), seedList(r.Seeds()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// changesOf are the run's compared metrics.
func (g *Gate) changesOf(run string) []Change {
	var out []Change
	for _, c := range g.Changes {
		if c.Run == run {
			out = append(out, c)
		}
	}
	return out
}

// writeCostDiff is the cost line: "Cost per month $1,234.00 → $2,401.10
// (+$1,167.10); per million requests $0.41 → $0.80 (+$0.39)".
func writeCostDiff(b *strings.Builder, changes []Change) {
	var parts []string
	for _, c := range changes {
		if c.Metric != "cost_per_month_usd" && c.Metric != "per_million_requests_usd" {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s → %s (%s)", costLabel[c.Metric], humanize.USD(c.Baseline.Mean),
			humanize.USD(c.Candidate.Mean), signed(c.Change, func(v float64) string { return usdDiff(v, c.Baseline.Mean, c.Candidate.Mean) })))
	}
	if len(parts) > 0 {
		b.WriteString("Cost " + strings.Join(parts, "; ") + ".\n\n")
	}
}

var costLabel = map[string]string{"cost_per_month_usd": "per month", "per_million_requests_usd": "per million requests"}

// writeGateSLO lists the run's SLO checks on the replications' means.
func writeGateSLO(b *strings.Builder, r GateRun) {
	if len(r.SLO.Checks) == 0 {
		b.WriteString("SLO: none set.\n\n")
		return
	}
	var parts []string
	for _, c := range r.SLO.Checks {
		s := c.Describe() + " met"
		if !c.Met {
			s = "**" + c.Describe() + " NOT met**"
		}
		parts = append(parts, s)
	}
	b.WriteString("SLO: " + strings.Join(parts, "; ") + ".\n\n")
}

// pairing says how the changes' intervals were computed.
func pairing(changes []Change) string {
	if len(changes) == 0 {
		return ""
	}
	return changes[0].Interval.Method
}

var methodText = map[string]string{
	MethodPaired:        "paired by seed with the baseline (common random numbers, paired-t)",
	MethodWelch:         "on other seeds than the baseline's (Welch's t)",
	MethodFixedBaseline: "against a baseline of one replication, taken as exact",
	MethodNone:          "one replication on each side: no interval",
}

func replicationText(n int, method string) string {
	s := fmt.Sprintf("%d replication(s)", n)
	if t, ok := methodText[method]; ok {
		s += ", " + t
	}
	return s
}

func seedList(seeds []uint64) string {
	s := make([]string, len(seeds))
	for i, v := range seeds {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ", ")
}
