package sim

import (
	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// meter is what a run measures: the results, the per-minute time series,
// the metric periods behind the datapoints policies read, and the
// fleet-wide time integrals. A request is counted in exactly one place,
// outcome.
type meter struct {
	res *Result

	// whole-fleet integrals, brought up to date at every event (integrate)
	areaAt        Time
	busyArea      float64 // busy slot-seconds
	capArea       float64 // in-service slot-seconds
	inSystemArea  float64
	inServiceArea float64
	// minuteInSystem and minuteInService are the integrals when the
	// current minute began.
	minuteInSystem, minuteInService float64

	series      [numMetrics][]Datapoint
	seriesArray [numMetrics][]Datapoint // the arrays the series move along (publish)
	read        [numMetrics]bool        // the metrics a scaler may read (readMetrics)
	period      periodCounters

	minute  MinuteRow
	minutes int // minutes closed
	// minuteHist holds the latencies of the current row: a minute, or the
	// rows of Config.Resolution (sim/series.go).
	minuteHist *hdrhistogram.Histogram
	minuteBusy float64
	minuteCap  float64
	// perMinute: every minute is a row; otherwise rows folds them.
	perMinute bool
	rows      seriesRow
	// deploy collects the requests that end during an ECS deployment
	// (sim/ecs_deploy.go); nil outside one.
	deploy *deployMeter
}

// outcome is how a request ended (RequestCounts).
type outcome uint8

const (
	completed outcome = iota // served within the client's timeout
	timedOut                 // the client gave up: served too late, or dropped from the queue
	rejected                 // refused (no target, a full queue, a failed target) or cut off on its instance
)

func newMeter(cfg *Config) meter {
	m := meter{
		minuteHist: newMinuteHistogram(),
		perMinute:  cfg.resolution() == Minute,
		res: &Result{
			Mode:       cfg.Mode,
			Seed:       cfg.Seed,
			Duration:   cfg.Duration,
			Resolution: cfg.resolution(),
			Latency:    newHistogram(),
			Wait:       newHistogram(),
			// One row per resolution, the last one partial: sized up front,
			// a year's 525,600 minute rows are not copied and re-copied as
			// they grow.
			Minutes: make([]MinuteRow, 0, (cfg.Duration+cfg.resolution()-1)/cfg.resolution()),
		},
	}
	m.read = readMetrics(cfg.Scalers)
	if usesMetric(cfg.Scalers, MetricLatency) {
		m.period.hist = newMinuteHistogram()
	}
	return m
}

// arrival counts a request reaching the load balancer.
func (m *meter) arrival() {
	m.res.Requests.Total++
	m.minute.Arrivals++
}

// routed counts a request sent to a target, for the request-count metrics.
func (m *meter) routed() { m.period.routed++ }

// started records the queue wait of a request that got a worker slot.
func (m *meter) started(wait Time) {
	m.res.WaitSum += wait.Seconds()
	m.res.WaitCount++
	recordMicros(m.res.Wait, wait)
}

// outcome counts n requests that ended as k. sojourn is the time the
// request spent in its instance (completed and timed out); lat is its
// end-to-end latency (completed only).
func (m *meter) outcome(k outcome, n int64, sojourn, lat Time) {
	switch k {
	case completed:
		m.res.SojournSum += sojourn.Seconds()
		m.res.SojournN++
		m.res.Requests.Completed++
		m.minute.Completed++
		m.minute.LatencySum += lat.Seconds()
		m.res.LatencySum += lat.Seconds()
		recordMicros(m.res.Latency, lat)
		recordMicros(m.minuteHist, lat)
		if p := &m.period; p.hist != nil {
			p.latencySum += lat.Seconds()
			p.completed++
			recordMicros(p.hist, lat)
		}
	case timedOut:
		m.res.SojournSum += sojourn.Seconds()
		m.res.SojournN++
		m.res.Requests.TimedOut++
		m.minute.TimedOut++
		m.period.errors++
	case rejected:
		m.res.Requests.Rejected += n
		m.minute.Rejected += n
		m.period.errors += n
	}
	if m.deploy != nil {
		m.deploy.add(k, n, lat)
	}
}

// integrate brings the fleet-wide integrals up to t, given the levels that
// held since the last call.
func (m *meter) integrate(t Time, busy, slots, inSystem int64, inService int) {
	dt := (t - m.areaAt).Seconds()
	m.busyArea += float64(busy) * dt
	m.capArea += float64(slots) * dt
	m.inSystemArea += float64(inSystem) * dt
	m.inServiceArea += float64(inService) * dt
	m.areaAt = t
}

// closeMinute closes a minute: one time-series row, or with a coarser
// resolution one minute folded into the current row (sim/series.go).
func (e *engine) closeMinute() {
	m := &e.meter
	row := m.minute
	row.Start = Time(m.minutes) * Minute
	m.minutes++
	row.InService = e.fleet.count[inService]
	row.Desired = e.asg.desired
	row.Pending = e.fleet.launching()
	capW := m.capArea - m.minuteCap
	if capW > 0 {
		row.CPUPercent = (m.busyArea - m.minuteBusy) / capW * 100
	}
	if e.cfg.Fleet.Type.Burstable || e.cfg.Fleet.Credits != nil {
		e.recordInstanceCPU()
	}
	if m.perMinute {
		row.P50 = quantileOrNaN(m.minuteHist, 50)
		row.P99 = quantileOrNaN(m.minuteHist, 99)
	}
	m.closeMinuteInSystem(&row, e.now)
	if e.ecs != nil {
		e.ecsRow(&row)
	}
	if m.perMinute {
		m.res.Minutes = append(m.res.Minutes, row)
		m.minuteHist.Reset()
	} else {
		e.foldMinute(row, capW)
	}
	m.minute = MinuteRow{}
	m.minuteBusy, m.minuteCap = m.busyArea, m.capArea
	m.minuteInService = m.inServiceArea
}

// recordInstanceCPU appends each running instance's CPU % for the minute
// that just ended (burstable types only: credits depend on it).
func (e *engine) recordInstanceCPU() {
	for _, id := range e.fleet.live {
		in := &e.fleet.inst[id]
		in.accrue(e.now)
		from := max(in.launch, e.now-Minute)
		if span := e.now - from; span > 0 {
			// The CPU actually used: a throttled slot runs at a fraction of
			// the nominal speed.
			util := float64(in.busyArea-in.minuteArea) / (float64(in.slots) * float64(span)) * 100 * in.speed / e.cfg.Fleet.Type.Speed
			in.cpuByMinute = append(in.cpuByMinute, float32(util))
			if e.cfg.Fleet.Credits != nil {
				e.stepCredits(in, util, float64(span)/float64(Minute))
			}
		}
		in.minuteArea = in.busyArea
	}
}

// closeBooks fills in the run's totals at its end.
func (e *engine) closeBooks() {
	m := &e.meter
	r := m.res
	if Time(m.minutes)*Minute < e.end {
		e.closeMinute()
	}
	r.Requests.InFlightAtEnd = e.lb.outstanding
	d := e.end.Seconds()
	r.MeanInSystem = m.inSystemArea / d
	r.MeanInService = m.inServiceArea / d
	if m.capArea > 0 {
		r.MeanCPU = m.busyArea / m.capArea * 100
	}
	r.PeakInService = e.fleet.peak
}
