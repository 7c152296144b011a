package sim

// Purchase options and CPU credits: spot instances and their interruptions
// (docs/aws-model.md §1.10, §5.3), burstable throttling (§5.2).

// spotNoticeTime is EC2's interruption notice.
const spotNoticeTime = 2 * Minute

func purchaseOption(in *instance) string {
	if in.spot {
		return "spot"
	}
	return "on_demand"
}

// onDemandCount counts the active on-demand instances.
func (e *engine) onDemandCount() (od, total int) {
	for _, id := range e.fleet.live {
		if in := &e.fleet.inst[id]; in.state.active() {
			total++
			if !in.spot {
				od++
			}
		}
	}
	return od, total
}

// choosePurchase makes a new instance on-demand or spot so that the group
// follows the mixed-instances split, and draws its interruption time.
func (e *engine) choosePurchase(id int32) {
	f := &e.cfg.Fleet
	if f.OnDemandFor == nil {
		return
	}
	od, total := e.onDemandCount() // total includes the new instance
	odBefore := od
	if !e.fleet.inst[id].spot {
		odBefore-- // the new one counts as on-demand until decided
	}
	if odBefore >= f.OnDemandFor(total) {
		e.fleet.inst[id].spot = true
		if rate := f.SpotInterruptionsPerHour; rate > 0 {
			at := e.now + FromSeconds(e.spotRng.ExpFloat64()/rate*3600)
			if at <= e.end {
				e.q.push(event{at: at, kind: evSpotNotice, inst: id})
			}
		}
	}
}

// preferSpotVictim says whether scale-in should take a spot instance: the
// one over its share of the split goes first (docs/aws-model.md §1.9, Default
// policy step 1).
func (e *engine) preferSpotVictim() (spot, decided bool) {
	f := &e.cfg.Fleet
	if f.OnDemandFor == nil {
		return false, false
	}
	od, total := e.onDemandCount()
	return od <= f.OnDemandFor(total-1), true
}

// spotNotice: EC2 will reclaim the instance in two minutes. It leaves the
// load balancer and drains; with capacity rebalancing the group launches
// its replacement now, otherwise after the termination.
func (e *engine) spotNotice(id int32) {
	if e.ecsHostsSpot() {
		e.hostSpotNotice(id) // a container instance (sim/ecs_spot.go)
		return
	}
	in := &e.fleet.inst[id]
	if in.state == terminated || in.state == draining {
		return
	}
	in.interrupted = true
	e.meter.res.Activities = append(e.meter.res.Activities, Activity{Time: e.now, Policy: "spot",
		From: e.asg.desired, To: e.asg.desired, Reason: "spot interruption notice: instance drains for 2 minutes"})
	if in.state == inService {
		e.drain(id)
	} else {
		e.terminate(id)
	}
	e.q.push(event{at: e.now + spotNoticeTime, kind: evSpotReclaim, inst: id})
	if e.cfg.Fleet.CapacityRebalance {
		e.setDesired(e.asg.desired)
	}
}

func (e *engine) spotReclaim(id int32) {
	if e.ecsHostsSpot() {
		e.hostSpotReclaim(id)
		return
	}
	if e.fleet.inst[id].state != terminated {
		e.terminate(id)
	}
	e.setDesired(e.asg.desired)
}

// stepCredits charges a burstable instance's CPU credits for the minute
// and throttles it to its baseline when they run out (standard mode).
func (e *engine) stepCredits(in *instance, util, frac float64) {
	if in.credits == nil {
		in.credits = e.cfg.Fleet.Credits()
	}
	delivered := in.credits.Step(util, frac)
	nominal := e.cfg.Fleet.Type.Speed
	switch {
	case !in.throttled && delivered < util-1e-9:
		in.throttled = true
		in.speed = e.cfg.Fleet.ThrottledSpeed
	case in.throttled && !in.credits.Exhausted():
		in.throttled = false
		in.speed = nominal
	}
}
