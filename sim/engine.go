package sim

import (
	"math"
	"math/rand/v2"
	"sort"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// tickStep is the engine's housekeeping cadence: metric periods, policy
// evaluation and time-series rows all fall on multiples of it.
const tickStep = 5 * Second

// engine is the state of one run. Run creates it; nothing outside sees it.
type engine struct {
	cfg *Config
	q   eventQueue
	now Time
	end Time

	arrivals   arrivalStream
	nextDemand float64 // demand carried by the pending arrival (< 0: sample)
	svcRng     *rand.Rand
	bootRng    *rand.Rand
	termRng    *rand.Rand

	inst    []instance
	targets Targets // routable instances, handed to the balancer
	desired int

	// whole-fleet integrals, brought up to date at every event
	areaAt         Time
	busyTotal      int64 // busy slots over all instances
	inSystem       int64 // requests inside instances (queued or in service)
	busyArea       float64
	capArea        float64 // in-service slot-seconds
	inSystemArea   float64
	minuteInSystem float64 // inSystemArea when the current minute began
	inServiceArea  float64
	inServiceSlots int64
	inServiceCount int

	lastCapacityChange Time
	series             [numMetrics][]Datapoint
	period             periodCounters

	minute     MinuteRow
	minuteHist *hdrhistogram.Histogram
	minuteBusy float64
	minuteCap  float64

	lastReason map[string]string // per policy, the last non-decision recorded

	// The group's limits: scheduled actions change min and max; predictive
	// scaling sets a floor and may raise max (docs/aws-model.md §1.6, §1.7).
	min, max        int
	floor           int
	floorBy         string
	raisedMax       int
	lastActivityEnd Time
	lastAction      Time // when the last dynamic scaling action started (-1: none)

	healthRng   *rand.Rand
	spotRng     *rand.Rand
	poolReadyN  int  // warm-pool instances ready
	poolFilling int  // warm-pool instances initialising
	poolAt      Time // warm-pool time integral brought up to here

	zonal        []Targets // per-zone routable views, with cross-zone off
	slowStarting int       // targets in slow start
	pickWeights  bool      // the balancer applies weights itself

	res *Result
}

// Run simulates cfg and returns what it measured.
func Run(cfg *Config) (*Result, error) {
	e, err := newEngine(cfg)
	if err != nil {
		return nil, err
	}
	e.loop()
	if err := e.arrivals.failure(); err != nil {
		return nil, err
	}
	e.finish()
	return e.res, nil
}

// newEngine sets up a run: the initial fleet in service, the first arrival
// and tick queued.
func newEngine(cfg *Config) (*engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &engine{
		cfg:        cfg,
		end:        cfg.Duration,
		svcRng:     NewRand(cfg.Seed, StreamService),
		bootRng:    NewRand(cfg.Seed, StreamBoot),
		termRng:    NewRand(cfg.Seed, StreamTermination),
		healthRng:  NewRand(cfg.Seed, StreamHealth),
		spotRng:    NewRand(cfg.Seed, StreamSpot),
		minuteHist: newMinuteHistogram(),
		lastReason: map[string]string{},
		res: &Result{
			Seed:     cfg.Seed,
			Duration: cfg.Duration,
			Latency:  newHistogram(),
			Wait:     newHistogram(),
		},
	}
	if cfg.Requests != nil {
		e.arrivals = &replay{src: cfg.Requests}
	} else {
		e.arrivals = newArrivals(cfg.Traffic, NewRand(cfg.Seed, StreamArrivals), cfg.Arrivals)
	}
	e.targets.rng = NewRand(cfg.Seed, StreamBalancer)
	if usesMetric(cfg.Scalers, MetricLatency) {
		e.period.hist = newMinuteHistogram()
	}
	if cfg.CrossZoneOff {
		e.zonal = make([]Targets, max(1, cfg.Fleet.Zones))
		for z := range e.zonal {
			e.zonal[z].rng = e.targets.rng
		}
	}
	if wa, ok := cfg.Balancer.(WeightAware); ok {
		e.pickWeights = wa.UsesWeights()
	}
	e.q.ev = make([]event, 0, 1024)

	// The group exists before t = 0: its initial instances are in service
	// and past their warm-up, as in a running production group.
	e.desired = cfg.Fleet.Desired
	e.min, e.max = cfg.Fleet.Min, cfg.Fleet.Max
	e.lastAction = -1
	e.lastActivityEnd = -1
	for i := 0; i < cfg.Fleet.Desired; i++ {
		id := e.launch()
		e.enterService(id, false)
	}
	e.scheduleArrival()
	e.q.push(event{at: tickStep, kind: evTick})
	// The warm pool, like the group, exists before t = 0.
	if e.cfg.Fleet.WarmPool != nil {
		e.poolReadyN = e.poolTarget()
	}
	return e, nil
}

func (e *engine) loop() {
	overhead := e.cfg.LBOverhead
	timeout := e.cfg.Timeout
	for e.q.len() > 0 {
		ev := e.q.hold()
		if ev.at > e.end {
			break
		}
		if ev.at != e.areaAt {
			e.accrue(ev.at)
		}
		e.now = ev.at
		switch ev.kind {
		case evArrival:
			e.arrive()
		case evDeparture:
			e.depart(ev.inst, ev.arr, overhead, timeout)
		case evTick:
			e.tick()
		case evBooted:
			e.booted(ev.inst)
		case evHealthy:
			if e.inst[ev.inst].state == registering {
				e.enterService(ev.inst, e.cfg.Fleet.Warmup > 0)
			}
		case evWarm:
			if in := &e.inst[ev.inst]; in.state == inService && in.warming {
				in.warming = false
			}
		case evDrained:
			if e.inst[ev.inst].state == draining {
				e.terminate(ev.inst)
			}
		case evHookDone:
			e.hookDone(ev.inst)
		case evFail:
			e.fail(ev.inst)
		case evDetected:
			e.replaceUnhealthy(ev.inst)
		case evPoolReady:
			e.poolReady(ev.arr)
		case evSpotNotice:
			e.spotNotice(ev.inst)
		case evSpotReclaim:
			e.spotReclaim(ev.inst)
		}
		e.q.release()
	}
	e.accrue(e.end)
	e.now = e.end
}

// accrue brings the fleet-wide integrals up to t.
func (e *engine) accrue(t Time) {
	dt := (t - e.areaAt).Seconds()
	e.busyArea += float64(e.busyTotal) * dt
	e.capArea += float64(e.inServiceSlots) * dt
	e.inSystemArea += float64(e.inSystem) * dt
	e.inServiceArea += float64(e.inServiceCount) * dt
	e.areaAt = t
}

// arrive handles one request arrival: sample its demand, schedule the next
// arrival, route it.
func (e *engine) arrive() {
	now := e.now
	// The demand is drawn for every arrival, routed or not, so that variants
	// see the same demand sequence (common random numbers).
	demand := e.nextDemand
	if demand < 0 {
		demand = e.cfg.Service.Sample(e.svcRng)
	}
	e.scheduleArrival()
	e.res.Requests.Total++
	e.minute.Arrivals++
	n := e.targets.Len()
	if n == 0 {
		e.reject()
		return
	}
	pos := 0
	if n > 1 {
		pos = e.route()
	}
	id := e.targets.ids[pos]
	in := &e.inst[id]
	if in.failed {
		// Routed to a failed instance the load balancer has not yet
		// detected: the client gets an error.
		e.reject()
		return
	}
	e.period.routed++
	in.routed++
	svc := FromSeconds(demand / in.speed)
	switch {
	case in.busy < in.slots:
		in.outstanding++
		e.syncOutstanding(in)
		e.inSystem++
		e.startService(in, id, now, svc)
	case in.n < e.cfg.QueueLimit:
		in.outstanding++
		e.syncOutstanding(in)
		e.inSystem++
		in.enqueue(queued{arr: now, svc: svc})
	default:
		e.reject()
	}
}

// route asks the balancer for a target. While targets ramp up in slow start
// and the balancer ignores weights, a pick of a ramping target stands with
// probability weight ÷ full weight, else the balancer picks again: the
// ramping target's share then grows linearly with its weight.
func (e *engine) route() int {
	if e.zonal != nil {
		return e.routeZonal()
	}
	pos := e.cfg.Balancer.Pick(&e.targets)
	if e.slowStarting == 0 || e.pickWeights {
		return pos
	}
	for try := 0; try < 8; try++ {
		in := &e.inst[e.targets.ids[pos]]
		if !in.slowStart || e.targets.rng.Float64()*float64(in.slots)*in.speed < e.targets.w[pos] {
			return pos
		}
		pos = e.cfg.Balancer.Pick(&e.targets)
	}
	return pos
}

// routeZonal routes with cross-zone load balancing off: the request lands
// on one zone's load-balancer node, the nodes sharing traffic equally
// (zones without targets drop out of DNS), and the node picks among its
// own zone's targets.
func (e *engine) routeZonal() int {
	k := 0
	for z := range e.zonal {
		if e.zonal[z].Len() > 0 {
			k++
		}
	}
	r := e.targets.rng.IntN(k)
	for z := range e.zonal {
		zt := &e.zonal[z]
		if zt.Len() == 0 {
			continue
		}
		if r > 0 {
			r--
			continue
		}
		zp := 0
		if zt.Len() > 1 {
			zp = e.cfg.Balancer.Pick(zt)
		}
		return int(e.inst[zt.ids[zp]].pos)
	}
	return 0
}

// rampSlowStart updates the weights of targets in slow start.
func (e *engine) rampSlowStart() {
	for p, id := range e.targets.ids {
		in := &e.inst[id]
		if !in.slowStart {
			continue
		}
		full := float64(in.slots) * in.speed
		f := float64(e.now-in.inServiceAt) / float64(e.cfg.SlowStart)
		if f >= 1 {
			in.slowStart = false
			e.slowStarting--
			e.setWeight(in, int32(p), full)
			continue
		}
		e.setWeight(in, int32(p), full*max(f, 0.001))
	}
}

// syncOutstanding copies an instance's outstanding count to the balancer's
// dense views when the instance is routable.
func (e *engine) syncOutstanding(in *instance) {
	if in.pos >= 0 {
		e.targets.out[in.pos] = in.outstanding
		if e.zonal != nil {
			e.zonal[in.zone].out[in.zpos] = in.outstanding
		}
	}
}

func (e *engine) setWeight(in *instance, p int32, w float64) {
	e.targets.w[p] = w
	if e.zonal != nil {
		e.zonal[in.zone].w[in.zpos] = w
	}
}

// scheduleArrival queues the next arrival, if the traffic has one.
func (e *engine) scheduleArrival() {
	if t, d, ok := e.arrivals.next(); ok {
		e.nextDemand = d
		e.q.push(event{at: t, kind: evArrival})
	}
}

func (e *engine) reject() {
	e.res.Requests.Rejected++
	e.minute.Rejected++
	e.period.errors++
}

func (e *engine) startService(in *instance, id int32, arr, svc Time) {
	now := e.now
	in.accrue(now)
	in.busy++
	e.busyTotal++
	wait := now - arr
	e.res.WaitSum += wait.Seconds()
	e.res.WaitCount++
	recordMicros(e.res.Wait, wait)
	e.q.push(event{at: now + svc, kind: evDeparture, inst: id, arr: arr})
}

func (e *engine) depart(id int32, arr, overhead, timeout Time) {
	in := &e.inst[id]
	if in.state == terminated {
		return // cut off when its instance was terminated; already counted
	}
	now := e.now
	in.accrue(now)
	in.busy--
	in.outstanding--
	e.busyTotal--
	e.inSystem--
	sojourn := now - arr
	e.res.SojournSum += sojourn.Seconds()
	e.res.SojournN++
	lat := sojourn + overhead
	if lat > timeout {
		// The client gave up while the instance was still working on it.
		e.res.Requests.TimedOut++
		e.minute.TimedOut++
		e.period.errors++
	} else {
		e.res.Requests.Completed++
		e.minute.Completed++
		e.minute.LatencySum += lat.Seconds()
		e.res.LatencySum += lat.Seconds()
		recordMicros(e.res.Latency, lat)
		recordMicros(e.minuteHist, lat)
		if e.period.hist != nil {
			e.period.latencySum += lat.Seconds()
			e.period.completed++
			recordMicros(e.period.hist, lat)
		}
	}
	for in.n > 0 {
		r := in.dequeue()
		if now-r.arr+overhead > timeout {
			// Waited past the client's timeout: the client is gone, the
			// server drops it without serving it.
			in.outstanding--
			e.inSystem--
			e.res.Requests.TimedOut++
			e.minute.TimedOut++
			e.period.errors++
			e.res.SojournSum += (now - r.arr).Seconds()
			e.res.SojournN++
			continue
		}
		e.startService(in, id, r.arr, r.svc)
		break
	}
	e.syncOutstanding(in)
	if in.state == draining && in.outstanding == 0 {
		// Deregistration completes early once nothing is in flight
		// (docs/aws-model.md §4.1).
		e.terminate(id)
	}
}

// launch starts a new instance in the zone with the fewest active instances.
func (e *engine) launch() int32 {
	f := &e.cfg.Fleet
	zones := max(1, f.Zones)
	count := make([]int, zones)
	for i := range e.inst {
		if s := e.inst[i].state; s <= inService {
			count[e.inst[i].zone]++
		}
	}
	zone := 0
	for z := 1; z < zones; z++ {
		if count[z] < count[zone] {
			zone = z
		}
	}
	id := int32(len(e.inst))
	e.inst = append(e.inst, instance{
		state:     pending,
		zone:      int32(zone),
		slots:     int32(f.Type.VCPU),
		speed:     f.Type.Speed,
		pos:       -1,
		launch:    e.now,
		areaAt:    e.now,
		protected: f.ProtectFromScaleIn,
	})
	e.choosePurchase(id)
	e.res.Launches++
	return id
}

func (e *engine) scheduleBoot(id int32) {
	dist := e.cfg.Fleet.BootTime
	if e.takeFromPool() {
		dist = e.cfg.Fleet.WarmPool.BootTime
		e.inst[id].fromPool = true
	}
	boot := FromSeconds(dist.Sample(e.bootRng))
	e.q.push(event{at: e.now + boot, kind: evBooted, inst: id})
}

// booted: the instance is running and registered with the load balancer; it
// takes traffic once it passes HealthyThreshold consecutive checks.
func (e *engine) booted(id int32) {
	in := &e.inst[id]
	if in.state != pending {
		return
	}
	if h := e.cfg.Fleet.LaunchHook; h != nil && !in.hooked {
		in.hooked = true
		e.startLaunchHook(id, h)
		return
	}
	e.register(id)
}

// register: the instance is registered with the load balancer; it takes
// traffic once it passes HealthyThreshold consecutive checks.
func (e *engine) register(id int32) {
	in := &e.inst[id]
	in.state = registering
	hc := e.cfg.HealthCheck
	e.q.push(event{at: e.now + Time(hc.HealthyThreshold)*hc.Interval, kind: evHealthy, inst: id})
}

func (e *engine) enterService(id int32, warm bool) {
	in := &e.inst[id]
	in.state = inService
	in.inServiceAt = e.now
	in.warming = warm
	in.areaAt = e.now
	in.periodArea = in.busyArea
	w := float64(in.slots) * in.speed
	// Slow start applies only when a healthy target outside slow start
	// already takes traffic (docs/aws-model.md §4.1).
	if e.cfg.SlowStart > 0 && len(e.targets.ids) > e.slowStarting {
		in.slowStart = true
		e.slowStarting++
		w *= float64(tickStep) / float64(e.cfg.SlowStart)
	}
	in.pos = e.targets.add(id, in.outstanding, w)
	if e.zonal != nil {
		in.zpos = e.zonal[in.zone].add(id, in.outstanding, w)
	}
	e.inServiceSlots += int64(in.slots)
	e.inServiceCount++
	e.res.PeakInService = max(e.res.PeakInService, e.inServiceCount)
	e.lastCapacityChange = e.now
	e.noteTransition()
	e.scheduleFailure(id)
	if warm {
		e.q.push(event{at: e.now + e.cfg.Fleet.Warmup, kind: evWarm, inst: id})
	}
}

// leaveService removes an instance from the routable list.
func (e *engine) leaveService(id int32) {
	in := &e.inst[id]
	if moved := e.targets.remove(in.pos); moved >= 0 {
		e.inst[moved].pos = in.pos
	}
	if e.zonal != nil {
		if moved := e.zonal[in.zone].remove(in.zpos); moved >= 0 {
			e.inst[moved].zpos = in.zpos
		}
	}
	in.pos = -1
	if in.slowStart {
		in.slowStart = false
		e.slowStarting--
	}
	e.inServiceSlots -= int64(in.slots)
	e.inServiceCount--
	e.lastCapacityChange = e.now
}

// scaleIn takes one instance out: in-service ones drain for the
// deregistration delay, the others terminate at once.
func (e *engine) scaleIn(id int32) {
	in := &e.inst[id]
	if in.state != inService {
		e.terminate(id)
		return
	}
	e.leaveService(id)
	in.state = draining
	in.warming = false
	if in.outstanding == 0 || e.cfg.DeregistrationDelay == 0 {
		e.terminate(id)
		return
	}
	e.q.push(event{at: e.now + e.cfg.DeregistrationDelay, kind: evDrained, inst: id})
}

// terminate ends an instance. Requests still on it when the deregistration
// delay runs out are cut off and count as rejected (the client sees a 5xx).
func (e *engine) terminate(id int32) {
	in := &e.inst[id]
	if in.state == inService {
		e.leaveService(id)
	}
	e.dropInFlight(in)
	in.state = terminated
	in.warming = false
	in.terminatedAt = e.now + e.terminateHookDelay()
	in.q = nil
	e.res.Terminations++
	e.noteTransition()
}

// active counts the instances that make up current capacity: pending,
// registering and in service (not draining).
func (e *engine) active() int {
	n := 0
	for i := range e.inst {
		if e.inst[i].state <= inService {
			n++
		}
	}
	return n
}

// setDesired changes desired capacity and launches or terminates to match.
func (e *engine) setDesired(d int) {
	e.desired = d
	for n := e.active(); n < d; n++ {
		id := e.launch()
		e.scheduleBoot(id)
	}
	for n := e.active(); n > d; n-- {
		v := e.pickVictim()
		if v < 0 {
			// AWS lowers desired capacity but terminates nothing
			// (docs/aws-model.md §1.8, scale-in protection).
			e.note("group", "could not scale to desired capacity: every instance is protected from scale-in")
			break
		}
		e.scaleIn(v)
	}
	e.refillPool()
}

// pickVictim chooses the instance to terminate on scale-in
// (docs/aws-model.md §1.9): first the zone with the most active instances that
// has an unprotected one, then the termination policies in order, then
// random. It returns -1 when every instance is protected.
func (e *engine) pickVictim() int32 {
	f := &e.cfg.Fleet
	zones := max(1, f.Zones)
	count := make([]int, zones)
	free := make([]int, zones)
	for i := range e.inst {
		if in := &e.inst[i]; in.state <= inService {
			count[in.zone]++
			if !in.protected {
				free[in.zone]++
			}
		}
	}
	zone := -1
	for z := range zones {
		if free[z] > 0 && (zone < 0 || count[z] > count[zone]) {
			zone = z
		}
	}
	if zone < 0 {
		return -1
	}
	var cands []int32
	for i := range e.inst {
		if in := &e.inst[i]; in.state <= inService && !in.protected && int(in.zone) == zone {
			cands = append(cands, int32(i))
		}
	}
	// Mixed groups first decide spot vs on-demand (Default policy, step 1).
	if spot, ok := e.preferSpotVictim(); ok {
		var same []int32
		for _, id := range cands {
			if e.inst[id].spot == spot {
				same = append(same, id)
			}
		}
		if len(same) > 0 {
			cands = same
		}
	}
	for _, p := range f.Termination {
		if len(cands) == 1 {
			break
		}
		cands = e.applyTermination(p, cands)
	}
	return cands[e.termRng.IntN(len(cands))]
}

// applyTermination keeps the candidates a named termination policy prefers.
func (e *engine) applyTermination(policy string, cands []int32) []int32 {
	var key func(in *instance) float64 // the lowest key goes first
	switch policy {
	case "OldestInstance":
		key = func(in *instance) float64 { return float64(in.launch) }
	case "NewestInstance":
		key = func(in *instance) float64 { return -float64(in.launch) }
	case "Default", "ClosestToNextInstanceHour":
		// One launch template, so the Default policy's next rule decides:
		// the instance closest to its next billing hour.
		key = func(in *instance) float64 {
			used := (e.now - in.launch) % Hour
			return float64(Hour - used)
		}
	default:
		// OldestLaunchTemplate, OldestLaunchConfiguration and
		// AllocationStrategy: one launch template and one purchase option,
		// so they prefer no instance over another.
		return cands
	}
	best := math.Inf(1)
	var keep []int32
	for _, id := range cands {
		k := key(&e.inst[id])
		switch {
		case k < best:
			best, keep = k, append(keep[:0], id)
		case k == best:
			keep = append(keep, id)
		}
	}
	return keep
}

func (e *engine) tick() {
	now := e.now
	if e.slowStarting > 0 {
		e.rampSlowStart()
	}
	if now%Minute == 0 {
		e.closeMinute()
		e.checkLifetime()
	}
	if now%e.cfg.MetricPeriod == 0 {
		e.closePeriod()
	}
	e.evaluate()
	if e.cfg.Progress != nil && now%Minute == 0 {
		e.cfg.Progress(now, e.end)
	}
	if now+tickStep <= e.end {
		e.q.push(event{at: now + tickStep, kind: evTick})
	}
}

// closeMinute writes one time-series row.
func (e *engine) closeMinute() {
	m := e.minute
	m.Start = Time(len(e.res.Minutes)) * Minute
	m.InService = e.inServiceCount
	m.Desired = e.desired
	for i := range e.inst {
		if s := e.inst[i].state; s == pending || s == registering {
			m.Pending++
		}
	}
	if c := e.capArea - e.minuteCap; c > 0 {
		m.CPUPercent = (e.busyArea - e.minuteBusy) / c * 100
	}
	if e.cfg.Fleet.Type.Burstable || e.cfg.Fleet.Credits != nil {
		e.recordInstanceCPU()
	}
	m.P50 = quantileOrNaN(e.minuteHist, 50)
	m.P99 = quantileOrNaN(e.minuteHist, 99)
	e.closeMinuteInSystem(&m)
	e.res.Minutes = append(e.res.Minutes, m)
	e.minute = MinuteRow{}
	e.minuteHist.Reset()
	e.minuteBusy, e.minuteCap = e.busyArea, e.capArea
}

// recordInstanceCPU appends each running instance's CPU % for the minute
// that just ended (burstable types only: credits depend on it).
func (e *engine) recordInstanceCPU() {
	for i := range e.inst {
		in := &e.inst[i]
		if in.state == terminated {
			continue
		}
		in.accrue(e.now)
		from := max(in.launch, e.now-Minute)
		if span := e.now - from; span > 0 {
			// The CPU actually used: a throttled slot runs at a fraction of
			// the nominal speed.
			util := float64(in.busyArea-in.minuteArea) / (float64(in.slots) * float64(span)) * 100 * in.speed / e.cfg.Fleet.Type.Speed
			in.cpuByMinute = append(in.cpuByMinute, float32(util))
			if e.cfg.Fleet.Credits != nil {
				e.stepCredits(in, util, float64(span)/float64(Minute))
			}
		}
		in.minuteArea = in.busyArea
	}
}

// finish closes the books at the end of the run.
func (e *engine) finish() {
	r := e.res
	if Time(len(r.Minutes))*Minute < e.end {
		e.closeMinute()
	}
	r.Requests.InFlightAtEnd = e.inSystem
	d := e.end.Seconds()
	r.MeanInSystem = e.inSystemArea / d
	r.MeanInService = e.inServiceArea / d
	if e.capArea > 0 {
		r.MeanCPU = e.busyArea / e.capArea * 100
	}
	for i := range e.inst {
		in := &e.inst[i]
		if in.state != terminated {
			in.accrue(e.end)
		}
		end := min(in.terminatedAt, e.end)
		if in.state != terminated {
			end = e.end
		}
		r.Instances = append(r.Instances, InstanceRecord{
			ID: i, Type: e.cfg.Fleet.Type.Name, Zone: int(in.zone),
			Launch: in.launch, InService: in.inServiceAt, Terminated: end,
			Running: in.state != terminated || in.terminatedAt > e.end, PurchaseOption: purchaseOption(in),
			Interrupted: in.interrupted,
			VCPU:        int(in.slots), Routed: in.routed, BusySeconds: in.busyArea.Seconds(), CPUByMinute: in.cpuByMinute,
		})
	}
	for _, s := range e.cfg.Scalers {
		if f, ok := s.(Forecaster); ok {
			if r.Forecasts == nil {
				r.Forecasts = map[string][]ForecastPoint{}
			}
			r.Forecasts[s.Name()] = f.Forecast()
		}
	}
	sort.SliceStable(r.Activities, func(a, b int) bool { return r.Activities[a].Time < r.Activities[b].Time })
}

// String names the state for debugging.
func (s state) String() string {
	return [...]string{"pending", "registering", "in-service", "draining", "terminated"}[s]
}
