package policies

import (
	"strings"
	"testing"
	"time"
)

var posInf = Unbounded

// The worked example of docs/aws-model.md §1.3 (ASG-UG as-scaling-simple-step.md):
// threshold 50, PercentChangeInCapacity.
var (
	exampleOut = StepPolicy{Name: "out", AdjustmentType: PercentChangeInCapacity, Steps: []StepAdjustment{
		{Lower: 0, Upper: 10, Adjustment: 0},
		{Lower: 10, Upper: 20, Adjustment: 10},
		{Lower: 20, Upper: posInf, Adjustment: 30},
	}}
	exampleIn = StepPolicy{Name: "in", AdjustmentType: PercentChangeInCapacity, Steps: []StepAdjustment{
		{Lower: -10, Upper: 0, Adjustment: 0},
		{Lower: -20, Upper: -10, Adjustment: -10},
		{Lower: -posInf, Upper: -20, Adjustment: -30},
	}}
)

// TestStepWorkedExample: §1.3, 10 → 11 → 14 → 13.
func TestStepWorkedExample(t *testing.T) {
	for _, p := range []StepPolicy{exampleOut, exampleIn} {
		if err := p.Validate(); err != nil {
			t.Fatalf("%v: %v", p, err)
		}
	}
	seq := []struct {
		policy StepPolicy
		metric float64
		want   int
	}{
		{exampleOut, 60, 11}, // 60 is in [10, 20): +10 % of 10 = 1
		{exampleOut, 70, 14}, // ≥ 70: +30 % of 11 = 3.3 → 3
		{exampleIn, 40, 13},  // 40 is in (−20, −10]: −10 % of 14 = −1.4 → −1
	}
	capacity := 10
	for _, s := range seq {
		got, ok := s.policy.Capacity(capacity, s.metric, 50)
		if !ok || got != s.want {
			t.Fatalf("%s at metric %g from %d: got %d %v, want %d", s.policy.Name, s.metric, capacity, got, ok, s.want)
		}
		capacity = got
	}
}

// TestStepWarmup: §1.3–§1.4, warming instances count toward desired for
// the next scale-out (a repeated breach in the same step launches nothing),
// and scale-in is blocked until they finish warming.
func TestStepWarmup(t *testing.T) {
	cases := []struct {
		name             string
		policy           StepPolicy
		current, warming int
		terminating      int
		metric           float64
		want             int
		ok               bool
	}{
		{"same step again while warming: nothing", exampleOut, 11, 1, 0, 62, 11, false},
		{"higher step while warming: the difference", exampleOut, 11, 1, 0, 75, 13, true},
		{"after warm-up the same step acts again", exampleOut, 11, 0, 0, 62, 12, true}, // +10 % of 11 = 1.1 → 1
		{"scale-in blocked while warming", exampleIn, 11, 1, 0, 35, 11, false},
		{"scale-in after warm-up", exampleIn, 14, 0, 0, 40, 13, true},
		{"no step: nothing", exampleOut, 10, 0, 0, 45, 10, false},
		{"bottom step of 0: nothing", exampleOut, 10, 0, 0, 55, 10, false},
		// docs/aws-model.md §1.3: terminating instances are current capacity on a scale-in.
		{"same step again while the victim drains: nothing", exampleIn, 13, 0, 1, 40, 13, false},  // −10 % of 14 = 13
		{"lower step while the victim drains: the difference", exampleIn, 13, 0, 1, 25, 10, true}, // −30 % of 14 = −4.2 → −4
		{"after the victim is gone the same step acts again", exampleIn, 13, 0, 0, 40, 12, true},  // −10 % of 13 = −1.3 → −1
		{"terminating instances do not change a scale-out", exampleOut, 10, 0, 2, 62, 11, true},
		{"scale-in still blocked while warming", exampleIn, 13, 1, 1, 25, 13, false},
	}
	for _, c := range cases {
		got, ok, reason := c.policy.Decide(c.current, c.warming, c.terminating, c.metric, 50)
		if got != c.want || ok != c.ok || reason == "" {
			t.Errorf("%s: got %d %v %q, want %d %v", c.name, got, ok, reason, c.want, c.ok)
		}
	}
}

