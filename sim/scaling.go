package sim

import (
	"fmt"
	"slices"
)

// Periodic is implemented by scalers evaluated on their own cadence (the
// Kubernetes HPA syncs every 15 s); the others are evaluated every
// Config.EvalInterval, as CloudWatch evaluates alarms every minute.
type Periodic interface {
	Interval() Time
}

// Forecaster is implemented by scalers that forecast load (predictive
// scaling); the run's results carry the forecast next to the actual load.
type Forecaster interface {
	Forecast() []ForecastPoint
}

// Guard limits a capacity change after the policies have merged: the
// brief's THROTTLE (a rate limiter on scaling actions) and PRICE (an hourly
// budget cap) triggers. It returns the capacity it allows and, when it
// changed the answer, why.
type Guard interface {
	Limit(now Time, lastAction Time, current, proposed int) (allowed int, reason string)
}

// ForecastPoint is one hour of a forecast.
type ForecastPoint struct {
	Start    Time
	Load     float64 // forecast load: the metric × instances measured (e.g. requests per minute)
	Capacity int     // instances the forecast asks for
	Actual   float64 // the load measured in that hour, when known
	Measured bool    // Actual is known
}

func (e *engine) interval(s Scaler) Time {
	if p, ok := s.(Periodic); ok && p.Interval() > 0 {
		return p.Interval()
	}
	return e.cfg.EvalInterval
}

type proposed struct {
	name string
	p    Proposal
}

// evaluate asks the policies that are due and merges their answers, in
// AWS's order (docs/aws-model.md §1.3, §1.5–§1.7):
//  1. scheduled actions set min, max and desired (no cooldown applies);
//  2. predictive scaling sets a capacity floor, and may raise max;
//  3. dynamic policies: target-tracking policies scale out if any wants to
//     and in only if all that may scale in agree; every other triggered
//     policy counts on its own; among all, the largest resulting capacity
//     wins, for scale-out and scale-in alike;
//  4. no scale-in while a launched instance has not finished its warm-up;
//     min and max always hold.
func (e *engine) evaluate() {
	var due []Scaler
	for _, s := range e.cfg.Scalers {
		if e.now%e.interval(s) == 0 {
			due = append(due, s)
		}
	}
	if len(due) == 0 {
		return
	}
	g := e.group()
	props := make([]proposed, 0, len(due))
	for _, s := range due {
		props = append(props, proposed{s.Name(), s.Evaluate(e.now, &g)})
	}
	e.applyScheduled(props)
	e.applyPredictive(props)
	// Instances still launching have their warm-up ahead of them.
	e.applyDynamic(props, g.Warming+g.Pending)
}

func (e *engine) applyScheduled(props []proposed) {
	for _, x := range props {
		p := x.p
		if p.SetMin == nil && p.SetMax == nil && p.SetDesired == nil {
			continue
		}
		if p.SetMin != nil {
			e.min = *p.SetMin
		}
		if p.SetMax != nil {
			e.max = *p.SetMax
		}
		if e.min > e.max { // AWS rejects such an action; keep the group valid
			e.max = e.min
		}
		to := e.desired
		if p.SetDesired != nil {
			to = *p.SetDesired
		}
		to = min(max(to, e.min), e.effectiveMax())
		reason := p.Reason
		if reason == "" {
			reason = fmt.Sprintf("scheduled: min %d, max %d", e.min, e.max)
		}
		e.res.Activities = append(e.res.Activities, Activity{Time: e.now, Policy: x.name, From: e.desired, To: to, Reason: reason})
		if to != e.desired {
			e.setDesired(to)
		}
	}
}

func (e *engine) applyPredictive(props []proposed) {
	for _, x := range props {
		if x.p.Floor == nil {
			continue
		}
		e.floor, e.floorBy = *x.p.Floor, x.name+": "+x.p.Reason
		e.raisedMax = x.p.RaiseMax
	}
}

func (e *engine) effectiveMax() int { return max(e.max, e.raisedMax) }

