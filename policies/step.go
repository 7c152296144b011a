package policies

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/capsim/capsim/internal/humanize"
)

// AdjustmentType says how a scaling adjustment changes capacity
// (docs/aws-model.md §1.3).
type AdjustmentType uint8

// The adjustment types. The zero value is ChangeInCapacity.
const (
	ChangeInCapacity        AdjustmentType = iota // current ± N
	ExactCapacity                                 // set to N (N ≥ 0)
	PercentChangeInCapacity                       // current ± N % of current, rounded (Adjust)
)

var adjustmentNames = names[AdjustmentType]{"ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"}

func (a AdjustmentType) String() string { return adjustmentNames.format(a, "AdjustmentType") }

// ParseAdjustmentType reads an AdjustmentType as AWS spells it.
func ParseAdjustmentType(s string) (AdjustmentType, error) {
	if a, ok := adjustmentNames.parse(s); ok {
		return a, nil
	}
	return 0, fmt.Errorf("adjustment_type %q: want %s", s, adjustmentNames.orList())
}

// Adjust returns the capacity that an adjustment of the given type asks for
// from current, before min and max are applied (docs/aws-model.md §1.3):
//
//	ChangeInCapacity:        current + adj
//	ExactCapacity:           adj
//	PercentChangeInCapacity: current + r, x = current × adj / 100,
//	                         r = signInt(x) if 0 < |x| < 1, else trunc(x)
//	                         (12.7 → 12, −6.67 → −6, 0.4 → 1, −0.4 → −1);
//	                         then, if 0 < |r| < minMagnitude, r = ±minMagnitude.
//
// minMagnitude (MinAdjustmentMagnitude) applies to percent changes only.
func Adjust(t AdjustmentType, adj, current, minMagnitude int) int {
	switch t {
	case ExactCapacity:
		return adj
	case PercentChangeInCapacity:
		return current + PercentChange(current, adj, minMagnitude)
	}
	return current + adj
}

// PercentChange is the rounded change of a PercentChangeInCapacity
// adjustment of pct % at current capacity, with MinAdjustmentMagnitude
// (docs/aws-model.md §1.3; see Adjust).
func PercentChange(current, pct, minMagnitude int) int {
	x := float64(current) * float64(pct) / 100
	var r int
	switch {
	case x == 0:
		return 0
	case math.Abs(x) < 1:
		r = int(math.Copysign(1, x))
	default:
		r = int(math.Trunc(x))
	}
	if minMagnitude > 0 && absInt(r) < minMagnitude {
		r = minMagnitude * signInt(r)
	}
	return r
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func signInt(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// Unbounded is a null step bound: −Unbounded as a lower bound is −∞,
// Unbounded as an upper bound is +∞.
var Unbounded = math.Inf(1)

// StepAdjustment is one step of a step scaling policy. Bounds are relative
// to the alarm threshold (metric − threshold), as in the API; ±Unbounded
// stands for a null bound (docs/aws-model.md §1.3, ASG-API StepAdjustment).
type StepAdjustment struct {
	Lower, Upper float64
	Adjustment   int
}

func (s StepAdjustment) String() string {
	return fmt.Sprintf("[%s, %s) %+d", boundString(s.Lower), boundString(s.Upper), s.Adjustment)
}

func boundString(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "+∞"
	case math.IsInf(x, -1):
		return "−∞"
	}
	return fmt.Sprintf("%g", x)
}

// contains applies AWS's edges: above the threshold (d > 0) a step is
// [lower, upper); below it (d < 0) it is (lower, upper]. At d = 0 either
// reading may hold: the scale-out policy's [0, 10) and the scale-in
// policy's (−10, 0] both contain it, so a step matches at 0 if either does.
func (s StepAdjustment) contains(d float64) bool {
	above := s.Lower <= d && d < s.Upper
	below := s.Lower < d && d <= s.Upper
	switch {
	case d > 0:
		return above
	case d < 0:
		return below
	}
	return above || below
}

// Aggregation is a step policy's MetricAggregationType: how the most recent
// datapoints are combined before the result is compared with the step
// bounds (docs/aws-model.md §1.3).
type Aggregation uint8

// The aggregation types. The zero value, AggAverage, is AWS's default.
const (
	AggAverage Aggregation = iota
	AggMinimum
	AggMaximum
)

var aggregationNames = names[Aggregation]{"Average", "Minimum", "Maximum"}

func (a Aggregation) String() string { return aggregationNames.format(a, "Aggregation") }

// ParseAggregation reads a MetricAggregationType ("" means Average).
func ParseAggregation(s string) (Aggregation, error) {
	if s == "" {
		return AggAverage, nil
	}
	if a, ok := aggregationNames.parse(s); ok {
		return a, nil
	}
	return 0, fmt.Errorf("metric_aggregation_type %q: want %s", s, aggregationNames.orList())
}

// Of combines the datapoint values (the alarm's newest datapoints, not raw
// samples). ok is false when there are none.
func (a Aggregation) Of(values []float64) (v float64, ok bool) {
	if len(values) == 0 {
		return 0, false
	}
	switch a {
	case AggMinimum:
		return slices.Min(values), true
	case AggMaximum:
		return slices.Max(values), true
	}
	t := 0.0
	for _, x := range values {
		t += x
	}
	return t / float64(len(values)), true
}

// StepPolicy is an EC2 Auto Scaling step scaling policy: the alarm breach
// (aggregated metric − threshold) selects one step, whose adjustment is
// applied to the current capacity (docs/aws-model.md §1.3).
type StepPolicy struct {
	Name                   string
	AdjustmentType         AdjustmentType
	Steps                  []StepAdjustment
	MinAdjustmentMagnitude int // PercentChangeInCapacity only
	MetricAggregationType  Aggregation
}

func (p StepPolicy) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "StepPolicy{%s %s", p.Name, p.AdjustmentType)
	for _, s := range p.Steps {
		b.WriteString(" ")
		b.WriteString(s.String())
	}
	if p.MinAdjustmentMagnitude > 0 {
		fmt.Fprintf(&b, " min magnitude %d", p.MinAdjustmentMagnitude)
	}
	fmt.Fprintf(&b, " aggregate %s}", p.MetricAggregationType)
	return b.String()
}

