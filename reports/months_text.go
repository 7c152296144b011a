package reports

import (
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
