package policies

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Predictive scaling (docs/aws-model.md §1.6): an hourly forecast of load for
// the next 48 h from up to 14 days of hourly history (at least 24 h),
// refreshed every 6 h, turned into a capacity floor that is in place
// SchedulingBuffer before each hour. It never scales in: the engine takes
// max(dynamic policies, floor).
const (
	ForecastHours           = 48
	ForecastRefresh         = 6 * time.Hour
	MinHistoryHours         = 24
	MaxHistoryHours         = 14 * 24
	DefaultSchedulingBuffer = 300 * time.Second
)

// ErrShortHistory is returned when fewer than 24 hourly values exist.
var ErrShortHistory = errors.New("predictive scaling needs at least 24 h of history")

// PredictiveMode is ForecastOnly (the default) or ForecastAndScale.
type PredictiveMode uint8

// The modes.
const (
	ForecastOnly PredictiveMode = iota
	ForecastAndScale
)

func (m PredictiveMode) String() string {
	if m == ForecastAndScale {
		return "ForecastAndScale"
	}
	return "ForecastOnly"
}

// MaxCapacityBreach is MaxCapacityBreachBehavior.
type MaxCapacityBreach uint8

// The behaviours. The zero value, HonorMaxCapacity, is AWS's default.
const (
	HonorMaxCapacity MaxCapacityBreach = iota
	IncreaseMaxCapacity
)

func (b MaxCapacityBreach) String() string {
	if b == IncreaseMaxCapacity {
		return "IncreaseMaxCapacity"
	}
	return "HonorMaxCapacity"
}

// Predictive is a predictive scaling policy.
//
// Load is the hourly mean of Σ over in-service instances of the scaling
// metric (capacity × per-instance metric: instances × CPU %, or requests
// per target × targets), so that load ÷ Target is the capacity needed, as
// in AWS's inferred capacity Σ(capacity units × metric) / target
// (InferredCapacity).
type Predictive struct {
	Name   string
	Target float64 // target value of the scaling metric per instance
	Mode   PredictiveMode
	// SchedulingBuffer: capacity for hour h is in place at h − buffer;
	// 0 ≤ buffer < 1 h. NewPredictive sets AWS's default, 300 s.
	SchedulingBuffer          time.Duration
	MaxCapacityBreachBehavior MaxCapacityBreach
	MaxCapacityBuffer         int // percent, 0..100, IncreaseMaxCapacity only
}

// NewPredictive returns a policy with AWS's defaults (ForecastOnly, a
// 300-s scheduling buffer, HonorMaxCapacity).
func NewPredictive(name string, target float64) Predictive {
	return Predictive{Name: name, Target: target, SchedulingBuffer: DefaultSchedulingBuffer}
}

func (p Predictive) String() string {
	s := fmt.Sprintf("Predictive{%s target %g/instance, %s, buffer %v, %s", p.Name, p.Target, p.Mode, p.SchedulingBuffer, p.MaxCapacityBreachBehavior)
	if p.MaxCapacityBreachBehavior == IncreaseMaxCapacity {
		s += fmt.Sprintf(" +%d%%", p.MaxCapacityBuffer)
	}
	return s + "}"
}

// Validate checks the settings against the API's ranges.
func (p Predictive) Validate() error {
	var errs []error
	if !(p.Target > 0) {
		errs = append(errs, fmt.Errorf("target %g: must be > 0", p.Target))
	}
	if p.SchedulingBuffer < 0 || p.SchedulingBuffer >= time.Hour {
		errs = append(errs, fmt.Errorf("scheduling_buffer %v: want 0 ≤ buffer < 1h", p.SchedulingBuffer))
	}
	if p.Mode > ForecastAndScale {
		errs = append(errs, fmt.Errorf("mode %d: unknown", p.Mode))
	}
	switch p.MaxCapacityBreachBehavior {
	case HonorMaxCapacity:
		if p.MaxCapacityBuffer != 0 {
			errs = append(errs, fmt.Errorf("max_capacity_buffer %d: only with IncreaseMaxCapacity", p.MaxCapacityBuffer))
		}
	case IncreaseMaxCapacity:
		if p.MaxCapacityBuffer < 0 || p.MaxCapacityBuffer > 100 {
			errs = append(errs, fmt.Errorf("max_capacity_buffer %d: want 0..100 (percent)", p.MaxCapacityBuffer))
		}
	default:
		errs = append(errs, fmt.Errorf("max_capacity_breach_behavior %d: unknown", p.MaxCapacityBreachBehavior))
	}
	return errors.Join(errs...)
}

// InferredCapacity is AWS's capacity needed for an hour:
// capacity units × metric value / target (docs/aws-model.md §1.6: 10 instances
// at 30 % CPU with a 60 % target → 5).
func InferredCapacity(capacityUnits, metric, target float64) float64 {
	return capacityUnits * metric / target
}

// Forecast is a 48-hour forecast: Load[i] and Capacity[i] for the hour
// [Start + i h, Start + (i+1) h).
type Forecast struct {
	Start    time.Duration
	Load     []float64
	Capacity []int
}