// Validate applies the API's rules for step adjustments (ASG-API
// StepAdjustment, docs/aws-model.md §1.3): at least one step, at most 20; no
// step with both bounds null; at most one null lower and one null upper
// bound; lower < upper; sorted by lower bound the steps neither overlap nor
// leave gaps; a negative lower bound needs a step with a null lower bound,
// and a positive upper bound needs a step with a null upper bound.
// ExactCapacity adjustments must be ≥ 0; MinAdjustmentMagnitude needs
// PercentChangeInCapacity. Errors name the step by its index in Steps.
func (p StepPolicy) Validate() error {
	var errs []error
	if p.AdjustmentType > PercentChangeInCapacity {
		errs = append(errs, fmt.Errorf("adjustment_type %d: unknown", p.AdjustmentType))
	}
	if p.MetricAggregationType > AggMaximum {
		errs = append(errs, fmt.Errorf("metric_aggregation_type %d: unknown", p.MetricAggregationType))
	}
	if p.MinAdjustmentMagnitude < 0 || (p.MinAdjustmentMagnitude > 0 && p.AdjustmentType != PercentChangeInCapacity) {
		errs = append(errs, fmt.Errorf("min_adjustment_magnitude %d: allowed (≥ 1) only with PercentChangeInCapacity", p.MinAdjustmentMagnitude))
	}
	switch n := len(p.Steps); {
	case n == 0:
		return errors.Join(append(errs, errors.New("steps: at least one step adjustment is required"))...)
	case n > 20:
		errs = append(errs, fmt.Errorf("steps: %d step adjustments, at most 20 allowed", n))
	}
	nullLower, nullUpper := -1, -1
	negLower, posUpper := -1, -1
	for i, s := range p.Steps {
		lo, hi := math.IsInf(s.Lower, -1), math.IsInf(s.Upper, 1)
		switch {
		case math.IsNaN(s.Lower) || math.IsNaN(s.Upper) || math.IsInf(s.Lower, 1) || math.IsInf(s.Upper, -1):
			errs = append(errs, fmt.Errorf("steps[%d]: bounds %s: want numbers, −∞ (null) lower, +∞ (null) upper", i, s))
			continue
		case lo && hi:
			errs = append(errs, fmt.Errorf("steps[%d]: both bounds are null", i))
		case s.Lower >= s.Upper:
			errs = append(errs, fmt.Errorf("steps[%d]: lower bound %g must be below upper bound %g", i, s.Lower, s.Upper))
		}
		if lo {
			if nullLower >= 0 {
				errs = append(errs, fmt.Errorf("steps[%d]: a second null lower bound (steps[%d] has one)", i, nullLower))
			}
			nullLower = i
		} else if s.Lower < 0 && negLower < 0 {
			negLower = i
		}
		if hi {
			if nullUpper >= 0 {
				errs = append(errs, fmt.Errorf("steps[%d]: a second null upper bound (steps[%d] has one)", i, nullUpper))
			}
			nullUpper = i
		} else if s.Upper > 0 && posUpper < 0 {
			posUpper = i
		}
		if p.AdjustmentType == ExactCapacity && s.Adjustment < 0 {
			errs = append(errs, fmt.Errorf("steps[%d]: ExactCapacity adjustment %d must be ≥ 0", i, s.Adjustment))
		}
	}
	if negLower >= 0 && nullLower < 0 {
		errs = append(errs, fmt.Errorf("steps[%d]: negative lower bound %g needs a step with a null lower bound", negLower, p.Steps[negLower].Lower))
	}
	if posUpper >= 0 && nullUpper < 0 {
		errs = append(errs, fmt.Errorf("steps[%d]: positive upper bound %g needs a step with a null upper bound", posUpper, p.Steps[posUpper].Upper))
	}
	order := make([]int, len(p.Steps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(p.Steps[a].Lower, p.Steps[b].Lower)
	})
	for k := 1; k < len(order); k++ {
		prev, cur := p.Steps[order[k-1]], p.Steps[order[k]]
		switch {
		case cur.Lower < prev.Upper:
			errs = append(errs, fmt.Errorf("steps[%d] %s overlaps steps[%d] %s", order[k], cur, order[k-1], prev))
		case cur.Lower > prev.Upper:
			errs = append(errs, fmt.Errorf("steps[%d] %s leaves a gap after steps[%d] %s (%g to %g)", order[k], cur, order[k-1], prev, prev.Upper, cur.Lower))
		}
	}
	return errors.Join(errs...)
}

