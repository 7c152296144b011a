package policies

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// State is a CloudWatch alarm state (docs/aws-model.md §2.1).
type State uint8

// The alarm states. The zero value is INSUFFICIENT_DATA, the state of a new
// alarm.
const (
	StateInsufficientData State = iota
	StateOK
	StateAlarm
)

func (s State) String() string {
	switch s {
	case StateOK:
		return "OK"
	case StateAlarm:
		return "ALARM"
	}
	return "INSUFFICIENT_DATA"
}

// Comparison is an alarm's ComparisonOperator.
type Comparison uint8

// The static-threshold comparison operators of PutMetricAlarm.
const (
	GreaterThanThreshold Comparison = iota
	GreaterThanOrEqualToThreshold
	LessThanThreshold
	LessThanOrEqualToThreshold
)

var comparisonNames = names[Comparison]{"GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"}
var comparisonSymbols = [...]string{">", ">=", "<", "<="}

func (c Comparison) String() string { return comparisonNames.format(c, "Comparison") }

// Symbol is the operator as people write it: ">=" for
// GreaterThanOrEqualToThreshold.
func (c Comparison) Symbol() string {
	if int(c) < len(comparisonSymbols) {
		return comparisonSymbols[c]
	}
	return c.String()
}

// Breaches reports whether value breaches threshold under c.
func (c Comparison) Breaches(value, threshold float64) bool {
	switch c {
	case GreaterThanThreshold:
		return value > threshold
	case GreaterThanOrEqualToThreshold:
		return value >= threshold
	case LessThanThreshold:
		return value < threshold
	case LessThanOrEqualToThreshold:
		return value <= threshold
	}
	return false
}

// MissingData is an alarm's TreatMissingData setting (docs/aws-model.md §2.1).
type MissingData uint8

// The TreatMissingData values. The zero value, TreatMissing, is AWS's default.
const (
	TreatMissing      MissingData = iota // "missing": not considered; all missing → INSUFFICIENT_DATA
	TreatNotBreaching                    // "notBreaching": a missing point is good
	TreatBreaching                       // "breaching": a missing point is bad
	TreatIgnore                          // "ignore": keep the current state
)

var missingNames = names[MissingData]{"missing", "notBreaching", "breaching", "ignore"}

func (m MissingData) String() string { return missingNames.format(m, "MissingData") }

// ParseMissingData reads a TreatMissingData value as AWS spells it.
func ParseMissingData(s string) (MissingData, error) {
	if m, ok := missingNames.parse(s); ok {
		return m, nil
	}
	return 0, fmt.Errorf("treat_missing_data %q: want one of %s", s, strings.Join(missingNames, ", "))
}

// Point is one period's datapoint as the alarm sees it: the period's
// statistic, or Missing when the period has no data. LowSamples marks a
// percentile computed from too few samples (Stat.LowSampleCount).
type Point struct {
	Value      float64
	Missing    bool
	LowSamples bool
}

// Value returns a present datapoint; NoPoint is a missing one.
func PointOf(v float64) Point { return Point{Value: v} }

// NoPoint is a period without data.
var NoPoint = Point{Missing: true}

func (p Point) String() string {
	if p.Missing {
		return "-"
	}
	return strconv.FormatFloat(p.Value, 'g', -1, 64)
}

// Alarm is a CloudWatch metric alarm on one statistic of one metric
// (docs/aws-model.md §2.1, CW-API PutMetricAlarm).
type Alarm struct {
	Period            time.Duration // 10 s, 30 s or a multiple of 60 s
	EvaluationPeriods int           // N
	DatapointsToAlarm int           // M; 0 means M = N, AWS's default
	Comparison        Comparison
	Threshold         float64
	TreatMissingData  MissingData
	// IgnoreLowSampleCountPercentile is EvaluateLowSampleCountPercentile =
	// ignore: a low-sample percentile point leaves the state unchanged.
	IgnoreLowSampleCountPercentile bool
	// EvaluationRange is how many of the newest periods CloudWatch fetches;
	// 0 means N + 2 (see Range). AWS documents only "5 points for N = 3", so
	// the general rule is ours and kept configurable.
	EvaluationRange int
}

func (a Alarm) m() int {
	if a.DatapointsToAlarm == 0 {
		return a.EvaluationPeriods
	}
	return a.DatapointsToAlarm
}

// Range is the number of periods the alarm fetches at each evaluation. AWS
// says only that it is larger than N and that it is 5 for N = 3
// (docs/aws-model.md §2.1); we take N + 2, which matches that example, gives
// every N the same two periods of slack for late or absent data, and never
// changes the answer when N real points exist.
func (a Alarm) Range() int {
	if a.EvaluationRange > 0 {
		return a.EvaluationRange
	}
	return a.EvaluationPeriods + 2
}

