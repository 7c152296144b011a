package sim_test

import (
	"math"
	"testing"

	"github.com/capsim/capsim/sim"
)

// probe is a scaler that never acts and keeps the last datapoints it saw.
type probe struct {
	seen map[sim.Metric][]sim.Datapoint
}

func (p *probe) Name() string { return "probe" }

// Metrics names every metric the probe reads: the engine publishes only
// the metrics its scalers name (sim.MetricUser).
func (p *probe) Metrics() []sim.Metric {
	var ms []sim.Metric
	for m := sim.MetricCPU; m <= sim.MetricBacklogPerInstance; m++ {
		ms = append(ms, m)
	}
	return ms
}
func (p *probe) Evaluate(now sim.Time, g *sim.Group) sim.Proposal {
	for m := sim.MetricCPU; m <= sim.MetricBacklogPerInstance; m++ {
		p.seen[m] = g.Datapoints(m, now)
	}
	return sim.Proposal{Want: sim.Hold}
}

// TestMetricsMatchQueueingTheory: on four M/M/2 instances behind random
// routing (each an M/M/2 at ρ = 0.7), the published datapoints average to
// what queueing theory says: CPU = ρ, request count per target = λ per
// instance per minute, latency = Erlang C sojourn, backlog = Lq.
func TestMetricsMatchQueueingTheory(t *testing.T) {
	const c, rho, mean, n = 2, 0.7, 0.010, 4
	cfg := mmc(c, rho, mean, 4_000_000, 3)
	lambda := rho * c / mean // per instance
	cfg.Traffic = &sim.ConstantRate{RPS: lambda * n}
	cfg.Fleet.Min, cfg.Fleet.Max, cfg.Fleet.Desired = n, n, n
	cfg.RequestBytes, cfg.ResponseBytes = 1000, 20000
	p := &probe{seen: map[sim.Metric][]sim.Datapoint{}}
	cfg.Scalers = []sim.Scaler{p}
	if _, err := sim.Run(cfg); err != nil {
		t.Fatal(err)
	}
	avg := func(m sim.Metric) float64 {
		var s float64
		for _, d := range p.seen[m] {
			if d.Missing {
				t.Fatalf("%v: missing datapoint under steady load", m)
			}
			s += d.Value
		}
		return s / float64(len(p.seen[m]))
	}
	wq := mmcWait(c, rho) * mean
	lq := lambda * wq
	checks := []struct {
		m    sim.Metric
		want float64
	}{
		{sim.MetricCPU, rho * 100},
		{sim.MetricRequestCountPerTarget, lambda * 60},
		{sim.MetricRequestCount, lambda * n * 60},
		{sim.MetricNetworkIn, lambda * 60 * 1000},
		{sim.MetricNetworkOut, lambda * 60 * 20000},
		{sim.MetricLatency, (wq + mean) * 1000},
		{sim.MetricBacklogPerInstance, lq},
	}
	for _, c := range checks {
		got := avg(c.m)
		tol := 0.02
		if c.m == sim.MetricBacklogPerInstance {
			tol = 0.08 // sampled once a minute, not time-averaged
		}
		if math.Abs(got-c.want)/c.want > tol {
			t.Errorf("%v: mean datapoint %.4g, theory %.4g (tolerance %.0f%%)", c.m, got, c.want, 100*tol)
		}
	}
	if e := avg(sim.MetricErrors); e != 0 {
		t.Errorf("errors %.3g per period, want 0", e)
	}
	last := p.seen[sim.MetricLatency][len(p.seen[sim.MetricLatency])-1]
	if !(last.P50 < last.P90 && last.P90 < last.P99 && last.P99 <= last.Max) {
		t.Errorf("latency percentiles out of order: %+v", last)
	}
}

// cpuOnly names CPU alone among the metrics it reads.
type cpuOnly struct{ probe }

func (p *cpuOnly) Metrics() []sim.Metric { return []sim.Metric{sim.MetricCPU} }

// TestPublishesReadMetrics: when every scaler names the metrics it reads
// (sim.MetricUser), the engine publishes those alone; a scaler that does
// not name them sees every metric.
func TestPublishesReadMetrics(t *testing.T) {
	for _, c := range []struct {
		name   string
		scaler func(p probe) sim.Scaler
		count  bool // the request count is published
	}{
		{"names cpu", func(p probe) sim.Scaler { return &cpuOnly{p} }, false},
		{"names nothing", func(p probe) sim.Scaler { return &unnamed{p} }, true},
	} {
		cfg := mmc(2, 0.5, 0.010, 20_000, 1)
		p := probe{seen: map[sim.Metric][]sim.Datapoint{}}
		cfg.Scalers = []sim.Scaler{c.scaler(p)}
		if _, err := sim.Run(cfg); err != nil {
			t.Fatal(err)
		}
		if len(p.seen[sim.MetricCPU]) == 0 {
			t.Errorf("%s: no CPU datapoints", c.name)
		}
		if got := len(p.seen[sim.MetricRequestCount]) > 0; got != c.count {
			t.Errorf("%s: request count published %v, want %v", c.name, got, c.count)
		}
	}
}

// unnamed reads every metric and does not say which.
type unnamed struct{ p probe }

func (u *unnamed) Name() string { return "unnamed" }
func (u *unnamed) Evaluate(now sim.Time, g *sim.Group) sim.Proposal {
	return u.p.Evaluate(now, g)
}
