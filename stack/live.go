package stack

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// A scaling validation runs the scenario as written, in real time: one
// second of the scenario is one second of the run, so its metric periods,
// alarm windows, boot times and load shape must already be short (the
// shipped validate-*.yaml examples use 10 s periods and a 90 s run). The
// simulation it is compared with is the same scenario, with the stack's
// measured fixed overhead as the load balancer's.

// IsLive says whether a scenario is validated live: as written, in real
// time, with its scaling policies and its load shape, rather than scaled
// down to a fixed fleet at a constant rate (Options.Duration set). A
// scenario of at most MaxLiveDuration runs live.
func IsLive(sc *scenarios.Scenario) bool {
	return sc.Duration.D() > 0 && sc.Duration.D() <= MaxLiveDuration
}

// MaxLiveDuration bounds a live validation run.
const MaxLiveDuration = 5 * time.Minute

// Host-bottleneck limits: above them the real side's latencies measure the
// machine, not the model, and the run fails with that reason. The stack's
// CPU is its own processes' (HAProxy, the backends, the generator and the
// autoscaler) share of all cores: other work on the host is not the
// stack's, but what it takes from the stack shows in the send lag.
// Latency is measured from each request's intended send time, so a late
// send can only add to the real side; a p90 send lag above 5 ms means the
// generator is off schedule (a few late sends on a shared machine, the
// p99, are reported, not failed).
const (
	maxStackCPU   = 90.0 // % of all cores over the run
	maxSendLagP90 = 5 * time.Millisecond
)

// LiveTolerance is what a scaling validation must meet: p50 within 15 %,
// p90 and p99 within 25 % (each at least ±2 ms), instance counts within
// one at every sample after the first scale-out settles, the first
// scale-out within one evaluation interval.
var LiveTolerance = Tolerance{P50Rel: 0.15, P90Rel: 0.25, P99Rel: 0.25, AbsMs: 2, RateRel: 0.05, ErrorPoints: 0.5}

// livePlan is the real-time run, checked against the host's limits.
type livePlan struct {
	cfg      *sim.Config
	reqs     []Planned
	peak     float64 // highest request rate over any 5 s window
	boot     sim.Time
	register sim.Time
	eval     sim.Time
	balancer sim.Balancer // the simulated side's, when not the scenario's (SimBalancer)
	notes    []string
}

// planLive builds and checks the real-time run of sc.
func planLive(sc *scenarios.Scenario, opt Options) (*livePlan, error) {
	cfg, closer, err := sc.Build(opt.Seed)
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	f := cfg.Fleet
	p := &livePlan{cfg: cfg}
	var bad []string
	refuse := func(format string, a ...any) { bad = append(bad, fmt.Sprintf(format, a...)) }
	if cfg.Duration.Duration() > MaxLiveDuration {
		refuse("duration %v: a live validation runs in real time, at most %v", cfg.Duration, MaxLiveDuration)
	}
	if f.Max > opt.Limits.MaxInstances {
		refuse("fleet max %d: at most %d backends on this host", f.Max, opt.Limits.MaxInstances)
	}
	svc := sim.FromSeconds(cfg.Service.Mean() / f.Type.Speed).Duration()
	if svc < opt.Limits.MinService || svc > opt.Limits.MaxService {
		refuse("mean service time %v: want %v to %v (shorter: the stack's own overhead dominates; longer: too few requests)", svc, opt.Limits.MinService, opt.Limits.MaxService)
	}
	if f.LaunchHook != nil || f.TerminateHook != nil || f.WarmPool != nil || f.ProtectFromScaleIn || f.OnDemandFor != nil || f.Credits != nil {
		refuse("lifecycle hooks, warm pools, scale-in protection, spot and burstable credits are not run live")
	}
	if len(cfg.Guards) > 0 {
		refuse("scaling guards are not run live")
	}
	for _, s := range cfg.Scalers {
		switch s.(type) {
		case *policies.ScheduledScaler, *policies.PredictiveScaler:
			refuse("policy %s: scheduled and predictive policies are not run live", s.Name())
			continue
		}
		if mu, ok := s.(sim.MetricUser); ok {
			for _, m := range mu.Metrics() {
				if !slices.Contains(LiveMetrics, m) {
					refuse("policy %s reads %s, which the live autoscaler does not measure", s.Name(), m)
				}
			}
		}
	}
	reqs, err := sim.DrawRequests(cfg)
	if err != nil {
		return nil, err
	}
	for _, r := range reqs {
		p.reqs = append(p.reqs, Planned{At: r.At.Duration(), Service: sim.FromSeconds(r.Demand / f.Type.Speed).Duration()})
	}
	p.peak = peakRate(p.reqs)
	if p.peak > opt.Limits.MaxRate {
		refuse("peak load %.0f req/s over 5 s: at most %.0f req/s on this host", p.peak, opt.Limits.MaxRate)
	}
	if len(p.reqs) == 0 {
		refuse("the run has no requests")
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s cannot be validated live: %s (--duration scales it down to a fixed fleet at its mean rate instead)", sc.Name, strings.Join(bad, "; "))
	}
	p.boot = sim.FromDuration(sim.FromSeconds(f.BootTime.Mean()).Duration().Round(time.Millisecond))
	if _, ok := f.BootTime.(sim.Constant); !ok && p.scales() {
		p.notes = append(p.notes, fmt.Sprintf("boot time %s → its mean, %v, on both sides", f.BootTime, p.boot))
	}
	if b, note := SimBalancer(sc.LoadBalancer.Algorithm); b != nil {
		p.balancer = b
		p.notes = append(p.notes, note)
	}
	p.register = sim.Time(cfg.HealthCheck.HealthyThreshold) * cfg.HealthCheck.Interval
	p.eval = cfg.EvalInterval
	if cfg.MetricPeriod < sim.Minute && p.scales() {
		// High-resolution alarms evaluate every period, not every minute.
		p.eval = max(5*sim.Second, (cfg.MetricPeriod+5*sim.Second-1)/(5*sim.Second)*(5*sim.Second))
		p.notes = append(p.notes, fmt.Sprintf("policies evaluated every %v (the metric period) on both sides, not every %v", p.eval, cfg.EvalInterval))
	}
	return p, nil
}

