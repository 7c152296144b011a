package stack

import (
	"strings"
	"testing"
)

func TestCompareVerdict(t *testing.T) {
	base := Stats{Completed: 1000, P50Ms: 20, P90Ms: 40, P99Ms: 60}
	cases := []struct {
		name string
		real func(*Stats)
		ok   bool
	}{
		{"same", func(*Stats) {}, true},
		{"p50 +19 %", func(s *Stats) { s.P50Ms = 23.8 }, true},
		{"p50 +21 %", func(s *Stats) { s.P50Ms = 24.2 }, false},
		{"p50 −21 %", func(s *Stats) { s.P50Ms = 15.8 }, false},
		{"p90 +26 %", func(s *Stats) { s.P90Ms = 50.4 }, false},
		{"p99 +34 %", func(s *Stats) { s.P99Ms = 80.4 }, true},
		{"p99 +36 %", func(s *Stats) { s.P99Ms = 81.6 }, false},
		{"throughput −6 %", func(s *Stats) { s.Completed = 940 }, false},
		{"errors +1 point", func(s *Stats) { s.ErrorPct = 1 }, false},
	}
	for _, c := range cases {
		r := &Report{Duration: "10s", Tolerance: DefaultTolerance, Sim: base, Real: base}
		c.real(&r.Real)
		r.compare()
		if r.OK != c.ok {
			t.Errorf("%s: ok = %v, want %v (%+v)", c.name, r.OK, c.ok, r.Rows)
		}
	}
	// The absolute floor: at 3 ms, 1.5 ms more is within ±2 ms.
	r := &Report{Duration: "10s", Tolerance: DefaultTolerance, Sim: Stats{Completed: 1000, P50Ms: 3, P90Ms: 3, P99Ms: 3}, Real: Stats{Completed: 1000, P50Ms: 4.5, P90Ms: 4.5, P99Ms: 4.5}}
	if r.compare(); !r.OK {
		t.Errorf("1.5 ms over 3 ms should be within the 2 ms floor: %+v", r.Rows)
	}
}

// TestCompareNeedsMeasurements: a run that measured nothing, or whose
// generator fell behind, fails with its reason even when every row agrees
// (0 vs 0 is "within tolerance").
func TestCompareNeedsMeasurements(t *testing.T) {
	cases := []struct {
		name      string
		sim, real Stats
		reason    string
	}{
		{"nothing completed", Stats{Requests: 1477}, Stats{Requests: 1477}, "the real side completed 0 requests (1477 sent)"},
		{"too few", Stats{Requests: 99, Completed: 99}, Stats{Requests: 99, Completed: 99}, "fewer than the 100 a comparison needs"},
		{"fell behind", Stats{Requests: 2000, Completed: 2000}, Stats{Requests: 2000, Completed: 2000, SendLagP99Ms: 80}, "up to 80 ms late (p99)"},
		{"sent too few", Stats{Requests: 2000, Completed: 2000}, Stats{Requests: 1900, Completed: 2000}, "sent 1900 of 2000 scheduled"},
	}
	for _, c := range cases {
		r := &Report{Duration: "10s", Tolerance: DefaultTolerance, Sim: c.sim, Real: c.real}
		r.compare()
		var out strings.Builder
		r.WriteTable(&out)
		if r.OK || !strings.Contains(out.String(), c.reason) || !strings.Contains(out.String(), "FAIL: nothing valid was measured") {
			t.Errorf("%s: ok = %v, want a failure saying %q:\n%s", c.name, r.OK, c.reason, out.String())
		}
	}
	ok := &Report{Duration: "10s", Tolerance: DefaultTolerance, Sim: Stats{Requests: 2000, Completed: 2000}, Real: Stats{Requests: 2000, Completed: 2000, SendLagP99Ms: 3}}
	if ok.compare(); !ok.OK || len(ok.Invalid) > 0 {
		t.Errorf("a full, punctual run is valid: %v", ok.Invalid)
	}
}
