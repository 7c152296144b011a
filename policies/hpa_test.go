package policies

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReplicaCalculatorCases runs the 49 cases of Kubernetes'
// replica_calculator_test.go (docs/aws-model.md §7; testdata/README.md for the
// source and units) against the calculator, with that file's constants:
// tolerance from the row, CPU initialization period 2 min, readiness delay
// 10 s. A "cool" pod started 3 min ago, a "hot" one now; each sample has
// a 1-min window and is taken now.
func TestReplicaCalculatorCases(t *testing.T) {
	f, err := os.Open("testdata/hpa_replica_calculator_cases.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if len(rows)-1 != 49 {
		t.Fatalf("%d cases in the CSV, want 49", len(rows)-1)
	}
	for _, row := range rows[1:] {
		get := func(name string) string { return row[col[name]] }
		t.Run(get("test_function"), func(t *testing.T) {
			runHPACase(t, get)
		})
	}
}

func runHPACase(t *testing.T, get func(string) string) {
	list := func(name string) []string {
		if get(name) == "" {
			return nil
		}
		return strings.Split(get(name), ";")
	}
	atoi := func(s string) int64 {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v
	}
	const now = time.Hour
	calc := ReplicaCalculator{CPUInitializationPeriod: 2 * time.Minute, InitialReadinessDelay: 10 * time.Second}
	calc.Tolerance, _ = strconv.ParseFloat(get("tolerance"), 64)
	current := int(atoi(get("current_replicas")))
	target := atoi(get("target"))
	levels := list("metric_levels")
	requests, ready, start, phase, deleting := list("cpu_request_per_container_cores"), list("pod_ready"), list("pod_start"), list("pod_phase"), list("pod_deleting")
	source := get("metric_source")

	nPods := current
	for _, l := range [][]string{ready, start, phase, deleting} {
		nPods = max(nPods, len(l))
	}
	if source == "resource_cpu" {
		nPods = max(nPods, len(requests))
	}
	pods := make([]Pod, nPods)
	for i := range pods {
		p := Pod{Name: fmt.Sprintf("test-pod-%d", i), Ready: true, Started: now - 3*time.Minute}
		if i < len(ready) {
			p.Ready = ready[i] == "T"
		}
		if i < len(start) && start[i] == "hot" {
			p.Started = now
		}
		p.ReadySince = p.Started
		if i < len(phase) {
			p.Phase = map[string]PodPhase{"Running": PodRunning, "Pending": PodPending, "Failed": PodFailed, "Succeeded": PodSucceeded}[phase[i]]
		}
		if i < len(deleting) {
			p.Deleting = deleting[i] == "T"
		}
		if i < len(requests) {
			cores, _ := strconv.ParseFloat(requests[i], 64)
			p.Request = 2 * int64(math.Round(cores*1000)) // 2 containers per pod
		}
		pods[i] = p
	}
	values := make([]int64, len(levels))
	metrics := PodMetrics{}
	for i, l := range levels {
		values[i] = atoi(l)
		name := fmt.Sprintf("test-pod-%d", i) // beyond the pods: a pod nobody lists
		if strings.HasPrefix(get("test_function"), "TestReplicaCalcDisjointResourcesMetrics") {
			name = "an-older-pod-name"
		}
		v := values[i]
		if source == "resource_cpu" {
			v *= 2 // each of the 2 containers reports the level
		}
		metrics[name] = PodMetric{Value: v, Timestamp: now, Window: time.Minute}
	}

	var rec Recommendation
	var err error
	switch source {
	case "resource_cpu":
		rec, err = calc.ResourceReplicas(current, pods, metrics, "cpu", target, now)
	case "pods":
		rec, err = calc.PodsReplicas(current, pods, metrics, target)
	case "object":
		rec, err = calc.ObjectReplicas(current, pods, values[0], target)
	case "object_per_pod":
		rec, err = calc.ObjectPerPodReplicas(current, values[0], target)
	case "external":
		rec, err = calc.ExternalReplicas(current, pods, values, target)
	case "external_per_pod":
		rec, err = calc.ExternalPerPodReplicas(current, values, target)
	default:
		t.Fatalf("unknown metric source %q", source)
	}
	if want := get("expected_error"); want != "" {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("got %v, %v; want an error containing %q", rec, err, want)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if want := int(atoi(get("expected_replicas"))); rec.Replicas != want {
		t.Errorf("replicas %d, want %d (%s)", rec.Replicas, want, get("notes"))
	}
	if s := get("expected_usage"); s != "" && rec.Usage != atoi(s) {
		t.Errorf("usage %d, want %s", rec.Usage, s)
	}
	if s := get("expected_raw_value_milli_per_pod"); s != "" && rec.RawUsage != atoi(s) {
		t.Errorf("raw usage per pod %d, want %s", rec.RawUsage, s)
	}
}

// hpaRun drives an HPA through syncs 15 s apart, from current replicas,
// with one recommendation per sync, and returns the replicas after each.
func hpaRun(h *HPA, current int, recs ...int) []int {
	var out []int
	for i, r := range recs {
		current, _ = h.Sync(time.Duration(i)*HPASyncPeriod, current, r)
		out = append(out, current)
	}
	return out
}

func repeatInts(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestHPABehavior: the controller's behaviour from the Kubernetes
// documentation (docs/aws-model.md §7, K8S-HPA-DOC).
func TestHPABehavior(t *testing.T) {
	t.Run("default scale-up: max(+100 %, +4 pods) per 15 s", func(t *testing.T) {
		got := hpaRun(NewHPA(1, 100), 1, 40, 40, 40, 40)
		want := []int{5, 10, 20, 40} // 1+4; max(5+4, 10); 20; 40
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("default scale-down waits out the 300-s stabilization window", func(t *testing.T) {
		h := NewHPA(1, 100)
		recs := append([]int{10}, repeatInts(2, 21)...) // syncs at 0, 15, …, 300 s
		got := hpaRun(h, 10, recs...)
		for i, g := range got[:20] {
			if g != 10 {
				t.Fatalf("at %v: %d replicas, want 10 (the recommendation of 10 at 0 s is still in the window)", time.Duration(i)*HPASyncPeriod, g)
			}
		}
		if got[20] != 2 {
			t.Errorf("at 300 s: %d replicas, want 2 (100 %% per 15 s allows it all)", got[20])
		}
	})
	t.Run("scale-down policies: 4 pods or 10 % per 60 s, the larger change", func(t *testing.T) {
		// The documentation's example: 80 replicas to 10; first 8 go (10 %
		// of 80); a minute later 72 × 10 % = 7.2, rounded up to 8, go.
		h := &HPA{MinReplicas: 1, MaxReplicas: 100, Behavior: HPABehavior{
			ScaleUp: DefaultHPABehavior().ScaleUp,
			ScaleDown: HPARules{Policies: []HPAPolicy{
				{HPAPods, 4, 60 * time.Second}, {HPAPercent, 10, 60 * time.Second}}},
		}}
		got := hpaRun(h, 80, repeatInts(10, 9)...)
		want := []int{72, 72, 72, 72, 64, 64, 64, 64, 57}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("selectPolicy Min on scale-down takes the smaller change", func(t *testing.T) {
		h := &HPA{MinReplicas: 1, MaxReplicas: 100, Behavior: HPABehavior{
			ScaleUp: DefaultHPABehavior().ScaleUp,
			ScaleDown: HPARules{SelectPolicy: SelectMin, Policies: []HPAPolicy{
				{HPAPods, 4, 60 * time.Second}, {HPAPercent, 10, 60 * time.Second}}},
		}}
		if got := hpaRun(h, 80, 10); got[0] != 76 {
			t.Errorf("got %d, want 76 (4 pods < 8 pods)", got[0])
		}
	})
	t.Run("scale-down Disabled", func(t *testing.T) {
		b := DefaultHPABehavior()
		b.ScaleDown = HPARules{SelectPolicy: SelectDisabled}
		h := &HPA{MinReplicas: 1, MaxReplicas: 100, Behavior: b}
		if got := hpaRun(h, 10, repeatInts(1, 30)...); got[29] != 10 {
			t.Errorf("got %d, want 10", got[29])
		}
		h = &HPA{MinReplicas: 1, MaxReplicas: 100, Behavior: b}
		if got := hpaRun(h, 10, 20); got[0] != 20 {
			t.Errorf("scale-up still works: got %d, want 20", got[0])
		}
	})
	t.Run("scale-up stabilization window takes the lowest recommendation", func(t *testing.T) {
		b := DefaultHPABehavior()
		b.ScaleUp.StabilizationWindow = 60 * time.Second
		h := &HPA{MinReplicas: 1, MaxReplicas: 100, Behavior: b}
		got := hpaRun(h, 4, 4, 8, 8, 8, 8)
		want := []int{4, 4, 4, 4, 8} // the 4 at 0 s leaves the window at 60 s
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("min and max", func(t *testing.T) {
		if got, _ := NewHPA(2, 10).Sync(0, 4, 50); got != 8 {
			t.Errorf("policy limit first: got %d, want 8", got)
		}
		if got, _ := NewHPA(2, 6).Sync(0, 4, 50); got != 6 {
			t.Errorf("max: got %d, want 6", got)
		}
		if got, _ := NewHPA(2, 6).Sync(0, 9, 9); got != 6 {
			t.Errorf("above max: got %d, want 6", got)
		}
		if got, _ := NewHPA(2, 6).Sync(0, 1, 1); got != 2 {
			t.Errorf("below min: got %d, want 2", got)
		}
		if got, _ := NewHPA(2, 6).Sync(0, 0, 5); got != 0 {
			t.Errorf("0 replicas disables: got %d, want 0", got)
		}
		h := NewHPA(3, 10)
		h.Behavior.ScaleDown.StabilizationWindow = 0
		if got, _ := h.Sync(0, 5, 1); got != 3 {
			t.Errorf("min on scale-down: got %d, want 3", got)
		}
	})
	if err := DefaultHPABehavior().Validate(); err != nil {
		t.Error(err)
	}
	bad := HPABehavior{ScaleUp: HPARules{Policies: []HPAPolicy{{HPAPods, 0, 0}}}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "scale_up.policies[0].value 0") || !strings.Contains(err.Error(), "scale_down.policies") {
		t.Errorf("Validate: got %v", err)
	}
}

// TestCombineMetrics: several metrics → the largest; a failed metric blocks
// a scale-down (docs/aws-model.md §7).
func TestCombineMetrics(t *testing.T) {
	cases := []struct {
		current  int
		replicas []int
		invalid  int
		want     int
		ok       bool
	}{
		{5, []int{3, 7, 4}, 0, 7, true},
		{5, []int{3, 4}, 0, 4, true},
		{5, []int{3, 4}, 1, 5, false},
		{5, []int{8}, 1, 8, true},
		{5, nil, 2, 5, false},
	}
	for _, c := range cases {
		got, ok := CombineMetrics(c.current, c.replicas, c.invalid)
		if got != c.want || ok != c.ok {
			t.Errorf("CombineMetrics(%d, %v, %d) = %d %v, want %d %v", c.current, c.replicas, c.invalid, got, ok, c.want, c.ok)
		}
	}
}