// Step returns the step that covers a breach of d = aggregated metric −
// threshold, with AWS's edges (StepAdjustment.contains). ok is false when
// no step covers d: the policy does nothing.
func (p StepPolicy) Step(d float64) (s StepAdjustment, ok bool) {
	for _, s := range p.Steps {
		if s.contains(d) {
			return s, true
		}
	}
	return StepAdjustment{}, false
}

// Capacity returns the capacity the policy asks for when its alarm is in
// ALARM with the given aggregated metric value (MetricAggregationType over
// the alarm's newest datapoints) and threshold, from current capacity
// (desired capacity, warming instances included: docs/aws-model.md §1.3).
// ok is false when no step covers the breach. Min and max are not applied.
func (p StepPolicy) Capacity(current int, metric, threshold float64) (capacity int, ok bool) {
	s, ok := p.Step(metric - threshold)
	if !ok {
		return current, false
	}
	return Adjust(p.AdjustmentType, s.Adjustment, current, p.MinAdjustmentMagnitude), true
}

// Decide is Capacity with the rules of docs/aws-model.md §1.3–§1.4 on what
// counts as current capacity (docs/scaling-policies.md). current is the
// desired capacity, which counts instances still pending or warming up;
// warming is how many of those have not finished warming; terminating is
// how many instances are on their way out (draining, or held in
// Terminating:Wait) and so no longer in desired capacity.
//
//   - Scaling out, warming instances are not part of current capacity: the
//     step's adjustment applies to current − warming, so a repeated breach
//     in the same step asks for what is already launching and does
//     nothing, while a breach in a higher step adds only the difference.
//   - Scaling in, terminating instances are part of current capacity: the
//     adjustment applies to current + terminating, so a repeated breach
//     while the previous victims still drain asks for what is already
//     being removed and does nothing ("we don't remove more instances from
//     the Auto Scaling group than necessary").
//   - Scale-in is blocked while any instance warms up.
//
// ok is false when no change is made; reason says why in either case.
//
// Example (§1.3 bands, threshold 50): 10 running + 1 warming (desired 11):
// metric 62 → +10 % of 10 = 11, already launching: no action; metric 75 →
// +30 % of 10 = 13: desired 13. Desired 13 with 1 draining: metric 40 →
// −10 % of 14 = 13, already being removed: no action.
//
// The reason's from → to is the group's desired capacity, like the
// activity it explains ("11 → 13"); the base the step applied to, when it
// is not the desired capacity, is said apart ("the step applies to 10
// instances; 1 more is launching or warming up").
func (p StepPolicy) Decide(current, warming, terminating int, metric, threshold float64) (capacity int, ok bool, reason string) {
	s, found := p.Step(metric - threshold)
	at := humanize.Sig(metric)
	if !found {
		return current, false, fmt.Sprintf("no step covers %s (threshold %g)", at, threshold)
	}
	step := p.stepText(s) + " at " + at
	outBase := current - max(warming, 0)
	if want := Adjust(p.AdjustmentType, s.Adjustment, outBase, p.MinAdjustmentMagnitude); want > current {
		return want, true, fmt.Sprintf("%s: %d → %d%s", step, current, want, p.onBase(outBase, current, "launching or warming up"))
	}
	inBase := current + max(terminating, 0)
	want := Adjust(p.AdjustmentType, s.Adjustment, inBase, p.MinAdjustmentMagnitude)
	switch {
	case want < current && warming > 0:
		return current, false, fmt.Sprintf("scale-in blocked: %d instances warming up", warming)
	case want < current:
		return want, true, fmt.Sprintf("%s: %d → %d%s", step, current, want, p.onBase(inBase, current, "still terminating"))
	case warming > 0 && s.Adjustment > 0:
		return current, false, fmt.Sprintf("%s: capacity already launching covers it%s", step, p.onBase(outBase, current, "launching or warming up"))
	case terminating > 0 && want < inBase:
		return current, false, fmt.Sprintf("%s: %d instances still terminating cover it", step, terminating)
	}
	return current, false, fmt.Sprintf("%s: no change", step)
}

