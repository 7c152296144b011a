package reports

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/capsim/capsim/internal/safetext"
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
	// Replicas is set when the point ran more than once (--replications):
	// the row's numbers are then the replications' means.
	Replicas *Replicas `json:"replications,omitempty"`
}

// MergeSweeps combines shard files of one sweep into one, checking that
// they belong together and that every grid point appears exactly once.
func MergeSweeps(parts []*Sweep) (*Sweep, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("merge: no sweep files")
	}
	first := parts[0]
	if first.Points < 1 {
		return nil, fmt.Errorf("merge: file 0 says the sweep has %d grid points", first.Points)
	}
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
			if r.Point < 0 || r.Point >= first.Points {
				return nil, fmt.Errorf("merge: file %d has grid point %d, outside the sweep's 0 to %d", i, r.Point, first.Points-1)
			}
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
	// Counted from the points seen, never by walking 0..Points: a file's
	// points field is input, and 9e18 must not be a loop of 9e18 steps.
	var missing []int
	for i := 0; i < first.Points && len(missing) < 10; i++ {
		if !seen[i] {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("merge: %d of %d grid points missing (first: %v): a shard did not run or its file is absent", first.Points-len(seen), first.Points, missing)
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

// ParseSweep reads a sweep file (a shard, or a whole sweep), the contents
// b of the file name: a syntax or type error names the file, line and
// column; a JSON file of another kind says so.
func ParseSweep(name string, b []byte) (*Sweep, error) {
	// The kind first: a result.json given by mistake should say so, not
	// fail on its first field of another type.
	var probe struct {
		SchemaVersion string          `json:"schema_version"`
		Shard         json.RawMessage `json:"shard"`
		Table         json.RawMessage `json:"comparison"`
	}
	if err := DecodeJSON(name, b, &probe); err != nil {
		return nil, err
	}
	if probe.SchemaVersion == "" || probe.Shard == nil || probe.Table == nil {
		return nil, fmt.Errorf("%s: not a capsim sweep file (no schema_version, shard or comparison)", name)
	}
	if major, _, _ := strings.Cut(probe.SchemaVersion, "."); major != strings.SplitN(SchemaVersion, ".", 2)[0] {
		return nil, fmt.Errorf("%s: schema_version %q: this capsim reads %s.x", name, safetext.Line(probe.SchemaVersion), strings.SplitN(SchemaVersion, ".", 2)[0])
	}
	var sw Sweep
	if err := DecodeJSON(name, b, &sw); err != nil {
		return nil, err
	}
	return &sw, nil
}

// Comparison views the sweep's rows as a comparison table.
func (s *Sweep) Comparison() *Comparison {
	c := &Comparison{SchemaVersion: s.SchemaVersion, CapsimVersion: s.CapsimVersion}
	for _, r := range s.Table {
		c.Table = append(c.Table, r.ComparisonRow)
	}
	return c
}
