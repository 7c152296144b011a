package reports

import (
	"strings"

	"github.com/capsim/capsim/internal/humanize"
)

// monthRows are the terminal summary's lines for a run with months: one
// per calendar month (a partial one with its projection to the whole
// month), then how much of the best Savings Plan commitment the load uses
// and below what use a plan stops paying.
func monthRows(s Summary) [][2]string {
	var rows [][2]string
	for i, m := range s.Months {
		label := ""
		if i == 0 {
			label = "months (UTC)"
		}
		text := m.Month + "  " + humanize.USD(m.CostUSD)
		if m.Partial {
			text += " for " + humanize.Sig(m.Hours) + " of " + humanize.Sig(m.MonthHours) + " h, " + humanize.USD(m.ProjectedUSD) + " for the month at that rate"
		}
		text += " · instances peak " + humanize.Int(int64(m.PeakInstances)) + ", mean " + humanize.Sig(m.MeanInstances)
		rows = append(rows, [2]string{label, text})
	}
	if c := s.SavingsPlanCommitment; c != nil && c.BestUSDPerHour > 0 {
		rows = append(rows, [2]string{"commitment", "the load uses " + humanize.Percent(c.BestUsedShare) + " of the best commitment (" +
			perHour(c.BestUSDPerHour) + ", " + humanize.USD(c.YearCommitmentUSD) + " a year); a plan stops paying below " +
			humanize.Percent(c.BreakEvenUsedShare) + " used (" + perHour(c.BreakEvenUSDPerHour) + ")"})
	}
	return rows
}

// writeMonthsMarkdown adds compare.md's table of cost per calendar month,
// one column per run with months, and each run's best Savings Plan
// commitment; nothing when no run has months.
func writeMonthsMarkdown(b *strings.Builder, c *Comparison) {
	var runs []*Document
	for _, d := range c.Runs {
		if len(d.Summary.Months) > 0 {
			runs = append(runs, d)
		}
	}
	if len(runs) == 0 {
		return
	}
	b.WriteString("\n| month (UTC) |")
	for _, d := range runs {
		b.WriteString(" " + mdEscape(d.Name) + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(runs)) + "\n")
	for _, month := range monthLabels(runs) {
		b.WriteString("| " + month + " |")
		for _, d := range runs {
			cell := "–"
			for _, m := range d.Summary.Months {
				if m.Month == month {
					cell = humanize.USD(m.CostUSD)
					if m.Partial {
						cell += " (" + humanize.Sig(m.Hours) + " h; month " + humanize.USD(m.ProjectedUSD) + ")"
					}
				}
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("| best Savings Plan commitment |")
	for _, d := range runs {
		cell := "–"
		if s := d.Summary.SavingsPlanCommitment; s != nil {
			cell = perHour(s.BestUSDPerHour) + " (" + humanize.Percent(s.BestUsedShare) + " used)"
		}
		b.WriteString(" " + cell + " |")
	}
	b.WriteString("\n")
}