func (e *engine) applyDynamic(props []proposed, warming int) {
	out, outBy := -1, ""
	var ins []proposed
	consensusIn := true
	anyConsensusIn := false
	for _, x := range props {
		p := x.p
		switch p.Want {
		case Out:
			if p.Desired > out {
				out, outBy = p.Desired, x.name+": "+p.Reason
			}
		case In:
			if p.Consensus {
				anyConsensusIn = true
			}
			ins = append(ins, x)
		default:
			if p.Consensus && !p.NoScaleIn {
				consensusIn = false
			}
			if p.Want == NoData {
				e.note(x.name, "insufficient data: "+p.Reason)
			} else if p.Blocked != "" {
				e.note(x.name, p.Blocked)
			}
		}
	}
	// Target tracking scales in only when all its policies agree.
	if anyConsensusIn && !consensusIn {
		ins = slices.DeleteFunc(ins, func(x proposed) bool { return x.p.Consensus })
	}
	hi := e.effectiveMax()
	switch {
	case out > e.desired:
		to := min(out, hi)
		if to == e.desired {
			e.note("group", "at max capacity")
			return
		}
		if to < out { // the reason's from → to asked for more than max allows
			outBy += fmt.Sprintf("; capped at max %d", hi)
		}
		e.activity("group", to, outBy)
		return
	case len(ins) > 0:
		// The largest resulting capacity wins (docs/aws-model.md §1.3).
		best := ins[0]
		for _, x := range ins[1:] {
			if x.p.Desired > best.p.Desired {
				best = x
			}
		}
		if best.p.Desired < e.desired {
			if warming > 0 {
				e.note("group", "scale-in blocked by warm-up")
				break
			}
			to := max(best.p.Desired, e.min, e.floor)
			if to >= e.desired {
				if e.floor > best.p.Desired && e.floor >= e.desired {
					e.note("group", "scale-in held by the predictive floor")
				} else {
					e.note("group", "at min capacity")
				}
				break
			}
			reason := best.name + ": " + best.p.Reason
			switch {
			case to > best.p.Desired && to == e.floor && e.floor > e.min:
				reason += fmt.Sprintf("; held at the predictive floor %d", to)
			case to > best.p.Desired:
				reason += fmt.Sprintf("; held at min %d", to)
			}
			e.activity("group", to, reason)
			return
		}
	}
	if e.floor > e.desired {
		e.activity("group", min(e.floor, hi), e.floorBy)
	}
}

func (e *engine) activity(policy string, to int, reason string) {
	for _, g := range e.cfg.Guards {
		allowed, why := g.Limit(e.now, e.lastAction, e.desired, to)
		if why != "" {
			e.note("guard", why)
		}
		if allowed != to && allowed != e.desired { // say why the change is smaller than the reason asked
			reason += fmt.Sprintf("; limited to %d by a guard", allowed)
		}
		to = allowed
	}
	if to == e.desired {
		return
	}
	e.lastAction = e.now
	e.res.Activities = append(e.res.Activities, Activity{Time: e.now, Policy: policy, From: e.desired, To: to, Reason: reason})
	delete(e.lastReason, policy)
	e.setDesired(to)
}

// note records a decision not taken, once per change of reason, so the log
// answers "why didn't it scale?" without a line every minute.
func (e *engine) note(policy, reason string) {
	if e.lastReason[policy] == reason {
		return
	}
	e.lastReason[policy] = reason
	e.res.Activities = append(e.res.Activities, Activity{Time: e.now, Policy: policy, From: e.desired, To: e.desired, Reason: reason})
}

// transitioning counts instances on their way in or out: booting,
// registering, draining. An activity is in progress while any are.
func (e *engine) transitioning() int {
	n := 0
	for i := range e.inst {
		if s := e.inst[i].state; s == pending || s == registering || s == draining {
			n++
		}
	}
	return n
}

// noteTransition records the end of an activity: the moment the last
// instance of it finished launching or terminating (the cooldown starts
// then, docs/aws-model.md §1.2).
func (e *engine) noteTransition() {
	if e.transitioning() == 0 {
		e.lastActivityEnd = e.now
	}
}

func (e *engine) group() Group {
	g := Group{
		Min: e.min, Max: e.effectiveMax(), Desired: e.desired,
		InService: e.inServiceCount, Period: e.cfg.MetricPeriod,
		CapacityChanged: e.lastCapacityChange,
		LastActivityEnd: e.lastActivityEnd,
		Wall:            e.cfg.Start.Add(e.now.Duration()),
		series:          &e.series, publishLag: e.cfg.PublishDelay,
	}
	for i := range e.inst {
		in := &e.inst[i]
		switch in.state {
		case pending, registering:
			g.Pending++
			g.Instances = append(g.Instances, InstanceView{ID: i, VCPU: int(in.slots), Started: in.launch})
		case inService:
			if in.warming {
				g.Warming++
			}
			g.Instances = append(g.Instances, InstanceView{ID: i, VCPU: int(in.slots), InService: in.inServiceAt, Ready: true, Warming: in.warming,
				Started: in.launch, CPU: in.lastCPU, HasCPU: in.inServiceAt+e.cfg.MetricPeriod <= e.now})
		case draining:
			g.Draining++
			g.Terminating++
		case terminated:
			if in.terminatedAt > e.now { // in Terminating:Wait
				g.Terminating++
			}
		}
	}
	g.ActivityInProgress = g.Pending+g.Draining > 0
	return g
}
