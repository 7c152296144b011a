package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/capsim/capsim/reports"
)

// gated is an autoscaled hour whose load varies minute to minute, so that
// seeds differ in p99 and in cost.
const gated = `name: gated
seed: 5
duration: 1h
traffic:
  synthetic: {shape: constant, rps: 50, noise: 0.05}
workload:
  service_time: {dist: exponential, mean: 20ms}
fleet: {instance_type: m5.large, min: 1, max: 8, desired: 2}
scaling:
  policies:
    - {name: cpu50, type: target_tracking, metric: cpu, target: 50}
slo: {p99: 500ms}
`

// checkBaseline writes the baseline main would: check --json with 5
// replications.
func checkBaseline(t *testing.T, scenario string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "baseline.json")
	if code, stdout, stderr := capsim(t, "check", "--replications", "5", "--json", out, writeScenario(t, scenario)); code != 0 {
		t.Fatalf("baseline: exit %d: %s %s", code, stdout, stderr)
	}
	return out
}

func readGate(t *testing.T, path string) reports.Gate {
	t.Helper()
	var g reports.Gate
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func verdicts(g reports.Gate) map[string]string {
	v := map[string]string{}
	for _, c := range g.Changes {
		v[c.Metric] = c.Verdict
	}
	return v
}

// TestCheckBaselineUnchanged: the same scenario against its own baseline
// reruns on the recorded seeds (common random numbers), pairs them, and
// finds no change at all: it passes.
func TestCheckBaselineUnchanged(t *testing.T) {
	base := checkBaseline(t, gated)
	dir := t.TempDir()
	js, md := filepath.Join(dir, "check.json"), filepath.Join(dir, "check.md")
	code, stdout, stderr := capsim(t, "check", "--replications", "5", "--baseline", base, "--json", js, "--markdown", md, writeScenario(t, gated))
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	g := readGate(t, js)
	b := readGate(t, base)
	if !g.Passed || len(g.Runs) != 1 || len(g.Runs[0].Replications) != 5 {
		t.Fatalf("gate: %+v", g)
	}
	for i, r := range g.Runs[0].Replications {
		if r.Seed != b.Runs[0].Replications[i].Seed {
			t.Errorf("replication %d ran on seed %d, the baseline's on %d", i, r.Seed, b.Runs[0].Replications[i].Seed)
		}
	}
	for _, c := range g.Changes {
		if c.Interval.Method != reports.MethodPaired || c.Change != 0 {
			t.Errorf("%s: change %g, interval %+v: want 0, paired", c.Metric, c.Change, c.Interval)
		}
	}
	if v := verdicts(g); v["p99_ms"] != reports.VerdictNoChange || v["cost_per_month_usd"] != reports.VerdictNoChange {
		t.Errorf("verdicts %v", v)
	}
	m, _ := os.ReadFile(md)
	for _, want := range []string{"| metric | baseline | candidate | change | 95 % interval | limit | verdict |", "| p99 |", "| cost per month |", "| cost per million requests |", "Cost per month $", "paired by seed"} {
		if !strings.Contains(string(m), want) {
			t.Errorf("markdown lacks %q:\n%s", want, m)
		}
	}
}

// TestCheckBaselineDoubledServiceTime: twice the CPU time per request is
// a regression of p99 and of cost; the exit is 1, the message names both,
// and JUnit has a failed case for each.
func TestCheckBaselineDoubledServiceTime(t *testing.T) {
	base := checkBaseline(t, gated)
	slow := strings.Replace(gated, "mean: 20ms", "mean: 40ms", 1)
	dir := t.TempDir()
	junit, js := filepath.Join(dir, "check.xml"), filepath.Join(dir, "check.json")
	code, stdout, stderr := capsim(t, "check", "--replications", "5", "--baseline", base, "--junit", junit, "--json", js, writeScenario(t, slow))
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s %s", code, stdout, stderr)
	}
	if !regexp.MustCompile(`check: 2 regression\(s\) \(gated: p99 \+[0-9.]+ ms \(\+[0-9.]+ %\), limit \+10 %; gated: cost per month \+\$[0-9.,]+ \(\+[0-9.]+ %\), limit \+5 %\)`).MatchString(stderr) {
		t.Errorf("message: %s", stderr)
	}
	if !strings.Contains(stdout, "FAIL gated: p99 ") || !strings.Contains(stdout, "FAIL gated: cost per month ") {
		t.Errorf("stdout: %s", stdout)
	}
	x, _ := os.ReadFile(junit)
	for _, want := range []string{`tests="4" failures="2"`, `<testcase name="p99_ms_increase"`, `<testcase name="cost_per_month_usd_increase"`, `exceeds the allowed +10 % with 95 % confidence`} {
		if !strings.Contains(string(x), want) {
			t.Errorf("JUnit lacks %q:\n%s", want, x)
		}
	}
	g := readGate(t, js)
	if g.Passed || verdicts(g)["p99_ms"] != reports.VerdictRegression || verdicts(g)["error_rate"] == reports.VerdictRegression {
		t.Errorf("verdicts %v", verdicts(g))
	}
}

