package sim

import "slices"

// fleet is the group's instances and their state machine
// (docs/aws-model.md §1.8): pending → registering → in service → draining →
// terminated. Every change of state goes through setState, which keeps the
// per-state and per-zone counts, the in-service capacity and the index of
// live instances, so nothing scans every instance ever launched.
type fleet struct {
	inst []instance // every instance launched, by id
	// live holds the ids of the instances not yet terminated, in launch
	// order (ascending id): the loops that visit instances visit these, in
	// the same order as a scan of inst would.
	live       []int32
	count      [numStates]int
	zoneActive []int // active instances (pending, registering, in service) per zone
	slots      int64 // worker slots of the in-service instances
	busy       int64 // busy slots over all instances
	peak       int   // most instances in service at once
	// rowPeak is the most in service at once since the current time-series
	// row began (sim/series.go).
	rowPeak int
	// capacityChanged is when in-service capacity last changed.
	capacityChanged Time
	// held holds when each terminated instance still in Terminating:Wait
	// (a terminate lifecycle hook) ends; see terminating.
	held []Time
	// goneMinuteBusy is the busy time, since the current minute began, of
	// the instances that terminated during it: an ECS minute row adds it
	// to the live tasks' (ecsRow), which no longer holds them.
	goneMinuteBusy Time

	// The warm pool (docs/aws-model.md §1.8): poolReadyN instances
	// prepared, poolFilling initialising, its time integral up to poolAt.
	poolReadyN  int
	poolFilling int
	poolAt      Time
}

func newFleet(zones int) fleet {
	return fleet{zoneActive: make([]int, max(1, zones))}
}

// add appends a new pending instance and returns its id.
func (f *fleet) add(in instance) int32 {
	id := int32(len(f.inst))
	in.state = pending
	f.inst = append(f.inst, in)
	f.live = append(f.live, id)
	f.count[pending]++
	f.zoneActive[in.zone]++
	return id
}

// setState moves instance id to state s at time now: the one place the
// counts change.
func (f *fleet) setState(id int32, s state, now Time) {
	in := &f.inst[id]
	old := in.state
	if old == s {
		return
	}
	f.count[old]--
	f.count[s]++
	if old.active() != s.active() {
		if s.active() {
			f.zoneActive[in.zone]++
		} else {
			f.zoneActive[in.zone]--
		}
	}
	switch {
	case s == inService:
		f.slots += int64(in.slots)
		f.peak = max(f.peak, f.count[inService])
		f.rowPeak = max(f.rowPeak, f.count[inService])
		f.capacityChanged = now
	case old == inService:
		f.slots -= int64(in.slots)
		f.capacityChanged = now
	}
	if s == terminated {
		f.goneMinuteBusy += in.busyAreaAt(now) - in.minuteArea
		i, _ := slices.BinarySearch(f.live, id)
		f.live = slices.Delete(f.live, i, i+1)
	}
	in.state = s
}

// active counts the instances that make up current capacity: pending,
// registering and in service (not draining).
func (f *fleet) active() int { return f.count[pending] + f.count[registering] + f.count[inService] }

// launching counts the instances launched but not yet in service.
func (f *fleet) launching() int { return f.count[pending] + f.count[registering] }

// transitioning counts instances on their way in or out: booting,
// registering, draining. An activity is in progress while any are.
func (f *fleet) transitioning() int { return f.launching() + f.count[draining] }

// terminating counts the instances on their way out that still make up
// current capacity on a scale-in: draining, or terminated but held in
// Terminating:Wait until after now (docs/aws-model.md §1.3, §1.8).
func (f *fleet) terminating(now Time) int {
	f.held = slices.DeleteFunc(f.held, func(end Time) bool { return end <= now })
	return f.count[draining] + len(f.held)
}

// launch starts a new instance in the zone with the fewest active instances.
func (e *engine) launch() int32 {
	f := &e.cfg.Fleet
	zone := 0
	for z := 1; z < len(e.fleet.zoneActive); z++ {
		if e.fleet.zoneActive[z] < e.fleet.zoneActive[zone] {
			zone = z
		}
	}
	id := e.fleet.add(instance{
		zone:      int32(zone),
		slots:     int32(f.Type.VCPU),
		speed:     f.Type.Speed,
		pos:       -1,
		launch:    e.now,
		areaAt:    e.now,
		protected: f.ProtectFromScaleIn,
	})
	e.choosePurchase(id)
	e.meter.res.Launches++
	return id
}

