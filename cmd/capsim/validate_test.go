package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/capsim/capsim/stack"
)

// TestMain lets `capsim validate` run inside the tests: validate starts its
// backends as `<this executable> backend ...`, which here is the test
// binary, so the test binary runs the CLI when asked for "backend".
//
// TestReadmeCommands runs the README's lines through a shell that finds this
// binary as `capsim` on its PATH; it sets readmeCLIEnv so that the binary
// is the CLI there too.
func TestMain(m *testing.M) {
	if os.Getenv(childCLI) == "1" { // a child process of TestHostileInputs
		os.Exit(run(append([]string{"capsim"}, os.Args[1:]...), os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "backend" {
		os.Exit(run(append([]string{"capsim"}, os.Args[1:]...), os.Stdout, os.Stderr))
	}
	if os.Getenv(readmeCLIEnv) == "1" {
		os.Exit(run(os.Args, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// childCLI set to 1 makes the test binary run the CLI (see TestMain).
const childCLI = "CAPSIM_TEST_RUN_CLI"

func TestValidateBadInputExits2(t *testing.T) {
	ok := writeScenario(t, validateScenario)
	for name, args := range map[string][]string{
		"no file":        {"validate"},
		"two files":      {"validate", ok, ok},
		"missing file":   {"validate", filepath.Join(t.TempDir(), "nope.yaml")},
		"short duration": {"validate", ok, "--duration", "1s"},
		"bad queue":      {"validate", "--queue", "nowhere", ok},
		"bad scenario":   {"validate", writeScenario(t, strings.Replace(validateScenario, "rps: 60", "rps: -1", 1))},
	} {
		if code, _, stderr := capsim(t, args...); code != exitInput {
			t.Errorf("%s: exit %d, want %d\n%s", name, code, exitInput, stderr)
		}
	}
}

const validateScenario = `name: cli validate
seed: 9
duration: 10m
traffic:
  synthetic: {shape: diurnal, mean_rps: 60, peak_to_trough: 2}
workload:
  service_time: {dist: lognormal, median: 20ms, p99: 60ms}
fleet: {instance_type: m5.large, min: 1, max: 4, desired: 2}
scaling:
  policies:
    - {name: cpu50, type: target_tracking, metric: cpu, target: 50}
load_balancer: {algorithm: power_of_two}
`

// TestValidateCLI runs `capsim validate` end to end for 5 s (flags after
// the file): the scaling notes, the table, the JSON report, and an exit
// code that agrees with the verdict. Whether the stack is within tolerance
// is the stack package's test.
func TestValidateCLI(t *testing.T) {
	if _, err := stack.FindHAProxy(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and %v", err)
		}
		t.Skip(err)
	}
	js := filepath.Join(t.TempDir(), "validate.json")
	code, stdout, stderr := capsim(t, "validate", writeScenario(t, validateScenario), "--duration", "5s", "--json", js)
	t.Logf("exit %d\n%s%s", code, stderr, stdout)
	for _, want := range []string{"fleet fixed at desired = 2", "traffic replaced by its mean rate", "random(2)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if !strings.Contains(stdout, "p99 ms") {
		t.Errorf("no comparison table on stdout")
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var rep stack.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Real.Requests < 200 || rep.Sim.Requests != rep.Real.Requests || len(rep.Rows) != 5 {
		t.Errorf("report: real %d requests, sim %d, %d rows", rep.Real.Requests, rep.Sim.Requests, len(rep.Rows))
	}
	want := exitOK
	if !rep.OK {
		want = exitFailed
	}
	if code != want {
		t.Errorf("exit %d but the report says ok=%v", code, rep.OK)
	}
}
