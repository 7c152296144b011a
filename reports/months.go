package reports

import (
	"time"

	"github.com/capsim/capsim/sim"
)

// MonthsFrom is the shortest run whose summary has its calendar months
// (summary.months) and the Savings Plan commitment over its load
// (summary.savings_plan_commitment): 28 days, the shortest month.
const MonthsFrom = 28 * 24 * time.Hour

// Month is one calendar month (UTC) of a long run, for finance: what it
// cost, what a whole month at that rate would cost, and the fleet it took.
type Month struct {
	Month string `json:"month"` // YYYY-MM, UTC
	// Hours is the part of the month inside the run; MonthHours the whole
	// month's (672 to 744); Partial says they differ (the run starts or
	// ends inside the month).
	Hours      float64 `json:"hours"`
	MonthHours float64 `json:"month_hours"`
	Partial    bool    `json:"partial"`
	// CostUSD is the bill's dollars accrued in the month (the run's
	// per-minute bill, summed by the UTC month of each minute's start);
	// ProjectedUSD the whole month at the rate of its simulated part,
	// cost_usd × month_hours ÷ hours (equal to cost_usd for a whole month).
	CostUSD      float64 `json:"cost_usd"`
	ProjectedUSD float64 `json:"projected_usd"`
	// PeakInstances is the most instances in service at once and
	// MeanInstances their time-weighted mean, from the time series' rows
	// that start in the month (hourly rows: in_service_max and
	// in_service_mean; minute rows: the minute-end counts).
	PeakInstances int     `json:"peak_instances"`
	MeanInstances float64 `json:"mean_instances"`
	Requests      int64   `json:"requests"` // arrivals in the month's rows
}

// buildMonths splits a run of at least MonthsFrom into its calendar
// months (UTC); nil for shorter runs.
func buildMonths(in Input, d *Document) []Month {
	r := in.Result
	if r.Duration.Duration() < MonthsFrom || len(d.Timeseries) != len(r.Minutes) {
		return nil
	}
	start := in.Start.UTC()
	end := start.Add(r.Duration.Duration())
	var months []Month
	row := 0
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(end); m = m.AddDate(0, 1, 0) {
		next := m.AddDate(0, 1, 0)
		lo, hi := later(start, m), earlier(end, next)
		mo := Month{
			Month: m.Format("2006-01"), Hours: hi.Sub(lo).Hours(), MonthHours: next.Sub(m).Hours(),
		}
		mo.Partial = mo.Hours < mo.MonthHours
		// Minutes whose start lies in [lo, hi).
		a, b := sim.FromDuration(lo.Sub(start)), sim.FromDuration(hi.Sub(start))
		for k := ceilDiv(a, sim.Minute); k < ceilDiv(b, sim.Minute) && k < len(in.Bill.PerMinute); k++ {
			mo.CostUSD += in.Bill.PerMinute[k]
		}
		var weighted, span float64
		for ; row < len(r.Minutes) && r.Minutes[row].Start < b; row++ {
			x := d.Timeseries[row]
			peak, mean := x.InService, float64(x.InService)
			if x.InServiceMax != nil && x.InServiceMean != nil {
				peak, mean = *x.InServiceMax, *x.InServiceMean
			}
			s := r.RowSpan(row).Seconds()
			mo.PeakInstances = max(mo.PeakInstances, peak)
			weighted += mean * s
			span += s
			mo.Requests += x.Arrivals
		}
		if span > 0 {
			mo.MeanInstances = round(weighted/span, 3)
		}
		if mo.Hours > 0 {
			mo.ProjectedUSD = round(mo.CostUSD*mo.MonthHours/mo.Hours, 6)
		}
		mo.CostUSD = round(mo.CostUSD, 6)
		mo.Hours = round(mo.Hours, 6)
		months = append(months, mo)
	}
	return months
}

func ceilDiv(t, unit sim.Time) int { return int((t + unit - 1) / unit) }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