// Validate checks the alarm against PutMetricAlarm's constraints.
func (a Alarm) Validate() error {
	var errs []error
	p := a.Period
	if p != 10*time.Second && p != 30*time.Second && (p <= 0 || p%time.Minute != 0) {
		errs = append(errs, fmt.Errorf("period %v: want 10s, 30s or a multiple of 60s", p))
	}
	if a.EvaluationPeriods < 1 {
		errs = append(errs, fmt.Errorf("evaluation_periods %d: want at least 1", a.EvaluationPeriods))
	} else if p > 0 && time.Duration(a.EvaluationPeriods)*p > 24*time.Hour {
		errs = append(errs, fmt.Errorf("evaluation_periods %d × period %v exceeds 86400 s", a.EvaluationPeriods, p))
	}
	if m := a.m(); m < 1 || m > a.EvaluationPeriods {
		errs = append(errs, fmt.Errorf("datapoints_to_alarm %d: want 1..evaluation_periods (%d)", m, a.EvaluationPeriods))
	}
	if a.Comparison > LessThanOrEqualToThreshold {
		errs = append(errs, fmt.Errorf("comparison %d: unknown operator", a.Comparison))
	}
	if a.TreatMissingData > TreatIgnore {
		errs = append(errs, fmt.Errorf("treat_missing_data %d: unknown value", a.TreatMissingData))
	}
	if a.EvaluationRange != 0 && a.EvaluationRange < a.EvaluationPeriods {
		errs = append(errs, fmt.Errorf("evaluation_range %d: want at least evaluation_periods (%d)", a.EvaluationRange, a.EvaluationPeriods))
	}
	return errors.Join(errs...)
}

func (a Alarm) String() string {
	return fmt.Sprintf("Alarm{value %s %g for %d of %d × %v, missing=%s}",
		a.Comparison.Symbol(), a.Threshold, a.m(), a.EvaluationPeriods, a.Period, a.TreatMissingData)
}

// Evaluate returns the alarm's state given the datapoints of the newest
// periods (oldest first, newest last; a slice shorter than Range counts the
// absent older periods as missing) and the state before this evaluation.
// With N = EvaluationPeriods, M = DatapointsToAlarm and R = Range()
// (docs/aws-model.md §2.1):
//
//  1. Only the newest R periods are looked at.
//  2. If at least N of them hold real data, the newest N real points decide:
//     ALARM if at least M breach, else OK; TreatMissingData plays no part.
//  3. Otherwise k < N real points exist and N − k must be supplied:
//     - breaching / notBreaching: the newest N − k missing periods are
//     filled with breaching / non-breaching points ("fill only as many as
//     needed") and the N points decide as in 2;
//     - missing: no real point → INSUFFICIENT_DATA. Otherwise the
//     premature-alarm rule: ALARM if, among the newest N periods, the
//     oldest breaching point is at least M periods old (the newest period
//     is 1 old) and every newer period is breaching or missing. Otherwise
//     the real points alone decide: ALARM if at least M breach, else OK;
//     - ignore: the state is kept unless the real points already settle it
//     whatever the missing ones hold: more than N − M non-breaching → OK, at
//     least M breaching → ALARM. (This reproduces the truth table's
//     `0 - - - -` → OK and `- - X - -` → retain.)
//
// With IgnoreLowSampleCountPercentile, a low-sample point among those the
// evaluation would use keeps the previous state.
func (a Alarm) Evaluate(points []Point, prev State) State {
	n, m, r := a.EvaluationPeriods, a.m(), a.Range()
	if n < 1 {
		return StateInsufficientData // invalid alarm: see Validate
	}
	if r < n {
		r = n
	}
	// window holds the newest r periods, oldest first.
	window := make([]Point, r)
	for i := range window {
		window[i] = NoPoint
	}
	if len(points) > r {
		points = points[len(points)-r:]
	}
	copy(window[r-len(points):], points)

	breach := func(p Point) bool { return a.Comparison.Breaches(p.Value, a.Threshold) }
	lowSamples := func(ps []Point) bool {
		if !a.IgnoreLowSampleCountPercentile {
			return false
		}
		return slices.ContainsFunc(ps, func(p Point) bool { return !p.Missing && p.LowSamples })
	}
	decide := func(breaches int) State {
		if breaches >= m {
			return StateAlarm
		}
		return StateOK
	}

	var real []Point // newest first
	for i := r - 1; i >= 0; i-- {
		if !window[i].Missing {
			real = append(real, window[i])
		}
	}
	if len(real) >= n {
		used := real[:n]
		if lowSamples(used) {
			return prev
		}
		c := 0
		for _, p := range used {
			if breach(p) {
				c++
			}
		}
		return decide(c)
	}
	if lowSamples(real) {
		return prev
	}
	k, good, bad := len(real), 0, 0
	for _, p := range real {
		if breach(p) {
			bad++
		} else {
			good++
		}
	}
	switch a.TreatMissingData {
	case TreatBreaching:
		return decide(bad + n - k)
	case TreatNotBreaching:
		return decide(bad)
	case TreatIgnore:
		switch {
		case good > n-m:
			return StateOK
		case bad >= m:
			return StateAlarm
		}
		return prev
	}
	// TreatMissing: missing points are not considered.
	if k == 0 {
		return StateInsufficientData
	}
	if a.premature(window[r-n:], breach) {
		return StateAlarm
	}
	return decide(bad)
}

