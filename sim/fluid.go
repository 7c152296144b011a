package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Fluid mode (docs/fluid.md). Request mode simulates every request; fluid
// mode replaces only the per-request arrival and departure events with one
// step event every FluidStep. Each step takes the expected arrivals of the
// step from the same rate source, splits them among the load balancer's
// targets as its algorithm would on average, and lets each target's queue
// evolve by the approximations of fluid_queue.go: stationary G/G/c while
// the target keeps up, a FIFO backlog carried between steps while it does
// not. The outcomes go to the meter in bulk (meter_fluid.go), so the metric
// periods, the policies, the lifecycle, the time series and the billing are
// the same code as in request mode.

// Mode is how requests are simulated.
type Mode uint8

// The modes.
const (
	RequestMode Mode = iota // every request an event (the default)
	FluidMode               // requests as flows, in steps
)

func (m Mode) String() string {
	if m == FluidMode {
		return "fluid"
	}
	return "request"
}

// DefaultFluidStep is fluid mode's step when none is given.
const DefaultFluidStep = 5 * Second

// Split is how a load-balancing algorithm shares requests among targets,
// as fluid mode approximates it (docs/fluid.md).
type Split uint8

// The splits.
const (
	// SplitRandom: equal shares (by slow-start ramp), each target seeing a
	// random thinning of the arrivals (random).
	SplitRandom Split = iota
	// SplitEven: equal shares, each target seeing every N-th arrival, which
	// smooths its arrivals (round robin).
	SplitEven
	// SplitWeighted: shares proportional to the targets' weights
	// (capacity × ramp), random thinning (weighted random, weighted round
	// robin).
	SplitWeighted
	// SplitShortest: the algorithm sends work where there is room, so the
	// targets behave as one pooled queue over all their slots (least
	// outstanding requests, least connections, power of two choices).
	SplitShortest
)

// FluidRouter is implemented by balancers that say how fluid mode should
// approximate them; the others are treated as SplitRandom.
type FluidRouter interface {
	FluidSplit() Split
}

// fluidRhoMax is the utilisation above which a target is treated as
// overloaded (a backlog grows) rather than as a stationary queue: near
// ρ = 1 a stationary queue needs longer than a step to settle.
const fluidRhoMax = 0.98

// fluidStrata is how many latency points a step records per group of
// identical targets (Latin hypercube over service time and wait).
const fluidStrata = 32

func (c *Config) fluidStep() Time {
	if c.FluidStep > 0 {
		return c.FluidStep
	}
	return DefaultFluidStep
}

func (c *Config) validateFluid() []error {
	if c.Mode != FluidMode {
		return nil
	}
	var errs []error
	if s := c.fluidStep(); s < Second || s > 10*Second || Minute%s != 0 {
		errs = append(errs, fmt.Errorf("fluid step must be 1s to 10s and divide a minute (1, 2, 3, 4, 5, 6 or 10 s); got %v", s))
	}
	if c.Requests != nil {
		errs = append(errs, fmt.Errorf("fluid mode needs a request rate (synthetic traffic or a rate csv), not a request log: use request mode"))
	}
	if why := FluidUnsupported(c); why != "" {
		errs = append(errs, fmt.Errorf("fluid mode does not run %s: use request mode", why))
	}
	return errs
}

// serviceShape is what fluid mode needs of the service-time distribution:
// its mean, its squared coefficient of variation and its quantiles.
type serviceShape struct {
	mean, cs2 float64
	q         []float64 // q[i]: the (i+0.5)/len(q) quantile
}

func newServiceShape(d Dist, r *rand.Rand) serviceShape {
	const n = 4096
	s := serviceShape{mean: d.Mean(), q: make([]float64, n)}
	var quant func(p float64) float64
	switch v := d.(type) {
	case Constant:
		s.cs2 = 0
		quant = func(float64) float64 { return v.Value }
	case Exponential:
		s.cs2 = 1
		quant = func(p float64) float64 { return -math.Log(1-p) * v.MeanSeconds }
	case LogNormal:
		s.cs2 = math.Expm1(v.Sigma * v.Sigma)
		quant = distuv.LogNormal{Mu: v.Mu, Sigma: v.Sigma}.Quantile
	case Gamma:
		s.cs2 = 1 / v.Alpha
		quant = distuv.Gamma{Alpha: v.Alpha, Beta: v.Beta}.Quantile
	}
	if quant != nil {
		for i := range s.q {
			s.q[i] = quant((float64(i) + 0.5) / n)
		}
		return s
	}
	// Any other distribution (empirical, fitted): its sorted sample.
	var sum, sum2 float64
	for i := range s.q {
		x := d.Sample(r)
		s.q[i] = x
		sum += x
		sum2 += x * x
	}
	sort.Float64s(s.q)
	if m := sum / n; m > 0 {
		s.cs2 = (sum2/n - m*m) / (m * m)
	}
	return s
}

