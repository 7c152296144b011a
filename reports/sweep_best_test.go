package reports

import (
	"strings"
	"testing"
)

func TestSweepCheapest(t *testing.T) {
	met := []SLOCheck{{Name: "p99_ms", Value: 1, Limit: 2, Met: true}}
	missed := []SLOCheck{{Name: "p99_ms", Value: 3, Limit: 2}}
	row := func(point int, cost float64, ok bool) SweepRow {
		r := SweepRow{Point: point, ComparisonRow: ComparisonRow{Name: "p" + string(rune('0'+point)), CostUSD: cost, SLOMet: ok, SLOChecks: missed}}
		if ok {
			r.SLOChecks = met
		}
		return r
	}
	s := &Sweep{Shard: Shard{Count: 1}, Table: []SweepRow{row(0, 5, false), row(1, 9, true), row(2, 7, true), row(3, 7, true)}}
	if b, ok := s.Cheapest(); !ok || b.Point != 2 {
		t.Errorf("cheapest %+v: want point 2 (point 0 misses its SLO; 3 ties 2 at a higher index)", b)
	}
	if got := s.CheapestText(); !strings.HasPrefix(got, "cheapest point meeting the SLO: 2 (p2), $7.00") {
		t.Errorf("text %q", got)
	}
	s.Table = s.Table[:1]
	if got := s.CheapestText(); got != "no grid point meets the SLO" {
		t.Errorf("none met: %q", got)
	}
	s.Shard, s.Table = Shard{Index: 1, Count: 2}, []SweepRow{{Point: 1, ComparisonRow: ComparisonRow{Name: "x", CostUSD: 3, SLOMet: true}}}
	if got := s.CheapestText(); !strings.HasPrefix(got, "cheapest point of this shard's 1 points (no SLO set): 1 (x)") {
		t.Errorf("no SLO, a shard: %q", got)
	}
}

// TestSweepCheapestReplicated: with replications the cheapest point's
// cost carries its interval, and a note says the rows are means.
func TestSweepCheapestReplicated(t *testing.T) {
	rep := &Replicas{N: 3, Seeds: []uint64{1, 7, 9}, Confidence: 0.95,
		CostUSD: Interval{Low: 9.73, High: 9.77, Method: MethodStudent}}
	s := &Sweep{Shard: Shard{Count: 1}, Table: []SweepRow{
		{Point: 0, ComparisonRow: ComparisonRow{Name: "a", CostUSD: 9.75, P99Ms: 254}, Replicas: rep},
	}}
	if got, want := s.CheapestText(), "cheapest point (no SLO set): 0 (a), $9.75 (95 % CI $9.73 … $9.77), p99 254 ms"; got != want {
		t.Errorf("text\n got %q\nwant %q", got, want)
	}
	if got := s.ReplicationNote(); !strings.HasPrefix(got, "each row is the mean of 3 replications, on seeds 1, 7, 9; the 95 % intervals") {
		t.Errorf("note %q", got)
	}
	s.Table[0].Replicas = nil
	if got := s.ReplicationNote(); got != "" {
		t.Errorf("one replication: note %q, want none", got)
	}
}
