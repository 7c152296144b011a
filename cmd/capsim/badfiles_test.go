package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadJSONInputs: `check --baseline` and `merge` given a file that is
// cut short, of another kind, a directory or a device exit 2 with a
// message naming the file (and, for broken JSON, its line and column),
// and merge writes nothing.
func TestBadJSONInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A real shard, then the same cut short as a run that died leaves it.
	sc := writeScenario(t, short+"sweep:\n  fleet.max: [3, 4]\n")
	shards := t.TempDir()
	if code, _, stderr := capsim(t, "sweep", "--shard", "0/2", "--out", shards, sc); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	shard, err := os.ReadFile(filepath.Join(shards, "sweep-0-of-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	truncated := write("sweep-0-of-2.json", string(shard[:len(shard)/2]))
	array := write("array.json", "[1, 2]\n")
	noRuns := write("no-runs.json", `{"schema_version": "1.0", "runs": []}`)
	result := write("result.json", `{"schema_version": "1.0", "name": "short", "summary": {}}`)
	farPoint := write("far.json", `{"schema_version": "1.0", "scenario": "short", "points": 2, "shard": {"index": 0, "count": 1}, "comparison": [{"point": 7}]}`)
	huge := write("huge.json", `{"schema_version": "1.0", "scenario": "short", "points": 9000000000000000000, "shard": {"index": 0, "count": 1}, "comparison": [{"point": 0}]}`)
	folder := filepath.Join(dir, "folder.json")
	os.Mkdir(folder, 0o755)

	gate := writeScenario(t, gated)
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"baseline cut short", []string{"check", "--baseline", truncated, gate}, []string{truncated + ":", ": JSON syntax error: unexpected end of JSON input"}},
		{"baseline a JSON array", []string{"check", "--baseline", array, gate}, []string{array + ":1:1: the file is a JSON array, not an object"}},
		{"baseline a sweep shard", []string{"check", "--baseline", filepath.Join(shards, "sweep-0-of-2.json"), gate}, []string{"sweep-0-of-2.json: not a capsim result.json, compare.json or check --json output"}},
		{"baseline with no runs", []string{"check", "--baseline", noRuns, gate}, []string{noRuns + ": a compare file with no runs"}},
		{"baseline a directory", []string{"check", "--baseline", folder, gate}, []string{folder, "it is a directory, not a file"}},
		{"baseline a device", []string{"check", "--baseline", os.DevNull, gate}, []string{os.DevNull, "it is a device"}},
		{"merge a cut-short shard", []string{"merge", truncated}, []string{truncated + ":", ": JSON syntax error: unexpected end of JSON input"}},
		{"merge a result.json", []string{"merge", result}, []string{result + ": not a capsim sweep file"}},
		{"merge a JSON array", []string{"merge", array}, []string{array + ":1:1: the file is a JSON array, not an object"}},
		{"merge a directory", []string{"merge", folder}, []string{folder, "it is a directory, not a file"}},
		{"merge a device", []string{"merge", os.DevNull}, []string{os.DevNull, "it is a device"}},
		{"merge a point outside the grid", []string{"merge", farPoint}, []string{"grid point 7, outside the sweep's 0 to 1"}},
		{"merge 9e18 points", []string{"merge", huge}, []string{"8999999999999999999 of 9000000000000000000 grid points missing (first: [1 2 3 4 5 6 7 8 9 10])"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			out := filepath.Join(t.TempDir(), "out")
			if args[0] == "merge" {
				args = append([]string{"merge", "--out", out}, args[1:]...)
			}
			code, _, stderr := capsim(t, args...)
			if code != 2 {
				t.Errorf("exit %d, want 2: %s", code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
			if strings.Contains(stderr, "panic") || strings.Count(stderr, "\n") > 3 {
				t.Errorf("not one clear message: %q", stderr)
			}
			if _, err := os.Stat(filepath.Join(out, "sweep.json")); err == nil {
				t.Error("a failed merge wrote sweep.json")
			}
		})
	}
}
