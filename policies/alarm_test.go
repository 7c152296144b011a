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
			out = append(out, Value(100))
		default:
			var v float64
			for _, c := range f {
				v = v*10 + float64(c-'0')
			}
			out = append(out, Value(v))
		}
	}
	return out
}

// alarm3of3 is the alarm of the CloudWatch truth table: N = M = 3, value > 50.
func alarm3of3(md MissingData) Alarm {
	return Alarm{Period: time.Minute, EvaluationPeriods: 3, DatapointsToAlarm: 3,
		Comparison: GreaterThanThreshold, Threshold: 50, TreatMissingData: md}
}

// TestAlarmTruthTable is the missing-data table of AWS-SEMANTICS §2.1
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
		{"0 - - - -", OK, OK, OK, OK, "one real good point: M = 3 breaches are impossible"},
		{"- - - - -", InsufficientData, retain, InAlarm, OK, "no data at all"},
		{"- - X - -", InAlarm, retain, InAlarm, OK, "premature-alarm rule: X is 3 periods old, newer ones missing"},
		// Rows of the same AWS table that §2.1 does not copy: N real points exist, the setting is ignored.
		{"0 - X - X", OK, OK, OK, OK, "3 real points, 2 breach"},
		{"0 X X - X", InAlarm, InAlarm, InAlarm, InAlarm, "newest 3 real points all breach"},
		// More, derived from the rules.
		{"X X X X X", InAlarm, InAlarm, InAlarm, InAlarm, "all breach"},
		{"0 0 0 0 0", OK, OK, OK, OK, "none breach"},
		{"- - - - X", OK, retain, InAlarm, OK, "newest point too young for the premature rule"},
		{"- - X 0 -", OK, OK, OK, OK, "a good point after the breach"},
		{"- X X - -", InAlarm, retain, InAlarm, OK, "premature rule: the oldest breach within the newest N is 3 old"},
	}
	for _, r := range rows {
		for md, want := range map[MissingData]State{Missing: r.missing, Ignore: r.ignore, Breaching: r.breaching, NotBreaching: r.notBreachg} {
			for _, prev := range []State{OK, InAlarm} {
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
// comparison and partial fills (AWS-SEMANTICS §2.1).
func TestAlarmEvaluate(t *testing.T) {
	cases := []struct {
		name   string
		alarm  Alarm
		points string
		prev   State
		want   State
	}{
		{"3 of 5 need not be consecutive", Alarm{EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 50}, "X 0 X 0 X", OK, InAlarm},
		{"2 of 5 breaching is not 3", Alarm{EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 50}, "X 0 X 0 0", InAlarm, OK},
		{"M defaults to N", Alarm{EvaluationPeriods: 2, Threshold: 50}, "0 X", InAlarm, OK},
		{"only the newest R = N+2 periods are fetched", alarm3of3(Missing), "X X X - - - - -", InAlarm, InsufficientData},
		{"newest N real points in the range", alarm3of3(Missing), "0 X - X X", OK, InAlarm},
		{"older real points beyond N are not used", alarm3of3(Missing), "X 0 X X X", OK, InAlarm},
		{"a short history counts as missing", alarm3of3(Breaching), "X", OK, InAlarm},
		{"breaching fills only N − k points", alarm3of3(Breaching), "0 0 - - -", OK, OK},
		{"notBreaching fills", alarm3of3(NotBreaching), "X X - - -", InAlarm, OK},
		{"premature rule, N = 4, M = 2, an older good point", Alarm{EvaluationPeriods: 4, DatapointsToAlarm: 2, Threshold: 50}, "- - 0 X - -", OK, InAlarm},
		{"premature rule needs M periods of age", Alarm{EvaluationPeriods: 4, DatapointsToAlarm: 2, Threshold: 50}, "- - 0 0 - X", InAlarm, OK},
		{"ignore: M breaches settle it", Alarm{EvaluationPeriods: 4, DatapointsToAlarm: 2, Threshold: 50, TreatMissingData: Ignore}, "X X - - - -", OK, InAlarm},
		{"ignore: unsettled retains", Alarm{EvaluationPeriods: 4, DatapointsToAlarm: 2, Threshold: 50, TreatMissingData: Ignore}, "0 0 - X - -", InAlarm, InAlarm},
		{"ignore: more than N − M good points settle OK", Alarm{EvaluationPeriods: 4, DatapointsToAlarm: 2, Threshold: 50, TreatMissingData: Ignore}, "0 0 0 - - -", InAlarm, OK},
		{"> at the threshold does not breach", Alarm{EvaluationPeriods: 1, Threshold: 50}, "50", InAlarm, OK},
		{">= at the threshold breaches", Alarm{EvaluationPeriods: 1, Threshold: 50, Comparison: GreaterThanOrEqualToThreshold}, "50", OK, InAlarm},
		{"< at the threshold does not breach", Alarm{EvaluationPeriods: 1, Threshold: 50, Comparison: LessThanThreshold}, "50", InAlarm, OK},
		{"<= at the threshold breaches", Alarm{EvaluationPeriods: 1, Threshold: 50, Comparison: LessThanOrEqualToThreshold}, "50", OK, InAlarm},
		{"< below", Alarm{EvaluationPeriods: 2, Threshold: 35, Comparison: LessThanThreshold}, "20 34", OK, InAlarm},
		{"explicit evaluation range 3 for N = 3", Alarm{EvaluationPeriods: 3, Threshold: 50, EvaluationRange: 3}, "X X X X -", OK, InAlarm},
	}
	for _, c := range cases {
		if got := c.alarm.Evaluate(alarmPoints(c.points), c.prev); got != c.want {
			t.Errorf("%s: %v on %q from %s: got %s, want %s", c.name, c.alarm, c.points, c.prev, got, c.want)
		}
	}
}

// TestAlarmLowSampleCount: EvaluateLowSampleCountPercentile = ignore keeps
// the state while a used point is a low-sample percentile (AWS-SEMANTICS §2.1).
func TestAlarmLowSampleCount(t *testing.T) {
	a := Alarm{Period: time.Minute, EvaluationPeriods: 1, Threshold: 50}
	low := []Point{{Value: 100, LowSamples: true}}
	if got := a.Evaluate(low, OK); got != InAlarm {
		t.Errorf("evaluate (default): got %s, want ALARM", got)
	}
	a.IgnoreLowSampleCountPercentile = true
	if got := a.Evaluate(low, OK); got != OK {
		t.Errorf("ignore: got %s, want OK (unchanged)", got)
	}
	if got := a.Evaluate([]Point{Value(100)}, OK); got != InAlarm {
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
// EvaluateLowSampleCountPercentile (AWS-SEMANTICS §2.1).
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
	if p := (Stat{Kind: Percentile, P: 99}).Point(samples); !p.LowSamples || p.Value != 10 {
		t.Errorf("p99 of 10 samples: got %+v, want low-sample 10", p)
	}
}
