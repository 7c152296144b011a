package stack

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/capsim/capsim/sim"
)

// Autoscaler is the live autoscaler: the very same sim.Scaler policies the
// simulator runs, fed with datapoints measured on the real stack, and
// acting on the real fleet through HAProxy's runtime API.
//
//   - Every metric period it publishes one datapoint per metric it can
//     measure (backend busy slot-time → CPU % per non-warming instance;
//     HAProxy's backend session count → request count and request count
//     per target; the generator's answers → latency and errors), visible
//     to the policies PublishDelay after the period ends
//     (sim.MetricSeries).
//   - On every evaluation tick (multiples of 5 s, as the engine's ticks)
//     it asks the policies that are due and merges their answers.
//   - A launch starts a backend process at once and registers it with
//     HAProxy when Boot + Register (the health checks) have passed; it is
//     warming for Warmup after that. A termination drains the server (no
//     new requests) and removes it and stops its process when it holds no
//     connection or after Drain (the deregistration delay).
//
// All times are offsets from the start of the load (t0), on the
// simulator's clock type.
type Autoscaler struct {
	Scalers                       []sim.Scaler
	Min, Max                      int
	Boot, Register, Warmup, Drain sim.Time
	Period, Delay, Eval           sim.Time
	Fleet                         *Fleet
	Client                        *http.Client

	series  sim.MetricSeries
	inst    []*liveInstance
	nextID  int
	desired int
	changed sim.Time // in-service capacity last changed
	actEnd  sim.Time // the last launch or termination finished
	stot0   int64    // HAProxy's backend sessions at the period's start
	obs     periodObs
	Samples []LiveSample
	Actions []sim.Activity
	PIDs    []int // every backend process it launched
}

// LiveSample is the live group at the end of one metric period.
type LiveSample struct {
	At        sim.Time
	InService int // registered, draining included (as the timeline counts)
	Desired   int
}

type liveState uint8

const (
	livePending liveState = iota
	liveInService
	liveDraining
)

type liveInstance struct {
	id         int
	name       string
	proc       *backendProc
	state      liveState
	launched   sim.Time
	readyAt    sim.Time // pending: when it passes its health checks
	inService  sim.Time
	warmUntil  sim.Time
	drainUntil sim.Time
	busy0      int64 // BusyNs at the start of the period
	slots      int
	cpu        float64
}

// periodObs gathers the generator's answers of one period.
type periodObs struct {
	mu     sync.Mutex
	hist   *hdrhistogram.Histogram
	sum    float64 // seconds
	errors int64
}

// Observe is the generator's Observe hook.
func (a *Autoscaler) Observe(_, lat time.Duration, completed bool) {
	a.obs.mu.Lock()
	defer a.obs.mu.Unlock()
	if !completed {
		a.obs.errors++
		return
	}
	recordDur(a.obs.hist, lat)
	a.obs.sum += lat.Seconds()
}

// Start adopts the initial fleet (in service, past warm-up, as the
// engine's initial instances) and takes the counters' baselines.
func (a *Autoscaler) Start(ctx context.Context, initial map[string]*backendProc, order []string, slots int) error {
	a.obs.hist = newMicros()
	a.actEnd = 0
	for _, name := range order {
		a.Fleet.Adopt(name, initial[name])
		a.nextID++
		a.inst = append(a.inst, &liveInstance{id: a.nextID, name: name, proc: initial[name], state: liveInService, slots: slots})
	}
	a.desired = len(order)
	return a.baseline(ctx)
}

// baseline reads every counter the next period is measured against.
func (a *Autoscaler) baseline(ctx context.Context) error {
	busy, err := a.Fleet.Busy(ctx, a.Client)
	if err != nil {
		return err
	}
	for _, in := range a.inst {
		if st, ok := busy[in.name]; ok && in.state == liveInService {
			in.busy0 = st.BusyNs
		}
	}
	a.stot0, err = a.sessions()
	a.obs.mu.Lock()
	a.obs.hist.Reset()
	a.obs.sum, a.obs.errors = 0, 0
	a.obs.mu.Unlock()
	return err
}

// Run drives the group until end (an offset from t0), polling every 50 ms.
func (a *Autoscaler) Run(ctx context.Context, t0 time.Time, end sim.Time) error {
	const tick = 5 * sim.Second
	next := tick
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for {
		now := sim.FromDuration(time.Since(t0))
		if err := a.transitions(now); err != nil {
			return err
		}
		for next <= now && next <= end {
			if next%a.Period == 0 {
				if err := a.closePeriod(ctx, next); err != nil {
					return err
				}
			}
			if err := a.evaluate(ctx, next); err != nil {
				return err
			}
			next += tick
		}
		if next > end {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-poll.C:
		}
	}
}

