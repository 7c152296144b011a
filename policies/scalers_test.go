package policies_test

import (
	"math"
	"testing"
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// group is a fleet of 2-vCPU instances serving constant 10 ms requests
// (200 req/s each at 100 % CPU) under the rate f, starting at desired.
func group(f func(t sim.Time) float64, d sim.Time, desired int, scalers ...sim.Scaler) *sim.Config {
	return &sim.Config{
		Seed: 1, Duration: d,
		Start:      time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Traffic:    &sim.FuncRate{F: f},
		Service:    sim.Constant{Value: 0.010},
		Timeout:    30 * sim.Second,
		QueueLimit: 1000,
		Fleet: sim.FleetConfig{
			Type: sim.InstanceType{Name: "t", VCPU: 2, Speed: 1},
			Min:  1, Max: 20, Desired: desired,
			BootTime: sim.Constant{Value: 60}, Warmup: 60 * sim.Second, Zones: 1,
		},
		Balancer:     &policies.RoundRobin{},
		HealthCheck:  sim.HealthCheck{Interval: 10 * sim.Second, HealthyThreshold: 2, UnhealthyThreshold: 2},
		Scalers:      scalers,
		MetricPeriod: sim.Minute, PublishDelay: sim.Minute, EvalInterval: sim.Minute,
	}
}

func run(t *testing.T, cfg *sim.Config) *sim.Result {
	t.Helper()
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Requests.Conserved() {
		t.Fatalf("requests not conserved: %+v", res.Requests)
	}
	return res
}

func step(at sim.Time, lo, hi float64) func(sim.Time) float64 {
	return func(t sim.Time) float64 {
		if t >= at {
			return hi
		}
		return lo
	}
}

// TestStepScalerEndToEnd: AWS's step example (docs/aws-model.md §1.3) on a real
// load. Threshold 50 % CPU, +10 % in [60, 70), +30 % from 70: 10 instances
// at 25 % CPU, then the load quadruples so CPU saturates: +30 % of 10 → 13.
func TestStepScalerEndToEnd(t *testing.T) {
	s := &policies.StepScaler{
		Alarm: policies.AlarmSpec{Metric: sim.MetricCPU, Statistic: policies.Stat{Kind: policies.StatAverage},
			Alarm: policies.Alarm{Period: time.Minute, EvaluationPeriods: 1, Comparison: policies.GreaterThanOrEqualToThreshold, Threshold: 50}},
		Policy: policies.StepPolicy{Name: "step", AdjustmentType: policies.PercentChangeInCapacity, Steps: []policies.StepAdjustment{
			{Lower: 0, Upper: 10, Adjustment: 0}, {Lower: 10, Upper: 20, Adjustment: 10}, {Lower: 20, Upper: policies.Unbounded, Adjustment: 30}}},
	}
	res := run(t, group(step(10*sim.Minute, 500, 2000), 30*sim.Minute, 10, s))
	var first *sim.Activity
	for i := range res.Activities {
		if a := &res.Activities[i]; a.To != a.From && first == nil {
			first = a
		}
	}
	if first == nil || first.From != 10 || first.To != 13 {
		t.Fatalf("first scale-out %+v, want 10 → 13 (+30 %%)", first)
	}
	// One datapoint (minute 10–11) published at 12: evaluated at 12.
	if first.Time != 12*sim.Minute {
		t.Errorf("scale-out at %v, want 12m", first.Time)
	}
}

// TestSimpleScalerCooldown: a simple policy adds one instance, then waits
// for the activity to end and for its cooldown before adding the next
// (docs/aws-model.md §1.2).
func TestSimpleScalerCooldown(t *testing.T) {
	s := &policies.SimpleScaler{
		Alarm: policies.AlarmSpec{Metric: sim.MetricCPU, Statistic: policies.Stat{Kind: policies.StatAverage},
			Alarm: policies.Alarm{Period: time.Minute, EvaluationPeriods: 1, Comparison: policies.GreaterThanThreshold, Threshold: 70}},
		Policy:   policies.SimplePolicy{Name: "simple", AdjustmentType: policies.ChangeInCapacity, ScalingAdjustment: 1},
		Cooldown: 5 * time.Minute,
	}
	res := run(t, group(step(5*sim.Minute, 100, 2000), sim.Hour, 2, s))
	var outs []sim.Activity
	for _, a := range res.Activities {
		if a.To > a.From {
			outs = append(outs, a)
		}
	}
	if len(outs) < 3 {
		t.Fatalf("only %d scale-outs: %+v", len(outs), res.Activities)
	}
	for i := 1; i < len(outs); i++ {
		if outs[i].To-outs[i].From != 1 {
			t.Errorf("step %d adds %d, want 1", i, outs[i].To-outs[i].From)
		}
		// launch (1 min boot + 20 s checks) then 5 min cooldown.
		if gap := outs[i].Time - outs[i-1].Time; gap < 6*sim.Minute+20*sim.Second {
			t.Errorf("scale-outs %v apart, want at least activity + cooldown (6m20s)", gap)
		}
	}
}

// TestScheduledAcrossDST: "0 8 * * *" in New York fires at 13:00 UTC before
// the 2026-03-08 change to daylight time and at 12:00 UTC after it.
func TestScheduledAcrossDST(t *testing.T) {
	six := 6
	s := &policies.ScheduledScaler{Action: policies.ScheduledAction{Name: "morning", Recurrence: "0 8 * * *", TimeZone: "America/New_York", Desired: &six}}
	cfg := group(step(0, 100, 100), 3*24*sim.Hour, 2, s)
	cfg.Start = time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC)
	res := run(t, cfg)
	var fired []string
	for _, a := range res.Activities {
		if a.Policy == "morning" {
			fired = append(fired, cfg.Start.Add(a.Time.Duration()).Format(time.RFC3339))
		}
	}
	want := []string{"2026-03-06T13:00:00Z", "2026-03-07T13:00:00Z", "2026-03-08T12:00:00Z"}
	if len(fired) != len(want) {
		t.Fatalf("fired at %v, want %v", fired, want)
	}
	for i := range want {
		if fired[i] != want[i] {
			t.Errorf("firing %d at %s, want %s", i, fired[i], want[i])
		}
	}
}

