package sim

import "math"

// Little's law, L = λW (J. D. C. Little, "A proof for the queuing formula
// L = λW", Operations Research 9(3), 1961), on the instances: the
// time-average number of requests inside them equals the rate at which
// requests pass through times their mean time inside. These helpers expose
// both sides so that a run's outputs can be checked against it
// (docs/result.md).

// closeMinuteInSystem sets the minute's time-average number of requests in
// instances from the meter's running integral. The last minute of a run
// may be shorter than a minute: the average is over its real length.
func (m *meter) closeMinuteInSystem(row *MinuteRow, now Time) {
	if d := (now - row.Start).Seconds(); d > 0 {
		row.InSystem = (m.inSystemArea - m.minuteInSystem) / d
	}
	m.minuteInSystem = m.inSystemArea
}

// MeanLatencyMs is the mean end-to-end latency of the requests completed
// in the minute; NaN when none completed.
func (m MinuteRow) MeanLatencyMs() float64 {
	if m.Completed == 0 {
		return math.NaN()
	}
	return m.LatencySum / float64(m.Completed) * 1000
}

// LeftRPS is the rate at which requests left an instance over the run:
// served, or dropped after their client's timeout (λ of Little's law on
// the instances, counted at departure).
func (r *Result) LeftRPS() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.SojournN) / r.Duration.Seconds()
}

// MeanSojournMs is the mean time the requests that left an instance spent
// inside it, queued and in service (W of Little's law on the instances).
// Requests still inside at the end, or cut off when their instance was
// terminated, are not in it: on a finite run MeanInSystem exceeds
// LeftRPS × MeanSojournMs by their share.
func (r *Result) MeanSojournMs() float64 {
	if r.SojournN == 0 {
		return 0
	}
	return r.SojournSum / float64(r.SojournN) * 1000
}
