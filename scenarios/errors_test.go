package scenarios

import (
	"github.com/capsim/capsim/sim"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// valid is a small scenario that parses; the cases below break one thing
// in it at a known line and column.
const valid = `duration: 1h
traffic:
  synthetic: {shape: constant, rps: 100}
workload:
  service_time: {dist: exponential, mean: 50ms}
fleet:
  instance_type: m5.large
  min: 2
  max: 10
`

func TestValidParses(t *testing.T) {
	if _, err := Parse("ok.yaml", []byte(valid), ""); err != nil {
		t.Fatalf("the base of the error cases does not parse:\n%v", err)
	}
}

// want is one expected problem: its "line:col: field" and a part of its
// message.
type want struct {
	at, field, msg string
}

// wantProblems parses src as case.yaml (relative paths from dir) and
// checks that it fails with exactly the problems want lists, in order,
// each on one line.
func wantProblems(t *testing.T, dir, src string, want []want) {
	t.Helper()
	_, err := Parse("case.yaml", []byte(src), dir)
	if err == nil {
		t.Fatalf("no error for:\n%s", src)
	}
	es, ok := AsErrors(err)
	if !ok {
		t.Fatalf("error is %T, not Errors: %v", err, err)
	}
	if len(es) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(es), len(want), err)
	}
	for i, w := range want {
		prefix := "case.yaml:" + w.at + ": "
		if w.field != "" {
			prefix += w.field + ": "
		}
		got := es[i].Error()
		if !strings.HasPrefix(got, prefix) || !strings.Contains(got[len(prefix)-2:], w.msg) {
			t.Errorf("problem %d:\n got  %s\n want %s…%s", i, got, prefix, w.msg)
		}
		if strings.Contains(got, "\n") {
			t.Errorf("problem %d spans lines: %q", i, got)
		}
	}
}

// edit replaces old with new in the valid scenario (once, and it must be there).
func edit(t *testing.T, old, new string) string {
	t.Helper()
	return editOnce(t, "the valid scenario", valid, old, new)
}

// editOnce replaces old with new in src, once; old must be there (what
// names src in the failure).
func editOnce(t *testing.T, what, src, old, new string) string {
	t.Helper()
	if !strings.Contains(src, old) {
		t.Fatalf("edit: %q is not in %s", old, what)
	}
	return strings.Replace(src, old, new, 1)
}