// TestStepReason: the reason's from → to is the group's desired capacity,
// the same pair the activity records (a compare row once read 12 → 14
// beside a reason ending 11 → 14), the base the step applied to is said
// apart, and the metric has three significant digits.
func TestStepReason(t *testing.T) {
	for _, c := range []struct {
		current, warming, terminating int
		metric                        float64
		want                          string
	}{
		{11, 1, 0, 75.2817541166146, "step [20, +∞) +30 % at 75.3: 11 → 13 (the step applies to 10 instances; 1 more is launching or warming up)"},
		{11, 0, 0, 62.852865526270836, "step [10, 20) +10 % at 62.9: 11 → 12"},
		{14, 0, 0, 39.99, "step [-20, -10) -10 % at 40: 14 → 13"},
		{13, 0, 1, 25, "step [−∞, -20) -30 % at 25: 13 → 10 (the step applies to 14 instances; 1 of them is still terminating)"},
		{11, 1, 0, 62, "step [10, 20) +10 % at 62: capacity already launching covers it (the step applies to 10 instances; 1 more is launching or warming up)"},
	} {
		p := exampleOut
		if c.metric < 50 {
			p = exampleIn
		}
		if _, _, got := p.Decide(c.current, c.warming, c.terminating, c.metric, 50); got != c.want {
			t.Errorf("Decide(%d, %d, %d, %g):\n got %q\nwant %q", c.current, c.warming, c.terminating, c.metric, got, c.want)
		}
	}
}

// TestStepBands: the bands of the §1.3 example and AWS's edges: above the
// threshold [lower, upper), below it (lower, upper].
func TestStepBands(t *testing.T) {
	cases := []struct {
		metric float64
		policy StepPolicy
		adj    int
		ok     bool
	}{
		{50, exampleOut, 0, true}, // at the threshold: [0, 10)
		{50, exampleIn, 0, true},  // at the threshold: (−10, 0]
		{59.9, exampleOut, 0, true},
		{60, exampleOut, 10, true}, // above: lower bound inclusive
		{69.9, exampleOut, 10, true},
		{70, exampleOut, 30, true},
		{1e9, exampleOut, 30, true},
		{40.1, exampleIn, 0, true},
		{40, exampleIn, -10, true}, // below: upper bound inclusive
		{30.1, exampleIn, -10, true},
		{30, exampleIn, -30, true},
		{-1e9, exampleIn, -30, true},
		{49, exampleOut, 0, false}, // the scale-out policy has no step below the threshold
	}
	for _, c := range cases {
		s, ok := c.policy.Step(c.metric - 50)
		if ok != c.ok || s.Adjustment != c.adj {
			t.Errorf("%s at %g: got %v %v, want %+d %v", c.policy.Name, c.metric, s, ok, c.adj, c.ok)
		}
	}
}