// transitions moves instances along: pending → in service when their
// health checks pass, warming → warm, draining → gone.
func (a *Autoscaler) transitions(now sim.Time) error {
	for _, in := range slices.Clone(a.inst) {
		switch in.state {
		case livePending:
			if now < in.readyAt {
				continue
			}
			name, err := a.Fleet.Register(in.proc)
			if err != nil {
				return err
			}
			in.name, in.state, in.inService = name, liveInService, in.readyAt
			in.warmUntil = in.readyAt + a.Warmup
			if st, err := in.proc.stats(context.Background(), a.Client); err == nil {
				in.busy0 = st.BusyNs
			}
			a.changed = in.readyAt
			a.noteTransition(in.readyAt)
		case liveDraining:
			cur, err := a.Fleet.Current(in.name)
			if err != nil {
				return err
			}
			if cur > 0 && now < in.drainUntil {
				continue
			}
			if err := a.Fleet.Remove(in.name); err != nil {
				return err
			}
			a.inst = slices.DeleteFunc(a.inst, func(x *liveInstance) bool { return x == in })
			a.noteTransition(now)
		}
	}
	return nil
}

// noteTransition records the end of an activity, as the engine does: the
// moment no instance is launching or terminating any more.
func (a *Autoscaler) noteTransition(at sim.Time) {
	for _, in := range a.inst {
		if in.state != liveInService {
			return
		}
	}
	a.actEnd = at
}

// sessions is HAProxy's cumulative session count of the backend.
func (a *Autoscaler) sessions() (int64, error) {
	rows, err := a.Fleet.Stat()
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		if r["pxname"] == a.Fleet.Backend && r["svname"] == "BACKEND" {
			return strconv.ParseInt(r["stot"], 10, 64)
		}
	}
	return 0, fmt.Errorf("haproxy show stat: no backend %s", a.Fleet.Backend)
}

// closePeriod publishes the datapoints of [at − Period, at), the way the
// engine's closePeriod does (sim/metrics.go).
func (a *Autoscaler) closePeriod(ctx context.Context, at sim.Time) error {
	busy, err := a.Fleet.Busy(ctx, a.Client)
	if err != nil {
		return err
	}
	stot, err := a.sessions()
	if err != nil {
		return err
	}
	start := at - a.Period
	var cpu []float64
	targets := 0
	for _, in := range a.inst {
		if in.state != liveInService {
			continue
		}
		targets++
		st := busy[in.name]
		in.cpu = float64(st.BusyNs-in.busy0) / (float64(in.slots) * float64(a.Period.Duration())) * 100
		in.busy0 = st.BusyNs
		if at > in.warmUntil || in.warmUntil == 0 {
			cpu = append(cpu, in.cpu)
		}
	}
	a.series.Append(sim.MetricCPU, average(start, cpu))
	routed := float64(stot - a.stot0)
	a.stot0 = stot
	a.obs.mu.Lock()
	errs := float64(a.obs.errors)
	lat := sim.Datapoint{Start: start, Missing: a.obs.hist.TotalCount() == 0}
	if !lat.Missing {
		h := a.obs.hist
		n := float64(h.TotalCount())
		q := func(p float64) float64 { return float64(h.ValueAtQuantile(p)) / 1000 }
		lat.Value, lat.Sum, lat.Count = a.obs.sum/n*1000, a.obs.sum*1000, n
		lat.Min, lat.Max = float64(h.Min())/1000, float64(h.Max())/1000
		lat.P50, lat.P90, lat.P95, lat.P99 = q(50), q(90), q(95), q(99)
	}
	a.obs.hist.Reset()
	a.obs.sum, a.obs.errors = 0, 0
	a.obs.mu.Unlock()
	none := routed == 0 && errs == 0
	a.series.Append(sim.MetricRequestCount, sim.Datapoint{Start: start, Missing: none, Value: routed, Sum: routed, Min: routed, Max: routed, Count: 1})
	perTarget := sim.Datapoint{Start: start, Missing: none || targets == 0}
	if !perTarget.Missing {
		v := routed / float64(targets) * float64(sim.Minute) / float64(a.Period)
		perTarget = sim.Datapoint{Start: start, Value: v, Sum: v, Min: v, Max: v, Count: float64(targets)}
	}
	a.series.Append(sim.MetricRequestCountPerTarget, perTarget)
	a.series.Append(sim.MetricLatency, lat)
	a.series.Append(sim.MetricErrors, sim.Datapoint{Start: start, Missing: none, Value: errs, Sum: errs, Min: errs, Max: errs, Count: 1})
	registered := 0
	for _, in := range a.inst {
		if in.state != livePending {
			registered++
		}
	}
	a.Samples = append(a.Samples, LiveSample{At: at, InService: registered, Desired: a.desired})
	return nil
}

func average(start sim.Time, v []float64) sim.Datapoint {
	if len(v) == 0 {
		return sim.Datapoint{Start: start, Missing: true}
	}
	d := sim.Datapoint{Start: start, Min: math.Inf(1), Max: math.Inf(-1), Count: float64(len(v))}
	for _, x := range v {
		d.Sum += x
		d.Min, d.Max = math.Min(d.Min, x), math.Max(d.Max, x)
	}
	d.Value = d.Sum / d.Count
	return d
}

// LiveMetrics are the metrics the live autoscaler publishes; a policy
// reading another cannot run live.
var LiveMetrics = []sim.Metric{sim.MetricCPU, sim.MetricRequestCount, sim.MetricRequestCountPerTarget, sim.MetricLatency, sim.MetricErrors}

