package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// capsim runs the CLI in-process and returns its exit code and output.
func capsim(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"capsim"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func writeScenario(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// short is a small autoscaled scenario that runs in well under a second.
const short = `name: short
seed: 5
duration: 20m
traffic:
  synthetic: {shape: constant, rps: 50}
workload:
  service_time: {dist: exponential, mean: 20ms}
fleet: {instance_type: m5.large, min: 1, max: 4, desired: 2}
scaling:
  policies:
    - {name: cpu50, type: target_tracking, metric: cpu, target: 50}
slo: {p99: 500ms}
`

func TestRunWritesAllOutputs(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := capsim(t, "run", "--quiet", "--out", dir, writeScenario(t, short))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"result.json", "timeseries.csv", "report.html"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	for _, want := range []string{"requests", "latency p50 / p99", "instances peak / mean", "cost"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	var doc map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "result.json"))
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema_version", "capsim_version", "scenario", "seed", "summary", "scaling_activities", "timeseries"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("result.json lacks %q", k)
		}
	}
	rows := doc["timeseries"].([]any)
	if len(rows) != 20 {
		t.Errorf("%d time-series rows, want 20 (one per minute)", len(rows))
	}
	summary := doc["summary"].(map[string]any)
	for _, k := range []string{"requests", "latency_ms", "wait_ms", "instances", "utilization", "cost", "slo"} {
		if _, ok := summary[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
}

// TestRunDeterministic: same scenario and seed, byte-identical JSON; another
// seed, different numbers.
func TestRunDeterministic(t *testing.T) {
	p := writeScenario(t, short)
	get := func(args ...string) []byte {
		f := filepath.Join(t.TempDir(), "r.json")
		if code, _, stderr := capsim(t, append([]string{"run", "--quiet", "--json", f}, append(args, p)...)...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, _ := os.ReadFile(f)
		return b
	}
	a, b, c := get(), get(), get("--seed", "6")
	if !bytes.Equal(a, b) {
		t.Error("same seed gave different JSON")
	}
	if bytes.Equal(a, c) {
		t.Error("--seed 6 gave the same JSON as seed 5")
	}
}

// TestBadInputExitCode: a bad scenario exits 2, names file:line:column and
// field, and writes nothing.
func TestBadInputExitCode(t *testing.T) {
	bad := strings.Replace(short, "max: 4", "max: 0", 1)
	p := writeScenario(t, bad)
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := capsim(t, "run", "--quiet", "--out", dir, p)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr, "s.yaml:8:") || !strings.Contains(stderr, "fleet.") {
		t.Errorf("error does not name file:line and field: %s", stderr)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("output directory written on bad input")
	}
	code, _, stderr = capsim(t, "lint", p)
	if code != 2 || !strings.Contains(stderr, "s.yaml:8:") {
		t.Errorf("lint: exit %d, %s", code, stderr)
	}
	if code, _, _ := capsim(t, "lint", writeScenario(t, short)); code != 0 {
		t.Errorf("lint of a good file: exit %d", code)
	}
	if code, _, _ := capsim(t, "run", "--no-such-flag"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	if code, _, _ := capsim(t, "run", "--quiet", filepath.Join(t.TempDir(), "missing.yaml")); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
}

func TestSchemaAndVersion(t *testing.T) {
	code, out, _ := capsim(t, "schema")
	var schema map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &schema) != nil {
		t.Fatalf("schema: exit %d, not JSON", code)
	}
	code, out, _ = capsim(t, "version")
	if code != 0 || !strings.Contains(out, version) {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// TestCompare: the base and each variant run on the same traffic; the
// comparison lists them in order and marks nothing as best when only the
// policy differs in name.
func TestCompare(t *testing.T) {
	p := writeScenario(t, short+`variants:
  - name: cpu-80
    set: {"scaling.policies[0].target": 80}
`)
	dir := t.TempDir()
	code, stdout, stderr := capsim(t, "compare", "--out", dir, p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "short") || !strings.Contains(stdout, "cpu-80") {
		t.Errorf("table lacks the runs:\n%s", stdout)
	}
	var cmp struct {
		Runs  []map[string]any `json:"runs"`
		Table []struct {
			Name     string `json:"name"`
			Requests int64  `json:"requests"`
		} `json:"comparison"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "compare.json"))
	if err := json.Unmarshal(b, &cmp); err != nil {
		t.Fatal(err)
	}
	if len(cmp.Runs) != 2 || cmp.Table[1].Name != "cpu-80" {
		t.Fatalf("runs %d, table %+v", len(cmp.Runs), cmp.Table)
	}
	// Common random numbers: the same arrivals in both runs.
	if cmp.Table[0].Requests != cmp.Table[1].Requests {
		t.Errorf("requests differ between variants: %d vs %d", cmp.Table[0].Requests, cmp.Table[1].Requests)
	}
	if md, _ := os.ReadFile(filepath.Join(dir, "compare.md")); !strings.Contains(string(md), "| cpu-80 |") {
		t.Errorf("markdown lacks the variant:\n%s", md)
	}
}

// TestCheck: the CI gate exits 0 when every SLO holds and 1 when one is
// missed, and writes JUnit XML with one test case per check.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	junit := filepath.Join(dir, "slo.xml")
	code, stdout, stderr := capsim(t, "check", "--junit", junit, writeScenario(t, short))
	if code != 0 {
		t.Fatalf("passing SLO: exit %d: %s %s", code, stdout, stderr)
	}
	strict := strings.Replace(short, "slo: {p99: 500ms}", "slo: {p99: 1ms}", 1)
	md := filepath.Join(dir, "slo.md")
	code, stdout, _ = capsim(t, "check", "--junit", junit, "--markdown", md, writeScenario(t, strict))
	// Terminal, JUnit and Markdown each name the failed check, its value
	// and its limit, rounded for people.
	failed := regexp.MustCompile(`p99 [0-9.]+ ms (\(limit 1 ms\)|exceeds its limit 1 ms)`)
	if code != 1 || !strings.Contains(stdout, "FAIL short: p99 ") || !failed.MatchString(stdout) {
		t.Errorf("missed SLO: exit %d, %s", code, stdout)
	}
	x, _ := os.ReadFile(junit)
	if !strings.Contains(string(x), `<testsuites name="capsim" tests="1" failures="1">`) || !strings.Contains(string(x), `<testcase name="p99_ms"`) ||
		!regexp.MustCompile(`<failure message="p99 [0-9.]+ ms exceeds its limit 1 ms"`).Match(x) {
		t.Errorf("JUnit XML:\n%s", x)
	}
	if m, _ := os.ReadFile(md); !regexp.MustCompile(`\| \*\*NOT met\*\*: p99 [0-9.]+ ms \(limit 1 ms\) \|`).Match(m) {
		t.Errorf("markdown does not name the failed check:\n%s", m)
	}
}

// TestSweepShardsMerge: a 2 × 2 grid run whole equals the same grid run as
// two shards and merged; a missing shard is an error.
func TestSweepShardsMerge(t *testing.T) {
	p := writeScenario(t, short+`sweep:
  scaling.policies[0].target: [40, 70]
  load_balancer.algorithm: [round_robin, power_of_two]
`)
	whole, s0, s1, merged := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	if code, _, stderr := capsim(t, "sweep", "--out", whole, p); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	if code, _, stderr := capsim(t, "sweep", "--shard", "0/2", "--out", s0, p); code != 0 {
		t.Fatalf("shard 0: exit %d: %s", code, stderr)
	}
	if code, _, stderr := capsim(t, "sweep", "--shard", "1/2", "--out", s1, p); code != 0 {
		t.Fatalf("shard 1: exit %d: %s", code, stderr)
	}
	f0, f1 := filepath.Join(s0, "sweep-0-of-2.json"), filepath.Join(s1, "sweep-1-of-2.json")
	if code, _, stderr := capsim(t, "merge", "--out", merged, f1, f0); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	table := func(path string) []map[string]any {
		var sw struct {
			Points int              `json:"points"`
			Table  []map[string]any `json:"comparison"`
		}
		b, _ := os.ReadFile(path)
		if err := json.Unmarshal(b, &sw); err != nil {
			t.Fatal(err)
		}
		if sw.Points != 4 {
			t.Fatalf("%s: %d points, want 4", path, sw.Points)
		}
		return sw.Table
	}
	a, b := table(filepath.Join(whole, "sweep.json")), table(filepath.Join(merged, "sweep.json"))
	if len(a) != 4 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("whole sweep and merged shards differ:\n%v\n%v", a, b)
	}
	if name := a[3]["name"]; name != "scaling.policies[0].target=70,load_balancer.algorithm=power_of_two" {
		t.Errorf("grid point 3 is %v: the first axis must vary slowest", name)
	}
	if code, _, stderr := capsim(t, "merge", "--out", t.TempDir(), f0); code != 2 || !strings.Contains(stderr, "missing") {
		t.Errorf("merge with a shard missing: exit %d, %s", code, stderr)
	}
}
