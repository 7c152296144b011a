package sim

import "fmt"

// Instance lifecycle beyond boot and drain (docs/aws-model.md §1.8): lifecycle
// hooks, failures and their replacement, maximum instance lifetime, and
// the warm pool.

// startLaunchHook holds a booted instance in Pending:Wait while the hook's
// action runs. An action longer than the heartbeat timeout times out and
// the default result applies.
func (e *engine) startLaunchHook(id int32, h *LifecycleHook) {
	d := FromSeconds(h.Duration.Sample(e.bootRng))
	timeout := h.HeartbeatTimeout
	if timeout <= 0 {
		timeout = 3600 * Second
	}
	in := &e.fleet.inst[id]
	in.hookAbandon = d > timeout && h.Abandon
	e.q.push(event{at: e.now + min(d, timeout), kind: evHookDone, inst: id})
}

func (e *engine) hookDone(id int32) {
	in := &e.fleet.inst[id]
	if in.state != pending {
		return
	}
	if in.hookAbandon {
		// ABANDON on launch: terminate it and launch a replacement.
		e.terminate(id)
		e.note("group", "launch lifecycle hook timed out: ABANDON, replacing the instance")
		delete(e.asg.lastReason, "group")
		e.setDesired(e.asg.desired)
		return
	}
	e.register(id)
}

// terminateHookDelay is how long a terminating instance stays billed in
// Terminating:Wait (the cooldown does not wait for it, docs/aws-model.md §1.2).
func (e *engine) terminateHookDelay() Time {
	h := e.cfg.Fleet.TerminateHook
	if h == nil {
		return 0
	}
	d := FromSeconds(h.Duration.Sample(e.bootRng))
	timeout := h.HeartbeatTimeout
	if timeout <= 0 {
		timeout = 3600 * Second
	}
	return min(d, timeout)
}

// scheduleFailure draws the in-service instance's time to failure.
func (e *engine) scheduleFailure(id int32) {
	rate := e.cfg.Fleet.FailuresPerInstanceHour
	if rate <= 0 {
		return
	}
	ttf := FromSeconds(e.healthRng.ExpFloat64() / rate * 3600)
	if at := e.now + ttf; at > e.now && at <= e.end {
		e.q.push(event{at: at, kind: evFail, inst: id})
	}
}

// fail: the instance stops answering. Requests on it are lost (5xx); the
// load balancer keeps routing to it until UnhealthyThreshold checks have
// failed; the group replaces it then, but not before its health-check
// grace period ends.
func (e *engine) fail(id int32) {
	in := &e.fleet.inst[id]
	if in.state != inService || in.failed {
		return
	}
	in.failed = true
	e.dropInFlight(in)
	hc := e.cfg.HealthCheck
	detect := e.now + Time(max(hc.UnhealthyThreshold, 1))*hc.Interval
	if grace := in.launch + e.cfg.Fleet.HealthCheckGrace; detect < grace {
		detect = grace
	}
	e.q.push(event{at: detect, kind: evDetected, inst: id})
}

func (e *engine) replaceUnhealthy(id int32) {
	in := &e.fleet.inst[id]
	if in.state == terminated {
		return
	}
	e.terminate(id)
	e.meter.res.Activities = append(e.meter.res.Activities, Activity{Time: e.now, Policy: "health",
		From: e.asg.desired, To: e.asg.desired, Reason: fmt.Sprintf("instance %d unhealthy: terminated and replaced", id)})
	e.setDesired(e.asg.desired)
}

// dropInFlight counts the requests on an instance as failed (5xx) and
// empties it.
func (e *engine) dropInFlight(in *instance) {
	in.accrue(e.now)
	if in.outstanding == 0 {
		return
	}
	e.meter.outcome(rejected, int64(in.outstanding), 0, 0)
	e.fleet.busy -= int64(in.busy)
	e.lb.addOutstanding(in, -in.outstanding)
	in.busy, in.n = 0, 0
	in.head = 0
}

// checkLifetime replaces the oldest instance past the maximum instance
// lifetime, one at a time and only while no other activity is in progress
// (docs/aws-model.md §1.8).
func (e *engine) checkLifetime() {
	life := e.cfg.Fleet.MaxInstanceLifetime
	if life <= 0 || e.fleet.transitioning() > 0 {
		return
	}
	oldest := int32(-1)
	for _, id := range e.fleet.live {
		in := &e.fleet.inst[id]
		if in.state == inService && e.now-in.launch >= life && (oldest < 0 || in.launch < e.fleet.inst[oldest].launch) {
			oldest = id
		}
	}
	if oldest < 0 {
		return
	}
	e.meter.res.Activities = append(e.meter.res.Activities, Activity{Time: e.now, Policy: "lifetime",
		From: e.asg.desired, To: e.asg.desired, Reason: fmt.Sprintf("instance %d reached the maximum instance lifetime: replaced", oldest)})
	e.scaleIn(oldest)
	e.setDesired(e.asg.desired)
}

// The warm pool holds prepared instances: fleet.poolReadyN ready, fleet.poolFilling
// initialising. Its target size is (MaxPrepared or max) − desired, at least
// MinSize.
func (e *engine) poolTarget() int {
	wp := e.cfg.Fleet.WarmPool
	if wp == nil {
		return 0
	}
	top := wp.MaxPrepared
	if top <= 0 {
		top = e.asg.lim.EffectiveMax()
	}
	return max(top-e.asg.desired, wp.MinSize, 0)
}

func (e *engine) takeFromPool() bool {
	if e.fleet.poolReadyN == 0 {
		return false
	}
	e.accruePool()
	e.fleet.poolReadyN--
	return true
}

// refillPool starts initialising pool instances up to the target size. An
// instance initialising runs (and is billed) for a full boot.
func (e *engine) refillPool() {
	if e.cfg.Fleet.WarmPool == nil {
		return
	}
	for e.fleet.poolReadyN+e.fleet.poolFilling < e.poolTarget() {
		boot := FromSeconds(e.cfg.Fleet.BootTime.Sample(e.bootRng))
		e.fleet.poolFilling++
		e.meter.res.Instances = append(e.meter.res.Instances, InstanceRecord{ID: -1, Type: e.cfg.Fleet.Type.Name,
			Launch: e.now, Terminated: min(e.now+boot, e.end), Running: e.now+boot > e.end,
			PurchaseOption: "warm_pool_init", VCPU: e.cfg.Fleet.Type.VCPU})
		e.q.push(event{at: e.now + boot, kind: evPoolReady})
	}
}

func (e *engine) poolReady(Time) {
	e.accruePool()
	e.fleet.poolFilling--
	e.fleet.poolReadyN++
}

// accruePool integrates the time pool instances spend waiting, billed by
// the pool's state (stopped and hibernated pay storage only).
func (e *engine) accruePool() {
	e.meter.res.WarmPoolSeconds += float64(e.fleet.poolReadyN) * (e.now - e.fleet.poolAt).Seconds()
	e.fleet.poolAt = e.now
}
