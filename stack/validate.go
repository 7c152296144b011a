package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/capsim/capsim/internal/output"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// Options configure one validation run.
type Options struct {
	Duration  time.Duration // of the load (default 20s)
	Seed      *uint64       // overrides the scenario's seed
	Limits    Limits        // zero: DefaultLimits
	Tolerance Tolerance     // zero: DefaultTolerance
	Backend   Launcher      // how to start a backend process (required)
	HAProxy   string        // haproxy binary ("" : FindHAProxy)
	// Queue says where requests wait for a slot. "instance" (default):
	// HAProxy forwards at once (server maxconn = slots + the scenario's
	// queue_limit) and a request waits in its backend, in arrival order,
	// as behind an ALB: the simulator's model, for every algorithm.
	// "lb": server maxconn = slots, so requests wait in HAProxy's queue
	// (visible as qcur) — one queue for the fleet instead of one per
	// instance, and each slot stays taken for HAProxy's round trip after
	// the response before it hands the slot to the next request, which on
	// a busy 2-core host measurably adds to the service time (README).
	Queue string
	Log   io.Writer // progress lines (nil: none)

	// realSlots, when > 0, starts the backends with this many slots
	// whatever the plan says: a broken stack, for the test that shows a
	// real difference fails the validation.
	realSlots int
	// realScalers, when set, replaces the policies the live autoscaler
	// runs: a broken stack whose policy differs from the simulated one.
	realScalers func([]sim.Scaler) []sim.Scaler
}

// InputError is a problem with the scenario or the options: the command
// exits 2 on it.
type InputError struct{ Err error }

func (e InputError) Error() string { return e.Err.Error() }
func (e InputError) Unwrap() error { return e.Err }