// at returns the u-quantile of the service demand, u in [0, 1).
func (s *serviceShape) at(u float64) float64 {
	i := int(u * float64(len(s.q)))
	return s.q[min(max(i, 0), len(s.q)-1)]
}

// fluidGroup is a number of requests served alike in one step: a
// deterministic delay (the backlog ahead of them), then with probability
// pWait an exponential wait of mean meanWait, then their service at speed.
type fluidGroup struct {
	delay, pWait, meanWait, speed float64
	n                             int64
}

// fluidState is fluid mode's part of the engine.
type fluidState struct {
	step, last, next Time
	traffic          *rateIntegral
	svc              serviceShape
	ca2              float64 // arrivals' squared coefficient of variation
	split            Split
	rng              *rand.Rand
	perm             []int
	groups           []fluidGroup
	lastGroup        int     // the group add joined last
	roundedLq        float64 // the last mean queue rounded (fluidServe) ...
	queued           int32   // ... and its whole number of requests
	// rounding residuals, so that expected counts become whole requests
	// without drift
	arrCarry, rejCarry, capCarry float64
	splitOff                     float64
	stratOff                     int64
	weights                      []float64
	cache                        [4]cachedQueue
	cacheNext                    int
}

// cachedQueue is one remembered G/G/c answer: steps of the same hour of
// an hourly series ask the same question of every alike target.
type cachedQueue struct {
	lam, mu, ca2, qlimit float64
	c                    int
	shape                queueShape
	ok, set              bool
}

// queue is ggc with the service's cs², through a small cache.
func (f *fluidState) queue(lam, mu float64, c int, ca2, qlimit float64) (queueShape, bool) {
	for i := range f.cache {
		q := &f.cache[i]
		if q.set && q.lam == lam && q.mu == mu && q.c == c && q.ca2 == ca2 && q.qlimit == qlimit {
			return q.shape, q.ok
		}
	}
	shape, ok := ggc(lam, mu, c, ca2, f.svc.cs2, qlimit)
	f.cache[f.cacheNext] = cachedQueue{lam, mu, ca2, qlimit, c, shape, ok, true}
	f.cacheNext = (f.cacheNext + 1) % len(f.cache)
	return shape, ok
}

func newFluid(cfg *Config) *fluidState {
	f := &fluidState{
		step:    cfg.fluidStep(),
		traffic: newRateIntegral(cfg.Traffic),
		rng:     NewRand(cfg.Seed, StreamFluid),
		perm:    make([]int, fluidStrata),
		split:   SplitRandom,
	}
	f.svc = newServiceShape(cfg.Service, f.rng)
	switch cfg.Arrivals.Kind {
	case Poisson:
		f.ca2 = 1
	case GammaRenewal:
		f.ca2 = cfg.Arrivals.CV * cfg.Arrivals.CV
	}
	if fr, ok := cfg.Balancer.(FluidRouter); ok {
		f.split = fr.FluidSplit()
	}
	return f
}

func (e *engine) trafficFailure() error {
	if e.fluid != nil {
		return e.fluid.traffic.err
	}
	return e.arrivals.failure()
}

// scheduleFluidStep queues the step ending at the next step boundary. It
// fires a nanosecond before the boundary, so that it precedes the tick at
// the boundary: the minute, the metric period and the policies there see
// the step that just ended.
func (e *engine) scheduleFluidStep() {
	f := e.fluid
	next := min(f.last+f.step, e.end)
	if next <= f.last {
		return
	}
	f.next = next
	e.q.push(event{at: next - 1, kind: evFluidStep})
}

