package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// replicated is a batch of medium-sized runs: two hours at 250 req/s on an
// autoscaled group, about half a second each in request mode.
const replicated = `name: replicated
seed: 7
duration: 2h
traffic:
  synthetic: {shape: diurnal, mean_rps: 250, peak_to_trough: 4, period: 2h}
workload:
  service_time: {dist: lognormal, median: 40ms, p99: 250ms}
fleet: {instance_type: m5.large, min: 2, max: 30, desired: 4, warmup: 300s, zones: 3}
load_balancer: {algorithm: least_outstanding_requests}
scaling:
  policies:
    - {name: cpu50, type: target_tracking, metric: cpu, target: 50}
slo: {p99: 500ms}
`

// BenchmarkReplications16 is docs/performance.md's parallel-runs case: 16
// replications through the batch runner (runall.go) that compare, sweep
// and check share. Its runs are independent, so on c cores the batch
// should take about 1/c of its one-core time:
//
//	go test -run '^$' -bench Replications16 -benchtime 2x -cpu 1,2 ./cmd/capsim
//
// Not -benchtime 1x with a -cpu list: Go's testing package then reports
// the first -cpu entry from a run made at the GOMAXPROCS the test phase
// left behind (the list's last value; docs/performance.md).
func BenchmarkReplications16(b *testing.B) {
	p := filepath.Join(b.TempDir(), "replicated.yaml")
	if err := os.WriteFile(p, []byte(replicated), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code := run([]string{"capsim", "check", "--replications", "16", p}, io.Discard, io.Discard); code != 0 {
			b.Fatalf("check exit %d", code)
		}
	}
}
