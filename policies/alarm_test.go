package policies

import (
	"strings"
	"testing"
	"time"
)

// alarmPoints reads a datapoint pattern, oldest first: "0" a non-breaching point (0),
// "X" a breaching point (100), "-" a missing period, any other number its
// value.
func alarmPoints(pattern string) []Point {
	var out []Point
	for _, f := range strings.Fields(pattern) {
		switch f {
		case "-":
			out = append(out, NoPoint)
		case "X":
			out = append(out, PointOf(100))
		default:
			var v float64
			for _, c := range f {
				v = v*10 + float64(c-'0')
			}
			out = append(out, PointOf(v))
		}
	}
	return out
}

// alarm3of3 is the alarm of the CloudWatch truth table: N = M = 3, value > 50.
func alarm3of3(md MissingData) Alarm {
	return Alarm{Period: time.Minute, EvaluationPeriods: 3, DatapointsToAlarm: 3,
		Comparison: GreaterThanThreshold, Threshold: 50, TreatMissingData: md}
}

// TestAlarmTruthTable is the missing-data table of docs/aws-model.md §2.1
// (CW-UG AlarmThatSendsEmail.md, N = M = 3, an evaluation range of 5), one
// row per pattern and one column per TreatMissingData; "retain" is checked
// from both OK and ALARM.
func TestAlarmTruthTable(t *testing.T) {
	const retain = State(255)
	rows := []struct {
		points                                 string
		missing, ignore, breaching, notBreachg State
		why                                    string
	}{
		// §2.1 rows.
		{"0 - - - -", StateOK, StateOK, StateOK, StateOK, "one real good point: M = 3 breaches are impossible"},
		{"- - - - -", StateInsufficientData, retain, StateAlarm, StateOK, "no data at all"},
		{"- - X - -", StateAlarm, retain, StateAlarm, StateOK, "premature-alarm rule: X is 3 periods old, newer ones missing"},
		// Rows of the same AWS table that §2.1 does not copy: N real points exist, the setting is ignored.
		{"0 - X - X", StateOK, StateOK, StateOK, StateOK, "3 real points, 2 breach"},
		{"0 X X - X", StateAlarm, StateAlarm, StateAlarm, StateAlarm, "newest 3 real points all breach"},
		// More, derived from the rules.
		{"X X X X X", StateAlarm, StateAlarm, StateAlarm, StateAlarm, "all breach"},
		{"0 0 0 0 0", StateOK, StateOK, StateOK, StateOK, "none breach"},
		{"- - - - X", StateOK, retain, StateAlarm, StateOK, "newest point too young for the premature rule"},
		{"- - X 0 -", StateOK, StateOK, StateOK, StateOK, "a good point after the breach"},
		{"- X X - -", StateAlarm, retain, StateAlarm, StateOK, "premature rule: the oldest breach within the newest N is 3 old"},
	}
	for _, r := range rows {
		for md, want := range map[MissingData]State{TreatMissing: r.missing, TreatIgnore: r.ignore, TreatBreaching: r.breaching, TreatNotBreaching: r.notBreachg} {
			for _, prev := range []State{StateOK, StateAlarm} {
				w := want
				if w == retain {
					w = prev
				}
				if got := alarm3of3(md).Evaluate(alarmPoints(r.points), prev); got != w {
					t.Errorf("%q %s (prev %s): got %s, want %s (%s)", r.points, md, prev, got, w, r.why)
				}
			}
		}
	}
}