func (e *engine) scheduleBoot(id int32) {
	if e.ecs != nil {
		e.ecsStart(id)
		return
	}
	dist := e.cfg.Fleet.BootTime
	if e.takeFromPool() {
		dist = e.cfg.Fleet.WarmPool.BootTime
		e.fleet.inst[id].fromPool = true
	}
	boot := FromSeconds(dist.Sample(e.bootRng))
	e.q.push(event{at: e.now + boot, kind: evBooted, inst: id})
}

// booted: the instance is running; a launch hook holds it, or it registers
// with the load balancer.
func (e *engine) booted(id int32) {
	in := &e.fleet.inst[id]
	if in.state != pending {
		return
	}
	if e.ecs != nil {
		e.ecs.started[id] = e.now
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
	e.fleet.setState(id, registering, e.now)
	hc := e.cfg.HealthCheck
	e.q.push(event{at: e.now + Time(hc.HealthyThreshold)*hc.Interval, kind: evHealthy, inst: id})
}

// enterService: the instance passed its health checks and becomes a target.
func (e *engine) enterService(id int32, warm bool) {
	in := &e.fleet.inst[id]
	e.fleet.setState(id, inService, e.now)
	in.inServiceAt = e.now
	in.warming = warm
	in.areaAt = e.now
	in.periodArea = in.busyArea
	e.lb.add(in, id)
	e.noteTransition()
	e.scheduleFailure(id)
	if warm {
		e.q.push(event{at: e.now + e.cfg.Fleet.Warmup, kind: evWarm, inst: id})
	}
	if e.ecs != nil && e.ecs.dep != nil {
		// A new task is healthy: the scheduler may stop an old one.
		e.deployStep()
		e.deployCheck()
	}
}

// scaleIn takes one instance out: in-service ones drain for the
// deregistration delay, the others terminate at once.
func (e *engine) scaleIn(id int32) {
	in := &e.fleet.inst[id]
	if in.state != inService {
		e.terminate(id)
		return
	}
	e.drain(id)
	if in.outstanding == 0 || e.cfg.DeregistrationDelay == 0 {
		e.terminate(id)
		return
	}
	e.q.push(event{at: e.now + e.cfg.DeregistrationDelay, kind: evDrained, inst: id})
}

// drain deregisters an in-service instance: it takes no new requests and
// finishes those in flight.
func (e *engine) drain(id int32) {
	if e.ecs != nil {
		e.ecs.deregAt[id] = e.now
	}
	e.lb.remove(e.fleet.inst, id)
	e.fleet.setState(id, draining, e.now)
	e.fleet.inst[id].warming = false
}

// terminate ends an instance. Requests still on it when the deregistration
// delay runs out are cut off and count as rejected (the client sees a 5xx).
func (e *engine) terminate(id int32) {
	in := &e.fleet.inst[id]
	if e.ecs != nil {
		e.ecsTaskGone(id)
	}
	if in.state == inService {
		e.lb.remove(e.fleet.inst, id)
		if e.ecs != nil {
			e.ecs.deregAt[id] = e.now
		}
	}
	e.dropInFlight(in)
	e.fleet.setState(id, terminated, e.now)
	in.warming = false
	in.terminatedAt = e.now + e.terminateHookDelay()
	if in.terminatedAt > e.now {
		e.fleet.held = append(e.fleet.held, in.terminatedAt)
	}
	in.q = nil
	e.meter.res.Terminations++
	e.noteTransition()
	if e.ecs != nil && e.ecs.dep != nil {
		e.deployCheck()
	}
}

// setDesired changes desired capacity and launches or terminates to match.
func (e *engine) setDesired(d int) {
	if e.ecs != nil && e.ecs.dep != nil {
		e.deploySetDesired(d) // the deployment starts and stops the tasks
		return
	}
	e.asg.desired = d
	for n := e.fleet.active(); n < d; n++ {
		id := e.launch()
		e.scheduleBoot(id)
	}
	for n := e.fleet.active(); n > d; n-- {
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
