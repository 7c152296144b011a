package scenarios

import (
	"bytes"
	"errors"
	"io"
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

// FuzzRateCSV feeds arbitrary bytes to the trace reader: it must never
// panic, and every segment it yields is well formed.
func FuzzRateCSV(f *testing.F) {
	f.Add([]byte("t,v\n100,10\n110,20\n140,5\n"), false, int64(0))
	f.Add([]byte("minute_start_utc,unix_ts,requests,in_outage\n1995-07-01T04:00:00Z,804571200,42,0\n1995-07-01T04:01:00Z,804571260,61,0\n"), true, int64(60))
	f.Add([]byte("a,b\n1.5,2\n2.5,1e9\n"), false, int64(1))
	f.Add([]byte("a,b\n\"1\",\"2\n"), false, int64(0))
	f.Add([]byte("\ufeffa,b\n0,0\n"), true, int64(-1))
	b, err := readInput(nasaPerMinute)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:2000], false, int64(0))
	f.Fuzz(func(t *testing.T, data []byte, rate bool, intervalSec int64) {
		o := RateCSVOptions{ValueIsRate: rate}
		if intervalSec > 0 && intervalSec < 1e6 {
			o.Interval = sim.FromSeconds(float64(intervalSec)).Duration()
		}
		info, serr := ScanRateCSV(bytes.NewReader(data), "fuzz.csv", o)
		c, err := NewRateCSV(bytes.NewReader(data), "fuzz.csv", o)
		if err != nil {
			if serr == nil {
				t.Fatalf("NewRateCSV fails (%v) where ScanRateCSV did not", err)
			}
			return
		}
		var total float64
		var end sim.Time
		n := 0
		for {
			seg, err := c.NextSegment()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if serr == nil {
					t.Fatalf("NextSegment fails (%v) where ScanRateCSV did not", err)
				}
				return
			}
			if seg.End <= seg.Start || seg.Start < end || seg.Rate < 0 || math.IsNaN(seg.Rate) || math.IsInf(seg.Rate, 0) {
				t.Fatalf("bad segment %+v after %v", seg, end)
			}
			total += seg.Rate * (seg.End - seg.Start).Seconds()
			end = seg.End
			n++
		}
		if serr != nil {
			t.Fatalf("ScanRateCSV failed (%v) but the stream did not", serr)
		}
		if d := math.Abs(total - info.Requests); d > 1e-6*math.Max(1, info.Requests) {
			t.Fatalf("stream holds %g requests, scan counted %g", total, info.Requests)
		}
		if want := sim.Time(info.End.Sub(info.Start)); end != want {
			t.Fatalf("stream ends at %v, scan says %v", end, want)
		}
	})
}
