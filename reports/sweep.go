package reports

import (
	"fmt"
	"sort"
)

// Sweep is `capsim sweep`'s JSON: one row per grid point of one shard (or
// of all shards, once merged). Runs carries full documents only when asked
// for (--full): a large grid's time series add up.
type Sweep struct {
	SchemaVersion string      `json:"schema_version"`
	CapsimVersion string      `json:"capsim_version"`
	Scenario      string      `json:"scenario"`
	Points        int         `json:"points"` // grid points in the whole sweep
	Shard         Shard       `json:"shard"`
	Table         []SweepRow  `json:"comparison"`
	Runs          []*Document `json:"runs,omitempty"`
}

// Shard says which slice of the grid a file holds: points i with
// i mod Count = Index (Count 1: all of them).
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// SweepRow is one grid point's headline numbers.
type SweepRow struct {
	Point int `json:"point"`
	ComparisonRow
}

// MergeSweeps combines shard files of one sweep into one, checking that
// they belong together and that every grid point appears exactly once.
func MergeSweeps(parts []*Sweep) (*Sweep, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("merge: no sweep files")
	}
	first := parts[0]
	out := &Sweep{SchemaVersion: SchemaVersion, CapsimVersion: first.CapsimVersion, Scenario: first.Scenario,
		Points: first.Points, Shard: Shard{Index: 0, Count: 1}}
	seen := map[int]bool{}
	runAt := map[int]*Document{} // grid point → its full document (--full)
	for i, p := range parts {
		if p.Scenario != first.Scenario || p.Points != first.Points {
			return nil, fmt.Errorf("merge: file %d is from another sweep (%s, %d points) than file 0 (%s, %d points)",
				i, p.Scenario, p.Points, first.Scenario, first.Points)
		}
		// Another capsim may simulate differently: its points would not be
		// the one-machine sweep's.
		if p.CapsimVersion != first.CapsimVersion {
			return nil, fmt.Errorf("merge: file %d was written by capsim %s, file 0 by capsim %s: run every shard with the same capsim",
				i, p.CapsimVersion, first.CapsimVersion)
		}
		if len(p.Runs) > 0 && len(p.Runs) != len(p.Table) {
			return nil, fmt.Errorf("merge: file %d has %d full runs for %d grid points", i, len(p.Runs), len(p.Table))
		}
		for k, r := range p.Table {
			if seen[r.Point] {
				return nil, fmt.Errorf("merge: grid point %d appears twice", r.Point)
			}
			seen[r.Point] = true
			out.Table = append(out.Table, r)
			if len(p.Runs) > 0 {
				runAt[r.Point] = p.Runs[k]
			}
		}
	}
	var missing []int
	for i := range first.Points {
		if !seen[i] {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("merge: %d of %d grid points missing (first: %v): a shard did not run or its file is absent", len(missing), first.Points, missing[:min(len(missing), 10)])
	}
	sort.Slice(out.Table, func(a, b int) bool { return out.Table[a].Point < out.Table[b].Point })
	// Full runs follow the table's (grid) order, as in a one-machine
	// sweep, whatever order the shards came in.
	if len(runAt) > 0 {
		if len(runAt) != len(out.Table) {
			return nil, fmt.Errorf("merge: %d of %d grid points have full runs: merge shards all run with --full, or none", len(runAt), len(out.Table))
		}
		for _, r := range out.Table {
			out.Runs = append(out.Runs, runAt[r.Point])
		}
	}
	return out, nil
}

// Comparison views the sweep's rows as a comparison table.
func (s *Sweep) Comparison() *Comparison {
	c := &Comparison{SchemaVersion: s.SchemaVersion, CapsimVersion: s.CapsimVersion}
	for _, r := range s.Table {
		c.Table = append(c.Table, r.ComparisonRow)
	}
	return c
}
