// Package tracetest holds the helpers that the tests of traces and of
// scenarios both use on traffic sources: one copy, imported by tests only.
// It must not import traces (traces' own tests import it).
package tracetest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/capsim/capsim/sim"
)

// Gzipped returns data compressed with gzip.
func Gzipped(t testing.TB, data []byte) []byte {
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

// Drain reads every segment of src, checking that they are ordered and well
// formed, and returns the requests they hold (∫ rate dt), the end of the
// last and how many there were.
func Drain(t testing.TB, src sim.RateSource) (requests float64, end sim.Time, n int) {
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
