package policies

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Cases ported from the Kubernetes HPA controller's unit tests,
// kubernetes/kubernetes pkg/controller/podautoscaler/horizontal_test.go at
// commit 003e86297d18a8538c9da3619871393f9703bf70 (docs/hpa.md). Each row
// names its upstream test and case; the inputs and expected outputs are
// upstream's, the harness is ours (no Kubernetes code is copied). Times
// upstream written as time.Now().Add(-d) are now − d here, on a simulated
// clock.

const upstreamNow = 2 * time.Hour

func ago(d time.Duration) time.Duration { return upstreamNow - d }

// upstreamRules is upstream's generateScalingRules helper as data: a Pods
// policy if pods ≠ 0, a Percent policy if percent ≠ 0, select Max, and the
// API server's defaults (GenerateHPAScale{Up,Down}Rules) when no policy is
// given.
func upstreamRules(up bool, pods, podsPeriod, percent, percentPeriod, window int) HPARules {
	r := HPARules{StabilizationWindow: time.Duration(window) * time.Second}
	if pods != 0 {
		r.Policies = append(r.Policies, HPAPolicy{HPAPods, pods, time.Duration(podsPeriod) * time.Second})
	}
	if percent != 0 {
		r.Policies = append(r.Policies, HPAPolicy{HPAPercent, percent, time.Duration(percentPeriod) * time.Second})
	}
	if len(r.Policies) == 0 {
		if up {
			r.Policies = DefaultHPABehavior().ScaleUp.Policies
		} else {
			r.Policies = DefaultHPABehavior().ScaleDown.Policies
		}
	}
	return r
}

// uniformEvents is upstream's generateEventsUniformDistribution as data:
// n changes spread over the last period seconds, each in the middle of its
// segment, oldest first.
func uniformEvents(changes []int, period int) []hpaEvent {
	seg := float64(period) / float64(len(changes))
	out := make([]hpaEvent, len(changes))
	for i, c := range changes {
		back := float64(period) - seg*float64(i+1) + seg/2
		out[i] = hpaEvent{at: upstreamNow - time.Duration(back*float64(time.Second)), change: c}
	}
	return out
}

// conditionOf maps our reason to upstream's ScalingLimited condition.
func conditionOf(why string) string {
	switch {
	case why == "":
		return "DesiredWithinRange"
	case strings.Contains(why, "limited"):
		if strings.Contains(why, "scale-up") {
			return "ScaleUpLimit"
		}
		return "ScaleDownLimit"
	case strings.HasPrefix(why, "at max"):
		return "TooManyReplicas"
	case strings.HasPrefix(why, "at min"):
		return "TooFewReplicas"
	}
	return "unknown: " + why
}