// scales says whether the fleet can change size during the run.
func (p *livePlan) scales() bool {
	return len(p.cfg.Scalers) > 0 && p.cfg.Fleet.Min != p.cfg.Fleet.Max
}

// apply adjusts a freshly built config the way both sides run.
func (p *livePlan) apply(cfg *sim.Config, overheadMs float64) {
	cfg.Fleet.BootTime = sim.Constant{Value: p.boot.Seconds()}
	cfg.EvalInterval = p.eval
	cfg.Fleet.FailuresPerInstanceHour = 0
	cfg.Fleet.SpotInterruptionsPerHour = 0
	cfg.Fleet.MaxInstanceLifetime = 0
	cfg.LBOverhead = sim.FromSeconds(overheadMs / 1000)
	cfg.SlowStart = 0
	if p.balancer != nil {
		cfg.Balancer = p.balancer
	}
}

// describe prints the plan: nothing is compressed, so it says what runs.
func (p *livePlan) describe() []string {
	c := p.cfg
	f := c.Fleet
	mean := float64(len(p.reqs)) / c.Duration.Seconds()
	out := []string{
		fmt.Sprintf("real time, no compression: %v of load, %d requests, mean %.4g req/s, peak %.4g req/s (5 s window)", c.Duration, len(p.reqs), mean, p.peak),
	}
	if !p.scales() {
		return append(append(out, fmt.Sprintf("fixed fleet of %d × %d slots, no scaling", f.Desired, f.Type.VCPU)), p.notes...)
	}
	out = append(out,
		fmt.Sprintf("fleet %d..%d (desired %d) × %d slots; boot %v + health checks %d × %v; warm-up %v; deregistration delay %v",
			f.Min, f.Max, f.Desired, f.Type.VCPU, p.boot, c.HealthCheck.HealthyThreshold, c.HealthCheck.Interval, f.Warmup, c.DeregistrationDelay),
		fmt.Sprintf("metric period %v, published %v after it ends, policies evaluated every %v: %d polic(ies) run live by the same code as the simulator",
			c.MetricPeriod, c.PublishDelay, p.eval, len(c.Scalers)))
	return append(out, p.notes...)
}

// validateLive is Validate for a live scenario.
func validateLive(ctx context.Context, sc *scenarios.Scenario, opt Options) (*Report, error) {
	logf := func(format string, a ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", a...)
		}
	}
	p, err := planLive(sc, opt)
	if err != nil {
		return nil, InputError{err}
	}
	balance, err := Balance(sc.LoadBalancer.Algorithm)
	if err != nil {
		return nil, InputError{err}
	}
	c := p.cfg
	rep := &Report{
		Mode: "live", Scenario: sc.Name, Seed: c.Seed, Algorithm: sc.LoadBalancer.Algorithm, Balance: balance, Queue: "instance",
		Duration: c.Duration.Duration().String(), Tolerance: opt.Tolerance,
		Plan: PlanJSON{FromRate: float64(len(p.reqs)) / c.Duration.Seconds(), FromInstances: c.Fleet.Desired, FromSlots: c.Fleet.Type.VCPU,
			FromServiceMs: c.Service.Mean() / c.Fleet.Type.Speed * 1000, Rate: float64(len(p.reqs)) / c.Duration.Seconds(),
			Instances: c.Fleet.Desired, Slots: c.Fleet.Type.VCPU, ServiceMs: c.Service.Mean() / c.Fleet.Type.Speed * 1000,
			TimeoutMs: c.Timeout.Seconds() * 1000, TimeFactor: 1, Notes: p.describe()},
	}
	for _, n := range rep.Plan.Notes {
		logf("plan: %s", n)
	}
	real, err := runLive(ctx, opt, rep, p, balance)
	if err != nil {
		return rep, err
	}
	rep.Real = real.stats()
	rep.Real.StackCPUPercent = real.stackCPU

	simCfg, closer, err := sc.Build(opt.Seed)
	if err != nil {
		return rep, InputError{err}
	}
	closer.Close()
	p.apply(simCfg, rep.OverheadMs)
	res, err := sim.Run(simCfg)
	if err != nil {
		return rep, fmt.Errorf("simulation of the scenario failed: %w", err)
	}
	rep.Sim = simStats(res)
	rep.compare()
	rep.compareScaling(res, realSide{real.auto.Samples, real.auto.Actions, real.load, real.answers}, p)
	rep.hostCheck()
	return rep, nil
}