// fluidStep advances every target's queue over the step (last, next].
func (e *engine) fluidStep() {
	f := e.fluid
	t := f.next
	dt := (t - f.last).Seconds()
	x := f.traffic.take(t)
	n := f.count(x)
	e.meter.arrivalsN(n)
	switch {
	case e.lb.all.Len() == 0:
		e.meter.outcome(rejected, n, 0, 0)
	case e.lb.zonal != nil:
		// Cross-zone off: the zones' nodes share the requests equally.
		k := 0
		for z := range e.lb.zonal {
			if e.lb.zonal[z].Len() > 0 {
				k++
			}
		}
		i := 0
		for z := range e.lb.zonal {
			zt := &e.lb.zonal[z]
			if zt.Len() == 0 {
				continue
			}
			nz := splitCount(n, k, i, 0)
			i++
			e.fluidRoute(zt, nz, float64(nz)/dt, t, dt)
		}
	default:
		e.fluidRoute(&e.lb.all, n, x/dt, t, dt)
	}
	e.fluidDrain(t, dt)
	// The groups' latencies are recorded once per minute or metric
	// period, whichever ends first, before the tick that closes it:
	// identical groups of consecutive steps are recorded together.
	if t%Minute == 0 || t%e.cfg.MetricPeriod == 0 || t == e.end {
		e.fluidRecord()
		f.groups = f.groups[:0]
	}
	f.last = t
	e.scheduleFluidStep()
}

// fluidRoute shares n requests (rate req/s on average) among the targets
// of ts and serves them.
func (e *engine) fluidRoute(ts *Targets, n int64, rate float64, t Time, dt float64) {
	f := e.fluid
	inst := e.fleet.inst
	f.weights = f.weights[:0]
	total := 0.0
	poolSlots, poolCap, poolExtra := 0, 0.0, 0
	for p, id := range ts.ids {
		in := &inst[id]
		c, sp := in.fluidServers()
		w := ts.fluidWeight(p, in, f.split)
		// A target that entered service during the step had its share
		// for part of it only.
		if in.inServiceAt > f.last {
			w *= (t - in.inServiceAt).Seconds() / dt
		}
		f.weights = append(f.weights, w)
		total += w
		if !in.failed {
			poolSlots += c
			poolCap += float64(c) * sp / f.svc.mean
			poolExtra += int(in.slots) - c
		}
	}
	if total <= 0 {
		e.meter.outcome(rejected, n, 0, 0)
		return
	}
	var pool queueShape
	poolOK := false
	if f.split == SplitShortest && poolSlots > 0 {
		// One queue over every slot; the failed targets' share is lost.
		okShare := 0.0
		for p, id := range ts.ids {
			if !inst[id].failed {
				okShare += f.weights[p]
			}
		}
		lam := rate * okShare / total
		mu := poolCap / float64(poolSlots)
		pool, poolOK = f.queue(lam, mu, poolSlots, f.ca2, float64(e.cfg.QueueLimit*len(ts.ids)+poolExtra))
	}
	f.splitOff = math.Mod(f.splitOff+0.6180339887498949, 1)
	cum := 0.0
	prev := int64(math.Floor(f.splitOff))
	nt := float64(len(ts.ids))
	for p, id := range ts.ids {
		cum += f.weights[p]
		upto := int64(math.Floor(float64(n)*cum/total + f.splitOff))
		if p == len(ts.ids)-1 {
			upto = n + int64(math.Floor(f.splitOff))
		}
		np := upto - prev
		prev = upto
		in := &inst[id]
		if in.failed {
			// Routed to a failed target the balancer still believes
			// healthy: the client gets an error.
			e.meter.outcome(rejected, np, 0, 0)
			continue
		}
		e.meter.routedN(np)
		in.routed += np
		if f.split == SplitShortest {
			e.fluidServe(in, np, dt, pool, poolOK)
			continue
		}
		share := f.weights[p] / total
		lam := rate * share
		c, sp := in.fluidServers()
		mu := sp / f.svc.mean
		qlimit := float64(e.cfg.QueueLimit + int(in.slots) - c)
		var shape queueShape
		var ok bool
		if f.split == SplitEven {
			shape, ok = f.queue(lam, mu, c, f.ca2/nt, qlimit)
		} else {
			shape, ok = f.queue(lam, mu, c, share*f.ca2+(1-share), qlimit)
		}
		e.fluidServe(in, np, dt, shape, ok)
	}
}

// fluidServe lets one target's queue take n arrivals over a step.
func (e *engine) fluidServe(in *instance, n int64, dt float64, shape queueShape, stable bool) {
	f := e.fluid
	if in.outstanding == 0 && stable && shape.rho < fluidRhoMax {
		// Keeping up: the stationary queue.
		rej := min(n, roundCarry(&f.rejCarry, float64(n)*shape.overflow))
		if rej > 0 {
			e.meter.outcome(rejected, rej, 0, 0)
		}
		c, sp := in.fluidServers()
		work := f.work(n)
		if sp != 1 { // dividing by 1 is exact: skip a division on the step's longest chain
			work /= sp
		}
		busy := min(work/dt, float64(c))
		e.fluidBusy(in, busy, c, dt)
		e.meter.inSystemArea += (busy + shape.lq) * dt
		if shape.lq != f.roundedLq { // most targets of a step share their shape
			f.roundedLq, f.queued = shape.lq, int32(math.Round(shape.lq))
		}
		in.fluidQueued = f.queued
		f.add(fluidGroup{pWait: shape.pWait, meanWait: shape.meanWait, speed: sp, n: n - rej})
		return
	}
	e.fluidBacklog(in, n, dt)
}

