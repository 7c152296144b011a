package sim

// What a live autoscaler outside the engine needs to run the very same
// policies (docs/architecture.md): a metric series it fills from real
// measurements and attaches to a Group it builds, and the requests of a
// run drawn exactly as Run draws them (common random numbers).

// MetricSeries holds the datapoints of every metric, oldest first, for a
// Group built outside the engine (capsim validate's live autoscaler).
type MetricSeries struct {
	s [numMetrics][]Datapoint
}

// Append adds the datapoint of the period starting at d.Start.
func (m *MetricSeries) Append(metric Metric, d Datapoint) {
	m.s[metric] = append(m.s[metric], d)
}

// Attach makes g read its datapoints from m, each visible publishDelay
// after its period (g.Period) ends, as the engine's groups do.
func (m *MetricSeries) Attach(g *Group, publishDelay Time) {
	g.series = &m.s
	g.publishLag = publishDelay
}

// DrawRequests returns the requests Run would serve for cfg, up to its
// duration, in arrival order: the arrival times from the seed's arrival
// stream (or the replayed log) and each request's CPU demand, drawn for
// every arrival from the seed's service stream when the log carries none.
// It consumes cfg's traffic source: build a fresh Config for Run.
func DrawRequests(cfg *Config) ([]Request, error) {
	var src arrivalStream
	if cfg.Requests != nil {
		src = &replay{src: cfg.Requests}
	} else {
		src = newArrivals(cfg.Traffic, NewRand(cfg.Seed, StreamArrivals), cfg.Arrivals)
	}
	svc := NewRand(cfg.Seed, StreamService)
	var out []Request
	for {
		t, d, ok := src.next()
		if !ok || t > cfg.Duration {
			break
		}
		if d < 0 {
			d = cfg.Service.Sample(svc)
		}
		out = append(out, Request{At: t, Demand: d})
	}
	if err := src.failure(); err != nil {
		return nil, err
	}
	return out, nil
}