// TestUpstreamScalingWithRules: TestScalingWithRules, the rate policies
// (convertDesiredReplicasWithBehaviorRate) on the behavior path.
func TestUpstreamScalingWithRules(t *testing.T) {
	def := func(up bool) HPARules { return upstreamRules(up, 0, 0, 0, 0, 0) }
	g := upstreamRules
	e := uniformEvents
	cases := []struct {
		name             string
		upEvents, downs  []hpaEvent
		min, max         int
		up, down         HPARules
		current, desired int
		want             int
		condition        string
	}{
		{"prenormalized desired replicas within range", nil, nil, 3, 8, def(true), def(false), 5, 7, 7, "DesiredWithinRange"},
		{"prenormalized desired replicas < minReplicas", nil, nil, 2, 8, def(true), def(false), 3, 1, 2, "TooFewReplicas"},
		{"prenormalized desired replicas within range when minReplicas is 0", nil, nil, 0, 10, def(true), def(false), 1, 0, 0, "DesiredWithinRange"},
		{"maxReplicas is the limit because maxReplicas < scaleUpLimit", nil, nil, 1, 10, def(true), def(false), 20, 1000, 10, "TooManyReplicas"},
		{"desired replica count is more than the maximum replica count", nil, nil, 100, 150, def(true), def(false), 100, 1000, 150, "TooManyReplicas"},
		{"scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies", nil, nil, 1, 2000, g(true, 0, 0, 1, 60, 0), def(false), 3, 1000, 4, "ScaleUpLimit"},
		// Upstream marks this case testThis and skips it; its expected value
		// (1000 − 20 pods per 60 s) is checked here.
		{"scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies", nil, nil, 3, 2000, def(true), g(false, 20, 60, 0, 0, 0), 1000, 3, 980, "ScaleDownLimit"},
		{"scaleUp with default behavior", nil, nil, 1, 1000, def(true), def(false), 10, 50, 20, "ScaleUpLimit"},
		{"scaleUp with pods policy larger than percent policy", nil, nil, 1, 1000, g(true, 100, 60, 100, 60, 0), def(false), 10, 500, 110, "ScaleUpLimit"},
		{"scaleUp with percent policy larger than pods policy", nil, nil, 1, 1000, g(true, 2, 60, 100, 60, 0), def(false), 10, 500, 20, "ScaleUpLimit"},
		{"scaleUp with spec MaxReplicas limitation with large pod policy", nil, nil, 1, 1000, g(true, 100, 60, 0, 0, 0), def(false), 10, 50, 50, "DesiredWithinRange"},
		{"scaleUp with spec MaxReplicas limitation with large percent policy", nil, nil, 1, 1000, g(true, 10000, 60, 0, 0, 0), def(false), 10, 50, 50, "DesiredWithinRange"},
		{"scaleUp with pod policy limitation", nil, nil, 1, 1000, g(true, 30, 60, 0, 0, 0), def(false), 10, 50, 40, "ScaleUpLimit"},
		{"scaleUp with percent policy limitation", nil, nil, 1, 1000, g(true, 0, 0, 200, 60, 0), def(false), 10, 50, 30, "ScaleUpLimit"},
		{"scaleDown with percent policy larger than pod policy", nil, nil, 1, 1000, def(true), g(false, 20, 60, 1, 60, 300), 100, 2, 80, "ScaleDownLimit"},
		{"scaleDown with pod policy larger than percent policy", nil, nil, 1, 1000, def(true), g(false, 2, 60, 1, 60, 300), 100, 2, 98, "ScaleDownLimit"},
		{"scaleDown with spec MinReplicas=nil limitation with large pod policy", nil, nil, 1, 1000, def(true), g(false, 100, 60, 0, 0, 300), 10, 0, 1, "TooFewReplicas"},
		{"scaleDown with spec MinReplicas limitation with large pod policy", nil, nil, 1, 1000, def(true), g(false, 100, 60, 0, 0, 300), 10, 0, 1, "TooFewReplicas"},
		{"scaleDown with spec MinReplicas limitation with large percent policy", nil, nil, 5, 1000, def(true), g(false, 0, 0, 100, 60, 300), 10, 2, 5, "TooFewReplicas"},
		{"scaleDown with pod policy limitation", nil, nil, 1, 1000, def(true), g(false, 5, 60, 0, 0, 300), 10, 2, 5, "ScaleDownLimit"},
		{"scaleDown with percent policy limitation", nil, nil, 1, 1000, def(true), g(false, 0, 0, 50, 60, 300), 10, 5, 5, "DesiredWithinRange"},
		{"scaleUp with spec MaxReplicas limitation with large pod policy and events", e([]int{1, 5, 9}, 120), nil, 1, 200, g(true, 300, 60, 0, 0, 0), def(false), 100, 500, 200, "TooManyReplicas"},
		{"scaleUp with spec MaxReplicas limitation with large percent policy and events", e([]int{1, 5, 9}, 120), nil, 1, 200, g(true, 0, 0, 10000, 60, 0), def(false), 100, 500, 200, "TooManyReplicas"},
		{"scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events", e([]int{1, 5, 9}, 120), nil, 1, 1000, g(true, 5, 120, 0, 0, 0), def(false), 100, 500, 100, "ScaleUpLimit"},
		{"scaleUp with pod policy and previous scale up events", e([]int{1, 5, 9}, 120), nil, 1, 1000, g(true, 150, 120, 0, 0, 0), def(false), 100, 500, 235, "ScaleUpLimit"},
		{"scaleUp with percent policy and previous scale up events", e([]int{1, 5, 9}, 120), nil, 1, 1000, g(true, 0, 0, 200, 120, 0), def(false), 100, 500, 255, "ScaleUpLimit"},
		{"scaleUp with percent policy and previous scale up and down events", e([]int{4}, 120), e([]int{2}, 120), 1, 1000, g(true, 0, 0, 300, 300, 0), def(false), 6, 24, 16, "ScaleUpLimit"},
		{"scaleDown with default policy and previous events", nil, e([]int{1, 5, 9}, 120), 1, 1000, def(true), def(false), 10, 5, 5, "DesiredWithinRange"},
		{"scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events", nil, e([]int{1, 5, 9}, 120), 1, 1000, def(true), g(false, 115, 120, 0, 0, 300), 100, 0, 1, "TooFewReplicas"},
		{"scaleDown with spec MinReplicas limitation with large pod policy and previous events", nil, e([]int{1, 5, 9}, 120), 5, 1000, def(true), g(false, 130, 120, 0, 0, 300), 100, 0, 5, "TooFewReplicas"},
		{"scaleDown with spec MinReplicas limitation with large percent policy and previous events", nil, e([]int{1, 5, 9}, 120), 5, 1000, def(true), g(false, 0, 0, 100, 120, 300), 100, 2, 5, "TooFewReplicas"},
		{"scaleDown with pod policy limitation and previous events", nil, e([]int{1, 5, 9}, 120), 1, 1000, def(true), g(false, 5, 120, 0, 0, 300), 100, 2, 100, "ScaleDownLimit"},
		{"scaleDown with percent policy limitation and previous events", nil, e([]int{2, 4, 6}, 120), 1, 1000, def(true), g(false, 0, 0, 50, 120, 300), 100, 0, 56, "ScaleDownLimit"},
		{"scaleDown with percent policy and previous scale up and down events", e([]int{2}, 120), e([]int{4}, 120), 1, 1000, def(true), g(false, 0, 0, 50, 180, 0), 10, 1, 6, "ScaleDownLimit"},
		{"scaleDown with previous events preventing further scale down", nil, e([]int{10, 10, 10}, 120), 1, 1000, def(true), g(false, 0, 0, 10, 120, 300), 100, 0, 100, "ScaleDownLimit"},
		{"scaleDown with with previous events still allowing more scale down", nil, e([]int{10, 10, 10}, 120), 1, 1000, def(true), g(false, 0, 0, 1000, 120, 300), 10, 5, 5, "DesiredWithinRange"},
		{"check 'outdated' flag for events for one behavior for up", e([]int{8, 12, 9, 11}, 120), nil, 1, 1000, g(true, 1000, 60, 0, 0, 0), def(false), 100, 200, 200, "DesiredWithinRange"},
		{"check that events were not marked 'outdated' for two different policies in the behavior for up", e([]int{8, 12, 9, 11}, 120), nil, 1, 1000, g(true, 1000, 120, 100, 60, 0), def(false), 100, 200, 200, "DesiredWithinRange"},
		{"check that events were marked 'outdated' for two different policies in the behavior for up", e([]int{8, 12, 9, 11}, 120), nil, 1, 1000, g(true, 1000, 30, 100, 60, 0), def(false), 100, 200, 200, "DesiredWithinRange"},
		{"check 'outdated' flag for events for one behavior for down", nil, e([]int{8, 12, 9, 11}, 120), 1, 1000, def(true), g(false, 1000, 60, 0, 0, 300), 100, 5, 5, "DesiredWithinRange"},
		{"check that events were not marked 'outdated' for two different policies in the behavior for down", nil, e([]int{8, 12, 9, 11}, 120), 1, 1000, def(true), g(false, 1000, 120, 100, 60, 300), 100, 5, 5, "DesiredWithinRange"},
		{"check that events were marked 'outdated' for two different policies in the behavior for down", nil, e([]int{8, 12, 9, 11}, 120), 1, 1000, def(true), g(false, 1000, 30, 100, 60, 300), 100, 5, 5, "DesiredWithinRange"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := &HPA{MinReplicas: c.min, MaxReplicas: c.max, Behavior: HPABehavior{ScaleUp: c.up, ScaleDown: c.down},
				upEvents: c.upEvents, downs: c.downs}
			got, why := h.rateLimit(upstreamNow, c.current, c.desired)
			if got != c.want || conditionOf(why) != c.condition {
				t.Errorf("got %d (%s, %q), want %d (%s)", got, conditionOf(why), why, c.want, c.condition)
			}
		})
	}
}

