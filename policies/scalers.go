package policies

import (
	"fmt"
	"math"
	"time"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/sim"
)

// This file adapts the pure algorithms of alarm.go, step.go, hpa.go,
// predictive.go, scheduled.go and ratelimit.go to sim.Scaler and
// sim.Guard: it reads the group and its datapoints and keeps the little
// state each policy carries between evaluations (alarm state, HPA history,
// the current forecast).

func dur(t sim.Time) time.Duration { return t.Duration() }

func lastOrNone(t sim.Time) time.Duration {
	if t < 0 {
		return NoActivity
	}
	return dur(t)
}

// Statistic picks one statistic out of a datapoint: Average (the
// datapoint's value), Sum, Minimum, Maximum, SampleCount, or p50/p90/p95/p99
// for latency.
func Statistic(d sim.Datapoint, stat Stat) float64 {
	switch stat.Kind {
	case StatSum:
		return d.Sum
	case StatMinimum:
		return d.Min
	case StatMaximum:
		return d.Max
	case StatSampleCount:
		return d.Count
	case StatPercentile:
		switch stat.P {
		case 50:
			return d.P50
		case 90:
			return d.P90
		case 95:
			return d.P95
		}
		return d.P99
	}
	return d.Value
}

// periodPoints turns the engine's base datapoints into the alarm's periods
// (a multiple of the base period), newest last, the last n of them.
// Statistics combine as CloudWatch combines them over a longer period:
// sums add, minimum and maximum carry, averages weigh by sample count;
// percentiles need period = base period (checked when the scenario loads).
func periodPoints(pts []sim.Datapoint, base, period sim.Time, stat Stat, n int) []Point {
	k := int(period / base)
	if k < 1 {
		k = 1
	}
	// Align to whole alarm periods ending at the newest datapoint.
	var out []Point
	for end := len(pts); end-k >= 0 && len(out) < n; end -= k {
		chunk := pts[end-k : end]
		out = append(out, combine(chunk, stat))
	}
	for len(out) < n {
		out = append(out, NoPoint)
	}
	// reverse: oldest first
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func combine(chunk []sim.Datapoint, stat Stat) Point {
	var sum, count, wsum float64
	lo, hi := math.Inf(1), math.Inf(-1)
	present := 0
	for _, d := range chunk {
		if d.Missing {
			continue
		}
		present++
		sum += d.Sum
		count += d.Count
		wsum += d.Value * d.Count
		lo, hi = math.Min(lo, d.Min), math.Max(hi, d.Max)
	}
	if present == 0 {
		return NoPoint
	}
	if len(chunk) == 1 {
		return PointOf(Statistic(chunk[0], stat))
	}
	switch stat.Kind {
	case StatSum:
		return PointOf(sum)
	case StatMinimum:
		return PointOf(lo)
	case StatMaximum:
		return PointOf(hi)
	case StatSampleCount:
		return PointOf(count)
	}
	if count > 0 {
		return PointOf(wsum / count)
	}
	return NoPoint
}

// AlarmSpec is a CloudWatch alarm on one of the engine's metrics.
type AlarmSpec struct {
	Alarm
	Metric    sim.Metric
	Statistic Stat
	Expr      *Expression // metric math instead of Metric
}

func (a *AlarmSpec) metrics() []sim.Metric {
	if a.Expr != nil {
		return a.Expr.Metrics()
	}
	return []sim.Metric{a.Metric}
}

func (a *AlarmSpec) name() string {
	if a.Expr != nil {
		return a.Expr.String()
	}
	return a.Metric.String()
}

// evaluate runs the alarm on the datapoints visible now.
func (a *AlarmSpec) evaluate(now sim.Time, g *sim.Group, prev State) (State, []Point) {
	k := int(sim.FromDuration(a.Period) / g.Period)
	var pts []sim.Datapoint
	if a.Expr != nil {
		pts = a.Expr.Datapoints(g, now, a.Range()*max(k, 1))
	} else {
		pts = g.Datapoints(a.Metric, now)
	}
	points := periodPoints(pts, g.Period, sim.FromDuration(a.Period), a.Statistic, a.Range())
	return a.Alarm.Evaluate(points, prev), points
}

// inAlarm evaluates the alarm and keeps its state. Unless the alarm is in
// ALARM it returns the proposal that says so (insufficient data, or hold).
func (a *AlarmSpec) inAlarm(now sim.Time, g *sim.Group, state *State) (points []Point, quiet sim.Proposal, fired bool) {
	*state, points = a.evaluate(now, g, *state)
	switch *state {
	case StateInsufficientData:
		return points, sim.Proposal{Want: sim.NoData, Reason: "alarm in INSUFFICIENT_DATA"}, false
	case StateOK:
		return points, sim.Proposal{Want: sim.Hold}, false
	}
	return points, sim.Proposal{}, true
}

// newestValues returns the newest n real values among points.
func newestValues(points []Point, n int) []float64 {
	var v []float64
	for i := len(points) - 1; i >= 0 && len(v) < n; i-- {
		if !points[i].Missing {
			v = append(v, points[i].Value)
		}
	}
	return v
}

// StepScaler is a step scaling policy on a CloudWatch alarm
// (docs/aws-model.md §1.3, docs/scaling-policies.md): while the alarm is in
// ALARM it is re-invoked every evaluation and applies the step for the
// aggregated metric; instances still launching or warming count toward
// desired capacity, so one breach launches once, and instances still
// terminating count as current capacity, so one breach removes once.
type StepScaler struct {
	Alarm  AlarmSpec
	Policy StepPolicy
	state  State
}

var _ sim.Scaler = (*StepScaler)(nil)

func (s *StepScaler) Name() string          { return s.Policy.Name }
func (s *StepScaler) Metrics() []sim.Metric { return s.Alarm.metrics() }
func (s *StepScaler) String() string {
	return fmt.Sprintf("Step{%s on %s %s}", s.Policy, s.Alarm.name(), s.Alarm.Alarm)
}

func (s *StepScaler) Evaluate(now sim.Time, g *sim.Group) sim.Proposal {
	points, quiet, fired := s.Alarm.inAlarm(now, g, &s.state)
	if !fired {
		return quiet
	}
	m, ok := s.Policy.MetricAggregationType.Of(newestValues(points, s.Alarm.EvaluationPeriods))
	if !ok {
		return sim.Proposal{Want: sim.NoData, Reason: "no datapoints to aggregate"}
	}
	capacity, ok, reason := s.Policy.Decide(g.Desired, g.Warming+g.Pending, g.Terminating, m, s.Alarm.Threshold)
	if !ok || capacity == g.Desired {
		return sim.Proposal{Want: sim.Hold, Reason: reason}
	}
	want := sim.Out
	if capacity < g.Desired {
		want = sim.In
	}
	return sim.Proposal{Want: want, Desired: capacity,
		Reason: fmt.Sprintf("alarm %s %s %g: %s", s.Alarm.name(), s.Alarm.Comparison.Symbol(), s.Alarm.Threshold, reason)}
}

// SimpleScaler is a simple scaling policy (docs/aws-model.md §1.2): one
// adjustment when its alarm is in ALARM, then it waits for the activity to
// finish and for its cooldown before it responds again.
type SimpleScaler struct {
	Alarm    AlarmSpec
	Policy   SimplePolicy
	Cooldown time.Duration
	state    State
}

var _ sim.Scaler = (*SimpleScaler)(nil)

func (s *SimpleScaler) Name() string          { return s.Policy.Name }
func (s *SimpleScaler) Metrics() []sim.Metric { return s.Alarm.metrics() }
func (s *SimpleScaler) String() string {
	return fmt.Sprintf("Simple{%s on %s %s, cooldown %v}", s.Policy, s.Alarm.name(), s.Alarm.Alarm, s.Cooldown)
}

func (s *SimpleScaler) Evaluate(now sim.Time, g *sim.Group) sim.Proposal {
	points, quiet, fired := s.Alarm.inAlarm(now, g, &s.state)
	if !fired {
		return quiet
	}
	if ok, _ := (Cooldown{Length: s.Cooldown}).Allows(dur(now), lastOrNone(g.LastActivityEnd), g.ActivityInProgress); !ok {
		return sim.Proposal{Want: sim.Hold, Blocked: "in cooldown (or an activity is in progress)"}
	}
	capacity := s.Policy.Capacity(g.Desired)
	if capacity == g.Desired {
		return sim.Proposal{Want: sim.Hold}
	}
	want := sim.Out
	if capacity < g.Desired {
		want = sim.In
	}
	v := newestValues(points, 1)
	return sim.Proposal{Want: want, Desired: capacity,
		Reason: fmt.Sprintf("alarm %s %s %g at %s: %s: %d → %d", s.Alarm.name(), s.Alarm.Comparison.Symbol(), s.Alarm.Threshold,
			humanize.Sig(first(v)), s.Policy.adjustmentText(), g.Desired, capacity)}
}

func first(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return v[0]
}

// HPAScaler is the Kubernetes Horizontal Pod Autoscaler on CPU utilisation
// (docs/aws-model.md §7), with instances as pods: every 15 s the replica
// calculator turns per-instance CPU into a recommendation, and the
// controller applies stabilization windows and rate policies.
type HPAScaler struct {
	PolicyName string
	TargetCPU  int64 // utilisation %, of each instance's vCPUs
	Calc       ReplicaCalculator
	Controller *HPA
	Sync       time.Duration // default 15 s
}

var _ sim.Scaler = (*HPAScaler)(nil)

func (h *HPAScaler) Name() string { return h.PolicyName }
func (h *HPAScaler) Interval() sim.Time {
	if h.Sync > 0 {
		return sim.FromDuration(h.Sync)
	}
	return sim.FromDuration(HPASyncPeriod)
}
func (h *HPAScaler) String() string {
	return fmt.Sprintf("HPA{%s cpu %d%%, %s}", h.PolicyName, h.TargetCPU, h.Controller)
}

func (h *HPAScaler) Evaluate(now sim.Time, g *sim.Group) sim.Proposal {
	t := dur(now)
	// The controller's first reconcile records the current count even when
	// no metric is available yet (docs/hpa.md, first sync).
	h.Controller.RecordInitial(t, g.Desired)
	pods := make([]Pod, 0, len(g.Instances))
	metrics := PodMetrics{}
	for _, in := range g.Instances {
		name := fmt.Sprint(in.ID)
		p := Pod{Name: name, Ready: in.Ready, Started: dur(in.Started), Request: int64(in.VCPU) * 1000}
		if !in.Ready {
			p.Phase = PodPending
			p.ReadySince = dur(in.Started)
		} else {
			p.ReadySince = dur(in.InService)
		}
		pods = append(pods, p)
		if in.HasCPU {
			metrics[name] = PodMetric{Value: int64(in.CPU * float64(in.VCPU) * 10), Timestamp: t, Window: dur(g.Period)}
		}
	}
	if len(pods) == 0 {
		return sim.Proposal{Want: sim.NoData, Reason: "no pods"}
	}
	rec, err := h.Calc.ResourceReplicas(g.Desired, pods, metrics, "cpu", h.TargetCPU, t)
	if err != nil {
		return sim.Proposal{Want: sim.NoData, Reason: err.Error()}
	}
	h.Controller.MinReplicas, h.Controller.MaxReplicas = g.Min, g.Max
	desired, reason := h.Controller.Sync(t, g.Desired, rec.Replicas)
	switch {
	case desired > g.Desired:
		return sim.Proposal{Want: sim.Out, Desired: desired, Reason: fmt.Sprintf("cpu %d%% vs target %d%%: %s", rec.Usage, h.TargetCPU, reason)}
	case desired < g.Desired:
		return sim.Proposal{Want: sim.In, Desired: desired, Reason: fmt.Sprintf("cpu %d%% vs target %d%%: %s", rec.Usage, h.TargetCPU, reason)}
	}
	return sim.Proposal{Want: sim.Hold}
}

// PredictiveScaler forecasts the load of its metric from the run's own
// history and provisions ahead of it (docs/aws-model.md §1.6). The load is
// metric × instances measured: requests per minute for
// request_count_per_target, busy CPU-percent-instances for cpu.
type PredictiveScaler struct {
	Config Predictive
	Metric sim.Metric

	forecast    Forecast
	hasForecast bool
	nextAt      time.Duration
	kept        map[time.Duration]sim.ForecastPoint // newest forecast per hour
	history     []float64                           // hourly load from the start, as last measured
	lastHour    int
}

var _ sim.Scaler = (*PredictiveScaler)(nil)
var _ sim.Forecaster = (*PredictiveScaler)(nil)

func (p *PredictiveScaler) Name() string          { return p.Config.Name }
func (p *PredictiveScaler) Metrics() []sim.Metric { return []sim.Metric{p.Metric} }
func (p *PredictiveScaler) String() string {
	return fmt.Sprintf("Predictive{%s on %v}", p.Config, p.Metric)
}

// hourlyLoad is the mean load of each whole hour since the start, the
// newest 14 days of it.
func (p *PredictiveScaler) hourlyLoad(now sim.Time, g *sim.Group) []float64 {
	hours := int(now / sim.Hour)
	sum := make([]float64, hours)
	n := make([]int, hours)
	for _, d := range g.Datapoints(p.Metric, now) {
		h := int(d.Start / sim.Hour)
		if h >= hours || d.Missing {
			continue
		}
		sum[h] += d.Value * d.Count
		n[h]++
	}
	out := make([]float64, hours)
	for i := range out {
		if n[i] > 0 {
			out[i] = sum[i] / float64(n[i])
		}
	}
	if len(out) > 14*24 {
		out = out[len(out)-14*24:]
	}
	return out
}

func (p *PredictiveScaler) Evaluate(now sim.Time, g *sim.Group) sim.Proposal {
	t := dur(now)
	if h := int(now / sim.Hour); h > p.lastHour {
		p.lastHour = h
		p.history = p.hourlyLoad(now, g)
	}
	if t >= p.nextAt {
		p.nextAt = NextForecastAt(t)
		if f, err := p.Config.Forecast(p.hourlyLoad(now, g), dur(now/sim.Hour*sim.Hour)); err == nil {
			p.forecast, p.hasForecast = f, true
			if p.kept == nil {
				p.kept = map[time.Duration]sim.ForecastPoint{}
			}
			for i := range f.Load {
				at := f.Start + time.Duration(i)*time.Hour
				p.kept[at] = sim.ForecastPoint{Start: sim.FromDuration(at), Load: f.Load[i], Capacity: f.Capacity[i]}
			}
		}
	}
	if !p.hasForecast {
		return sim.Proposal{Want: sim.Hold, Blocked: "predictive: less than 24 h of history, no forecast yet"}
	}
	plan, ok := p.Config.Plan(p.forecast, t, g.Min, g.Max)
	if !ok || !plan.Scale {
		return sim.Proposal{Want: sim.Hold}
	}
	floor := plan.Floor
	return sim.Proposal{Want: sim.Hold, Floor: &floor, RaiseMax: plan.Max, Reason: "forecast " + plan.String()}
}

// Forecast returns the newest forecast for every hour forecast, in order.
func (p *PredictiveScaler) Forecast() []sim.ForecastPoint {
	out := make([]sim.ForecastPoint, 0, len(p.kept))
	// history holds the newest 14 days; its last entry is the hour before lastHour.
	first := p.lastHour - len(p.history)
	for _, fp := range p.kept {
		if h := int(fp.Start/sim.Hour) - first; h >= 0 && h < len(p.history) {
			fp.Actual, fp.Measured = p.history[h], true
		}
		out = append(out, fp)
	}
	for i := 1; i < len(out); i++ { // insertion sort: a few hundred points
		for j := i; j > 0 && out[j].Start < out[j-1].Start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// ScheduledScaler runs scheduled actions (docs/aws-model.md §1.7) at their
// local times; they ignore cooldowns.
type ScheduledScaler struct {
	Action ScheduledAction
	next   time.Time
	primed bool
}

var (
	_ sim.Scaler = (*ScheduledScaler)(nil)
	_ sim.Guard  = RateGuard{}
	_ sim.Guard  = BudgetGuard{}
)

func (s *ScheduledScaler) Name() string   { return s.Action.Name }
func (s *ScheduledScaler) String() string { return s.Action.String() }

func (s *ScheduledScaler) Evaluate(now sim.Time, g *sim.Group) sim.Proposal {
	if !s.primed {
		s.primed = true
		s.next = s.Action.Next(g.Wall.Add(-time.Nanosecond))
	}
	if s.next.IsZero() || g.Wall.Before(s.next) {
		return sim.Proposal{Want: sim.Hold}
	}
	fired := s.next
	s.next = s.Action.Next(g.Wall)
	mn, mx, d := s.Action.Apply(g.Min, g.Max, g.Desired)
	p := sim.Proposal{Want: sim.Hold, Reason: fmt.Sprintf("scheduled at %s: min %d, max %d, desired %d", fired.Format(time.RFC3339), mn, mx, d)}
	if s.Action.Min != nil {
		p.SetMin = &mn
	}
	if s.Action.Max != nil {
		p.SetMax = &mx
	}
	p.SetDesired = &d
	return p
}

// RateGuard is the THROTTLE trigger as a guard on scaling actions.
type RateGuard struct{ Rate RateLimit }

func (r RateGuard) Limit(now, last sim.Time, current, proposed int) (int, string) {
	return r.Rate.Filter(dur(now), lastOrNone(last), current, proposed)
}

// BudgetGuard is the PRICE trigger: scale-out stops where the fleet would
// cost more than the hourly budget at this per-instance price.
type BudgetGuard struct {
	Cap        BudgetCap
	USDPerHour float64 // per instance
}

func (b BudgetGuard) Limit(_, _ sim.Time, current, proposed int) (int, string) {
	return b.Cap.Filter(current, proposed, b.USDPerHour)
}