// TestAlarmEvaluate covers M of N, the evaluation range, the edges of each
// comparison and partial fills (docs/aws-model.md §2.1).
func TestAlarmEvaluate(t *testing.T) {
	cases := []struct {
		name   string
		alarm  Alarm
		points string
		prev   State
		want   State
	}{
		{"3 of 5 need not be consecutive", Alarm{EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 50}, "X 0 X 0 X", StateOK, StateAlarm},
		{"2 of 5 breaching is not 3", Alarm{EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 50}, "X 0 X 0 0", StateAlarm, StateOK},
		{"M defaults to N", Alarm{EvaluationPeriods: 2, Threshold: 50}, "0 X", StateAlarm, StateOK},
		{"only the newest R = N+2 periods are fetched", alarm3of3(TreatMissing), "X X X - - - - -", StateAlarm, StateInsufficientData},
		{"newest N real points in the range", alarm3of3(TreatMissing), "0 X - X X", StateOK, StateAlarm},
		{"older real points beyond N are not used", alarm3of3(TreatMissing), "X 0 X X X", StateOK, StateAlarm},
		{"a short history counts as missing", alarm3of3(TreatBreaching), "X", StateOK, StateAlarm},
		{"breaching fills only N − k points", alarm3of3(TreatBreaching), "0 0 - - -", StateOK, StateOK},
		{"notBreaching fills", alarm3of3(TreatNotBreaching), "X X - - -", StateAlarm, StateOK},
		{"premature rule, N = 4, M = 2, an older good point", Alarm{EvaluationPeriods: 4, DatapointsToAlarm: 2, Threshold: 50}, "- - 0 X - -", StateOK, StateAlarm},
		{"premature rule needs M periods of age", Alarm{EvaluationPeriods: 4, DatapointsToAlarm: 2, Threshold: 50}, "- - 0 0 - X", StateAlarm, StateOK},
		{"ignore: M breaches settle it", Alarm{EvaluationPeriods: 4, DatapointsToAlarm: 2, Threshold: 50, TreatMissingData: TreatIgnore}, "X X - - - -", StateOK, StateAlarm},
		{"ignore: unsettled retains", Alarm{EvaluationPeriods: 4, DatapointsToAlarm: 2, Threshold: 50, TreatMissingData: TreatIgnore}, "0 0 - X - -", StateAlarm, StateAlarm},
		{"ignore: more than N − M good points settle OK", Alarm{EvaluationPeriods: 4, DatapointsToAlarm: 2, Threshold: 50, TreatMissingData: TreatIgnore}, "0 0 0 - - -", StateAlarm, StateOK},
		{"> at the threshold does not breach", Alarm{EvaluationPeriods: 1, Threshold: 50}, "50", StateAlarm, StateOK},
		{">= at the threshold breaches", Alarm{EvaluationPeriods: 1, Threshold: 50, Comparison: GreaterThanOrEqualToThreshold}, "50", StateOK, StateAlarm},
		{"< at the threshold does not breach", Alarm{EvaluationPeriods: 1, Threshold: 50, Comparison: LessThanThreshold}, "50", StateAlarm, StateOK},
		{"<= at the threshold breaches", Alarm{EvaluationPeriods: 1, Threshold: 50, Comparison: LessThanOrEqualToThreshold}, "50", StateOK, StateAlarm},
		{"< below", Alarm{EvaluationPeriods: 2, Threshold: 35, Comparison: LessThanThreshold}, "20 34", StateOK, StateAlarm},
		{"explicit evaluation range 3 for N = 3", Alarm{EvaluationPeriods: 3, Threshold: 50, EvaluationRange: 3}, "X X X X -", StateOK, StateAlarm},
	}
	for _, c := range cases {
		if got := c.alarm.Evaluate(alarmPoints(c.points), c.prev); got != c.want {
			t.Errorf("%s: %v on %q from %s: got %s, want %s", c.name, c.alarm, c.points, c.prev, got, c.want)
		}
	}
}

// TestAlarmLowSampleCount: EvaluateLowSampleCountPercentile = ignore keeps
// the state while a used point is a low-sample percentile (docs/aws-model.md §2.1).
func TestAlarmLowSampleCount(t *testing.T) {
	a := Alarm{Period: time.Minute, EvaluationPeriods: 1, Threshold: 50}
	low := []Point{{Value: 100, LowSamples: true}}
	if got := a.Evaluate(low, StateOK); got != StateAlarm {
		t.Errorf("evaluate (default): got %s, want ALARM", got)
	}
	a.IgnoreLowSampleCountPercentile = true
	if got := a.Evaluate(low, StateOK); got != StateOK {
		t.Errorf("ignore: got %s, want StateOK (unchanged)", got)
	}
	if got := a.Evaluate([]Point{PointOf(100)}, StateOK); got != StateAlarm {
		t.Errorf("ignore with enough samples: got %s, want ALARM", got)
	}
}