// onBase says, when a step applied to another capacity than the desired
// one, which and why: " (the step applies to 10 instances; 1 more is
// launching or warming up)", " (the step applies to 14 instances; 1 of
// them is still terminating)". ExactCapacity applies to no base.
func (p StepPolicy) onBase(base, current int, why string) string {
	if base == current || p.AdjustmentType == ExactCapacity {
		return ""
	}
	n, verb := current-base, "are"
	if n < 0 {
		n = -n
	}
	if n == 1 {
		verb = "is"
	}
	if base > current {
		return fmt.Sprintf(" (the step applies to %d instances; %d of them %s %s)", base, n, verb, why)
	}
	return fmt.Sprintf(" (the step applies to %d instances; %d more %s %s)", base, n, verb, why)
}

// stepText writes a step with its adjustment's unit: "step [10, 25) +30 %"
// for PercentChangeInCapacity, "step [10, 25) +3" for ChangeInCapacity,
// "step [10, 25) = 5" for ExactCapacity.
func (p StepPolicy) stepText(s StepAdjustment) string {
	b := "step [" + boundString(s.Lower) + ", " + boundString(s.Upper) + ") "
	switch p.AdjustmentType {
	case PercentChangeInCapacity:
		return b + fmt.Sprintf("%+d %%", s.Adjustment)
	case ExactCapacity:
		return b + fmt.Sprintf("= %d", s.Adjustment)
	}
	return b + fmt.Sprintf("%+d", s.Adjustment)
}

// SimplePolicy is a simple scaling policy: one adjustment each time its
// alarm is in ALARM and the cooldown allows (docs/aws-model.md §1.2).
type SimplePolicy struct {
	Name                   string
	AdjustmentType         AdjustmentType
	ScalingAdjustment      int
	MinAdjustmentMagnitude int
	// Cooldown is the policy's own cooldown; nil falls back to the group's
	// DefaultCooldown (EffectiveCooldown).
	Cooldown *time.Duration
}

func (p SimplePolicy) String() string {
	cd := "group default"
	if p.Cooldown != nil {
		cd = p.Cooldown.String()
	}
	return fmt.Sprintf("SimplePolicy{%s %s %+d, cooldown %s}", p.Name, p.AdjustmentType, p.ScalingAdjustment, cd)
}

