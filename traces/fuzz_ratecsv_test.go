package traces

import (
	"bytes"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/capsim/capsim/sim"
)

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