// TestUpstreamNormalizeDesiredReplicasWithBehavior:
// TestNormalizeDesiredReplicasWithBehavior, the stabilization windows
// (stabilizeRecommendationWithBehaviors). Windows left unset upstream are 0.
func TestUpstreamNormalizeDesiredReplicasWithBehavior(t *testing.T) {
	m := time.Minute
	type rec = hpaRecommendation
	cases := []struct {
		name                 string
		recs                 []rec
		current, desired     int
		want                 int
		upWindow, downWindow time.Duration
	}{
		{"empty recommendations for scaling down", nil, 100, 5, 5, 0, 0},
		{"simple scale down stabilization", []rec{{ago(2 * m), 4}, {ago(1 * m), 5}}, 100, 3, 5, 0, 3 * m},
		{"simple scale up stabilization", []rec{{ago(2 * m), 4}, {ago(1 * m), 5}}, 1, 7, 4, 5 * m, 0},
		{"no scale down stabilization", []rec{{ago(2 * m), 1}, {ago(1 * m), 2}}, 100, 3, 3, 5 * m, 0},
		{"no scale up stabilization", []rec{{ago(2 * m), 4}, {ago(1 * m), 5}}, 1, 3, 3, 0, 5 * m},
		{"no scale down stabilization, reuse recommendation element", []rec{{ago(10 * m), 10}, {ago(9 * m), 9}}, 100, 3, 3, 0, 0},
		{"no scale up stabilization, reuse recommendation element", []rec{{ago(10 * m), 10}, {ago(9 * m), 9}}, 1, 100, 100, 0, 0},
		{"scale down stabilization, reuse one of obsolete recommendation element", []rec{{ago(10 * m), 10}, {ago(1 * m), 4}, {ago(2 * m), 5}, {ago(9 * m), 9}}, 100, 3, 5, 0, 3 * m},
		{"scale up stabilization, reuse one of obsolete recommendation element", []rec{{ago(100 * m), 10}, {ago(1 * m), 6}, {ago(2 * m), 5}, {ago(3 * m), 9}}, 1, 100, 5, 300 * time.Second, 0},
		{"scale up and down stabilization, do not scale up when prenormalized rec goes down", []rec{{ago(100 * m), 2}, {ago(3 * m), 3}}, 2, 1, 2, 300 * time.Second, 300 * time.Second},
		{"scale up and down stabilization, do not scale down when prenormalized rec goes up", []rec{{ago(100 * m), 2}, {ago(3 * m), 1}}, 2, 3, 2, 300 * time.Second, 300 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := &HPA{MinReplicas: 1, MaxReplicas: 1000, primed: true, recs: append([]rec(nil), c.recs...),
				Behavior: HPABehavior{ScaleUp: HPARules{StabilizationWindow: c.upWindow}, ScaleDown: HPARules{StabilizationWindow: c.downWindow}}}
			if got := h.stabilize(upstreamNow, c.current, c.desired); got != c.want {
				t.Errorf("got %d, want %d", got, c.want)
			}
		})
	}
}

