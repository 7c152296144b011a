package traces

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/sim"
)

// TestRateCSVLongIntervals: hourly and daily series are read as segments
// of their interval, counts spread over the interval, and integrate to the
// series' total (what fluid mode takes from them: sim.ExpectedArrivals).
func TestRateCSVLongIntervals(t *testing.T) {
	for _, tc := range []struct {
		name     string
		interval time.Duration
		csv      string
		total    float64
	}{
		{"hourly", time.Hour, "t,n\n2026-01-01T00:00:00Z,3600\n2026-01-01T01:00:00Z,7200\n2026-01-01T02:00:00Z,0\n", 10800},
		{"daily", 24 * time.Hour, "t,n\n2026-01-01T00:00:00Z,86400\n2026-01-02T00:00:00Z,172800\n2026-01-03T00:00:00Z,43200\n", 302400},
	} {
		c, err := NewRateCSV(strings.NewReader(tc.csv), "x.csv", RateCSVOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		seg, err := c.NextSegment()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := seg.End - seg.Start; got != sim.FromDuration(tc.interval) {
			t.Errorf("%s: first segment %v long, want %v", tc.name, got, tc.interval)
		}
		if want := 3600 / tc.interval.Seconds() * (tc.interval.Seconds() / 3600); math.Abs(seg.Rate-want) > 1e-9 {
			t.Errorf("%s: first rate %g, want %g", tc.name, seg.Rate, want)
		}
		c2, _ := NewRateCSV(strings.NewReader(tc.csv), "x.csv", RateCSVOptions{})
		if got := sim.ExpectedArrivals(c2, sim.FromDuration(3*tc.interval)); math.Abs(got-tc.total) > 1e-6 {
			t.Errorf("%s: %g requests in all, want %g", tc.name, got, tc.total)
		}
	}
}