// TestAdjust: adjustment types, percent rounding and MinAdjustmentMagnitude
// (docs/aws-model.md §1.3).
func TestAdjust(t *testing.T) {
	cases := []struct {
		name             string
		typ              AdjustmentType
		adj, cur, minMag int
		want             int
	}{
		{"change +2", ChangeInCapacity, 2, 10, 0, 12},
		{"change −3", ChangeInCapacity, -3, 8, 0, 5},
		{"exact", ExactCapacity, 7, 10, 0, 7},
		{"exact 0", ExactCapacity, 0, 10, 0, 0},
		{"12.7 → 12 (127 % of 10)", PercentChangeInCapacity, 127, 10, 0, 22},
		{"−6.67 → −6 (−23 % of 29)", PercentChangeInCapacity, -23, 29, 0, 23},
		{"0.4 → 1 (10 % of 4)", PercentChangeInCapacity, 10, 4, 0, 5},
		{"−0.4 → −1 (−10 % of 4)", PercentChangeInCapacity, -10, 4, 0, 3},
		{"3.3 → 3", PercentChangeInCapacity, 30, 11, 0, 14},
		{"−1.4 → −1", PercentChangeInCapacity, -10, 14, 0, 13},
		{"exactly 1", PercentChangeInCapacity, 10, 10, 0, 11},
		{"+25 % of 4 with minimum 2 → +2", PercentChangeInCapacity, 25, 4, 2, 6},
		{"−25 % of 4 with minimum 2 → −2", PercentChangeInCapacity, -25, 4, 2, 2},
		{"minimum does not shrink a larger change", PercentChangeInCapacity, 50, 10, 2, 15},
		{"0 % is no change, even with a minimum", PercentChangeInCapacity, 0, 10, 2, 10},
		{"percent of 0 is no change", PercentChangeInCapacity, 50, 0, 0, 0},
	}
	for _, c := range cases {
		if got := Adjust(c.typ, c.adj, c.cur, c.minMag); got != c.want {
			t.Errorf("%s: Adjust(%s, %d, %d, %d) = %d, want %d", c.name, c.typ, c.adj, c.cur, c.minMag, got, c.want)
		}
	}
	// The rounding rule of §1.3 stated on the change x itself.
	for _, c := range []struct {
		x              string
		cur, pct, want int
	}{{"12.7", 10, 127, 12}, {"-6.67", 29, -23, -6}, {"0.4", 4, 10, 1}, {"-0.4", 4, -10, -1}, {"1.5", 10, 15, 1}, {"-1.5", 10, -15, -1}} {
		if got := PercentChange(c.cur, c.pct, 0); got != c.want {
			t.Errorf("x = %s: PercentChange(%d, %d) = %d, want %d", c.x, c.cur, c.pct, got, c.want)
		}
	}
}

// TestLargestWins: §1.3 multiple policies at 8 instances: "−3" and
// "−25 %" both triggered → −25 % (= −2) wins, the largest resulting capacity.
func TestLargestWins(t *testing.T) {
	a := SimplePolicy{Name: "minus3", AdjustmentType: ChangeInCapacity, ScalingAdjustment: -3}
	b := SimplePolicy{Name: "minus25pct", AdjustmentType: PercentChangeInCapacity, ScalingAdjustment: -25}
	got, ok := Largest(a.Capacity(8), b.Capacity(8))
	if !ok || got != 6 {
		t.Errorf("Largest(%d, %d) = %d, want 6 (−25 %% wins)", a.Capacity(8), b.Capacity(8), got)
	}
	if got, _ := Largest(9, 12, 10); got != 12 {
		t.Errorf("scale-out: largest = %d, want 12", got)
	}
	if _, ok := Largest(); ok {
		t.Error("Largest(): ok with no proposals")
	}
	if Clamp(12, 1, 10) != 10 || Clamp(0, 1, 10) != 1 || Clamp(5, 1, 10) != 5 {
		t.Error("Clamp")
	}
}