// TestUpstreamNormalizeDesiredReplicas: TestNormalizeDesiredReplicas, the
// legacy path's stabilization (stabilizeRecommendation) with the
// controller's 5-min downscale stabilization window. Upstream also checks
// the length of its recommendation log, an implementation detail not
// ported.
func TestUpstreamNormalizeDesiredReplicas(t *testing.T) {
	m := time.Minute
	type rec = hpaRecommendation
	cases := []struct {
		name          string
		recs          []rec
		desired, want int
	}{
		{"empty log", nil, 5, 5},
		{"stabilize", []rec{{ago(2 * m), 4}, {ago(1 * m), 5}}, 3, 5},
		{"no stabilize", []rec{{ago(2 * m), 1}, {ago(1 * m), 2}}, 3, 3},
		{"no stabilize - old recommendations", []rec{{ago(10 * m), 10}, {ago(9 * m), 9}}, 3, 3},
		{"stabilize - old recommendations", []rec{{ago(10 * m), 10}, {ago(1 * m), 4}, {ago(2 * m), 5}, {ago(9 * m), 9}}, 3, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := NewLegacyHPA(1, 1000)
			h.primed, h.recs = true, append([]rec(nil), c.recs...)
			if got := h.stabilizeLegacy(upstreamNow, c.desired); got != c.want {
				t.Errorf("got %d, want %d", got, c.want)
			}
		})
	}
}