// group is what the policies see now, built as the engine's group().
func (a *Autoscaler) group(now sim.Time) sim.Group {
	g := sim.Group{Min: a.Min, Max: a.Max, Desired: a.desired, Period: a.Period,
		CapacityChanged: a.changed, LastActivityEnd: a.actEnd, Wall: time.Unix(0, 0).UTC().Add(now.Duration())}
	for _, in := range a.inst {
		switch in.state {
		case livePending:
			g.Pending++
			g.Instances = append(g.Instances, sim.InstanceView{ID: in.id, VCPU: in.slots, Started: in.launched})
		case liveInService:
			g.InService++
			warming := in.warmUntil > now
			if warming {
				g.Warming++
			}
			g.Instances = append(g.Instances, sim.InstanceView{ID: in.id, VCPU: in.slots, InService: in.inService, Ready: true,
				Warming: warming, Started: in.launched, CPU: in.cpu, HasCPU: in.inService+a.Period <= now})
		case liveDraining:
			g.Draining++
			g.Terminating++
		}
	}
	g.ActivityInProgress = g.Pending+g.Draining > 0
	a.series.Attach(&g, a.Delay)
	return g
}

func (a *Autoscaler) interval(s sim.Scaler) sim.Time {
	if p, ok := s.(sim.Periodic); ok && p.Interval() > 0 {
		return p.Interval()
	}
	return a.Eval
}

// evaluate asks the due policies and applies their merged answer, merged
// by the engine's own code (sim.Merge: the largest scale-out wins; target
// tracking scales in only when every target-tracking policy that may scale
// in agrees; no scale-in while an instance is launching or warming; min
// and max hold; docs/aws-model.md §1.3–§1.5). Scheduled and predictive
// policies and guards are refused before the run (planLive), so only
// dynamic steps come back; a decision not taken (a note) changes nothing
// here, and the comparison reads capacity changes only.
func (a *Autoscaler) evaluate(ctx context.Context, now sim.Time) error {
	var props []sim.Proposed
	g := a.group(now)
	for _, s := range a.Scalers {
		if now%a.interval(s) == 0 {
			props = append(props, sim.Proposed{Name: s.Name(), Proposal: s.Evaluate(now, &g)})
		}
	}
	if len(props) == 0 {
		return nil
	}
	d := sim.Merge(sim.MergeInput{Proposals: props, Limits: sim.GroupLimits{Min: a.Min, Max: a.Max},
		Desired: a.desired, Warming: g.Warming + g.Pending})
	for _, st := range d.Steps {
		if st.Kind == sim.StepNote {
			continue
		}
		if err := a.setDesired(ctx, now, st.To, st.Reason); err != nil {
			return err
		}
	}
	return nil
}

// setDesired launches or terminates to reach to: new instances start
// their processes now; a scale-in takes pending instances first (newest
// first), then the oldest in service.
func (a *Autoscaler) setDesired(ctx context.Context, now sim.Time, to int, reason string) error {
	if to == a.desired {
		return nil
	}
	a.Actions = append(a.Actions, sim.Activity{Time: now, Policy: "group", From: a.desired, To: to, Reason: reason})
	a.desired = to
	active := 0
	for _, in := range a.inst {
		if in.state != liveDraining {
			active++
		}
	}
	for ; active < to; active++ {
		b, err := startBackend(ctx, a.Fleet.Launcher, a.Fleet.Slots)
		if err != nil {
			return err
		}
		a.nextID++
		a.PIDs = append(a.PIDs, b.child.pid())
		a.inst = append(a.inst, &liveInstance{id: a.nextID, proc: b, state: livePending, launched: now,
			readyAt: now + a.Boot + a.Register, slots: a.Fleet.Slots})
	}
	for ; active > to; active-- {
		if v := a.newestPending(); v != nil {
			v.proc.stop()
			a.inst = slices.DeleteFunc(a.inst, func(x *liveInstance) bool { return x == v })
			continue
		}
		for _, in := range a.inst {
			if in.state == liveInService {
				if err := a.Fleet.Drain(in.name); err != nil {
					return err
				}
				in.state, in.drainUntil = liveDraining, now+a.Drain
				a.changed = now
				break
			}
		}
	}
	return nil
}

// pendingPIDs are the processes of instances not yet registered.
func (a *Autoscaler) pendingPIDs() []int {
	var out []int
	for _, in := range a.inst {
		if in.state == livePending {
			out = append(out, in.proc.child.pid())
		}
	}
	return out
}

func (a *Autoscaler) newestPending() *liveInstance {
	for i := len(a.inst) - 1; i >= 0; i-- {
		if a.inst[i].state == livePending {
			return a.inst[i]
		}
	}
	return nil
}

// Stop stops every backend the autoscaler started that the fleet does not
// hold (pending ones); the fleet's are the caller's.
func (a *Autoscaler) Stop() {
	for _, in := range a.inst {
		if in.state == livePending {
			in.proc.stop()
		}
	}
}