// TestStepValidate: the ASG-API StepAdjustment rules (docs/aws-model.md §1.3).
func TestStepValidate(t *testing.T) {
	cases := []struct {
		name  string
		steps []StepAdjustment
		typ   AdjustmentType
		want  string // error substring, "" for valid
	}{
		{"one open step", []StepAdjustment{{0, posInf, 1}}, ChangeInCapacity, ""},
		{"unsorted but contiguous", []StepAdjustment{{20, posInf, 3}, {0, 10, 1}, {10, 20, 2}}, ChangeInCapacity, ""},
		{"whole line", []StepAdjustment{{-posInf, 0, -1}, {0, posInf, 1}}, ChangeInCapacity, ""},
		{"no steps", nil, ChangeInCapacity, "at least one"},
		{"overlap", []StepAdjustment{{0, 15, 1}, {10, posInf, 2}}, ChangeInCapacity, "steps[1] [10, +∞) +2 overlaps steps[0]"},
		{"gap", []StepAdjustment{{0, 10, 1}, {20, posInf, 2}}, ChangeInCapacity, "steps[1] [20, +∞) +2 leaves a gap after steps[0]"},
		{"both null", []StepAdjustment{{-posInf, posInf, 1}}, ChangeInCapacity, "steps[0]: both bounds are null"},
		{"two null uppers", []StepAdjustment{{0, posInf, 1}, {10, posInf, 2}}, ChangeInCapacity, "steps[1]: a second null upper bound"},
		{"two null lowers", []StepAdjustment{{-posInf, 0, -1}, {-posInf, -10, -2}}, ChangeInCapacity, "steps[1]: a second null lower bound"},
		{"lower not below upper", []StepAdjustment{{10, 10, 1}, {10, posInf, 2}}, ChangeInCapacity, "steps[0]: lower bound 10 must be below upper bound 10"},
		{"positive upper needs a null upper", []StepAdjustment{{0, 10, 1}}, ChangeInCapacity, "steps[0]: positive upper bound 10 needs a step with a null upper bound"},
		{"negative lower needs a null lower", []StepAdjustment{{-10, 0, -1}}, ChangeInCapacity, "steps[0]: negative lower bound -10 needs a step with a null lower bound"},
		{"negative exact capacity", []StepAdjustment{{0, posInf, -1}}, ExactCapacity, "steps[0]: ExactCapacity adjustment -1"},
	}
	for _, c := range cases {
		err := StepPolicy{Name: c.name, AdjustmentType: c.typ, Steps: c.steps}.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
	err := StepPolicy{AdjustmentType: ChangeInCapacity, MinAdjustmentMagnitude: 2, Steps: []StepAdjustment{{0, posInf, 1}}}.Validate()
	if err == nil || !strings.Contains(err.Error(), "min_adjustment_magnitude") {
		t.Errorf("MinAdjustmentMagnitude with ChangeInCapacity: got %v", err)
	}
}

// TestAggregation: MetricAggregationType over the newest datapoints (§1.3).
func TestAggregation(t *testing.T) {
	v := []float64{40, 70, 61}
	for _, c := range []struct {
		a    string
		want float64
	}{{"", 57}, {"Average", 57}, {"Minimum", 40}, {"Maximum", 70}} {
		a, err := ParseAggregation(c.a)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := a.Of(v); !ok || got != c.want {
			t.Errorf("%s: got %v, want %v", a, got, c.want)
		}
	}
	if _, ok := AggAverage.Of(nil); ok {
		t.Error("Average of nothing: ok")
	}
	if _, err := ParseAggregation("Sum"); err == nil {
		t.Error("ParseAggregation(Sum): no error")
	}
}

// TestCooldown: §1.2, the cooldown starts when the activity ends; default
// 300 s; the policy's own cooldown overrides the group's.
func TestCooldown(t *testing.T) {
	s := time.Second
	c := Cooldown{Length: EffectiveCooldown(nil, nil)}
	if c.Length != 300*s {
		t.Fatalf("default cooldown %v, want 300s", c.Length)
	}
	cases := []struct {
		name       string
		now, end   time.Duration
		inProgress bool
		ok         bool
		wait       time.Duration
	}{
		{"no activity yet", 10 * s, NoActivity, false, true, 0},
		{"activity in progress", 1000 * s, 0, true, false, 0},
		{"just ended", 400 * s, 400 * s, false, false, 300 * s},
		{"299 s after the end", 699 * s, 400 * s, false, false, 1 * s},
		{"300 s after the end", 700 * s, 400 * s, false, true, 0},
	}
	for _, k := range cases {
		ok, wait := c.Allows(k.now, k.end, k.inProgress)
		if ok != k.ok || wait != k.wait {
			t.Errorf("%s: got %v %v, want %v %v", k.name, ok, wait, k.ok, k.wait)
		}
	}
	own, group := 60*s, 120*s
	if EffectiveCooldown(&own, &group) != own || EffectiveCooldown(nil, &group) != group {
		t.Error("EffectiveCooldown precedence")
	}
	zero := time.Duration(0)
	if EffectiveCooldown(&zero, &group) != 0 {
		t.Error("a policy cooldown of 0 is a real value")
	}
}
