package sim

import hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

// Fluid mode counts requests in bulk: n requests with the same outcome and
// the same times at once. These are meter.outcome's counterparts, writing
// the same counters and histograms (sim/meter.go), so that the metric
// pipeline, the time series and the results cannot tell the modes apart.

// arrivalsN counts n requests reaching the load balancer.
func (m *meter) arrivalsN(n int64) {
	m.res.Requests.Total += n
	m.minute.Arrivals += n
}

// routedN counts n requests sent to a target.
func (m *meter) routedN(n int64) { m.period.routed += n }

// startedN records n requests that got a worker slot after waiting wait.
func (m *meter) startedN(wait Time, n int64) {
	m.res.WaitSum += wait.Seconds() * float64(n)
	m.res.WaitCount += n
	recordMicrosN(m.res.Wait, wait, n)
}

// outcomeN counts n requests that ended as k, as outcome does for one.
func (m *meter) outcomeN(k outcome, n int64, sojourn, lat Time) {
	if n <= 0 {
		return
	}
	f := float64(n)
	switch k {
	case completed:
		m.res.SojournSum += sojourn.Seconds() * f
		m.res.SojournN += n
		m.res.Requests.Completed += n
		m.minute.Completed += n
		m.minute.LatencySum += lat.Seconds() * f
		m.res.LatencySum += lat.Seconds() * f
		recordMicrosN(m.res.Latency, lat, n)
		recordMicrosN(m.minuteHist, lat, n)
		if p := &m.period; p.hist != nil {
			p.latencySum += lat.Seconds() * f
			p.completed += n
			recordMicrosN(p.hist, lat, n)
		}
	case timedOut:
		m.res.SojournSum += sojourn.Seconds() * f
		m.res.SojournN += n
		m.res.Requests.TimedOut += n
		m.minute.TimedOut += n
		m.period.errors += n
	case rejected:
		m.outcome(rejected, n, 0, 0)
		return // outcome counted it for a deployment
	}
	if m.deploy != nil {
		m.deploy.add(k, n, lat)
	}
}

func recordMicrosN(h *hdrhistogram.Histogram, d Time, n int64) {
	us := int64(d / Microsecond)
	if us < histMinMicros {
		us = histMinMicros
	} else if us > histMaxMicros {
		us = histMaxMicros
	}
	_ = h.RecordValues(us, n) // cannot fail: the value is within bounds
}
