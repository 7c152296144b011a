package sim_test

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// BenchmarkEngineMMc runs M/M/c with c = 10, ρ = 0.8 through the real
// request path (balancer, instance slots and queue, HDR histograms,
// metric ticks). One op is one request, i.e. two events (arrival and
// departure); events/s is the figure to compare with docs/performance.md.
func BenchmarkEngineMMc(b *testing.B) {
	cfg := mmc(10, 0.8, 0.010, max(b.N, 1000), 1)
	cfg.Balancer = &policies.LeastOutstanding{}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	res, err := sim.Run(cfg)
	if err != nil {
		b.Fatal(err)
	}
	el := time.Since(start).Seconds()
	b.ReportMetric(float64(2*res.Requests.Total)/el, "events/s")
}

// BenchmarkEngineFleet is the same M/M/c load spread over 50 one-vCPU
// instances by each balancer: the per-request cost of the routing choice.
func BenchmarkEngineFleet(b *testing.B) {
	for _, name := range policies.BalancerNames() {
		b.Run(name, func(b *testing.B) {
			cfg := mmc(1, 0.8, 0.010, max(b.N, 1000), 1)
			cfg.Traffic = &sim.ConstantRate{RPS: 50 * 0.8 / 0.010}
			cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = 50, 50, 50
			cfg.Balancer, _ = policies.NewBalancer(name)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			res, err := sim.Run(cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(2*res.Requests.Total)/time.Since(start).Seconds(), "events/s")
		})
	}
}

// BenchmarkMinimalLoop is the floor: a hand-written M/M/c loop with a typed
// 4-ary heap, no allocation per event and a log-bucket histogram, and no
// model around it (docs/performance.md's "minimal loop"). capsim's engine is
// judged by its ratio to this number on the same machine.
func BenchmarkMinimalLoop(b *testing.B) {
	const c, lambda, mu = 10, 8.0, 1.0
	r := rand.New(rand.NewPCG(1, 2))
	type ev struct {
		t   float64
		arr float64
		dep bool
	}
	h := make([]ev, 0, 64)
	less := func(i, j int) bool { return h[i].t < h[j].t }
	push := func(e ev) {
		h = append(h, e)
		i := len(h) - 1
		for i > 0 {
			p := (i - 1) / 4
			if !less(i, p) {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
	}
	pop := func() ev {
		top := h[0]
		n := len(h) - 1
		h[0] = h[n]
		h = h[:n]
		i := 0
		for {
			m, cc := i, 4*i+1
			for j := cc; j < cc+4 && j < n; j++ {
				if less(j, m) {
					m = j
				}
			}
			if m == i {
				break
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
		return top
	}
	var hist [64]int64
	queue := make([]float64, 0, 1024)
	busy := 0
	served := 0
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	push(ev{t: r.ExpFloat64() / lambda})
	for served < b.N {
		e := pop()
		if !e.dep {
			push(ev{t: e.t + r.ExpFloat64()/lambda})
			if busy < c {
				busy++
				push(ev{t: e.t + r.ExpFloat64()/mu, arr: e.t, dep: true})
			} else {
				queue = append(queue, e.t)
			}
			continue
		}
		served++
		hist[bits.Len64(uint64((e.t-e.arr)*1e6))]++
		if len(queue) > 0 {
			a := queue[0]
			queue = queue[1:]
			push(ev{t: e.t + r.ExpFloat64()/mu, arr: a, dep: true})
		} else {
			busy--
		}
	}
	b.ReportMetric(float64(2*served)/time.Since(start).Seconds(), "events/s")
	if hist[0] == math.MaxInt64 {
		b.Log(hist)
	}
}
