package stack

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"sync"
	"time"

	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// A target validation replays the scenario's load, as written and in real
// time, against a URL the user names — their own deployment, an ALB in
// front of a test Auto Scaling group — and compares its latency (and, with
// a GroupCounter, its instance counts) with the simulation of the
// scenario. capsim sends load nowhere else, caps the rate and the
// duration, and asks for confirmation above a number of requests.

// GroupCounter samples how many instances a real group has in service
// (cmd/capsim's --asg: DescribeAutoScalingGroups).
type GroupCounter interface {
	InService(ctx context.Context) (int, error)
}

// TargetOptions configure a validation against the user's deployment.
type TargetOptions struct {
	URL  string
	Seed *uint64
	// MaxRate caps the peak request rate (any 5 s window) capsim will send;
	// MaxDuration the run's length. Zero: DefaultTargetLimits.
	MaxRate     float64
	MaxDuration time.Duration
	// ConfirmAbove is the number of requests above which Confirmed (--yes)
	// is required. Zero: DefaultTargetLimits.
	ConfirmAbove int
	Confirmed    bool
	Counter      GroupCounter // nil: latency only
	Tolerance    Tolerance    // zero: LiveTolerance
	Log          io.Writer
}

// DefaultTargetLimits: at most 100 req/s for at most 5 minutes, and --yes
// above 1,000 requests.
var DefaultTargetLimits = TargetOptions{MaxRate: 100, MaxDuration: 5 * time.Minute, ConfirmAbove: 1000}