// TestPredictiveScalesBeforePeak: a recurring daily peak at 14:00. With
// two days of history, predictive scaling has capacity in place before the
// peak on the third day, where target tracking alone only reacts after it
// starts (docs/aws-model.md §1.6).
func TestPredictiveScalesBeforePeak(t *testing.T) {
	peak := func(t sim.Time) float64 {
		h := math.Mod(t.Seconds()/3600, 24)
		if h >= 14 && h < 17 {
			return 400
		}
		return 50
	}
	// 40 ms requests: 50 req/s per instance at 100 % CPU, so the 400 req/s
	// peak needs 16 instances at 50 %. (Longer requests keep the three-day
	// runs short.)
	slow := func(cfg *sim.Config) *sim.Config { cfg.Service = sim.Constant{Value: 0.040}; return cfg }
	tt := func() sim.Scaler { return policies.NewTargetTracking("cpu50", sim.MetricCPU, 50) }
	desiredAt := func(res *sim.Result, at sim.Time) int { return res.Minutes[int(at/sim.Minute)].Desired }

	reactive := run(t, slow(group(peak, 3*24*sim.Hour, 2, tt())))
	pred := policies.NewPredictive("forecast", 50)
	pred.Mode = policies.ForecastAndScale
	ps := &policies.PredictiveScaler{Config: pred, Metric: sim.MetricCPU}
	proactive := run(t, slow(group(peak, 3*24*sim.Hour, 2, tt(), ps)))

	before := 2*24*sim.Hour + 14*sim.Hour - sim.Minute // 13:59 on day 3
	if r, p := desiredAt(reactive, before), desiredAt(proactive, before); p < 14 || p <= r {
		t.Errorf("desired at 13:59 on day 3: reactive %d, predictive %d; want predictive ≈ 16", r, p)
	}
	if len(proactive.Forecasts["forecast"]) == 0 {
		t.Error("no forecast in the results")
	}
	var bad1, bad2 int64
	for _, m := range reactive.Minutes[48*60:] {
		bad1 += m.Rejected + m.TimedOut
	}
	for _, m := range proactive.Minutes[48*60:] {
		bad2 += m.Rejected + m.TimedOut
	}
	t.Logf("day 3 failed requests: reactive %d, predictive %d", bad1, bad2)
}

// TestHPAEndToEnd: the HPA syncs every 15 s on per-instance CPU and scales
// out at once on a jump, bounded by its scale-up policy (max of 100 % and
// 4 pods per 15 s).
func TestHPAEndToEnd(t *testing.T) {
	h := &policies.HPAScaler{PolicyName: "hpa", TargetCPU: 50, Calc: policies.NewReplicaCalculator(), Controller: policies.NewHPA(1, 20)}
	res := run(t, group(step(10*sim.Minute, 200, 1600), 40*sim.Minute, 2, h))
	var first *sim.Activity
	for i := range res.Activities {
		if a := &res.Activities[i]; a.To > a.From {
			first = a
			break
		}
	}
	if first == nil {
		t.Fatal("no scale-out")
	}
	// The first CPU sample of the jump is the minute 10–11 datapoint.
	if first.Time > 11*sim.Minute+30*sim.Second {
		t.Errorf("first scale-out at %v, want within 30 s of the first saturated datapoint", first.Time)
	}
	if first.To > 2*first.From && first.To > first.From+4 {
		t.Errorf("scale-out %d → %d exceeds the default scale-up policy", first.From, first.To)
	}
	// 1600 req/s at 50 % of 200 req/s per instance: 16.
	if d := res.Minutes[len(res.Minutes)-1].Desired; d < 15 || d > 17 {
		t.Errorf("desired at the end %d, want about 16", d)
	}
}

// TestGuards: the rate limiter spaces actions and caps their size; the
// budget cap stops scale-out at what the budget buys.
func TestGuards(t *testing.T) {
	tt := policies.NewTargetTracking("cpu50", sim.MetricCPU, 50)
	cfg := group(step(5*sim.Minute, 100, 3000), sim.Hour, 2, tt)
	cfg.Guards = []sim.Guard{policies.RateGuard{Rate: policies.RateLimit{MaxStep: 2, MinInterval: 3 * time.Minute}}}
	res := run(t, cfg)
	var last sim.Time = -1
	for _, a := range res.Activities {
		if a.Policy != "group" || a.To == a.From {
			continue
		}
		if d := a.To - a.From; d > 2 || d < -2 {
			t.Errorf("action %d → %d larger than max step 2", a.From, a.To)
		}
		if last >= 0 && a.Time-last < 3*sim.Minute {
			t.Errorf("actions %v apart, min interval 3m", a.Time-last)
		}
		last = a.Time
	}

	cfg = group(step(5*sim.Minute, 100, 3000), 30*sim.Minute, 2, policies.NewTargetTracking("cpu50", sim.MetricCPU, 50))
	cfg.Guards = []sim.Guard{policies.BudgetGuard{Cap: policies.BudgetCap{USDPerHour: 0.5}, USDPerHour: 0.1}}
	res = run(t, cfg)
	if peak := res.PeakInService; peak != 5 {
		t.Errorf("peak %d instances under a $0.50/h budget at $0.10/h each, want 5", peak)
	}
}
