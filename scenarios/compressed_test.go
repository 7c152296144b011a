package scenarios

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readInput is os.ReadFile through OpenInput.
func readInput(path string) ([]byte, error) {
	in, err := OpenInput(path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	return io.ReadAll(in)
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The repository's gzipped NASA log, a plain copy of it, and a gzipped copy
// under a name without .gz give the same scenario: the same start,
// duration and every request in the same place.
func TestGzipTraceSameAsPlain(t *testing.T) {
	plain, err := readInput(nasaLog)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(plain, gzipMagic) || !bytes.HasPrefix(plain, []byte("client00001.example - - [01/Aug/1995:02:00:00 -0400]")) {
		t.Fatalf("OpenInput did not decompress %s: starts %q", nasaLog, plain[:20])
	}
	raw, err := os.ReadFile(nasaLog)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range map[string][]byte{"plain.log": plain, "renamed.log": raw, "copy.log.gz": gzipped(t, plain)} {
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
	a, err := ScanRateCSV(bytes.NewReader(pm), "nasa.csv", RateCSVOptions{ValueColumn: "requests"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := OpenInput(nasaPerMinute)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	b, err := ScanRateCSV(in, "nasa.csv", RateCSVOptions{ValueColumn: "requests"})
	if err != nil || a != b {
		t.Errorf("gzipped: %+v, %v\nplain:   %+v", b, err, a)
	}
}

// A damaged gzip file fails with its name and says what is wrong, wherever
// the damage is; a file that merely is not gzip reads as it is.
func TestGzipDamaged(t *testing.T) {
	csv := []byte("t,v\n" + strings.Repeat("100,10\n", 1) + "160,20\n220,5\n")
	good := gzipped(t, csv)
	dir := t.TempDir()
	header := append([]byte{}, good...)
	header[2] = 99 // compression method: only 8 (deflate) exists
	body := append([]byte{}, good...)
	body[len(body)-5] ^= 0xff // the stored length: the check at the end fails
	for name, data := range map[string][]byte{
		"header.csv.gz":    header,
		"truncated.csv.gz": good[:len(good)/2],
		"checksum.csv.gz":  body,
		"magic-only.csv":   gzipMagic,
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

// A durations file for dist: empirical reads the same gzipped.
func TestGzipEmpirical(t *testing.T) {
	dir := t.TempDir()
	durations := []byte("0.01\n0.02\n0.03\n")
	broken := gzipped(t, durations)
	broken = broken[:len(broken)-6]
	for name, data := range map[string][]byte{"st.txt.gz": gzipped(t, durations), "broken.gz": broken} {
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
