package stack

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/capsim/capsim/sim"
)

// Planned is one request of the open-loop schedule: when it is due (from
// the start of the run) and how long it holds a backend slot.
type Planned struct {
	At      time.Duration
	Service time.Duration
}

// Schedule draws the requests of a constant-rate run exactly as sim.Run
// draws them: arrival times by the time change of the arrival process on
// the seed's arrival stream (a unit-rate renewal process divided by the
// rate), and one service demand per arrival, in arrival order, from the
// seed's service stream. svc is the service distribution as the engine
// samples it (demand in seconds; the instance's speed is applied here).
func Schedule(seed uint64, rate float64, proc sim.ArrivalProcess, svc sim.Dist, speed float64, dur time.Duration) []Planned {
	ar := sim.NewRand(seed, sim.StreamArrivals)
	sr := sim.NewRand(seed, sim.StreamService)
	var g sim.Gamma
	if proc.Kind == sim.GammaRenewal {
		g, _ = sim.GammaMeanCV(1, proc.CV)
	}
	inc := func(r *rand.Rand) float64 {
		switch proc.Kind {
		case sim.Even:
			return 1
		case sim.GammaRenewal:
			return g.Sample(r)
		}
		return r.ExpFloat64()
	}
	var out []Planned
	var at sim.Time
	end := sim.FromDuration(dur)
	for {
		at += sim.FromSeconds(inc(ar) / rate)
		if at > end {
			return out
		}
		d := svc.Sample(sr) / speed
		out = append(out, Planned{At: at.Duration(), Service: sim.FromSeconds(d).Duration()})
	}
}

// LoadResult is what the generator measured. Latency is measured from each
// request's intended send time, so time the generator spent behind its
// schedule counts against the stack (no coordinated omission); Lag is how
// far behind schedule requests were actually sent.
type LoadResult struct {
	Sent      int64
	Completed int64 // 200 within the timeout
	TimedOut  int64 // no answer within the timeout (or HAProxy's 503 after timeout queue)
	Failed    int64 // any other answer or error
	Dropped   int64 // not sent: the generator was at its concurrency cap
	// InFlightAtEnd were still unanswered when the run ended (Generator.End):
	// cancelled then, and left out of the latencies, as in the simulation.
	InFlightAtEnd int64
	FirstErr      string
	Elapsed       time.Duration // first intended send to the last answer
	Latency       *hdrhistogram.Histogram
	Lag           *hdrhistogram.Histogram
	LatSum        float64 // seconds, completed requests
}

func newMicros() *hdrhistogram.Histogram { return hdrhistogram.New(1, 3600e6, 3) }

func recordDur(h *hdrhistogram.Histogram, d time.Duration) {
	us := d.Microseconds()
	if us < 1 {
		us = 1
	}
	_ = h.RecordValue(min(us, 3600e6))
}

// Generator sends a schedule of requests to one URL, open loop: each
// request goes at its time whatever became of the ones before.
type Generator struct {
	URL     string
	Timeout time.Duration // the client gives up this long after the intended send time
	MaxOpen int           // concurrency cap (a safety bound, not a pacing device)
	// Client sends the requests; nil: a client of its own for this Run.
	Client *http.Client
	// End, if > 0, ends the run this long after its start: requests not
	// answered by then are cancelled and counted in flight, as sim.Run
	// counts requests still in the system when its duration ends.
	End time.Duration
	// Observe, if set, is told of every answered request as it ends: when
	// (since the run's start), its latency from the intended send time, and
	// whether it completed (200 within the timeout). Calls are serialised.
	// The live autoscaler builds its latency datapoints from them.
	Observe func(at, latency time.Duration, completed bool)
}

// NewClient is an HTTP client for a generator: keep-alive connections,
// enough idle ones for maxOpen requests at once. Close its idle
// connections when done (Transport.CloseIdleConnections).
func NewClient(maxOpen int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxIdleConnsPerHost: maxOpen,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}}
}

// Run sends reqs and waits for every answer (or timeout).
func (g Generator) Run(ctx context.Context, reqs []Planned) *LoadResult {
	return g.run(ctx, reqs, time.Now())
}

// run is Run with the schedule's start given: the live autoscaler's clock
// starts at the same instant.
func (g Generator) run(ctx context.Context, reqs []Planned, t0 time.Time) *LoadResult {
	client := g.Client
	if client == nil {
		client = NewClient(g.MaxOpen)
		defer client.CloseIdleConnections()
	}
	res := &LoadResult{Latency: newMicros(), Lag: newMicros()}
	var mu sync.Mutex
	var wg sync.WaitGroup
	open := make(chan struct{}, max(1, g.MaxOpen))
	timer := time.NewTimer(0)
	<-timer.C
	runCtx := ctx
	if g.End > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithDeadline(ctx, t0.Add(g.End))
		defer cancel()
	}
	var last time.Time
	for _, r := range reqs {
		due := t0.Add(r.At)
		if d := time.Until(due); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-ctx.Done():
				timer.Stop()
				wg.Wait()
				return res
			}
		}
		sent := time.Now()
		mu.Lock()
		recordDur(res.Lag, sent.Sub(due))
		res.Sent++
		mu.Unlock()
		select {
		case open <- struct{}{}:
		default:
			mu.Lock()
			res.Dropped++
			mu.Unlock()
			continue
		}
		wg.Add(1)
		go func(r Planned, due time.Time) {
			defer wg.Done()
			defer func() { <-open }()
			code, err := g.one(runCtx, client, r, due)
			end := time.Now()
			lat := end.Sub(due)
			mu.Lock()
			defer mu.Unlock()
			if end.After(last) {
				last = end
			}
			inFlight := g.End > 0 && end.Sub(t0) > g.End
			ok := !inFlight && err == nil && code == http.StatusOK && lat <= g.Timeout
			if g.Observe != nil && !inFlight {
				g.Observe(end.Sub(t0), lat, ok)
			}
			switch {
			case inFlight:
				res.InFlightAtEnd++
			case ok:
				res.Completed++
				res.LatSum += lat.Seconds()
				recordDur(res.Latency, lat)
			case errors.Is(err, context.DeadlineExceeded) || lat >= g.Timeout || code == http.StatusServiceUnavailable && lat >= g.Timeout*99/100:
				res.TimedOut++
			default:
				res.Failed++
				if res.FirstErr == "" {
					if err != nil {
						res.FirstErr = err.Error()
					} else {
						res.FirstErr = "HTTP " + strconv.Itoa(code)
					}
				}
			}
		}(r, due)
	}
	wg.Wait()
	if !last.IsZero() {
		res.Elapsed = last.Sub(t0)
	}
	return res
}

func (g Generator) one(ctx context.Context, c *http.Client, r Planned, due time.Time) (int, error) {
	ctx, cancel := context.WithDeadline(ctx, due.Add(g.Timeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.URL, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set(ServiceHeader, strconv.FormatInt(int64(r.Service), 10))
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}
