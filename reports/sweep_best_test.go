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