func TestAlarmValidate(t *testing.T) {
	cases := []struct {
		alarm Alarm
		want  string // substring of the error, "" for none
	}{
		{Alarm{Period: time.Minute, EvaluationPeriods: 3}, ""},
		{Alarm{Period: 10 * time.Second, EvaluationPeriods: 3}, ""},
		{Alarm{Period: 5 * time.Minute, EvaluationPeriods: 3, DatapointsToAlarm: 2}, ""},
		{Alarm{Period: 20 * time.Second, EvaluationPeriods: 3}, "period 20s"},
		{Alarm{Period: 90 * time.Second, EvaluationPeriods: 3}, "period 1m30s"},
		{Alarm{Period: time.Hour, EvaluationPeriods: 25}, "exceeds 86400 s"},
		{Alarm{Period: time.Minute, EvaluationPeriods: 3, DatapointsToAlarm: 4}, "datapoints_to_alarm 4"},
		{Alarm{Period: time.Minute}, "evaluation_periods 0"},
		{Alarm{Period: time.Minute, EvaluationPeriods: 3, EvaluationRange: 2}, "evaluation_range 2"},
	}
	for _, c := range cases {
		err := c.alarm.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: unexpected error %v", c.alarm, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v: got error %v, want one containing %q", c.alarm, err, c.want)
		}
	}
	if _, err := ParseMissingData("notBreaching"); err != nil {
		t.Error(err)
	}
	if _, err := ParseMissingData("zero"); err == nil {
		t.Error("ParseMissingData(zero): no error")
	}
}

// TestStat: the statistics over raw samples and the low-sample rule of
// EvaluateLowSampleCountPercentile (docs/aws-model.md §2.1).
func TestStat(t *testing.T) {
	samples := []float64{5, 1, 4, 2, 3, 6, 8, 7, 10, 9}
	cases := []struct {
		stat string
		want float64
	}{
		{"Average", 5.5}, {"Sum", 55}, {"Minimum", 1}, {"Maximum", 10}, {"SampleCount", 10},
		{"p50", 5}, {"p90", 9}, {"p99", 10}, {"p10", 1}, {"p55", 6},
	}
	for _, c := range cases {
		s, err := ParseStat(c.stat)
		if err != nil {
			t.Fatal(err)
		}
		if s.String() != c.stat {
			t.Errorf("ParseStat(%q).String() = %q", c.stat, s)
		}
		if got, ok := s.Of(samples); !ok || got != c.want {
			t.Errorf("%s: got %v %v, want %v", c.stat, got, ok, c.want)
		}
		if p := s.Point(nil); !p.Missing {
			t.Errorf("%s of no samples: got %v, want missing", c.stat, p)
		}
	}
	for _, bad := range []string{"avg", "p0", "p100", "pxx", ""} {
		if _, err := ParseStat(bad); err == nil {
			t.Errorf("ParseStat(%q): no error", bad)
		}
	}
	low := []struct {
		stat string
		n    int
		want bool
	}{
		{"p99", 999, true}, {"p99", 1000, false}, // 10/(1−0.99)
		{"p50", 19, true}, {"p50", 20, false}, // 10/(1−0.5)
		{"p90", 99, true}, {"p90", 100, false},
		{"p10", 99, true}, {"p10", 100, false}, // 10/0.1
		{"p25", 39, true}, {"p25", 40, false},
		{"Average", 1, false},
	}
	for _, c := range low {
		s, _ := ParseStat(c.stat)
		if got := s.LowSampleCount(c.n); got != c.want {
			t.Errorf("%s LowSampleCount(%d) = %v, want %v", c.stat, c.n, got, c.want)
		}
	}
	if p := (Stat{Kind: StatPercentile, P: 99}).Point(samples); !p.LowSamples || p.Value != 10 {
		t.Errorf("p99 of 10 samples: got %+v, want low-sample 10", p)
	}
}