// TestCheckBaselineNoiseOnly: the same scenario on other seeds differs by
// noise alone. Under limits tighter than that noise the point estimates
// may exceed them, but the intervals (Welch: the seeds do not pair) hold
// zero: "not significant", exit 0.
func TestCheckBaselineNoiseOnly(t *testing.T) {
	base := checkBaseline(t, gated)
	js := filepath.Join(t.TempDir(), "check.json")
	code, stdout, stderr := capsim(t, "check", "--replications", "5", "--seed", "99", "--baseline", base,
		"--max-p99-increase", "0.1%", "--max-cost-increase", "0.1%", "--json", js, writeScenario(t, gated))
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	g := readGate(t, js)
	for _, m := range []string{"p99_ms", "cost_per_month_usd"} {
		if v := verdicts(g)[m]; v != reports.VerdictNotSignificant {
			t.Errorf("%s: %s, want not significant", m, v)
		}
	}
	for _, c := range g.Changes {
		if c.Metric == "error_rate" { // no request fails on either side
			continue
		}
		if c.Change == 0 || c.Interval.Method != reports.MethodWelch {
			t.Errorf("%s: change %g by %s: other seeds should change the numbers and not pair", c.Metric, c.Change, c.Interval.Method)
		}
	}
	if !strings.Contains(stdout, "ok   gated: p99 ") || !strings.Contains(stdout, ": not significant") {
		t.Errorf("stdout: %s", stdout)
	}
}

// TestCheckBaselineKinds: a result.json and a compare.json are baselines
// too (one replication each, taken as exact); --baseline-variant picks
// the run to compare with.
func TestCheckBaselineKinds(t *testing.T) {
	dir := t.TempDir()
	sc := writeScenario(t, gated+"variants:\n  - name: cpu-70\n    set: {\"scaling.policies[0].target\": 70}\n")
	result, cmp := filepath.Join(dir, "result.json"), filepath.Join(dir, "compare.json")
	if code, _, stderr := capsim(t, "run", "-q", "--json", result, sc); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := capsim(t, "compare", "--json", cmp, sc); code != 0 {
		t.Fatal(stderr)
	}
	js := filepath.Join(dir, "check.json")
	if code, stdout, stderr := capsim(t, "check", "--baseline", result, "--json", js, sc); code != 0 {
		t.Fatalf("against result.json: exit %d: %s %s", code, stdout, stderr)
	}
	if g := readGate(t, js); g.Baseline.Kind != "result" || verdicts(g)["p99_ms"] != reports.VerdictNoChange {
		t.Errorf("result.json baseline: %+v %v", g.Baseline, verdicts(g))
	}
	if code, stdout, stderr := capsim(t, "check", "--replications", "3", "--baseline", cmp, "--baseline-variant", "cpu-70", "--json", js, sc); code == 2 {
		t.Fatalf("against compare.json: exit %d: %s %s", code, stdout, stderr)
	}
	g := readGate(t, js)
	if g.Baseline.Kind != "compare" || g.Changes[0].Interval.Method != reports.MethodFixedBaseline || g.Changes[0].Change == 0 {
		t.Errorf("compare.json baseline, variant cpu-70: %+v %+v", g.Baseline, g.Changes[0])
	}
}

// TestCheckBadBaseline: every bad input is exit 2 with a message that
// says what is wrong, and where.
func TestCheckBadBaseline(t *testing.T) {
	dir := t.TempDir()
	sc := writeScenario(t, gated)
	other := checkBaseline(t, strings.Replace(gated, "name: gated", "name: another", 1))
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte("{\n  \"schema_version\": \"1.0\",\n  \"kind\": \"capsim check\",\n  \"runs\": [\n    {\"name\": \"gated\",]\n"), 0o644)
	typed := filepath.Join(dir, "typed.json")
	os.WriteFile(typed, []byte("{\"schema_version\": \"1.0\", \"kind\": \"capsim check\",\n \"runs\": [{\"name\": \"gated\", \"replications\": [{\"seed\": \"five\"}]}]}\n"), 0o644)
	notOurs := filepath.Join(dir, "package.json")
	os.WriteFile(notOurs, []byte(`{"name": "x"}`), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--baseline", other}, `holds another, not "gated": a baseline of another scenario`},
		{[]string{"--baseline", broken}, broken + ":5:22: JSON syntax error: invalid character ']'"},
		{[]string{"--baseline", typed}, typed + ":2:60: field runs.replications.seed: string where a uint64 belongs"},
		{[]string{"--baseline", notOurs}, "not a capsim result.json, compare.json or check --json output"},
		{[]string{"--baseline", filepath.Join(dir, "absent.json")}, "no such file"},
		{[]string{"--baseline", other, "--baseline-variant", "nope"}, `not "nope"`},
		{[]string{"--baseline-variant", "x"}, "--baseline-variant needs --baseline"},
		{[]string{"--max-p99-increase", "ten"}, `--max-p99-increase "ten": want a number of percent`},
		{[]string{"--max-error-rate-increase", "0.1%"}, "percentage points"},
		{[]string{"--replications", "0"}, "--replications 0"},
		{[]string{"--confidence", "95"}, "--confidence 95"},
	} {
		code, _, stderr := capsim(t, append(append([]string{"check"}, c.args...), sc)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}