// fluidBacklog serves a target that is behind: its requests wait in FIFO
// order behind the backlog, which is carried to the next step in the
// target's outstanding count.
func (e *engine) fluidBacklog(in *instance, n int64, dt float64) {
	f := e.fluid
	c, sp := in.fluidServers()
	capRate := float64(c) * sp / f.svc.mean
	b := int64(in.outstanding)
	before := b
	// In FIFO order the request served now waited while the queue ahead
	// of it was served; while the queue grows or shrinks steadily that wait
	// is the queue over the rate at which requests joined it (Q(t) = λ·w:
	// Little's law on the queue), not over the service rate. With no
	// arrivals (a draining target) the queue is all there is: Q / cμ.
	// A full queue takes only what it has room for.
	k := roundCarry(&f.capCarry, capRate*dt)
	lim := int64(in.slots) + int64(e.cfg.QueueLimit)
	accepted := n - max(0, b+n-min(b+n, k)-lim)
	join := float64(accepted) / dt
	if join <= 0 {
		join = capRate
	}
	// Requests queued past their client's timeout are dropped unserved.
	maxWait := (e.cfg.Timeout - e.cfg.LBOverhead).Seconds()
	if keep := int64(join * max(maxWait, 0)); b > keep+int64(c) {
		drop := b - keep - int64(c)
		e.meter.outcomeN(timedOut, drop, FromSeconds(maxWait), 0)
		b -= drop
	}
	delay := math.Max(0, float64(b-int64(c))) / join
	served := min(b+n, k)
	left := b + n - served
	if left > lim {
		e.meter.outcome(rejected, left-lim, 0, 0) // refused on arrival: the queue is full
		left = lim
	}
	e.fluidBusy(in, min(float64(served)/(capRate*dt), 1)*float64(c), c, dt)
	in.fluidQueued = int32(max(0, left-int64(c)))
	e.lb.addOutstanding(in, int32(left-before))
	f.add(fluidGroup{delay: delay, speed: sp, n: served})
}

// fluidDrain serves what is left on draining targets; a target whose
// backlog is done finishes deregistration early, as in request mode
// (docs/aws-model.md §4.1).
func (e *engine) fluidDrain(t Time, dt float64) {
	if e.fleet.count[draining] == 0 {
		return // most steps: nothing to look for among the live instances
	}
	for i := 0; i < len(e.fleet.live); i++ {
		id := e.fleet.live[i]
		in := &e.fleet.inst[id]
		if in.state != draining || in.outstanding == 0 {
			continue
		}
		e.fluidBacklog(in, 0, dt)
		if in.outstanding == 0 {
			e.terminate(id)
			i-- // terminate may shrink live
		}
	}
}

// fluidServers is the G/G/c queue fluid mode serves a target's requests
// on: c servers of speed sp. An instance, or a task with a vCPU for each
// worker, has one server per slot at its speed. A task with more workers
// than vCPUs shares its cpu among the requests in service (processor
// sharing, sim/ps.go); fluid mode approximates it by ceil(vCPUs) FIFO
// servers sharing the cpu evenly, the other workers as queue: the same
// capacity, but a request alone is served at vCPUs ÷ c rather than at up
// to one vCPU, and FIFO rather than shared (docs/fluid.md, "ECS services").
func (in *instance) fluidServers() (c int, sp float64) {
	if !in.ps {
		return int(in.slots), in.speed
	}
	c = max(1, int(math.Ceil(in.cpuCap-1e-9)))
	return c, in.speed * in.cpuCap / float64(c)
}

// fluidBusy adds a target's busy servers (of c) over the step to the CPU
// integrals, in slots: a shared task's c servers stand for all its slots,
// as accrue books it (sharedUse) (sim/ps.go).
func (e *engine) fluidBusy(in *instance, busy float64, c int, dt float64) {
	if c != int(in.slots) {
		busy *= float64(in.slots) / float64(c)
	}
	in.busyArea += Time(busy * dt * float64(Second))
	e.meter.busyArea += busy * dt
}

