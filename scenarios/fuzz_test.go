package scenarios

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/sim"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, and it
// returns a scenario or positioned errors, never both or neither. A
// scenario that parses must build.
func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	_, def := Default()
	f.Add(def)
	if b, err := os.ReadFile("testdata/design_example.yaml"); err == nil {
		f.Add(b)
	}
	// A trace scenario; paths resolve against testdata.
	f.Add([]byte(strings.Replace(valid, "  synthetic: {shape: constant, rps: 100}\n",
		"  trace: {file: nasa_first_hour.csv, format: rate-csv, time_column: unix_ts, value_column: requests}\n  speedup: 2\n", 1)))
	for _, s := range []string{
		"", "~", "[]", "{}", "a: b: c", "- 1\n- 2\n", "&a [*a]", "a: &x {b: *x}",
		"fleet: {<<: [*a, *b]}", "fleet: !!binary aGVsbG8=", "fleet: !custom x",
		"a: 1\n---\nb: 2\n", "? [a]\n: 1\n", "seed: 18446744073709551616",
		"duration: 9999999999h", "traffic: {synthetic: {shape: diurnal, mean_rps: 1e308, peak_to_trough: 1e308, period: 1ns}}",
		"variants: [{name: a, set: {x[0][1].y: 1}}]", "sweep: {a.b: 1}",
		strings.Repeat("[", 200), strings.Repeat("a:\n ", 100),
		// The pre-scan's limits (prescan.go): depth, tokens, aliases; a BOM.
		strings.Repeat("- ", 5000), "a: " + strings.Repeat("{b: ", 300), strings.Repeat("x, ", 40_000),
		"a: &a [1]\nb: [" + strings.Repeat("*a, ", 1100) + "]", "\ufeffname: x\n", "name: \xff\n",
		"traffic: {synthetic: {shape: constant, rps: 1e13}, scale: 1e9, speedup: 1e308}",
		"workload: {service_time: {dist: gamma, mean: 1s, cv: 1e155}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		t0 := time.Now()
		defer func() {
			if d := time.Since(t0); d > 5*time.Second {
				t.Fatalf("Parse and Build took %v on %q", d, data)
			}
		}()
		s, err := Parse("fuzz.yaml", data, "testdata")
		if (s == nil) == (err == nil) {
			t.Fatalf("Parse returned scenario %v and error %v", s != nil, err)
		}
		if err != nil {
			es, ok := AsErrors(err)
			if !ok || len(es) == 0 {
				t.Fatalf("error %T %v is not Errors", err, err)
			}
			for _, e := range es {
				if strings.Contains(e.Msg, "internal error") {
					t.Fatalf("%v", e)
				}
				if e.Line < 1 || e.Column < 1 || e.File != "fuzz.yaml" || e.Msg == "" {
					t.Fatalf("problem without a place: %+v", e)
				}
			}
			return
		}
		cfg, closer, err := s.Build(nil)
		if err != nil {
			t.Fatalf("parsed but does not build: %v", err)
		}
		closer.Close()
		if err := cfg.Validate(); err != nil {
			t.Fatalf("parsed and built but the engine rejects it: %v", err)
		}
		// Pull a few segments from the traffic: finite, ordered.
		var end sim.Time
		for i := 0; i < 100; i++ {
			seg, err := cfg.Traffic.NextSegment()
			if err != nil {
				break
			}
			if seg.End <= seg.Start || seg.Start < end || seg.Rate < 0 || math.IsNaN(seg.Rate) || math.IsInf(seg.Rate, 0) {
				t.Fatalf("bad segment %+v after %v", seg, end)
			}
			end = seg.End
		}
	})
}
