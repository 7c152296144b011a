package reports

import (
	"fmt"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/internal/safetext"
)

// Cheapest is the grid point that meets its SLO at the lowest cost (the
// lowest point index among equals); with no SLO set on any point, the
// cheapest point. False when no point meets its SLO.
func (s *Sweep) Cheapest() (SweepRow, bool) {
	anySLO := false
	for _, r := range s.Table {
		anySLO = anySLO || len(r.SLOChecks) > 0
	}
	var best SweepRow
	found := false
	for _, r := range s.Table {
		if anySLO && !(len(r.SLOChecks) > 0 && r.SLOMet) {
			continue
		}
		if !found || r.CostUSD < best.CostUSD || (r.CostUSD == best.CostUSD && r.Point < best.Point) {
			best, found = r, true
		}
	}
	return best, found
}

// CheapestText names the cheapest point meeting the SLO for people:
// "cheapest point meeting the SLO: 3 (target=70 · round_robin), $41.20,
// p99 231 ms". A shard's file says it speaks of its own points.
func (s *Sweep) CheapestText() string { return s.cheapestText(safetext.Line) }

// CheapestMarkdown is CheapestText with the point's name escaped for
// Markdown.
func (s *Sweep) CheapestMarkdown() string { return s.cheapestText(mdEscape) }

func (s *Sweep) cheapestText(name func(string) string) string {
	of := ""
	if s.Shard.Count > 1 {
		of = fmt.Sprintf(" of this shard's %d points", len(s.Table))
	}
	best, ok := s.Cheapest()
	if !ok {
		return "no grid point" + of + " meets the SLO"
	}
	what := "cheapest point" + of + " meeting the SLO"
	if len(best.SLOChecks) == 0 {
		what = "cheapest point" + of + " (no SLO set)"
	}
	cost := humanize.USD(best.CostUSD)
	if r := best.Replicas; r != nil && r.CostUSD.Method != MethodNone {
		cost += fmt.Sprintf(" (%s CI %s … %s)", humanize.Percent(r.Confidence), humanize.USD(r.CostUSD.Low), humanize.USD(r.CostUSD.High))
	}
	return fmt.Sprintf("%s: %d (%s), %s, p99 %s", what, best.Point, name(best.Name), cost, humanize.Millis(best.P99Ms))
}

// ReplicationNote says, for a sweep run with --replications, that each
// row holds means and where their intervals are; "" otherwise. Every
// point runs on the same seeds, so the first row's stand for all.
func (s *Sweep) ReplicationNote() string {
	if len(s.Table) == 0 || s.Table[0].Replicas == nil {
		return ""
	}
	r := s.Table[0].Replicas
	return fmt.Sprintf("each row is the mean of %d replications, on seeds %s; the %s intervals of p99 and cost are in sweep.json (comparison[].replications)",
		r.N, seedList(r.Seeds), humanize.Percent(r.Confidence))
}