func (f *fluidState) add(g fluidGroup) {
	if g.n <= 0 {
		return
	}
	// The groups are distinct, so the group g joins is the same whichever
	// is looked at first: the last one joined, most steps (every target of
	// a pooled split is served alike).
	if i := f.lastGroup; i < len(f.groups) {
		if h := &f.groups[i]; h.delay == g.delay && h.pWait == g.pWait && h.meanWait == g.meanWait && h.speed == g.speed {
			h.n += g.n
			return
		}
	}
	for i := range f.groups {
		h := &f.groups[i]
		if h.delay == g.delay && h.pWait == g.pWait && h.meanWait == g.meanWait && h.speed == g.speed {
			h.n += g.n
			f.lastGroup = i
			return
		}
	}
	f.lastGroup = len(f.groups)
	f.groups = append(f.groups, g)
}

// fluidRecord turns each group of the step into latency points: a Latin
// hypercube over the service-time quantile and the wait quantile, the
// group's requests shared among the points. A point's requests complete,
// or time out like a request with that wait and service would.
func (e *engine) fluidRecord() {
	f := e.fluid
	overhead, timeout := e.cfg.LBOverhead, e.cfg.Timeout
	for _, g := range f.groups {
		k := int(min(int64(fluidStrata), g.n))
		perm := f.perm[:k]
		for i := range perm {
			perm[i] = i
		}
		f.rng.Shuffle(k, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		off := f.stratOff % int64(k)
		for i := 0; i < k; i++ {
			c := splitCount(g.n, k, i, off)
			if c == 0 {
				continue
			}
			u := (float64(i) + f.rng.Float64()) / float64(k)
			v := (float64(perm[i]) + f.rng.Float64()) / float64(k)
			w := g.delay
			if g.pWait > 0 && v > 1-g.pWait {
				w += g.meanWait * -math.Log((1-v)/g.pWait)
			}
			wait := FromSeconds(w)
			if wait+overhead > timeout {
				e.meter.outcomeN(timedOut, c, wait, 0) // dropped from the queue
				continue
			}
			svc := f.svc.at(u)
			if g.speed != 1 { // dividing by 1 is exact
				svc /= g.speed
			}
			sojourn := wait + FromSeconds(svc)
			e.meter.startedN(wait, c)
			if lat := sojourn + overhead; lat > timeout {
				e.meter.outcomeN(timedOut, c, sojourn, 0)
			} else {
				e.meter.outcomeN(completed, c, sojourn, lat)
			}
		}
		f.stratOff += g.n
	}
}

// splitCount is the i-th of k near-equal whole parts of n, the remainder
// spread from offset off (0 ≤ off < k).
func splitCount(n int64, k, i int, off int64) int64 {
	kk := int64(k)
	return (n*int64(i+1)+off)/kk - (n*int64(i)+off)/kk
}

// roundCarry rounds x down to a whole count, carrying the remainder into
// the next call.
func roundCarry(carry *float64, x float64) int64 {
	y := x + *carry
	n := int64(y)
	*carry = y - float64(n)
	return n
}

// count draws the step's arrivals around their expected number x: Poisson
// for Poisson arrivals, a normal of variance x·ca² for renewal arrivals
// (their count's asymptotic variance), none for evenly spaced ones. The
// CPU datapoints then vary as much as request mode's, which matters to
// policies that compare them with a threshold.
func (f *fluidState) count(x float64) int64 {
	switch {
	case f.ca2 == 0 || x <= 0:
		return roundCarry(&f.arrCarry, x)
	case f.ca2 == 1 && x < 30:
		// Poisson by multiplication of uniforms (Knuth, TAOCP vol. 2,
		// §3.4.1).
		l, k, p := math.Exp(-x), int64(0), f.rng.Float64()
		for p > l {
			k++
			p *= f.rng.Float64()
		}
		return k
	}
	return max(0, int64(math.Round(x+math.Sqrt(x*f.ca2)*f.rng.NormFloat64())))
}

// work is the CPU demand, in seconds at speed 1, of n requests: n times
// the mean, varied by the sum's standard deviation √(n·cs²) × mean.
func (f *fluidState) work(n int64) float64 {
	if n <= 0 {
		return 0
	}
	m := float64(n) * f.svc.mean
	return max(0, m+math.Sqrt(float64(n)*f.svc.cs2)*f.svc.mean*f.rng.NormFloat64())
}