// adjustmentText writes the adjustment with its unit: "+1", "+30 %", "= 5".
func (p SimplePolicy) adjustmentText() string {
	switch p.AdjustmentType {
	case PercentChangeInCapacity:
		return fmt.Sprintf("%+d %%", p.ScalingAdjustment)
	case ExactCapacity:
		return fmt.Sprintf("= %d", p.ScalingAdjustment)
	}
	return fmt.Sprintf("%+d", p.ScalingAdjustment)
}

// Capacity returns the capacity asked for from current (min and max not
// applied).
func (p SimplePolicy) Capacity(current int) int {
	return Adjust(p.AdjustmentType, p.ScalingAdjustment, current, p.MinAdjustmentMagnitude)
}

// Validate checks the adjustment.
func (p SimplePolicy) Validate() error {
	var errs []error
	if p.AdjustmentType > PercentChangeInCapacity {
		errs = append(errs, fmt.Errorf("adjustment_type %d: unknown", p.AdjustmentType))
	}
	if p.AdjustmentType == ExactCapacity && p.ScalingAdjustment < 0 {
		errs = append(errs, fmt.Errorf("scaling_adjustment %d: ExactCapacity must be ≥ 0", p.ScalingAdjustment))
	}
	if p.MinAdjustmentMagnitude < 0 || (p.MinAdjustmentMagnitude > 0 && p.AdjustmentType != PercentChangeInCapacity) {
		errs = append(errs, fmt.Errorf("min_adjustment_magnitude %d: allowed (≥ 1) only with PercentChangeInCapacity", p.MinAdjustmentMagnitude))
	}
	if p.Cooldown != nil && *p.Cooldown < 0 {
		errs = append(errs, fmt.Errorf("cooldown %v: must be ≥ 0", *p.Cooldown))
	}
	return errors.Join(errs...)
}

// Largest merges the capacities asked for by several policies triggered at
// once: the largest resulting capacity wins, for scale-out and scale-in
// alike (docs/aws-model.md §1.3: at 8, "−3" → 5 and "−25 %" → 6; 6 wins). ok is
// false for no proposals.
func Largest(capacities ...int) (capacity int, ok bool) {
	if len(capacities) == 0 {
		return 0, false
	}
	return slices.Max(capacities), true
}

// Clamp applies MinSize ≤ desired ≤ MaxSize (docs/aws-model.md §1.1).
func Clamp(desired, minSize, maxSize int) int {
	return min(max(desired, minSize), maxSize)
}

// DefaultCooldown is the group's DefaultCooldown when unset (docs/aws-model.md §1.2).
const DefaultCooldown = 300 * time.Second

// NoActivity is the lastEnd to pass to Cooldown.Allows (and RateLimit) when
// the group has had no scaling activity yet.
const NoActivity = time.Duration(math.MinInt64)

// EffectiveCooldown is the cooldown a simple policy waits: its own if set,
// else the group's DefaultCooldown if set, else 300 s (docs/aws-model.md §1.2).
func EffectiveCooldown(policy, group *time.Duration) time.Duration {
	switch {
	case policy != nil:
		return *policy
	case group != nil:
		return *group
	}
	return DefaultCooldown
}

// Cooldown gates a simple scaling policy (docs/aws-model.md §1.2). It starts
// when the last scaling activity ends (the last instance is InService, or,
// on scale-in, deregistration finished), and the policy also waits while an
// activity is in progress. It does not gate step or target-tracking
// scale-out, scheduled actions or health replacements.
type Cooldown struct {
	Length time.Duration
}

func (c Cooldown) String() string {
	return fmt.Sprintf("Cooldown{%v after the activity ends}", c.Length)
}

// Allows reports whether a simple policy may act at now, given when the
// last activity ended (NoActivity if there was none) and whether an
// activity is still in progress. wait is how long until it may (0 when
// allowed, or while an activity runs, since its end is unknown).
// All times are offsets on one clock (e.g. the simulation clock).
func (c Cooldown) Allows(now, lastEnd time.Duration, inProgress bool) (ok bool, wait time.Duration) {
	if inProgress {
		return false, 0
	}
	if lastEnd == NoActivity {
		return true, 0
	}
	if until := lastEnd + c.Length; now < until {
		return false, until - now
	}
	return true, 0
}
