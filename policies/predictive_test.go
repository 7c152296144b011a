package policies

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const hr = time.Hour

// TestInferredCapacity: §1.6, 10 instances at 30 % with a 60 % target → 5.
func TestInferredCapacity(t *testing.T) {
	if got := InferredCapacity(10, 30, 60); got != 5 {
		t.Errorf("InferredCapacity(10, 30, 60) = %g, want 5", got)
	}
	f, err := NewPredictive("cpu", 60).Forecast(repeatFloats(10*30, 24), 24*hr)
	if err != nil {
		t.Fatal(err)
	}
	if f.Capacity[0] != 5 {
		t.Errorf("forecast capacity %d, want 5", f.Capacity[0])
	}
}

func repeatFloats(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// dailyPeak is days of hourly load: base every hour, peak from 14:00 to
// 15:00 (hour 0 of the history is 00:00).
func dailyPeak(days int, base, peak float64) []float64 {
	h := repeatFloats(base, days*24)
	for d := range days {
		h[d*24+14] = peak
	}
	return h
}

// TestPredictiveDailyPeak: a recurring daily peak forecast from 2 days of
// history, provisioned SchedulingBuffer (300 s) before the hour (§1.6).
func TestPredictiveDailyPeak(t *testing.T) {
	p := NewPredictive("rps", 100)
	p.Mode = ForecastAndScale
	start := 48 * hr // the third day
	f, err := p.Forecast(dailyPeak(2, 100, 1000), start)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{14, 38} {
		if f.Capacity[i] != 10 || f.Load[i] != 1000 {
			t.Errorf("hour %d: capacity %d load %g, want 10 and 1000", i, f.Capacity[i], f.Load[i])
		}
	}
	if f.Capacity[13] != 1 || f.Capacity[15] != 1 {
		t.Errorf("around the peak: %d, %d, want 1, 1", f.Capacity[13], f.Capacity[15])
	}
	cases := []struct {
		at    time.Duration
		floor int
	}{
		{start + 13*hr + 54*time.Minute + 59*time.Second, 1},
		{start + 13*hr + 55*time.Minute, 10}, // 14:00 − 300 s
		{start + 14*hr + 54*time.Minute, 10},
		{start + 14*hr + 55*time.Minute, 1},
	}
	for _, c := range cases {
		plan, ok := p.Plan(f, c.at, 1, 20)
		if !ok || plan.Floor != c.floor || !plan.Scale {
			t.Errorf("at %v: %v %v, want floor %d", c.at, plan, ok, c.floor)
		}
	}
	if _, ok := p.Plan(f, start-6*time.Minute, 1, 20); ok {
		t.Error("before the forecast starts (minus the buffer): ok")
	}
	if _, ok := p.Plan(f, start+48*hr, 1, 20); ok {
		t.Error("after 48 h: ok")
	}
}

// TestPredictiveMaxCapacity: §1.6 MaxCapacityBreachBehavior; forecast 50,
// max 40, buffer 10 → max 55.
func TestPredictiveMaxCapacity(t *testing.T) {
	f := Forecast{Start: 0, Load: []float64{5000}, Capacity: []int{50}}
	cases := []struct {
		name       string
		behavior   MaxCapacityBreach
		buffer     int
		floor, max int
	}{
		{"HonorMaxCapacity caps the floor", HonorMaxCapacity, 0, 40, 40},
		{"IncreaseMaxCapacity, buffer 10 %", IncreaseMaxCapacity, 10, 50, 55},
		{"IncreaseMaxCapacity, buffer 0: reach the forecast, not beyond", IncreaseMaxCapacity, 0, 50, 50},
		{"IncreaseMaxCapacity, buffer 15 % rounds up", IncreaseMaxCapacity, 15, 50, 58}, // 57.5
	}
	for _, c := range cases {
		p := Predictive{Target: 1, Mode: ForecastAndScale, MaxCapacityBreachBehavior: c.behavior, MaxCapacityBuffer: c.buffer}
		plan, ok := p.Plan(f, 0, 1, 40)
		if !ok || plan.Floor != c.floor || plan.Max != c.max {
			t.Errorf("%s: %v, want floor %d max %d", c.name, plan, c.floor, c.max)
		}
	}
	// A forecast under the max leaves it alone, unless "close to" it.
	p := Predictive{Target: 1, MaxCapacityBreachBehavior: IncreaseMaxCapacity, MaxCapacityBuffer: 10}
	if plan, _ := p.Plan(Forecast{Capacity: []int{20}}, 0, 1, 40); plan.Max != 40 {
		t.Errorf("forecast 20: max %d, want 40", plan.Max)
	}
	if plan, _ := p.Plan(Forecast{Capacity: []int{38}}, 0, 1, 40); plan.Max != 42 {
		t.Errorf("forecast 38 + 10 %%: max %d, want 42", plan.Max)
	}
}

// TestPredictiveNeverScalesIn: the floor only raises (§1.6); ForecastOnly
// records without acting; min applies.
func TestPredictiveNeverScalesIn(t *testing.T) {
	plan := PredictivePlan{Floor: 5, Scale: true}
	cases := []struct {
		dynamic int
		plan    PredictivePlan
		ok      bool
		want    int
	}{
		{8, plan, true, 8},
		{3, plan, true, 5},
		{3, PredictivePlan{Floor: 5}, true, 3}, // ForecastOnly
		{3, plan, false, 3},                    // outside the forecast
	}
	for _, c := range cases {
		if got := WithPredictive(c.dynamic, c.plan, c.ok); got != c.want {
			t.Errorf("WithPredictive(%d, %v, %v) = %d, want %d", c.dynamic, c.plan, c.ok, got, c.want)
		}
	}
	p := NewPredictive("x", 100)
	f, _ := p.Forecast(repeatFloats(100, 24), 24*hr)
	if plan, ok := p.Plan(f, 24*hr, 3, 10); !ok || plan.Scale || plan.Floor != 3 {
		t.Errorf("ForecastOnly with min 3: %v %v, want floor 3 and no scaling", plan, ok)
	}
}

// TestPredictiveHistory: ≥ 24 h required, ≤ 14 days used, a weekly term
// from 7 days (§1.6).
func TestPredictiveHistory(t *testing.T) {
	p := NewPredictive("x", 100)
	if _, err := p.Forecast(repeatFloats(100, 23), 23*hr); !errors.Is(err, ErrShortHistory) {
		t.Errorf("23 h: got %v, want ErrShortHistory", err)
	}
	// 15 days: the oldest day (a huge value at every hour) is beyond 14 days.
	h := append(repeatFloats(1e6, 24), repeatFloats(100, 14*24)...)
	f, err := p.Forecast(h, 15*24*hr)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range f.Load {
		if l != 100 {
			t.Fatalf("hour %d: load %g, want 100 (history older than 14 days ignored)", i, l)
		}
	}
	// 7 days, flat 100, except 800 at 10:00 of the first day, one week
	// before the forecast's first day: daily mean (800 + 6×100)/7 = 200,
	// weekly 800 → (200 + 800) / 2 = 500.
	h = repeatFloats(100, 7*24)
	h[10] = 800
	f, _ = p.Forecast(h, 7*24*hr)
	if f.Load[10] != 500 || f.Capacity[10] != 5 {
		t.Errorf("weekly term: load %g capacity %d, want 500 and 5", f.Load[10], f.Capacity[10])
	}
	if f.Load[34] != 150 {
		t.Errorf("next day (no weekly match, week ago was flat): load %g, want (200+100)/2", f.Load[34])
	}
	if NextForecastAt(0) != 6*hr || NextForecastAt(6*hr) != 12*hr || NextForecastAt(13*hr) != 18*hr {
		t.Error("NextForecastAt")
	}
}

func TestPredictiveValidate(t *testing.T) {
	cases := []struct {
		p    Predictive
		want string
	}{
		{NewPredictive("ok", 50), ""},
		{Predictive{Target: 0}, "target 0"},
		{Predictive{Target: 1, SchedulingBuffer: time.Hour}, "scheduling_buffer 1h0m0s"},
		{Predictive{Target: 1, MaxCapacityBuffer: 10}, "only with IncreaseMaxCapacity"},
		{Predictive{Target: 1, MaxCapacityBreachBehavior: IncreaseMaxCapacity, MaxCapacityBuffer: 101}, "max_capacity_buffer 101"},
	}
	for _, c := range cases {
		err := c.p.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%v: got %v, want %q", c.p, err, c.want)
		}
	}
}