// ValidateTarget replays sc's load against opt.URL and compares.
func ValidateTarget(ctx context.Context, sc *scenarios.Scenario, opt TargetOptions) (*Report, error) {
	if opt.MaxRate <= 0 {
		opt.MaxRate = DefaultTargetLimits.MaxRate
	}
	if opt.MaxDuration <= 0 {
		opt.MaxDuration = DefaultTargetLimits.MaxDuration
	}
	if opt.ConfirmAbove <= 0 {
		opt.ConfirmAbove = DefaultTargetLimits.ConfirmAbove
	}
	if opt.Tolerance == (Tolerance{}) {
		opt.Tolerance = LiveTolerance
	}
	u, err := url.Parse(opt.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, InputError{fmt.Errorf("--target %q: want an http:// or https:// URL with a host", opt.URL)}
	}
	cfg, closer, err := sc.Build(opt.Seed)
	if err != nil {
		return nil, InputError{err}
	}
	defer closer.Close()
	if d := cfg.Duration.Duration(); d > opt.MaxDuration {
		return nil, InputError{fmt.Errorf("duration %v: a target validation runs in real time, at most %v", d, opt.MaxDuration)}
	}
	draws, err := sim.DrawRequests(cfg)
	if err != nil {
		return nil, InputError{err}
	}
	if len(draws) == 0 {
		return nil, InputError{fmt.Errorf("the run has no requests")}
	}
	reqs := make([]Planned, len(draws))
	for i, r := range draws {
		reqs[i] = Planned{At: r.At.Duration(), Service: sim.FromSeconds(r.Demand / cfg.Fleet.Type.Speed).Duration()}
	}
	p := &livePlan{cfg: cfg, reqs: reqs, peak: peakRate(reqs), boot: sim.FromSeconds(cfg.Fleet.BootTime.Mean()),
		register: sim.Time(cfg.HealthCheck.HealthyThreshold) * cfg.HealthCheck.Interval, eval: cfg.EvalInterval}
	if p.peak > opt.MaxRate {
		return nil, InputError{fmt.Errorf("peak load %.0f req/s over 5 s: capsim sends at most %.0f req/s to a target", p.peak, opt.MaxRate)}
	}
	if len(reqs) > opt.ConfirmAbove && !opt.Confirmed {
		return nil, InputError{fmt.Errorf("this would send %d requests to %s over %v (peak %.0f req/s): pass --yes to send them", len(reqs), u.Redacted(), cfg.Duration, p.peak)}
	}
	if opt.Log != nil {
		fmt.Fprintf(opt.Log, "target: %d requests to %s over %v, mean %.4g req/s, peak %.4g req/s (5 s window), in real time\n",
			len(reqs), u.Redacted(), cfg.Duration, float64(len(reqs))/cfg.Duration.Seconds(), p.peak)
	}
	rep := &Report{Mode: "target", Scenario: sc.Name, Seed: cfg.Seed, Algorithm: sc.LoadBalancer.Algorithm,
		Duration: cfg.Duration.Duration().String(), Tolerance: opt.Tolerance,
		Plan: PlanJSON{FromRate: float64(len(reqs)) / cfg.Duration.Seconds(), Rate: float64(len(reqs)) / cfg.Duration.Seconds(),
			FromInstances: cfg.Fleet.Desired, Instances: cfg.Fleet.Desired, TimeoutMs: cfg.Timeout.Seconds() * 1000, TimeFactor: 1,
			Notes: []string{fmt.Sprintf("load replayed against %s, as written, in real time", u.Redacted())}}}

	var answers []answer
	gen := Generator{URL: opt.URL, Timeout: cfg.Timeout.Duration(), MaxOpen: 2000, Client: NewClient(256), End: cfg.Duration.Duration(),
		Observe: func(at, lat time.Duration, ok bool) { answers = append(answers, answer{at, lat, ok}) }}
	defer gen.Client.CloseIdleConnections()
	var samples []LiveSample
	var sampleErr error
	var wg sync.WaitGroup
	t0 := time.Now()
	if opt.Counter != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// It ends by itself after the sample at the run's end.
			samples, sampleErr = sampleGroup(ctx, opt.Counter, t0, cfg.MetricPeriod, cfg.Duration)
		}()
	}
	load := gen.run(ctx, reqs, t0)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if sampleErr != nil {
		return rep, fmt.Errorf("sampling the group's instances: %w", sampleErr)
	}
	rep.Real = (&realRun{load: load}).stats()
	// A fresh build: DrawRequests consumed the first one's traffic.
	simCfg, closer2, err := sc.Build(opt.Seed)
	if err != nil {
		return rep, InputError{err}
	}
	closer2.Close()
	res, err := sim.Run(simCfg)
	if err != nil {
		return rep, fmt.Errorf("simulation of the scenario failed: %w", err)
	}
	rep.Sim = simStats(res)
	rep.compare()
	if opt.Counter != nil {
		rep.compareScaling(res, realSide{samples: samples, actions: observedChanges(samples, cfg.Fleet.Desired), load: load, answers: answers}, p)
	}
	rep.hostCheck() // the generator's send lag (there is no local stack)
	return rep, nil
}

// sampleGroup asks the counter every period until end (or ctx ends).
func sampleGroup(ctx context.Context, c GroupCounter, t0 time.Time, period, end sim.Time) ([]LiveSample, error) {
	var out []LiveSample
	for at := period; at <= end; at += period {
		select {
		case <-ctx.Done():
			return out, nil
		case <-time.After(time.Until(t0.Add(at.Duration()))):
		}
		n, err := c.InService(ctx)
		if err != nil {
			return out, err
		}
		out = append(out, LiveSample{At: at, InService: n})
	}
	return out, nil
}

// observedChanges turns sampled counts into capacity changes at the
// samples where the count moved: when the real group's decisions are not
// visible, their effect is.
func observedChanges(samples []LiveSample, initial int) []sim.Activity {
	var out []sim.Activity
	last := initial
	for _, s := range samples {
		if s.InService != last {
			out = append(out, sim.Activity{Time: s.At, Policy: "observed", From: last, To: s.InService, Reason: "in-service count sampled"})
			last = s.InService
		}
	}
	return out
}

// peakRate is the highest request rate over any 5 s window.
func peakRate(reqs []Planned) float64 {
	const window = 5 * time.Second
	peak := 0.0
	for i, j := 0, 0; j < len(reqs); j++ {
		for reqs[j].At-reqs[i].At >= window {
			i++
		}
		peak = max(peak, float64(j-i+1)/window.Seconds())
	}
	return peak
}
