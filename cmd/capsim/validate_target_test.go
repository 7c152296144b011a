package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/capsim/capsim/stack"
)

const targetScenario = `name: cli target
seed: 2
duration: 6s
traffic:
  synthetic: {shape: constant, rps: 20}
workload:
  service_time: {dist: exponential, mean: 20ms}
  timeout: 5s
instance_types:
  - {name: sim.c4, vcpu: 4, memory_gib: 8, speed: 1.0, usd_per_hour: 0.2}
fleet: {instance_type: sim.c4, min: 1, max: 1, desired: 1, zones: 1}
load_balancer: {overhead: 0s}
`

// TestValidateTargetCLI: `capsim validate --target URL` replays the load
// against the named server (a local httptest server) and writes the
// report; the target flags without --target, a bad URL and a rate above
// --max-rate are input errors.
func TestValidateTargetCLI(t *testing.T) {
	b := stack.NewBackend(4)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		b.ServeHTTP(w, r)
	}))
	defer srv.Close()
	sc := writeScenario(t, targetScenario)
	js := filepath.Join(t.TempDir(), "v.json")
	code, stdout, stderr := capsim(t, "validate", sc, "--target", srv.URL, "--json", js)
	t.Logf("exit %d\n%s%s", code, stderr, stdout)
	if code != exitOK && code != exitFailed {
		t.Fatalf("exit %d", code)
	}
	raw, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var rep stack.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "target" || rep.Real.Requests < 90 || rep.Real.Requests != rep.Sim.Requests {
		t.Errorf("mode %q, real %d requests, sim %d", rep.Mode, rep.Real.Requests, rep.Sim.Requests)
	}
	served := hits.Load()
	for name, args := range map[string][]string{
		"asg without target": {"validate", sc, "--asg", "g"},
		"yes without target": {"validate", sc, "--yes"},
		"bad url":            {"validate", sc, "--target", "not a url"},
		"above max-rate":     {"validate", sc, "--target", srv.URL, "--max-rate", "5"},
		"with duration":      {"validate", sc, "--target", srv.URL, "--duration", "10s"},
	} {
		if code, _, stderr := capsim(t, args...); code != exitInput {
			t.Errorf("%s: exit %d, want %d\n%s", name, code, exitInput, stderr)
		}
	}
	if got := hits.Load(); got != served {
		t.Errorf("refused runs sent %d requests to the target", got-served)
	}
	if !strings.Contains(stderr, "target: ") {
		t.Errorf("stderr lacks the plan line")
	}
}
