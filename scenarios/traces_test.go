package scenarios

import (
	"bufio"
	"bytes"
	"github.com/capsim/capsim/internal/tracetest"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/sim"
	"github.com/capsim/capsim/traces"
)

// Trace files read through a scenario: the traces package reads them,
// Parse checks and builds them.

func TestGzipTraceSameAsPlain(t *testing.T) {
	plain, err := readInput(nasaLog)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(plain, []byte{0x1f, 0x8b}) || !bytes.HasPrefix(plain, []byte("client00001.example - - [01/Aug/1995:02:00:00 -0400]")) {
		t.Fatalf("OpenInput did not decompress %s: starts %q", nasaLog, plain[:20])
	}
	raw, err := os.ReadFile(nasaLog)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range map[string][]byte{"plain.log": plain, "renamed.log": raw, "copy.log.gz": tracetest.Gzipped(t, plain)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	replay := func(file string) (string, []float64) {
		t.Helper()
		s, err := Parse("s.yaml", []byte("traffic:\n  trace: {file: "+file+", format: clf}\n  speedup: 60\nworkload: {service_time: {dist: constant, value: 1ms}}\nfleet: {instance_type: c5.large, min: 1, max: 1}\n"), dir)
		if err != nil {
			t.Fatal(err)
		}
		cfg, closer, err := s.Build(nil)
		if err != nil {
			t.Fatal(err)
		}
		defer closer.Close()
		var at []float64
		for {
			q, err := cfg.Requests.NextRequest()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			at = append(at, q.At.Seconds())
		}
		return s.Start.String() + " " + s.Duration.String(), at
	}
	wantHead, want := replay("plain.log")
	if len(want) != 30969 {
		t.Fatalf("plain copy: %d requests, want the log's 30,969 lines", len(want))
	}
	for _, file := range []string{"renamed.log", "copy.log.gz"} {
		head, got := replay(file)
		if head != wantHead || len(got) != len(want) {
			t.Fatalf("%s: %s, %d requests; plain: %s, %d", file, head, len(got), wantHead, len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: request %d at %gs, plain copy %gs", file, i, got[i], want[i])
			}
		}
	}

	// The rate-csv path: the gzipped per-minute trace and a plain copy scan alike.
	pm, err := readInput(nasaPerMinute)
	if err != nil {
		t.Fatal(err)
	}
	a, err := traces.ScanRateCSV(bytes.NewReader(pm), "nasa.csv", traces.RateCSVOptions{ValueColumn: "requests"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := traces.OpenInput(nasaPerMinute)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	b, err := traces.ScanRateCSV(in, "nasa.csv", traces.RateCSVOptions{ValueColumn: "requests"})
	if err != nil || a != b {
		t.Errorf("gzipped: %+v, %v\nplain:   %+v", b, err, a)
	}
}

func TestGzipDamaged(t *testing.T) {
	csv := []byte("t,v\n" + strings.Repeat("100,10\n", 1) + "160,20\n220,5\n")
	good := tracetest.Gzipped(t, csv)
	dir := t.TempDir()
	header := append([]byte{}, good...)
	header[2] = 99 // compression method: only 8 (deflate) exists
	body := append([]byte{}, good...)
	body[len(body)-5] ^= 0xff // the stored length: the check at the end fails
	for name, data := range map[string][]byte{
		"header.csv.gz":    header,
		"truncated.csv.gz": good[:len(good)/2],
		"checksum.csv.gz":  body,
		"magic-only.csv":   []byte{0x1f, 0x8b},
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{
		"header.csv.gz":    "header is unreadable",
		"truncated.csv.gz": "damaged or cut short",
		"checksum.csv.gz":  "damaged or cut short",
		"magic-only.csv":   "header is unreadable",
	} {
		s, err := Parse("s.yaml", []byte("traffic:\n  trace: {file: "+name+", format: rate-csv}\nworkload: {service_time: {dist: constant, value: 1ms}}\nfleet: {instance_type: c5.large, min: 1, max: 1}\n"), dir)
		if err == nil {
			t.Errorf("%s: parsed (%v), want an error", name, s.Duration)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, name) || !strings.Contains(msg, want) || !strings.Contains(msg, "traffic.trace.file") {
			t.Errorf("%s: %v\nwant the file name, the field and %q", name, err, want)
		}
	}

	// Not gzip at all, one byte of it, or empty: read unchanged.
	for _, data := range [][]byte{csv, {0x1f}, {}} {
		p := filepath.Join(dir, "plain")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readInput(p)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("plain %q read as %q, %v", data, got, err)
		}
	}
}

func TestGzipEmpirical(t *testing.T) {
	dir := t.TempDir()
	durations := []byte("0.01\n0.02\n0.03\n")
	broken := tracetest.Gzipped(t, durations)
	broken = broken[:len(broken)-6]
	for name, data := range map[string][]byte{"st.txt.gz": tracetest.Gzipped(t, durations), "broken.gz": broken} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := "duration: 1m\ntraffic: {synthetic: {shape: constant, rps: 5}}\nfleet: {instance_type: c5.large, min: 1, max: 1}\n"
	s, err := Parse("e.yaml", []byte(base+"workload: {service_time: {dist: empirical, file: st.txt.gz}}\n"), dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, closer, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	closer.Close()
	if m := cfg.Service.Mean(); m < 0.02-1e-12 || m > 0.02+1e-12 {
		t.Errorf("mean %g s, want the durations' 0.02", m)
	}
	_, err = Parse("e.yaml", []byte(base+"workload: {service_time: {dist: empirical, file: broken.gz}}\n"), dir)
	if err == nil || !strings.Contains(err.Error(), "workload.service_time.file") || !strings.Contains(err.Error(), "broken.gz") || !strings.Contains(err.Error(), "damaged or cut short") {
		t.Errorf("a cut gzip durations file: %v", err)
	}
}

func TestEmpirical(t *testing.T) {
	e, err := traces.ReadEmpirical(strings.NewReader("# service times\n0.010\n\n30ms\n0.020\n"), "st.txt")
	if err != nil {
		t.Fatal(err)
	}
	if m := e.Mean(); math.Abs(m-0.02) > 1e-12 {
		t.Errorf("mean %g", m)
	}
	r := rand.New(rand.NewPCG(3, 4))
	sum := 0.0
	for i := 0; i < 100000; i++ {
		x := e.Sample(r)
		if x < 0.01 || x > 0.03 {
			t.Fatalf("sample %g outside [10ms, 30ms]", x)
		}
		sum += x
	}
	if m := sum / 100000; math.Abs(m-0.02) > 0.0002 {
		t.Errorf("sample mean %g", m)
	}
	for _, c := range []struct{ in, want string }{
		{"", "st.txt:1: no durations"},
		{"0.1\nabc\n", `st.txt:2: "abc" is neither seconds nor a duration`},
		{"-1\n", `st.txt:1: "-1" is not a duration in seconds`},
	} {
		if _, err := traces.ReadEmpirical(strings.NewReader(c.in), "st.txt"); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "st.txt"), []byte("0.01\n0.02\n0.03\n"), 0o644)
	base := "duration: 1m\ntraffic: {synthetic: {shape: constant, rps: 5}}\nfleet: {instance_type: c5.large, min: 1, max: 1}\n"
	s, err := Parse("e.yaml", []byte(base+"workload: {service_time: {dist: empirical, file: st.txt}}\n"), dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := s.Build(nil)
	if err != nil || math.Abs(cfg.Service.Mean()-0.02) > 1e-12 {
		t.Fatalf("build: %v, %v", cfg, err)
	}
	_, err = Parse("e.yaml", []byte(base+"workload: {service_time: {dist: empirical, file: nope.txt, mean: 1s}}\n"), dir)
	if err == nil || !strings.Contains(err.Error(), "e.yaml:4:66: workload.service_time.mean: does not apply to dist empirical") ||
		!strings.Contains(err.Error(), "workload.service_time.file: cannot open nope.txt") {
		t.Errorf("errors: %v", err)
	}
}

func TestTraceScenario(t *testing.T) {
	// A trace with an explicit start, scale and speedup: 2× the rate, in
	// half the time.
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/t.csv", []byte("time,count\n2026-01-01T00:00:00Z,600\n2026-01-01T00:01:00Z,1200\n2026-01-01T00:02:00Z,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(valid, "  synthetic: {shape: constant, rps: 100}\n", "  trace: {file: t.csv, format: rate-csv}\n  scale: 2\n  speedup: 2\n", 1)
	src = strings.Replace(src, "duration: 1h\n", "", 1)
	s, err := Parse("s.yaml", []byte(src), dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Start != time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) || s.Duration.D() != 90*time.Second {
		t.Errorf("start %v duration %v (want the trace start and its 3 minutes ÷ 2)", s.Start, s.Duration)
	}
	if tr := s.Traffic.Trace; tr.TimeColumn != "time" || tr.ValueColumn != "count" || tr.Interval.D() != time.Minute || tr.ValueIs != "count" {
		t.Errorf("resolved trace %+v", tr)
	}
	cfg, closer, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, _ := tracetest.Drain(t, cfg.Traffic)
	if err := closer.Close(); err != nil {
		t.Error(err)
	}
	if math.Abs(got-2*1800) > 1e-6 {
		t.Errorf("%g requests, want %d (scale 2 of 1,800; speedup keeps the count)", got, 2*1800)
	}
	cfg, closer, _ = s.Build(nil)
	defer closer.Close()
	seg, _ := cfg.Traffic.NextSegment()
	if seg != (sim.Segment{Start: 0, End: 30 * sim.Second, Rate: 40}) {
		t.Errorf("first segment %+v, want 600/min × 2 (scale) × 2 (speedup) over 30s", seg)
	}
}

func TestNASALogReplayPerSecond(t *testing.T) {
	// Count the log's seconds independently of the reader.
	f, err := traces.OpenInput(nasaLog)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		i, j := strings.IndexByte(line, '['), strings.IndexByte(line, ']')
		ts, err := time.Parse("02/Jan/2006:15:04:05 -0700", line[i+1:j])
		if err != nil {
			t.Fatal(err)
		}
		want[ts.Unix()]++
	}
	f.Close()

	abs, _ := filepath.Abs(nasaLog)
	s, err := Parse("nasa.yaml", []byte(`
traffic:
  trace: {file: `+abs+`, format: clf}
workload: {service_time: {dist: constant, value: 1ms}}
fleet: {instance_type: c5.large, min: 1, max: 1}
`), "")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Start.Equal(time.Date(1995, 8, 1, 6, 0, 0, 0, time.UTC)) || s.Duration.D() != 12*time.Hour+52*time.Minute+2*time.Second {
		t.Errorf("start %v, duration %v", s.Start, s.Duration)
	}
	cfg, closer, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]int{}
	for {
		q, err := cfg.Requests.NextRequest()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if q.Demand >= 0 {
			t.Fatalf("demand %g without a demand model", q.Demand)
		}
		got[s.Start.Unix()+int64(q.At/sim.Second)]++
	}
	closer.Close()
	if len(got) != len(want) {
		t.Errorf("%d seconds with requests, want %d", len(got), len(want))
	}
	for sec, n := range want {
		if got[sec] != n {
			t.Errorf("second %v: %d requests replayed, %d in the log", time.Unix(sec, 0).UTC(), got[sec], n)
		}
	}

	cfg, closer, err = s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests.Total != 30969 {
		t.Errorf("the run saw %d requests, want 30969", res.Requests.Total)
	}
}