// liveRun is what the real stack measured in a live run.
type liveRun struct {
	realRun
	stackCPU float64 // % of all cores the stack's own processes used
	auto     *Autoscaler
	answers  []answer
}

type answer struct {
	at, lat   time.Duration
	completed bool
}

// runLive starts the initial fleet and HAProxy, calibrates the overhead,
// and runs the load with the live autoscaler beside it.
func runLive(ctx context.Context, opt Options, rep *Report, p *livePlan, balance string) (_ *liveRun, err error) {
	bin, dir, cleanup, err := prepareStack(opt)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	c := p.cfg
	slots := c.Fleet.Type.VCPU
	if opt.realSlots > 0 {
		slots = opt.realSlots
	}
	maxconn := c.Fleet.Type.VCPU + c.QueueLimit
	var hap *HAProxy
	fleet := &Fleet{Backend: "be_" + Ident(rep.Scenario), Launcher: opt.Backend, Slots: slots, MaxConn: maxconn}
	initial := map[string]*backendProc{}
	var order []string
	var auto *Autoscaler
	defer func() {
		if hap != nil {
			hap.Stop()
		}
		if auto != nil {
			auto.Stop()
			// Its goroutine has returned on every path here.
			rep.PIDs = append(rep.PIDs, auto.PIDs...)
		}
		fleet.Stop()
		for _, b := range initial {
			b.stop()
		}
		if err == nil {
			err = ctx.Err()
		}
	}()
	timeout := c.Timeout.Duration()
	hc := HAProxyConfig{Name: rep.Scenario, Balance: balance, Bind: "fd@3", Socket: filepath.Join(dir, "admin.sock"), Queue: timeout}
	for i := range c.Fleet.Desired {
		b, err := startBackend(ctx, opt.Backend, slots)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("i%d", i+1)
		initial[name] = b
		order = append(order, name)
		rep.PIDs = append(rep.PIDs, b.child.pid())
		hc.Servers = append(hc.Servers, Server{Name: name, Addr: b.Addr, MaxConn: maxconn})
	}
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	hap, err = StartHAProxy(ctx, bin, dir, hc, ln)
	ln.Close()
	if err != nil {
		return nil, err
	}
	rep.PIDs = append(rep.PIDs, hap.PID())
	fleet.HAProxy = hap
	gen := Generator{URL: "http://" + hap.Addr + "/", Timeout: timeout, MaxOpen: 7000, Client: NewClient(1024)}
	defer gen.Client.CloseIdleConnections()
	overhead, err := calibrate(ctx, gen)
	if err != nil {
		return nil, err
	}
	rep.OverheadMs = overhead.Seconds() * 1000

	scalers := c.Scalers
	if opt.realScalers != nil {
		scalers = opt.realScalers(scalers)
	}
	auto = &Autoscaler{Scalers: scalers, Min: c.Fleet.Min, Max: c.Fleet.Max, Boot: p.boot, Register: p.register,
		Warmup: c.Fleet.Warmup, Drain: c.DeregistrationDelay, Period: c.MetricPeriod, Delay: c.PublishDelay, Eval: p.eval,
		Fleet: fleet, Client: gen.Client}
	err = auto.Start(ctx, initial, order, slots)
	clear(initial) // the fleet holds them now
	if err != nil {
		return nil, err
	}
	run := &liveRun{auto: auto}
	main := gen
	main.End = c.Duration.Duration()
	main.Observe = func(at, lat time.Duration, completed bool) {
		auto.Observe(at, lat, completed)
		run.answers = append(run.answers, answer{at, lat, completed})
	}
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	autoErr := make(chan error, 1)
	live := func() []int { return append([]int{hap.PID()}, append(fleet.PIDs(), auto.pendingPIDs()...)...) }
	cpu0, _ := hostCPU()
	stack0 := stackCPU(live())
	t0 := time.Now()
	go func() {
		err := auto.Run(actx, t0, c.Duration)
		if err != nil {
			cancel() // the load stops too: the run is lost
		}
		autoErr <- err
	}()
	run.load = main.run(actx, p.reqs, t0)
	cpu1, _ := hostCPU()
	if e := <-autoErr; e != nil && ctx.Err() == nil {
		return nil, fmt.Errorf("live autoscaler: %w", e)
	}
	// The autoscaler has returned: its fleet can be read.
	run.stackCPU = stackCPUPercent(stack0, stackCPU(live()), time.Since(t0))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := hap.Alive(); err != nil {
		return nil, err
	}
	run.cpu = cpu1.busySince(cpu0)
	return run, nil
}
