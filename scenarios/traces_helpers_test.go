package scenarios

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/capsim/capsim/sim"
	"github.com/capsim/capsim/traces"
)

const (
	tracesDir     = "examples/data/"
	nasaPerMinute = tracesDir + "nasa_1995_per_minute.csv.gz"
	nasaLog       = tracesDir + "nasa_1995-08-01_access.log.gz"
)

// readInput is os.ReadFile through traces.OpenInput.
func readInput(path string) ([]byte, error) {
	in, err := traces.OpenInput(path)
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

func drain(t *testing.T, src sim.RateSource) (requests float64, end sim.Time, n int) {
	t.Helper()
	var prevEnd sim.Time
	for {
		s, err := src.NextSegment()
		if errors.Is(err, io.EOF) {
			return requests, prevEnd, n
		}
		if err != nil {
			t.Fatalf("segment %d: %v", n, err)
		}
		if s.End <= s.Start || s.Start < prevEnd || s.Rate < 0 || math.IsNaN(s.Rate) || math.IsInf(s.Rate, 0) {
			t.Fatalf("segment %d is bad: %+v after end %v", n, s, prevEnd)
		}
		requests += s.Rate * (s.End - s.Start).Seconds()
		prevEnd = s.End
		n++
	}
}