// Validate runs the scenario on the real stack and in the simulator, and
// compares them: live (IsLive: in real time, its policies run by the live
// autoscaler) or scaled down (Scale) to a fixed fleet at a constant rate. It stops every process it started
// before it returns, whatever happens, including ctx being cancelled.
func Validate(ctx context.Context, sc *scenarios.Scenario, opt Options) (*Report, error) {
	if opt.Limits == (Limits{}) {
		opt.Limits = DefaultLimits
	}
	// A short scenario that scales or has a shaped load runs as written,
	// in real time, with the live autoscaler (live.go); --duration asks
	// for the scaled-down fixed fleet instead.
	if IsLive(sc) && opt.Duration == 0 {
		if opt.Tolerance == (Tolerance{}) {
			opt.Tolerance = LiveTolerance
		}
		return validateLive(ctx, sc, opt)
	}
	if opt.Tolerance == (Tolerance{}) {
		opt.Tolerance = DefaultTolerance
	}
	if opt.Duration <= 0 {
		opt.Duration = 20 * time.Second
	}
	if opt.Queue == "" {
		opt.Queue = "instance"
	}
	if opt.Queue != "lb" && opt.Queue != "instance" {
		return nil, InputError{fmt.Errorf("queue %q: want lb or instance", opt.Queue)}
	}
	logf := func(format string, a ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", a...)
		}
	}
	cfg, closer, err := sc.Build(opt.Seed)
	if err != nil {
		return nil, InputError{err}
	}
	rate, err := meanRate(cfg)
	closer.Close()
	if err != nil {
		return nil, InputError{err}
	}
	balance, err := Balance(sc.LoadBalancer.Algorithm)
	if err != nil {
		return nil, InputError{err}
	}
	it := cfg.Fleet.Type
	from := Shape{Rate: rate, Instances: cfg.Fleet.Desired, Slots: it.VCPU,
		Service: sim.FromSeconds(cfg.Service.Mean() / it.Speed).Duration()}
	plan, err := Scale(from, opt.Limits)
	if err != nil {
		return nil, InputError{err}
	}
	if len(cfg.Scalers) > 0 || cfg.Fleet.Min != cfg.Fleet.Max {
		plan.Notes = append([]string{fmt.Sprintf("fleet fixed at desired = %d (min %d, max %d); %d scaling polic(ies) not run: slice 1 validates a fixed fleet",
			cfg.Fleet.Desired, cfg.Fleet.Min, cfg.Fleet.Max, len(cfg.Scalers))}, plan.Notes...)
	}
	if sc.Traffic.Synthetic == nil || sc.Traffic.Synthetic.Shape != "constant" || sc.Traffic.Synthetic.Noise != 0 || len(sc.Traffic.Synthetic.Spikes) > 0 {
		plan.Notes = append([]string{fmt.Sprintf("traffic replaced by its mean rate over %v, %.4g req/s, constant", cfg.Duration, rate)}, plan.Notes...)
	}
	if cfg.Duration.Duration() != opt.Duration {
		plan.Notes = append(plan.Notes, fmt.Sprintf("duration %v → %v", cfg.Duration, opt.Duration))
	}
	if u := plan.To.Utilisation(); u >= 0.95 {
		plan.Notes = append(plan.Notes, fmt.Sprintf("warning: utilisation %.0f %% per slot: the queue grows for the whole run, so percentiles depend on its length", u*100))
	}
	simBalancer, note := SimBalancer(sc.LoadBalancer.Algorithm)
	if simBalancer != nil {
		plan.Notes = append(plan.Notes, note)
	}
	timeout := scaleDur(cfg.Timeout.Duration(), plan.TimeFactor)
	svc := scaledDist{D: cfg.Service, K: plan.TimeFactor}
	seed := cfg.Seed
	reqs := Schedule(seed, plan.To.Rate, cfg.Arrivals, svc, it.Speed, opt.Duration)
	if len(reqs) == 0 {
		return nil, InputError{fmt.Errorf("the scaled run has no requests (%.4g req/s for %v)", plan.To.Rate, opt.Duration)}
	}

	rep := &Report{
		Mode: "scaled", Scenario: sc.Name, Seed: seed, Algorithm: sc.LoadBalancer.Algorithm, Balance: balance, Queue: opt.Queue,
		Duration: opt.Duration.String(), Plan: planJSON(plan, timeout), Tolerance: opt.Tolerance,
	}
	for _, n := range plan.Notes {
		logf("scaled: %s", n)
	}
	logf("running %d backend(s) × %d slot(s), HAProxy balance %s, %.4g req/s for %v (%d requests)",
		plan.To.Instances, plan.To.Slots, balance, plan.To.Rate, opt.Duration, len(reqs))

	real, err := runReal(ctx, opt, rep, plan, balance, timeout, cfg.QueueLimit, reqs, sc.Name)
	if err != nil {
		return rep, err
	}
	rep.Real = real.stats()

	// The simulation of the very run: the scaled fleet and rate, the
	// same seed (so the same arrivals and demands), and the stack's own
	// measured fixed overhead in place of the ALB's.
	simCfg, closer, err := sc.Build(opt.Seed)
	if err != nil {
		return rep, InputError{err}
	}
	closer.Close()
	simCfg.Duration = sim.FromDuration(opt.Duration)
	simCfg.Traffic = &sim.ConstantRate{RPS: plan.To.Rate}
	simCfg.Requests = nil
	simCfg.Service = svc
	simCfg.Timeout = sim.FromDuration(timeout)
	simCfg.Fleet.Type.VCPU = plan.To.Slots
	simCfg.Fleet.Min, simCfg.Fleet.Max, simCfg.Fleet.Desired = plan.To.Instances, plan.To.Instances, plan.To.Instances
	simCfg.Fleet.FailuresPerInstanceHour = 0
	simCfg.Fleet.SpotInterruptionsPerHour = 0
	simCfg.Fleet.MaxInstanceLifetime = 0
	simCfg.Fleet.Credits = nil
	simCfg.Scalers, simCfg.Guards = nil, nil
	simCfg.LBOverhead = sim.FromSeconds(rep.OverheadMs / 1000)
	simCfg.CrossZoneOff = false
	simCfg.SlowStart = 0
	if simBalancer != nil {
		simCfg.Balancer = simBalancer
	}
	if opt.Queue == "lb" {
		// HAProxy queue: no per-instance queue limit applies.
		simCfg.QueueLimit = max(simCfg.QueueLimit, len(reqs))
	}
	res, err := sim.Run(simCfg)
	if err != nil {
		return rep, fmt.Errorf("simulation of the scaled scenario failed: %w", err)
	}
	rep.Sim = simStats(res)
	rep.compare()
	return rep, nil
}

// meanRate is the traffic's mean request rate over the run: the rate
// integrated over the duration (or the replayed log's requests counted),
// divided by it.
func meanRate(cfg *sim.Config) (float64, error) {
	end := cfg.Duration
	if cfg.Requests != nil {
		n := 0
		for {
			r, err := cfg.Requests.NextRequest()
			if errors.Is(err, io.EOF) || err == nil && r.At > end {
				break
			}
			if err != nil {
				return 0, err
			}
			n++
		}
		return float64(n) / end.Seconds(), nil
	}
	var sum float64
	for {
		s, err := cfg.Traffic.NextSegment()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
		if s.Start >= end {
			break
		}
		sum += s.Rate * (min(s.End, end) - s.Start).Seconds()
	}
	return sum / end.Seconds(), nil
}

// validateTempPrefix names validate's temporary folders in os.TempDir().
const validateTempPrefix = "capsim-validate-"

// realRun is what the real stack measured.
type realRun struct {
	load      *LoadResult
	cpu       float64
	inflation float64 // % the backends held slots longer than asked
}

