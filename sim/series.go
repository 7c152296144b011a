package sim

// The time series at a coarser resolution (Config.Resolution): every
// minute still closes as a minute row (the same code, the same numbers),
// and is then folded into the row being built instead of being kept, so a
// year at an hour per row holds 8,760 rows rather than 525,600. Each column
// is aggregated by what it is (docs/result.md "timeseries"):
//
//   - counts (arrivals, completed, rejected, timed out) and the latency
//     sum behind mean_latency_ms: summed;
//   - gauges sampled at the minute's end (in service, pending, desired, the
//     ECS columns): the value at the row's end, as a minute row's is; the
//     row adds in_service_mean (the time-weighted mean: exact from the
//     in-service integral, or on ECS the mean of the minute-end counts),
//     in_service_max (the most in service at once: exact, tracked by the
//     fleet; on ECS the largest minute-end count) and desired_max;
//   - cpu_percent: busy ÷ capacity over the row (the minutes' CPU weighted
//     by their capacity), and cpu_percent_max, the busiest minute's;
//   - in_system: the time average over the row;
//   - p50 and p99: from one histogram of every latency completed in the
//     row — percentiles of the row's requests, never an average of the
//     minutes' percentiles.

// seriesRow is the row being folded.
type seriesRow struct {
	row  MinuteRow
	open bool
	// capacity slot-seconds of its minutes, and Σ CPU % × those: the
	// capacity-weighted CPU.
	capW, cpuW float64
	// Σ in-system × minute length, and (ECS) Σ in-service × minute length.
	inSystemW, inServiceW float64
	// inServiceArea is the meter's in-service integral when the row began.
	inServiceArea float64
}

// resolution is the run's row length.
func (c *Config) resolution() Time {
	if c.Resolution <= 0 {
		return Minute
	}
	return c.Resolution
}

// foldMinute adds a closed minute row to the row being built, and appends
// that row when its span ends (or the run does). capW is the minute's
// in-service capacity in slot-seconds.
func (e *engine) foldMinute(row MinuteRow, capW float64) {
	m := &e.meter
	s := &m.rows
	length := (e.now - row.Start).Seconds()
	if !s.open {
		s.open = true
		s.row = MinuteRow{Start: row.Start}
		s.capW, s.cpuW, s.inSystemW, s.inServiceW = 0, 0, 0, 0
		s.inServiceArea = m.minuteInService // the integral when this minute began
	}
	r := &s.row
	r.Arrivals += row.Arrivals
	r.Completed += row.Completed
	r.Rejected += row.Rejected
	r.TimedOut += row.TimedOut
	r.LatencySum += row.LatencySum
	r.InService, r.Pending, r.Desired, r.ECS = row.InService, row.Pending, row.Desired, row.ECS
	r.DesiredMax = max(r.DesiredMax, row.Desired)
	r.CPUPercentMax = max(r.CPUPercentMax, row.CPUPercent)
	s.capW += capW
	s.cpuW += row.CPUPercent * capW
	s.inSystemW += row.InSystem * length
	s.inServiceW += float64(row.InService) * length
	if e.ecs != nil {
		r.InServiceMax = max(r.InServiceMax, row.InService)
	}
	if e.now%e.cfg.resolution() == 0 || e.now >= e.end {
		e.emitRow()
	}
}

// emitRow appends the row being folded.
func (e *engine) emitRow() {
	m := &e.meter
	s := &m.rows
	r := s.row
	span := (e.now - r.Start).Seconds()
	if s.capW > 0 {
		r.CPUPercent = s.cpuW / s.capW
	}
	if span > 0 {
		r.InSystem = s.inSystemW / span
		r.InServiceMean = s.inServiceW / span
		if e.ecs == nil {
			r.InServiceMean = (m.inServiceArea - s.inServiceArea) / span
		}
	}
	if e.ecs == nil {
		r.InServiceMax = e.fleet.rowPeak
	}
	r.P50 = quantileOrNaN(m.minuteHist, 50)
	r.P99 = quantileOrNaN(m.minuteHist, 99)
	m.minuteHist.Reset()
	m.res.Minutes = append(m.res.Minutes, r)
	s.open = false
	e.fleet.rowPeak = e.fleet.count[inService]
}