// TestUpstreamConvertDesiredReplicasWithRules: TestConvertDesiredReplicasWithRules,
// the legacy path's bounds. Upstream's test binary sets scaleUpLimitFactor
// to 8 in an init function and computes the last case's expectation with
// calculateScaleUpLimit(3), i.e. max(8 × 3, 4) = 24 there; with the
// controller's factor 2 it is max(2 × 3, 4) = 6. Both are checked.
func TestUpstreamConvertDesiredReplicasWithRules(t *testing.T) {
	cases := []struct {
		name             string
		factor           float64
		current, desired int
		min, max         int
		want             int
		condition        string
	}{
		{"prenormalized desired replicas within range", 2, 5, 7, 3, 8, 7, "DesiredWithinRange"},
		{"prenormalized desired replicas < minReplicas", 2, 3, 1, 2, 8, 2, "TooFewReplicas"},
		{"prenormalized desired zeroed replicas within range", 2, 1, 0, 0, 10, 0, "DesiredWithinRange"},
		{"maxReplicas is the limit because maxReplicas < scaleUpLimit", 2, 20, 1000, 1, 10, 10, "TooManyReplicas"},
		{"scaleUpLimit is the limit because scaleUpLimit < maxReplicas (upstream's factor 8)", 8, 3, 1000, 1, 2000, 24, "ScaleUpLimit"},
		{"scaleUpLimit is the limit because scaleUpLimit < maxReplicas (the controller's factor 2)", 2, 3, 1000, 1, 2000, 6, "ScaleUpLimit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := NewLegacyHPA(c.min, c.max)
			h.ScaleUpLimitFactor = c.factor
			got, why := h.legacyLimit(c.current, c.desired)
			if got != c.want || conditionOf(why) != c.condition {
				t.Errorf("got %d (%s, %q), want %d (%s)", got, conditionOf(why), why, c.want, c.condition)
			}
		})
	}
}