// premature applies CloudWatch's premature-alarm rule to the newest N
// periods (oldest first): the oldest breaching point is at least M periods
// old and every newer period is breaching or missing (docs/aws-model.md §2.1).
func (a Alarm) premature(last []Point, breach func(Point) bool) bool {
	n := len(last)
	for i, p := range last {
		if p.Missing || !breach(p) {
			continue // older than the oldest breaching point: not constrained
		}
		if n-i < a.m() {
			return false // the oldest breaching point is too young
		}
		for _, q := range last[i+1:] {
			if !q.Missing && !breach(q) {
				return false
			}
		}
		return true
	}
	return false
}

// StatKind is a CloudWatch statistic.
type StatKind uint8

// The statistics an alarm or a policy can use (docs/aws-model.md §2.1).
const (
	StatAverage StatKind = iota
	StatSum
	StatMinimum
	StatMaximum
	StatSampleCount
	StatPercentile // pNN
)

// Stat is a statistic over a period's raw samples: Average, Sum, Minimum,
// Maximum, SampleCount or the percentile P (0 < P < 100) written pNN.
type Stat struct {
	Kind StatKind
	P    float64 // for StatPercentile, in percent (p99 → 99)
}

var statNames = names[StatKind]{"Average", "Sum", "Minimum", "Maximum", "SampleCount"}

func (s Stat) String() string {
	if s.Kind == StatPercentile {
		return "p" + strconv.FormatFloat(s.P, 'f', -1, 64)
	}
	return statNames.format(s.Kind, "Stat")
}

// ParseStat reads "Average", "Sum", "Minimum", "Maximum", "SampleCount" or
// "pNN" (p50, p99, p99.9).
func ParseStat(s string) (Stat, error) {
	if k, ok := statNames.parse(s); ok {
		return Stat{Kind: k}, nil
	}
	if rest, ok := strings.CutPrefix(s, "p"); ok {
		p, err := strconv.ParseFloat(rest, 64)
		if err == nil && p > 0 && p < 100 {
			return Stat{Kind: StatPercentile, P: p}, nil
		}
	}
	return Stat{}, fmt.Errorf("statistic %q: want %s or pNN with 0 < NN < 100", s, strings.Join(statNames, ", "))
}

// Of computes the statistic over one period's raw samples. ok is false when
// there are no samples: the period's datapoint is missing (SampleCount of
// nothing is missing too: CloudWatch publishes no datapoint). Percentiles
// use the nearest-rank definition: the smallest sample with at least P % of
// the samples at or below it. CloudWatch's own estimator is unpublished.
func (s Stat) Of(samples []float64) (v float64, ok bool) {
	n := len(samples)
	if n == 0 {
		return 0, false
	}
	switch s.Kind {
	case StatSum, StatAverage:
		t := 0.0
		for _, x := range samples {
			t += x
		}
		if s.Kind == StatAverage {
			t /= float64(n)
		}
		return t, true
	case StatMinimum:
		return slices.Min(samples), true
	case StatMaximum:
		return slices.Max(samples), true
	case StatSampleCount:
		return float64(n), true
	case StatPercentile:
		sorted := slices.Clone(samples)
		slices.Sort(sorted)
		rank := int(math.Ceil(s.P / 100 * float64(n)))
		return sorted[max(rank, 1)-1], true
	}
	return 0, false
}

// LowSampleCount reports whether n samples are too few for the percentile
// to be statistically significant, the case EvaluateLowSampleCountPercentile
// governs: fewer than 10/(1−p) samples for p ≥ 0.5 (p99 → 1000), fewer than
// 10/p for p < 0.5 (docs/aws-model.md §2.1). Always false for other statistics.
func (s Stat) LowSampleCount(n int) bool {
	if s.Kind != StatPercentile {
		return false
	}
	p := s.P / 100
	need := 10 / p
	if p >= 0.5 {
		need = 10 / (1 - p)
	}
	// Round away float noise: 10/(1−0.99) is 999.9999999999991.
	need = math.Round(need*1e6) / 1e6
	return float64(n) < need
}

// Point computes the statistic over a period's samples as an alarm Point:
// missing when there are no samples, LowSamples set for a low-sample
// percentile.
func (s Stat) Point(samples []float64) Point {
	v, ok := s.Of(samples)
	if !ok {
		return NoPoint
	}
	return Point{Value: v, LowSamples: s.LowSampleCount(len(samples))}
}
