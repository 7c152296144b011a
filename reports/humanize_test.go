package reports

import (
	"math"
	"testing"
)

func TestSLOCheckDescribe(t *testing.T) {
	for _, c := range []struct {
		check SLOCheck
		want  string
	}{
		{SLOCheck{Name: "p99_ms", Value: 1.071e4, Limit: 500}, "p99 10.7 s (limit 500 ms)"},
		{SLOCheck{Name: "p50_ms", Value: 41.0734, Limit: 100}, "p50 41.1 ms (limit 100 ms)"},
		{SLOCheck{Name: "error_rate", Value: 0.003731, Limit: 0.001}, "error rate 0.373 % (limit 0.1 %)"},
		{SLOCheck{Name: "error_rate", Value: 0, Limit: 0.001}, "error rate 0 % (limit 0.1 %)"},
		{SLOCheck{Name: "queue_depth", Value: 22.852865526270836, Limit: 30}, "queue_depth 22.9 (limit 30)"}, // a kind added later: numbers still rounded
	} {
		if got := c.check.Describe(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.check, got, c.want)
		}
	}
}

func TestStartAndDurationText(t *testing.T) {
	for _, c := range [][2]string{
		{StartText("2026-03-02T00:00:00Z"), "2026-03-02T00:00:00Z"},
		{StartText("1970-01-01T00:00:00Z"), "t = 0 (no start set; 1970-01-01T00:00:00Z)"},
		{DurationText("24h0m0s"), "24 h"},
		{DurationText("20m0s"), "20 min"},
		{DurationText("not a duration"), "not a duration"},
	} {
		if c[0] != c[1] {
			t.Errorf("got %q, want %q", c[0], c[1])
		}
	}
}

// markLowest marks the cells that look like the lowest, ties as shown
// included; NaN is never best; one row alone has no mark.
func TestMarkLowest(t *testing.T) {
	col := []*cell{{Text: "30 ms", Value: 30.04}, {Text: "30 ms", Value: 30.01}, {Text: "31 ms", Value: 31}, {Text: "n/a", Value: math.NaN()}}
	markLowest([][]*cell{col})
	if got := []bool{col[0].Best, col[1].Best, col[2].Best, col[3].Best}; got[0] != true || got[1] != true || got[2] || got[3] {
		t.Errorf("marks %v, want [true true false false]", got)
	}
	one := []*cell{{Text: "1", Value: 1}}
	markLowest([][]*cell{one})
	if one[0].Best {
		t.Error("a single row is marked best")
	}
}