func (f Forecast) String() string {
	peak, at := 0, 0
	for i, c := range f.Capacity {
		if c > peak {
			peak, at = c, i
		}
	}
	return fmt.Sprintf("Forecast{%d h from %v, peak %d instances at +%d h}", len(f.Load), f.Start, peak, at)
}

// Forecast forecasts the 48 hours from start given hourly loads, oldest
// first, the newest being the hour that ends at start; only the newest 14
// days are used, and at least 24 h are needed (ErrShortHistory).
//
// The model is seasonal naive, averaged: for a future hour t,
//
//	daily(t)  = mean of load(t − 24 k h) over the days k ≥ 1 in the history
//	weekly(t) = mean of load(t − 168 k h) over the weeks k ≥ 1 in the history
//	forecast  = daily(t)                      with < 7 days of history
//	          = (daily(t) + weekly(t)) / 2    with ≥ 7 days
//
// Why: web traffic is dominated by a daily cycle (the NASA and Wikipedia
// traces), which the same hour of past days captures from the first day;
// a weekly term corrects weekday/weekend differences once a week of
// history exists; averaging damps one-off spikes; there is nothing to fit,
// so the forecast is deterministic, explainable, and cheap to refresh
// every 6 h. AWS's own model is not published.
func (p Predictive) Forecast(history []float64, start time.Duration) (Forecast, error) {
	if err := p.Validate(); err != nil {
		return Forecast{}, err
	}
	if len(history) < MinHistoryHours {
		return Forecast{}, fmt.Errorf("%w (have %d h)", ErrShortHistory, len(history))
	}
	if len(history) > MaxHistoryHours {
		history = history[len(history)-MaxHistoryHours:]
	}
	n := len(history)
	seasonal := func(t, lag int) (float64, bool) {
		sum, k := 0.0, 0
		for j := t - lag; j >= 0; j -= lag {
			if j < n {
				sum += history[j]
				k++
			}
		}
		if k == 0 {
			return 0, false
		}
		return sum / float64(k), true
	}
	f := Forecast{Start: start, Load: make([]float64, ForecastHours), Capacity: make([]int, ForecastHours)}
	for i := range ForecastHours {
		t := n + i
		load, _ := seasonal(t, 24) // always defined: n ≥ 24, i < 48
		if n >= 7*24 {
			if w, ok := seasonal(t, 7*24); ok {
				load = (load + w) / 2
			}
		}
		load = max(load, 0)
		f.Load[i] = load
		f.Capacity[i] = int(math.Ceil(load/p.Target - 1e-9))
	}
	return f, nil
}

// NextForecastAt is when the forecast is next refreshed after now: every
// 6 h of the caller's clock, at 0, 6 h, 12 h, …
func NextForecastAt(now time.Duration) time.Duration {
	return (now/ForecastRefresh + 1) * ForecastRefresh
}

// PredictivePlan is what a forecast asks of the group at one moment.
type PredictivePlan struct {
	Hour     int  // index into the forecast of the hour being provisioned
	Forecast int  // the forecast capacity for that hour
	Floor    int  // the capacity to scale out to (desired = max(dynamic, Floor))
	Max      int  // the group's max to use (raised by IncreaseMaxCapacity)
	Scale    bool // false in ForecastOnly mode: record, do not act
}

func (p PredictivePlan) String() string {
	act := "forecast only"
	if p.Scale {
		act = fmt.Sprintf("floor %d, max %d", p.Floor, p.Max)
	}
	return fmt.Sprintf("hour +%d forecast %d: %s", p.Hour, p.Forecast, act)
}

// Plan returns the plan in effect at now: the capacity of the hour that
// starts within SchedulingBuffer of now (hour h is provisioned from
// h − buffer), within [minSize, max]. ok is false outside the forecast.
//
// Max: HonorMaxCapacity keeps maxSize (the floor is capped at it).
// IncreaseMaxCapacity raises it to ceil(forecast × (1 + buffer/100)) when
// that exceeds maxSize (forecast 50, max 40, buffer 10 % → max 55, floor
// 50; buffer 0 → max 50). AWS keeps a raised max: the engine should keep
// the larger of the old and the new one.
func (p Predictive) Plan(f Forecast, now time.Duration, minSize, maxSize int) (plan PredictivePlan, ok bool) {
	rel := now + p.SchedulingBuffer - f.Start
	if rel < 0 {
		return PredictivePlan{}, false
	}
	h := int(rel / time.Hour)
	if h >= len(f.Capacity) {
		return PredictivePlan{}, false
	}
	c := f.Capacity[h]
	plan = PredictivePlan{Hour: h, Forecast: c, Max: maxSize, Scale: p.Mode == ForecastAndScale}
	if p.MaxCapacityBreachBehavior == IncreaseMaxCapacity {
		plan.Max = max(maxSize, (c*(100+p.MaxCapacityBuffer)+99)/100)
	}
	plan.Floor = Clamp(c, minSize, plan.Max)
	return plan, true
}

// WithPredictive combines a dynamic policy's desired capacity with a
// predictive floor: the larger wins, so the forecast never scales in
// (docs/aws-model.md §1.6).
func WithPredictive(dynamic int, plan PredictivePlan, ok bool) int {
	if !ok || !plan.Scale {
		return dynamic
	}
	return max(dynamic, plan.Floor)
}