// TestUpstreamControllerCases: whole reconciles of the upstream harness
// (replica calculator, then the controller). None of these upstream cases
// sets scaleUpRules or scaleDownRules, so its HPA has no behavior: the
// legacy path, with the harness's 5-min downscale stabilization, tolerance
// 0.1, CPU initialization 2 min and readiness delay 10 s. Upstream's
// recommendations field: nil means a first reconcile (the current count is
// recorded first); an empty list means the HPA was seen before, with no
// recommendation kept. Pods started long ago and report CPU in milli-cores
// per pod against a request per pod.
func TestUpstreamControllerCases(t *testing.T) {
	m := time.Minute
	type rec = hpaRecommendation
	cases := []struct {
		name          string
		min, max      int
		current       int
		levels        []int64 // milli-cores per pod
		request       int64   // milli-cores per pod
		target        int64   // %
		firstSync     bool    // upstream recommendations: nil
		recs          []rec
		want          int
		wantReasonHas string
	}{
		{"TestScaleDown", 2, 6, 5, []int64{100, 300, 500, 250, 250}, 1000, 50, false, nil, 3, "recommendation 3"},
		{"TestScaleDownStabilizeInitialSize", 2, 6, 5, []int64{100, 300, 500, 250, 250}, 1000, 50, true, nil, 5, "stabilized to 5"},
		{"TestStabilizeDownscale", 1, 5, 4, []int64{50, 50, 50}, 100, 100, false, []rec{{ago(10 * m), 10}, {ago(1 * m), 4}}, 4, "stabilized to 4"},
		// Below min and above max the controller does not read metrics; the
		// levels are upstream's, the target is not read.
		{"TestScaleUpRCImmediately", 2, 6, 1, []int64{0, 0, 0, 0}, 1000, 80, true, nil, 2, "below min"},
		{"TestScaleDownRCImmediately", 2, 5, 6, []int64{8000, 9500, 1000}, 1000, 50, true, nil, 5, "above max"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calc := ReplicaCalculator{Tolerance: 0.1, CPUInitializationPeriod: 2 * time.Minute, InitialReadinessDelay: 10 * time.Second}
			pods := make([]Pod, len(c.levels))
			metrics := PodMetrics{}
			for i, l := range c.levels {
				name := fmt.Sprintf("test-pod-%d", i)
				pods[i] = Pod{Name: name, Ready: true, Request: c.request}
				metrics[name] = PodMetric{Value: l, Timestamp: upstreamNow, Window: time.Minute}
			}
			h := NewLegacyHPA(c.min, c.max)
			if !c.firstSync {
				h.primed, h.recs = true, append([]rec(nil), c.recs...)
			}
			recommended := c.current
			if c.current >= c.min && c.current <= c.max {
				r, err := calc.ResourceReplicas(c.current, pods, metrics, "cpu", c.target, upstreamNow)
				if err != nil {
					t.Fatal(err)
				}
				recommended = r.Replicas
			}
			got, reason := h.Sync(upstreamNow, c.current, recommended)
			if got != c.want || !strings.Contains(reason, c.wantReasonHas) {
				t.Errorf("got %d (%q), want %d (reason containing %q)", got, reason, c.want, c.wantReasonHas)
			}
		})
	}
}

// TestLegacyScaleUpLimit: the legacy path's max(2 × current, 4) per sync
// against the behavior path's default max(+100 %, +4 pods) per 15 s, on a
// recommendation of 40 (docs/hpa.md; Kubernetes calculateScaleUpLimit).
func TestLegacyScaleUpLimit(t *testing.T) {
	for _, c := range []struct{ current, legacy, behavior int }{
		{1, 4, 5}, {2, 4, 6}, {3, 6, 7}, {4, 8, 8}, {10, 20, 20},
	} {
		if got, _ := NewLegacyHPA(1, 100).Sync(0, c.current, 40); got != c.legacy {
			t.Errorf("legacy from %d: got %d, want %d", c.current, got, c.legacy)
		}
		if got, _ := NewHPA(1, 100).Sync(0, c.current, 40); got != c.behavior {
			t.Errorf("behavior from %d: got %d, want %d", c.current, got, c.behavior)
		}
	}
}

// TestHPAFirstSyncHold: the first sync records the current count, so a
// fleet that starts at 10 with a recommendation of 2 holds 10 for the
// scale-down window: on the behavior path the recommendation of 0 s leaves
// the window at 300 s; on the legacy path it still counts at 300 s (not
// older than the window's start) and leaves at 315 s.
func TestHPAFirstSyncHold(t *testing.T) {
	for _, c := range []struct {
		name    string
		h       *HPA
		release time.Duration
	}{{"behavior", NewHPA(1, 100), 300 * time.Second}, {"legacy", NewLegacyHPA(1, 100), 315 * time.Second}} {
		h, current := c.h, 10
		for at := time.Duration(0); at <= 330*time.Second; at += HPASyncPeriod {
			next, _ := h.Sync(at, current, 2)
			want := 10
			if at >= c.release {
				want = 2
			}
			if next != want {
				t.Fatalf("%s at %v: %d replicas, want %d", c.name, at, next, want)
			}
			current = next
		}
	}
}
