package sim

import (
	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// periodCounters accumulate what happens in one metric period.
type periodCounters struct {
	routed     int64
	errors     int64
	completed  int64
	latencySum float64
	hist       *hdrhistogram.Histogram // nil unless a policy reads latency
}

// closePeriod publishes one datapoint per metric for the period that just
// ended (docs/architecture.md, docs/aws-model.md §1.4, §2.1, §4.1):
//   - per-instance EC2 metrics (CPU, network) are averaged over in-service
//     instances past their warm-up, and missing when there are none;
//   - ALB metrics (request counts, latency, errors) are missing, not zero,
//     in a period with no requests;
//   - request count per target is per one-minute interval, as AWS defines
//     its target.
func (e *engine) closePeriod() {
	p := e.cfg.MetricPeriod
	start := e.now - p
	var cpu, netIn, netOut stats
	queued := 0
	for _, id := range e.fleet.live {
		in := &e.fleet.inst[id]
		if in.state != inService {
			continue
		}
		in.accrue(e.now)
		in.lastCPU = float64(in.busyArea-in.periodArea) / (float64(in.slots) * float64(p)) * 100
		routed := float64(in.routed - in.routedAt)
		if !in.warming {
			cpu.add(in.lastCPU)
			netIn.add(routed * e.cfg.RequestBytes)
			netOut.add(routed * e.cfg.ResponseBytes)
		}
		queued += in.n + int(in.fluidQueued)
		in.periodArea = in.busyArea
		in.routedAt = in.routed
	}
	pc := &e.meter.period
	noRequests := pc.routed == 0 && pc.errors == 0
	keep := int(retention(p) / p)
	periods := int(e.end/p) + 1
	put := func(m Metric, d Datapoint) {
		if !e.meter.read[m] {
			return // no scaler reads it
		}
		d.Start = start
		e.meter.publish(m, d, keep, periods)
	}
	put(MetricCPU, cpu.average())
	put(MetricNetworkIn, netIn.average())
	put(MetricNetworkOut, netOut.average())

	count := Datapoint{Missing: noRequests, Value: float64(pc.routed), Sum: float64(pc.routed),
		Min: float64(pc.routed), Max: float64(pc.routed), Count: 1}
	put(MetricRequestCount, count)

	perTarget := Datapoint{Missing: noRequests || e.lb.all.Len() == 0}
	if !perTarget.Missing {
		v := float64(pc.routed) / float64(e.lb.all.Len()) * float64(Minute) / float64(p)
		perTarget = Datapoint{Value: v, Sum: v, Min: v, Max: v, Count: float64(e.lb.all.Len())}
	}
	put(MetricRequestCountPerTarget, perTarget)

	lat := Datapoint{Missing: pc.completed == 0}
	if !lat.Missing && pc.hist != nil {
		ms := func(q float64) float64 { return float64(pc.hist.ValueAtQuantile(q)) / 1000 }
		lat.Value = pc.latencySum / float64(pc.completed) * 1000
		lat.Sum, lat.Count = pc.latencySum*1000, float64(pc.completed)
		lat.Min, lat.Max = float64(pc.hist.Min())/1000, float64(pc.hist.Max())/1000
		lat.P50, lat.P90, lat.P95, lat.P99 = ms(50), ms(90), ms(95), ms(99)
	}
	put(MetricLatency, lat)

	errs := float64(pc.errors)
	put(MetricErrors, Datapoint{Missing: noRequests, Value: errs, Sum: errs, Min: errs, Max: errs, Count: 1})

	n := e.fleet.count[inService]
	backlog := Datapoint{Missing: n == 0}
	if !backlog.Missing {
		v := float64(queued) / float64(n)
		backlog = Datapoint{Value: v, Sum: float64(queued), Min: v, Max: v, Count: float64(n)}
	}
	put(MetricBacklogPerInstance, backlog)
	if e.ecs != nil && e.ecs.cfg.MemoryUse != nil {
		put(MetricMemory, e.memoryDatapoint())
	}

	hist := pc.hist
	*pc = periodCounters{hist: hist}
	if hist != nil {
		hist.Reset()
	}
}

// publish appends d to the series of m, which keeps the last keep to
// keep+keep/4 datapoints. Past CloudWatch's retention the datapoints are
// gone: memory stays flat on long runs by dropping the oldest fifth. The
// series is a window that moves along its array, 2·keep long, and is
// copied back to the array's front only when it reaches the end: one copy
// of the window per 3/4·keep datapoints or more, where copying the kept
// datapoints at every drop was one per keep/4 (docs/performance.md). The
// array is sized at the first datapoint for the run's periods, at most
// 2·keep, so that it does not grow by copies.
func (m *meter) publish(k Metric, d Datapoint, keep, periods int) {
	if m.series[k] == nil {
		m.series[k] = make([]Datapoint, 0, max(1, min(2*keep, periods)))
		m.seriesArray[k] = m.series[k]
	}
	s := append(m.series[k], d)
	if len(s) >= keep+keep/4 {
		s = s[len(s)-keep:]
	}
	if len(s) == cap(s) && len(s) >= keep {
		b := m.seriesArray[k]
		if cap(b) < 2*keep {
			b = make([]Datapoint, 0, 2*keep)
			m.seriesArray[k] = b
		}
		s = append(b[:0], s...)
	}
	m.series[k] = s
}

// retention is how long CloudWatch keeps datapoints of a period
// (docs/aws-model.md §2.1): under 60 s for 3 h, 60 s for 15 days, 300 s for 63
// days. Policies never look further back (predictive scaling reads 14 days).
func retention(period Time) Time {
	switch {
	case period < Minute:
		return 3 * Hour
	case period < 5*Minute:
		return 15 * 24 * Hour
	}
	return 63 * 24 * Hour
}

// stats gathers per-instance values into one datapoint.
type stats struct {
	n             int
	sum, min, max float64
}

func (s *stats) add(v float64) {
	if s.n == 0 || v < s.min {
		s.min = v
	}
	if s.n == 0 || v > s.max {
		s.max = v
	}
	s.sum += v
	s.n++
}

func (s *stats) average() Datapoint {
	if s.n == 0 {
		return Datapoint{Missing: true}
	}
	return Datapoint{Value: s.sum / float64(s.n), Sum: s.sum, Min: s.min, Max: s.max, Count: float64(s.n)}
}