// mustBuild parses src as file name and builds its simulation (both
// returned), failing the
// test on any error; the build's inputs close when the test ends.
func mustBuild(t *testing.T, name, src string) (*Scenario, *sim.Config) {
	t.Helper()
	s, err := Parse(name, []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	cfg, closer, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closer.Close() })
	return s, cfg
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name string
		yaml func(t *testing.T) string
		want []want
	}{
		{"unknown top-level key",
			func(t *testing.T) string { return "duraton: 1h\n" + valid },
			[]want{{"1:1", "duraton", `unknown key "duraton" (did you mean "duration"?)`}}},
		{"unknown nested key",
			func(t *testing.T) string { return edit(t, "  max: 10\n", "  max: 10\n  mins: 1\n") },
			[]want{{"10:3", "fleet.mins", `unknown key "mins" (did you mean "min"?)`}}},
		{"unknown key in a flow mapping",
			func(t *testing.T) string { return edit(t, "rps: 100}", "rps: 100, rsp: 3}") },
			[]want{{"3:42", "traffic.synthetic.rsp", `unknown key "rsp"`}}},
		{"unknown key with no near name lists the keys",
			func(t *testing.T) string { return edit(t, "  min: 2\n", "  min: 2\n  colour: red\n") },
			[]want{{"9:3", "fleet.colour", "known keys: instance_type, min, max, desired,"}}},
		{"wrong type: string for int",
			func(t *testing.T) string { return edit(t, "min: 2", "min: two") },
			[]want{{"8:8", "fleet.min", `expected a whole number, got "two"`}}},
		{"wrong type: fraction for int",
			func(t *testing.T) string { return edit(t, "min: 2", "min: 2.5") },
			[]want{{"8:8", "fleet.min", `expected a whole number, got "2.5"`}}},
		{"wrong type: mapping for number",
			func(t *testing.T) string { return edit(t, "max: 10", "max: {a: 1}") },
			[]want{{"9:8", "fleet.max", "expected a whole number, got a mapping"}}},
		{"wrong type: scalar for mapping",
			func(t *testing.T) string {
				return edit(t, "fleet:\n  instance_type: m5.large\n  min: 2\n  max: 10\n", "fleet: big\n")
			},
			[]want{{"6:8", "fleet", `expected a mapping of keys to values, got "big"`}}},
		{"wrong type: scalar for list",
			func(t *testing.T) string {
				return edit(t, "  max: 10\n", "  max: 10\n  termination_policies: Default\n")
			},
			[]want{{"10:25", "fleet.termination_policies", `expected a list, got "Default"`}}},
		{"wrong type: bool",
			func(t *testing.T) string {
				return valid + "scaling:\n  policies:\n    - {type: target_tracking, metric: cpu, target: 50, disable_scale_in: yes}\n"
			},
			[]want{{"12:74", "scaling.policies[0].disable_scale_in", `expected true or false, got "yes"`}}},
		{"infinite number",
			func(t *testing.T) string { return edit(t, "rps: 100", "rps: .inf") },
			[]want{{"3:37", "traffic.synthetic.rps", "must be a finite number"}}},
		{"duration without unit",
			func(t *testing.T) string { return edit(t, "duration: 1h", "duration: 90") },
			[]want{{"1:11", "duration", `"90" is not a duration: add a unit, e.g. 90s`}}},
		{"malformed duration",
			func(t *testing.T) string { return edit(t, "duration: 1h", "duration: soon") },
			[]want{{"1:11", "duration", `"soon" is not a duration`}}},
		{"zero duration",
			func(t *testing.T) string { return edit(t, "duration: 1h", "duration: 0s") },
			[]want{{"1:11", "duration", "must be greater than 0, got 0s"}}},
		{"negative duration",
			func(t *testing.T) string { return edit(t, "mean: 50ms", "mean: -50ms") },
			[]want{{"5:43", "workload.service_time.mean", "must be greater than 0, got -50ms"}}},
		{"zero timeout",
			func(t *testing.T) string { return edit(t, "mean: 50ms}\n", "mean: 50ms}\n  timeout: 0s\n") },
			[]want{{"6:12", "workload.timeout", "must be greater than 0, got 0s"}}},
		{"zero rate",
			func(t *testing.T) string { return edit(t, "rps: 100", "rps: 0") },
			[]want{{"3:37", "traffic.synthetic.rps", "must be greater than 0, got 0"}}},
		{"negative scale",
			func(t *testing.T) string { return edit(t, "rps: 100}\n", "rps: 100}\n  scale: -1\n") },
			[]want{{"4:10", "traffic.scale", "must be greater than 0, got -1"}}},
		{"min greater than max",
			func(t *testing.T) string { return edit(t, "min: 2", "min: 12") },
			[]want{{"8:8", "fleet.min", "min (12) is greater than max (10)"}}},
		{"desired above max",
			func(t *testing.T) string { return edit(t, "  max: 10\n", "  max: 10\n  desired: 11\n") },
			[]want{{"10:12", "fleet.desired", "desired (11) is outside [min, max] = [2, 10]"}}},
		{"desired below min",
			func(t *testing.T) string { return edit(t, "  max: 10\n", "  max: 10\n  desired: 1\n") },
			[]want{{"10:12", "fleet.desired", "desired (1) is outside [min, max] = [2, 10]"}}},
		{"missing max",
			func(t *testing.T) string { return edit(t, "  max: 10\n", "") },
			[]want{{"6:1", "fleet", "needs max"}}},
		{"unknown instance type lists near names",
			func(t *testing.T) string { return edit(t, "m5.large", "m5.lrge") },
			[]want{{"7:18", "fleet.instance_type", `unknown instance type "m5.lrge" (did you mean m5.large,`}}},
		{"unknown LB algorithm",
			func(t *testing.T) string { return valid + "load_balancer: {algorithm: least_conn}\n" },
			[]want{{"10:28", "load_balancer.algorithm", `unknown algorithm "least_conn"`}}},
		{"unknown distribution",
			func(t *testing.T) string { return edit(t, "dist: exponential", "dist: weibull") },
			[]want{{"5:24", "workload.service_time.dist", `unknown dist "weibull" (known: exponential, lognormal, constant, gamma, erlang)`}}},
		{"lognormal p99 below median",
			func(t *testing.T) string {
				return edit(t, "dist: exponential, mean: 50ms", "dist: lognormal, median: 40ms, p99: 10ms")
			},
			[]want{{"5:54", "workload.service_time.p99", "p99 (10ms) is less than median (40ms)"}}},
		{"lognormal missing p99",
			func(t *testing.T) string {
				return edit(t, "dist: exponential, mean: 50ms", "dist: lognormal, median: 40ms")
			},
			[]want{{"5:3", "workload.service_time", "dist lognormal needs median and p99"}}},
		{"parameter of another distribution",
			func(t *testing.T) string { return edit(t, "mean: 50ms", "mean: 50ms, p99: 1s") },
			[]want{{"5:54", "workload.service_time.p99", "does not apply to dist exponential (it takes mean)"}}},
		{"gamma arrivals without cv",
			func(t *testing.T) string { return edit(t, "rps: 100}\n", "rps: 100}\n  arrivals: {process: gamma}\n") },
			[]want{{"4:3", "traffic.arrivals", "process gamma needs cv"}}},
		{"unknown arrival process",
			func(t *testing.T) string { return edit(t, "rps: 100}\n", "rps: 100}\n  arrivals: {process: bursty}\n") },
			[]want{{"4:23", "traffic.arrivals.process", `unknown process "bursty"`}}},
		{"unknown policy type",
			func(t *testing.T) string {
				return valid + "scaling:\n  policies:\n    - {type: magic, metric: cpu, target: 50}\n"
			},
			[]want{{"12:14", "scaling.policies[0].type", `unknown policy type "magic"`}}},
		{"step policy without an alarm, and a misspelt step key",
			func(t *testing.T) string {
				return valid + "scaling:\n  policies:\n    - name: steps\n      type: step\n      steps: [{lower: 0, change: 1}]\n"
			},
			[]want{{"12:7", "scaling.policies[0]", "a step policy needs an alarm"},
				{"14:26", "scaling.policies[0].steps[0].change", `unknown key "change"`}}},
		{"a key of another policy type",
			func(t *testing.T) string {
				return valid + "scaling:\n  policies:\n    - {type: target_tracking, metric: cpu, target: 50, cooldown: 60s}\n"
			},
			[]want{{"12:66", "scaling.policies[0].cooldown", "does not apply to a target_tracking policy"}}},
		{"overlapping steps",
			func(t *testing.T) string {
				return valid + "scaling:\n  policies:\n    - type: step\n      alarm: {metric: cpu, comparison: GreaterThanThreshold, threshold: 50}\n      steps: [{lower: 0, upper: 20, adjustment: 1}, {lower: 10, adjustment: 2}]\n"
			},
			[]want{{"14:7", "scaling.policies[0].steps", "overlaps"}}},
		{"invalid cron",
			func(t *testing.T) string {
				return valid + "scaling:\n  policies:\n    - {type: scheduled, recurrence: '61 * * * *', desired: 3}\n"
			},
			[]want{{"12:37", "scaling.policies[0].recurrence", "above maximum"}}},
		{"unknown time zone",
			func(t *testing.T) string {
				return valid + "scaling:\n  policies:\n    - {type: scheduled, recurrence: '0 8 * * *', time_zone: Mars/Olympus, desired: 3}\n"
			},
			[]want{{"12:61", "scaling.policies[0].time_zone", "unknown IANA time zone"}}},
		{"target tracking on a total",
			func(t *testing.T) string {
				return valid + "scaling:\n  policies:\n    - {type: target_tracking, metric: request_count, target: 1000}\n"
			},
			[]want{{"12:39", "scaling.policies[0].metric", "falls as capacity grows"}}},
		{"cpu target above 100",
			func(t *testing.T) string {
				return valid + "scaling:\n  policies:\n    - {type: target_tracking, metric: cpu, target: 150}\n"
			},
			[]want{{"12:52", "scaling.policies[0].target", "a cpu target is a percentage: at most 100, got 150"}}},
		{"zero target",
			func(t *testing.T) string {
				return valid + "scaling:\n  policies:\n    - {type: target_tracking, metric: request_count_per_target, target: 0}\n"
			},
			[]want{{"12:73", "scaling.policies[0].target", "must be greater than 0, got 0"}}},
		{"traffic with both synthetic and trace",
			func(t *testing.T) string {
				return edit(t, "rps: 100}\n", "rps: 100}\n  trace: {file: x.csv, format: rate-csv}\n")
			},
			[]want{{"2:1", "traffic", "has both synthetic and trace: give exactly one"}}},
		{"traffic with neither",
			func(t *testing.T) string {
				return edit(t, "  synthetic: {shape: constant, rps: 100}\n", "  scale: 2\n")
			},
			[]want{{"2:1", "traffic", "needs exactly one of synthetic (a shape) or trace (a file)"}}},
		{"missing trace file",
			func(t *testing.T) string {
				return edit(t, "  synthetic: {shape: constant, rps: 100}\n", "  trace: {file: missing.csv, format: rate-csv}\n")
			},
			[]want{{"3:17", "traffic.trace.file", "cannot open trace missing.csv (resolved to testdata/missing.csv, relative to the scenario file): no such file"}}},
		{"malformed trace row",
			func(t *testing.T) string {
				return edit(t, "  synthetic: {shape: constant, rps: 100}\n", "  trace: {file: bad_row.csv, format: rate-csv, time_column: unix_ts, value_column: requests}\n")
			},
			[]want{{"3:17", "traffic.trace.file", `bad_row.csv:4: column "requests": "abc" is not a number`}}},
		{"trace setting of another format",
			func(t *testing.T) string {
				return edit(t, "  synthetic: {shape: constant, rps: 100}\n", "  trace: {file: access.log, format: clf, interval: 1m}\n")
			},
			[]want{{"3:52", "traffic.trace.interval", "applies to rate-csv only, not format clf"}}},
		{"unknown synthetic shape",
			func(t *testing.T) string { return edit(t, "shape: constant", "shape: square") },
			[]want{{"3:22", "traffic.synthetic.shape", `unknown shape "square"`}}},
		{"parameter of another shape",
			func(t *testing.T) string { return edit(t, "rps: 100", "rps: 100, mean_rps: 5") },
			[]want{{"3:52", "traffic.synthetic.mean_rps", "does not apply to shape constant (it takes rps)"}}},
		{"diurnal peak_to_trough below 1",
			func(t *testing.T) string {
				return edit(t, "{shape: constant, rps: 100}", "{shape: diurnal, mean_rps: 100, peak_to_trough: 0.5}")
			},
			[]want{{"3:62", "traffic.synthetic.peak_to_trough", "must be at least 1, got 0.5"}}},
		{"synthetic needs a duration",
			func(t *testing.T) string { return edit(t, "duration: 1h\n", "") },
			[]want{{"1:1", "duration", "is required with synthetic traffic"}}},
		{"slow start outside the ALB's range",
			func(t *testing.T) string { return valid + "load_balancer: {slow_start: 10s}\n" },
			[]want{{"10:29", "load_balancer.slow_start", "between 30s and 900s"}}},
		{"slow start with least outstanding requests",
			func(t *testing.T) string {
				return valid + "load_balancer: {algorithm: least_outstanding_requests, slow_start: 60s}\n"
			},
			[]want{{"10:68", "load_balancer.slow_start", "cannot combine slow start with least_outstanding_requests"}}},
		{"metric period not a multiple of 10s",
			func(t *testing.T) string { return valid + "metrics: {period: 45s}\n" },
			[]want{{"10:19", "metrics.period", "must be a multiple of 10s"}}},
		{"unknown region",
			func(t *testing.T) string { return valid + "pricing: {region: eu-west-1}\n" },
			[]want{{"10:19", "pricing.region", `no prices for region "eu-west-1"`}}},
		{"termination policy Default not last",
			func(t *testing.T) string {
				return edit(t, "  max: 10\n", "  max: 10\n  termination_policies: [Default, OldestInstance]\n")
			},
			[]want{{"10:26", "fleet.termination_policies[0]", "Default must be the last termination policy"}}},
		{"variant sets an unknown field path",
			func(t *testing.T) string {
				return valid + "variants:\n  - name: v\n    set: {\"scaling.policies[0].target\": 70}\n"
			},
			[]want{{"12:11", "variants[0].set.\"scaling.policies[0].target\"", "scaling.policies has 0 entries, so [0] does not exist"}}},
		{"sweep over a misspelt path",
			func(t *testing.T) string { return valid + "sweep:\n  fleet.instance_typ: [m5.large]\n" },
			[]want{{"11:3", "sweep.\"fleet.instance_typ\"", `no key "instance_typ" under fleet (did you mean "instance_type"?)`}}},
		{"YAML syntax error",
			func(t *testing.T) string { return edit(t, "min: 2", "min: [2") },
			[]want{{"9:3", "", "',' or ']' must be specified"}}},
		{"duplicate key",
			func(t *testing.T) string { return edit(t, "  max: 10\n", "  max: 10\n  min: 3\n") },
			[]want{{"10:3", "", `mapping key "min" already defined at line 8, column 3`}}},
		{"two documents",
			func(t *testing.T) string { return valid + "---\nname: again\n" },
			[]want{{"10:1", "", "a scenario file holds one YAML document"}}},
		{"not a mapping",
			func(t *testing.T) string { return "- 1\n- 2\n" },
			[]want{{"1:1", "", "expected a mapping of keys to values, got a list"}}},
		{"empty file",
			func(t *testing.T) string { return "# nothing here\n" },
			[]want{{"1:1", "", "the file is empty"}}},
		{"alias without anchor",
			func(t *testing.T) string { return edit(t, "min: 2", "min: *two") },
			[]want{{"8:8", "fleet.min", "alias *two has no anchor &two before it"}}},
		{"every problem is reported, in line order",
			func(t *testing.T) string {
				s := edit(t, "duration: 1h", "duration: 1")
				s = strings.Replace(s, "dist: exponential", "dist: weibull", 1)
				s = strings.Replace(s, "min: 2", "min: 20", 1)
				return "nmae: x\n" + s
			},
			[]want{
				{"1:1", "nmae", `unknown key "nmae" (did you mean "name"?)`},
				{"2:11", "duration", `"1" is not a duration`},
				{"6:24", "workload.service_time.dist", `unknown dist "weibull"`},
				{"9:8", "fleet.min", "min (20) is greater than max (10)"},
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := c.yaml(t)
			wantProblems(t, "testdata", src, c.want)
		})
	}
}

func TestErrorFormat(t *testing.T) {
	e := Error{File: "checkout.yaml", Line: 12, Column: 5, Field: "fleet.min", Msg: "min (5) is greater than max (3)"}
	if got, want := e.Error(), "checkout.yaml:12:5: fleet.min: min (5) is greater than max (3)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e = Error{File: "x.yaml", Msg: "too big"}
	if got, want := e.Error(), "x.yaml: too big"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	es := make(Errors, maxPrinted+3)
	for i := range es {
		es[i] = Error{File: "f", Line: i + 1, Column: 1, Msg: "m"}
	}
	lines := strings.Split(es.Error(), "\n")
	if len(lines) != maxPrinted+1 || lines[maxPrinted] != "(and 3 more problems)" {
		t.Errorf("long Errors printed as %d lines ending %q", len(lines), lines[len(lines)-1])
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "checkout.yaml")
	if err := os.WriteFile(p, []byte(edit(t, "min: 2", "min: 12")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(p)
	if err == nil || err.Error() != p+":8:8: fleet.min: min (12) is greater than max (10)" {
		t.Errorf("Load error = %v", err)
	}
	if _, err := Load(filepath.Join(dir, "nope.yaml")); err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("Load of a missing file: %v", err)
	}
}
