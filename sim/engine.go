package sim

import (
	"math/rand/v2"
	"sort"
)

// tickStep is the engine's housekeeping cadence: metric periods, policy
// evaluation and time-series rows all fall on multiples of it.
const tickStep = 5 * Second

// engine is the state of one run. Run creates it; nothing outside sees it.
// It keeps the clock, the event queue, the random streams and the dispatch
// loop; the rest lives in its parts (docs/architecture.md):
//   - fleet: instances and their state machine (fleet.go, victim.go,
//     lifecycle.go, purchase.go);
//   - lb: what the load balancer routes to (targets.go, balancer.go);
//   - meter: results, time series and metric periods (meter.go, metrics.go);
//   - asg: desired capacity and limits, changed by merge's decisions
//     (scaling.go, merge.go).
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
	healthRng  *rand.Rand
	spotRng    *rand.Rand

	fleet fleet
	lb    router
	meter meter
	asg   groupState
	ecs   *ecsState // an ECS service (docs/ecs.md); nil: an Auto Scaling group

	fluid *fluidState // fluid mode only (sim/fluid.go); nil in request mode
}

// Run simulates cfg and returns what it measured.
func Run(cfg *Config) (*Result, error) {
	e, err := newEngine(cfg)
	if err != nil {
		return nil, err
	}
	e.loop()
	if err := e.trafficFailure(); err != nil {
		return nil, err
	}
	e.finish()
	return e.meter.res, nil
}

// newEngine sets up a run: the initial fleet in service, the first arrival
// and tick queued.
func newEngine(cfg *Config) (*engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &engine{
		cfg:       cfg,
		end:       cfg.Duration,
		svcRng:    NewRand(cfg.Seed, StreamService),
		bootRng:   NewRand(cfg.Seed, StreamBoot),
		termRng:   NewRand(cfg.Seed, StreamTermination),
		healthRng: NewRand(cfg.Seed, StreamHealth),
		spotRng:   NewRand(cfg.Seed, StreamSpot),
		fleet:     newFleet(cfg.Fleet.Zones),
		lb:        newRouter(cfg),
		meter:     newMeter(cfg),
		asg: groupState{
			desired:         cfg.Fleet.Desired,
			lim:             GroupLimits{Min: cfg.Fleet.Min, Max: cfg.Fleet.Max},
			lastAction:      -1,
			lastActivityEnd: -1,
			lastReason:      map[string]string{},
		},
	}
	switch {
	case cfg.Mode == FluidMode:
		e.fluid = newFluid(cfg)
	case cfg.Requests != nil:
		e.arrivals = &replay{src: cfg.Requests}
	default:
		e.arrivals = newArrivals(cfg.Traffic, NewRand(cfg.Seed, StreamArrivals), cfg.Arrivals)
	}
	e.q.ev = make([]event, 0, 1024)

	// The group exists before t = 0: its initial instances are in service
	// and past their warm-up, as in a running production group.
	if cfg.ECS != nil {
		e.ecs = newECS(cfg)
		e.ecsInit()
		e.scheduleDeployments()
	} else {
		for i := 0; i < cfg.Fleet.Desired; i++ {
			id := e.launch()
			e.enterService(id, false)
		}
	}
	if e.fluid != nil {
		e.scheduleFluidStep()
	} else {
		e.scheduleArrival()
	}
	e.q.push(event{at: tickStep, kind: evTick})
	// The warm pool, like the group, exists before t = 0.
	if e.cfg.Fleet.WarmPool != nil {
		e.fleet.poolReadyN = e.poolTarget()
	}
	return e, nil
}

