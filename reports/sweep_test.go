package reports

import (
	"strings"
	"testing"
)

func shardOf(version string, points ...int) *Sweep {
	sw := &Sweep{CapsimVersion: version, Scenario: "s", Points: 4}
	for _, p := range points {
		sw.Table = append(sw.Table, SweepRow{Point: p, ComparisonRow: ComparisonRow{Name: string(rune('a' + p))}})
	}
	return sw
}

func withRuns(sw *Sweep) *Sweep {
	for _, r := range sw.Table {
		sw.Runs = append(sw.Runs, &Document{Name: r.Name})
	}
	return sw
}

// MergeSweeps puts rows and full runs in grid order whatever the order of
// the shards, and refuses shards that do not belong together.
func TestMergeSweeps(t *testing.T) {
	m, err := MergeSweeps([]*Sweep{withRuns(shardOf("v1", 1, 3)), withRuns(shardOf("v1", 0, 2))})
	if err != nil {
		t.Fatal(err)
	}
	var rows, runs []string
	for i, r := range m.Table {
		rows = append(rows, r.Name)
		runs = append(runs, m.Runs[i].Name)
	}
	if got := strings.Join(rows, ""); got != "abcd" {
		t.Errorf("rows in order %q, want abcd", got)
	}
	if got := strings.Join(runs, ""); got != "abcd" {
		t.Errorf("runs in order %q, want abcd (beside their rows)", got)
	}
	for _, c := range []struct {
		name  string
		parts []*Sweep
		want  string
	}{
		{"other capsim", []*Sweep{shardOf("v1", 0, 2), shardOf("v2", 1, 3)}, "capsim v2"},
		{"repeated point", []*Sweep{shardOf("v1", 0, 2), shardOf("v1", 2, 1, 3)}, "grid point 2 appears twice"},
		{"missing point", []*Sweep{shardOf("v1", 0, 2), shardOf("v1", 1)}, "1 of 4 grid points missing"},
		{"full and not", []*Sweep{withRuns(shardOf("v1", 0, 2)), shardOf("v1", 1, 3)}, "all run with --full"},
	} {
		if _, err := MergeSweeps(c.parts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming %q", c.name, err, c.want)
		}
	}
}
