package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/capsim/capsim/reports"
)

// TestSweepReplications: with --replications 3 every point runs on the
// seeds check derives, its row holds the means of the three runs (each
// reproducible alone with capsim run --seed) and their intervals; the
// table names the cheapest point meeting the SLO, terminal and Markdown.
func TestSweepReplications(t *testing.T) {
	p := writeScenario(t, gated+`sweep:
  scaling.policies[0].target: [40, 70]
`)
	out := t.TempDir()
	code, stdout, stderr := capsim(t, "sweep", "--replications", "3", "--out", out, p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sw reports.Sweep
	b, _ := os.ReadFile(filepath.Join(out, "sweep.json"))
	if err := json.Unmarshal(b, &sw); err != nil {
		t.Fatal(err)
	}
	seeds := reports.DeriveSeeds(5, 3)
	row := sw.Table[1]
	if row.Replicas == nil || row.Replicas.N != 3 || len(row.Replicas.Seeds) != 3 || row.Replicas.Seeds[2] != seeds[2] {
		t.Fatalf("replications of point 1: %+v", row.Replicas)
	}
	// The row's p99 is the mean of the three runs' p99, each as capsim run gives it.
	sum := 0.0
	for _, s := range seeds {
		js := filepath.Join(t.TempDir(), "r.json")
		// The grid point, as a scenario of its own.
		one := writeScenario(t, strings.Replace(gated, "target: 50", "target: 70", 1))
		if code, _, stderr := capsim(t, "run", "-q", "--seed", jsonNumber(s), "--json", js, one); code != 0 {
			t.Fatal(stderr)
		}
		var d reports.Document
		b, _ := os.ReadFile(js)
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		sum += d.Summary.LatencyMs.P99
	}
	if mean := sum / 3; !closeTo(row.P99Ms, mean) || row.Replicas.P99Ms.Low > mean || row.Replicas.P99Ms.High < mean {
		t.Errorf("point 1: p99 %g, interval %+v; the runs' mean is %g", row.P99Ms, row.Replicas.P99Ms, mean)
	}
	best, ok := sw.Cheapest()
	if !ok || best.CostUSD > sw.Table[0].CostUSD || best.CostUSD > sw.Table[1].CostUSD {
		t.Errorf("cheapest %+v of %+v", best, sw.Table)
	}
	want := "cheapest point meeting the SLO: " + jsonNumber(uint64(best.Point)) + " (scaling.policies[0].target="
	if !strings.Contains(stdout, want) {
		t.Errorf("stdout does not name the cheapest point (%q):\n%s", want, stdout)
	}
	if !strings.Contains(stdout, "each row is the mean of 3 replications, on seeds 5, ") || !strings.Contains(stdout, "), p99 ") ||
		!strings.Contains(stdout, " (95 % CI $") {
		t.Errorf("stdout does not say the rows are means, or the cheapest cost's interval:\n%s", stdout)
	}
	if md, _ := os.ReadFile(filepath.Join(out, "sweep.md")); !strings.Contains(string(md), "cheapest point meeting the SLO: ") ||
		!strings.Contains(string(md), "Each row is the mean of 3 replications") {
		t.Errorf("sweep.md:\n%s", md)
	}
	if code, _, stderr := capsim(t, "sweep", "--replications", "0", "--out", t.TempDir(), p); code != 2 || !strings.Contains(stderr, "--replications 0") {
		t.Errorf("--replications 0: exit %d, %s", code, stderr)
	}
}

func jsonNumber(v uint64) string { b, _ := json.Marshal(v); return string(b) }

func closeTo(a, b float64) bool { return a-b < 1e-9*max(1, b) && b-a < 1e-9*max(1, b) }