// loop dispatches events in time order until the run's end.
func (e *engine) loop() {
	overhead := e.cfg.LBOverhead
	timeout := e.cfg.Timeout
	for e.q.len() > 0 {
		ev := e.q.hold()
		if ev.at > e.end {
			break
		}
		if ev.at != e.meter.areaAt {
			e.accrue(ev.at)
		}
		e.now = ev.at
		switch ev.kind {
		case evArrival:
			e.arrive()
		case evDeparture:
			if e.fleet.inst[ev.inst].ps {
				e.psDepart(ev.inst, ev.at, overhead, timeout)
			} else {
				e.depart(ev.inst, ev.arr, overhead, timeout)
			}
		case evTick:
			e.tick()
		case evBooted:
			e.booted(ev.inst)
		case evHealthy:
			if e.fleet.inst[ev.inst].state == registering {
				e.enterService(ev.inst, e.cfg.Fleet.Warmup > 0)
			}
		case evWarm:
			if in := &e.fleet.inst[ev.inst]; in.state == inService && in.warming {
				in.warming = false
			}
		case evDrained:
			if e.fleet.inst[ev.inst].state == draining {
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
		case evHostReady:
			e.hostReady(ev.inst)
		case evFluidStep:
			e.fluidStep()
		case evDeploy:
			e.startDeployment(int(ev.inst))
		}
		e.q.release()
	}
	e.accrue(e.end)
	e.now = e.end
}

// accrue brings the fleet-wide integrals up to t.
func (e *engine) accrue(t Time) {
	e.meter.integrate(t, e.fleet.busy, e.fleet.slots, e.lb.outstanding, e.fleet.count[inService])
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
	e.meter.arrival()
	if e.lb.all.Len() == 0 {
		e.meter.outcome(rejected, 1, 0, 0)
		return
	}
	id := e.lb.pick(e.fleet.inst)
	in := &e.fleet.inst[id]
	if in.failed {
		// Routed to a failed instance the load balancer has not yet
		// detected: the client gets an error.
		e.meter.outcome(rejected, 1, 0, 0)
		return
	}
	e.meter.routed()
	in.routed++
	svc := FromSeconds(demand / in.speed)
	switch {
	case in.busy < in.slots:
		e.lb.addOutstanding(in, 1)
		e.startService(in, id, now, svc)
	case in.n < e.cfg.QueueLimit:
		e.lb.addOutstanding(in, 1)
		in.enqueue(queued{arr: now, svc: svc})
	default:
		e.meter.outcome(rejected, 1, 0, 0)
	}
}

// scheduleArrival queues the next arrival, if the traffic has one.
func (e *engine) scheduleArrival() {
	if t, d, ok := e.arrivals.next(); ok {
		e.nextDemand = d
		e.q.push(event{at: t, kind: evArrival})
	}
}

func (e *engine) startService(in *instance, id int32, arr, svc Time) {
	if in.ps {
		e.psStart(in, id, arr, svc)
		return
	}
	now := e.now
	in.accrue(now)
	in.busy++
	e.fleet.busy++
	e.meter.started(now - arr)
	e.q.push(event{at: now + svc, kind: evDeparture, inst: id, arr: arr})
}

// depart: a request finishes service; the slot takes the next queued
// request whose client is still waiting.
func (e *engine) depart(id int32, arr, overhead, timeout Time) {
	in := &e.fleet.inst[id]
	if in.state == terminated {
		return // cut off when its instance was terminated; already counted
	}
	now := e.now
	in.accrue(now)
	in.busy--
	e.fleet.busy--
	e.lb.addOutstanding(in, -1)
	sojourn := now - arr
	if lat := sojourn + overhead; lat > timeout {
		// The client gave up while the instance was still working on it.
		e.meter.outcome(timedOut, 1, sojourn, 0)
	} else {
		e.meter.outcome(completed, 1, sojourn, lat)
	}
	for in.n > 0 {
		r := in.dequeue()
		if now-r.arr+overhead > timeout {
			// Waited past the client's timeout: the client is gone, the
			// server drops it without serving it.
			e.lb.addOutstanding(in, -1)
			e.meter.outcome(timedOut, 1, now-r.arr, 0)
			continue
		}
		e.startService(in, id, r.arr, r.svc)
		break
	}
	if in.state == draining && in.outstanding == 0 {
		// Deregistration completes early once nothing is in flight
		// (docs/aws-model.md §4.1).
		e.terminate(id)
	}
}

// tick is the housekeeping every tickStep: slow start, the time series,
// metric periods and policy evaluation.
func (e *engine) tick() {
	now := e.now
	if e.lb.slowStarting > 0 {
		e.lb.ramp(e.fleet.inst, now)
	}
	if now%Minute == 0 {
		if e.ecs != nil {
			e.ecsMinute()
		}
		e.closeMinute()
		e.checkLifetime()
	}
	if e.ecs != nil && e.ecs.cfg.MemoryUse != nil {
		e.sampleMemory()
	}
	if now%e.cfg.MetricPeriod == 0 {
		e.closePeriod()
	}
	e.evaluate()
	if e.ecs != nil && e.ecs.dep != nil {
		e.deployTick()
	}
	if e.cfg.Progress != nil && now%Minute == 0 {
		e.cfg.Progress(now, e.end)
	}
	if now+tickStep <= e.end {
		e.q.push(event{at: now + tickStep, kind: evTick})
	}
}

// finish closes the books at the end of the run.
func (e *engine) finish() {
	e.closeBooks()
	r := e.meter.res
	if e.ecs != nil {
		e.ecsFinish()
	}
	for i := range e.fleet.inst {
		if e.ecs != nil {
			break // the tasks are recorded by ecsFinish, the instances are the cluster's
		}
		in := &e.fleet.inst[i]
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
