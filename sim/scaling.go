package sim

import "fmt"

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

// groupState is the Auto Scaling group's own state: desired capacity, its
// limits, when activities happened, and the last non-decision per policy.
type groupState struct {
	desired         int
	lim             GroupLimits
	lastActivityEnd Time              // when the last activity finished (-1: none)
	lastAction      Time              // when the last dynamic scaling action started (-1: none)
	lastReason      map[string]string // per policy, the last non-decision recorded

	// Buffers reused by every evaluation, so that evaluating the policies
	// allocates nothing: a year evaluated every minute is 525,600
	// evaluations (docs/performance.md).
	due   []Scaler
	props []Proposed
	view  Group
}

func (e *engine) interval(s Scaler) Time {
	if p, ok := s.(Periodic); ok && p.Interval() > 0 {
		return p.Interval()
	}
	return e.cfg.EvalInterval
}

// evaluate asks the policies that are due, merges their answers (merge)
// and applies the decision step by step.
func (e *engine) evaluate() {
	due := e.asg.due[:0]
	for _, s := range e.cfg.Scalers {
		if e.now%e.interval(s) == 0 {
			due = append(due, s)
		}
	}
	e.asg.due = due
	if len(due) == 0 {
		return
	}
	g := e.group()
	props := e.asg.props[:0]
	for _, s := range due {
		props = append(props, Proposed{s.Name(), s.Evaluate(e.now, g)})
	}
	e.asg.props = props
	// Instances still launching have their warm-up ahead of them. An ECS
	// service has none: Application Auto Scaling does not hold scale-in for
	// tasks still starting or waiting for capacity (docs/ecs.md).
	warming := g.Warming + g.Pending
	if e.ecs != nil {
		warming = 0
	}
	d := Merge(MergeInput{Proposals: props, Limits: e.asg.lim, Desired: e.asg.desired, Warming: warming})
	for _, s := range d.Steps {
		e.asg.lim = s.Limits
		switch s.Kind {
		case StepScheduled:
			e.record(s.Policy, s.To, s.Reason)
			if s.To != e.asg.desired {
				e.setDesired(s.To)
			}
		case StepNote:
			e.note(s.Policy, s.Reason)
		case StepScale:
			e.activity(s.Policy, s.To, s.Reason)
		}
	}
	e.asg.lim = d.Limits
}

// activity applies a dynamic scaling decision, once the guards allow it.
func (e *engine) activity(policy string, to int, reason string) {
	if to < e.asg.desired && e.ecs != nil && e.ecs.dep != nil {
		// Application Auto Scaling turns off scale-in while an ECS
		// deployment is in progress; scale-out goes on (docs/ecs.md,
		// "Deployments").
		e.note(policy, "scale-in suspended while a deployment is in progress")
		return
	}
	for _, g := range e.cfg.Guards {
		allowed, why := g.Limit(e.now, e.asg.lastAction, e.asg.desired, to)
		if why != "" {
			e.note("guard", why)
		}
		if allowed != to && allowed != e.asg.desired { // say why the change is smaller than the reason asked
			reason += fmt.Sprintf("; limited to %d by a guard", allowed)
		}
		to = allowed
	}
	if to == e.asg.desired {
		return
	}
	e.asg.lastAction = e.now
	e.record(policy, to, reason)
	delete(e.asg.lastReason, policy)
	e.setDesired(to)
}

// record appends an activity from the current desired capacity to to.
func (e *engine) record(policy string, to int, reason string) {
	e.meter.res.Activities = append(e.meter.res.Activities, Activity{Time: e.now, Policy: policy, From: e.asg.desired, To: to, Reason: reason})
}

// note records a decision not taken, once per change of reason, so the log
// answers "why didn't it scale?" without a line every minute.
func (e *engine) note(policy, reason string) {
	if e.asg.lastReason[policy] == reason {
		return
	}
	e.asg.lastReason[policy] = reason
	e.record(policy, e.asg.desired, reason)
}

// noteTransition records the end of an activity: the moment the last
// instance of it finished launching or terminating (the cooldown starts
// then, docs/aws-model.md §1.2).
func (e *engine) noteTransition() {
	if e.fleet.transitioning() == 0 {
		e.asg.lastActivityEnd = e.now
	}
}

// group is the view of the group a policy reads. It is rebuilt in place
// at every evaluation, its Instances in the same backing array (Group's
// Instances says a policy must not keep them).
func (e *engine) group() *Group {
	f := &e.fleet
	g := &e.asg.view
	*g = Group{
		Min: e.asg.lim.Min, Max: e.asg.lim.EffectiveMax(), Desired: e.asg.desired,
		InService: f.count[inService], Period: e.cfg.MetricPeriod,
		Pending: f.launching(), Draining: f.count[draining], Terminating: f.terminating(e.now),
		CapacityChanged: f.capacityChanged,
		LastActivityEnd: e.asg.lastActivityEnd,
		Wall:            e.cfg.Start.Add(e.now.Duration()),
		series:          &e.meter.series, publishLag: e.cfg.PublishDelay,
		Instances: g.Instances[:0],
	}
	for _, id := range f.live {
		in := &f.inst[id]
		switch in.state {
		case pending, registering:
			g.Instances = append(g.Instances, InstanceView{ID: int(id), VCPU: int(in.slots), Started: in.launch})
		case inService:
			if in.warming {
				g.Warming++
			}
			g.Instances = append(g.Instances, InstanceView{ID: int(id), VCPU: int(in.slots), InService: in.inServiceAt, Ready: true, Warming: in.warming,
				Started: in.launch, CPU: in.lastCPU, HasCPU: in.inServiceAt+e.cfg.MetricPeriod <= e.now})
		}
	}
	g.ActivityInProgress = g.Pending+g.Draining > 0
	return g
}