// runReal starts the backends and HAProxy, calibrates the fixed overhead,
// runs the load and stops everything.
func runReal(ctx context.Context, opt Options, rep *Report, plan Plan, balance string, timeout time.Duration, queueLimit int, reqs []Planned, name string) (_ *realRun, err error) {
	bin, dir, cleanup, err := prepareStack(opt)
	if err != nil {
		return nil, err
	}
	defer cleanup()

	var backends []*backendProc
	var hap *HAProxy
	// Stop everything on the way out, HAProxy first (it stops sending),
	// then the backends, each waited for.
	defer func() {
		if hap != nil {
			hap.Stop()
		}
		for _, b := range backends {
			b.stop()
		}
		if err == nil {
			err = ctx.Err()
		}
	}()
	hc := HAProxyConfig{Name: name, Balance: balance, Bind: "fd@3", Socket: filepath.Join(dir, "admin.sock"), Queue: timeout}
	for i := range plan.To.Instances {
		slots := plan.To.Slots
		if opt.realSlots > 0 {
			slots = opt.realSlots
		}
		b, err := startBackend(ctx, opt.Backend, slots)
		if err != nil {
			return nil, err
		}
		backends = append(backends, b)
		rep.PIDs = append(rep.PIDs, b.child.pid())
		maxconn := plan.To.Slots
		if opt.Queue == "instance" {
			// No HAProxy queue: the backend queues, up to queue_limit.
			maxconn = plan.To.Slots + queueLimit
		}
		hc.Servers = append(hc.Servers, Server{Name: fmt.Sprintf("i%d", i+1), Addr: b.Addr, MaxConn: maxconn})
	}
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	hap, err = StartHAProxy(ctx, bin, dir, hc, ln)
	ln.Close() // HAProxy has its own copy of the socket (or failed)
	if err != nil {
		return nil, err
	}
	rep.PIDs = append(rep.PIDs, hap.PID())
	url := "http://" + hap.Addr + "/"

	gen := Generator{URL: url, Timeout: timeout, MaxOpen: 7000, Client: NewClient(1024)}
	defer gen.Client.CloseIdleConnections()
	overhead, err := calibrate(ctx, gen)
	if err != nil {
		return nil, err
	}
	rep.OverheadMs = overhead.Seconds() * 1000
	cpu0, _ := hostCPU()
	main := gen
	main.End = opt.Duration
	load := main.Run(ctx, reqs)
	cpu1, _ := hostCPU()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := hap.Alive(); err != nil {
		return nil, err
	}
	run := &realRun{load: load, cpu: cpu1.busySince(cpu0)}
	// How long the backends really held their slots, per request served,
	// against the mean service time asked for (the calibration's requests
	// left out). Means, because an overloaded run serves only some of its
	// requests before the end.
	var planned time.Duration
	for _, r := range reqs {
		planned += r.Service
	}
	var busy time.Duration
	var served int64
	for _, b := range backends {
		st, err := b.stats(ctx, gen.Client)
		if err != nil {
			return nil, err
		}
		busy += time.Duration(st.BusyNs)
		served += st.Served
	}
	busy -= calibrations * calibrationService
	served -= calibrations
	if planned > 0 && served > 0 {
		asked := planned.Seconds() / float64(len(reqs))
		run.inflation = (busy.Seconds()/float64(served)/asked - 1) * 100
	}
	return run, nil
}

// The calibration: this many sequential requests of this service time.
const (
	calibrations       = 40
	calibrationService = time.Millisecond
)

// calibrate measures the stack's fixed overhead: the median latency of
// sequential requests of 1 ms service time, less that 1 ms (HAProxy,
// loopback, HTTP, and the backend's sleep overshoot). It also opens the
// connections before the measured run.
func calibrate(ctx context.Context, g Generator) (time.Duration, error) {
	const n, svc = calibrations, calibrationService
	var lat []time.Duration
	for i := 0; i < n; i++ {
		r := g.Run(ctx, []Planned{{Service: svc}})
		if r.Completed != 1 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			return 0, fmt.Errorf("calibration request through HAProxy failed: %s", strings.TrimSpace(r.FirstErr))
		}
		lat = append(lat, time.Duration(r.Latency.Max())*time.Microsecond)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return max(0, lat[n/2]-svc), nil
}

// prepareStack finds HAProxy and makes the run's folder (HAProxy's
// configuration and admin socket). The folder is locked while the run
// lives; what a SIGKILLed run left is removed here, at the next start
// (docs/reliability.md, "Output files"). cleanup removes the folder.
func prepareStack(opt Options) (bin, dir string, cleanup func(), err error) {
	bin = opt.HAProxy
	if bin == "" {
		if bin, err = FindHAProxy(); err != nil {
			return "", "", nil, err
		}
	}
	if opt.Backend.Path == "" {
		return "", "", nil, errors.New("validate: no backend launcher")
	}
	output.RemoveStale(os.TempDir(), validateTempPrefix)
	dir, release, err := output.LockedTempDir("", validateTempPrefix)
	if err != nil {
		return "", "", nil, err
	}
	return bin, dir, func() {
		os.RemoveAll(dir)
		release()
	}, nil
}
