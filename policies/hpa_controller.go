package policies

import (
	"fmt"
	"math"
	"time"
)

// This file is the HPA controller around the replica calculator
// (docs/hpa.md): what it does with a recommendation on each sync. Two
// paths, as in the Kubernetes controller
// (pkg/controller/podautoscaler/horizontal.go): with spec.behavior set,
// stabilization windows and rate policies (normalizeDesiredReplicasWithBehaviors,
// here normalize); without it, the legacy rules of hpa_legacy.go
// (normalizeDesiredReplicas). Written from the documented algorithm and the
// controller's unit tests; no Kubernetes code is copied.

type hpaRecommendation struct {
	at       time.Duration
	replicas int
}

type hpaEvent struct {
	at     time.Duration
	change int
}

// HPA is the controller around the replica calculator: every sync it takes
// the calculator's recommendation and returns the replica count to set,
// applying min/max, the stabilization windows and the rate policies
// (docs/hpa.md). It keeps the recommendations and scale events it needs;
// it is deterministic and does no I/O.
type HPA struct {
	MinReplicas, MaxReplicas int
	// Behavior is spec.behavior with the API server's defaults filled in;
	// ignored when Legacy is set.
	Behavior HPABehavior
	// Legacy is an HPA whose spec.behavior is unset: the controller's
	// legacy rules apply (hpa_legacy.go) instead of Behavior.
	Legacy bool
	// DownscaleStabilization is the controller's
	// --horizontal-pod-autoscaler-downscale-stabilization window (default
	// 5 min), the legacy path's scale-down stabilization.
	DownscaleStabilization time.Duration
	// ScaleUpLimitFactor and ScaleUpLimitMinimum bound a legacy scale-up to
	// max(factor × current, minimum) per sync: 2 and 4 in the controller.
	ScaleUpLimitFactor  float64
	ScaleUpLimitMinimum int

	primed          bool // the first sync recorded the initial recommendation
	recs            []hpaRecommendation
	upEvents, downs []hpaEvent
}

// NewHPA returns a controller on the behavior path with the default
// behaviour (an HPA with an empty spec.behavior).
func NewHPA(minReplicas, maxReplicas int) *HPA {
	h := NewLegacyHPA(minReplicas, maxReplicas)
	h.Legacy, h.Behavior = false, DefaultHPABehavior()
	return h
}

// NewLegacyHPA returns a controller on the legacy path (no spec.behavior)
// with the controller's default flags.
func NewLegacyHPA(minReplicas, maxReplicas int) *HPA {
	return &HPA{MinReplicas: minReplicas, MaxReplicas: maxReplicas, Legacy: true,
		DownscaleStabilization: 5 * time.Minute, ScaleUpLimitFactor: 2, ScaleUpLimitMinimum: 4}
}

func (h *HPA) String() string {
	if h.Legacy {
		return fmt.Sprintf("HPA{%d..%d, legacy: up ≤ max(%g×, %d), down window %v}", h.MinReplicas, h.MaxReplicas, h.ScaleUpLimitFactor, h.ScaleUpLimitMinimum, h.DownscaleStabilization)
	}
	return fmt.Sprintf("HPA{%d..%d, up %s, down %s}", h.MinReplicas, h.MaxReplicas, h.Behavior.ScaleUp, h.Behavior.ScaleDown)
}

// RecordInitial is the controller's recordInitialRecommendation: on its
// first reconcile of an HPA it records the current replica count as a
// recommendation, before it looks at any metric, so a fleet that starts
// over-provisioned is held by the scale-down stabilization window. Later
// calls do nothing. Sync calls it; call it also on a sync whose metrics
// failed (the controller records it even then).
func (h *HPA) RecordInitial(now time.Duration, current int) {
	if h.primed {
		return
	}
	h.primed = true
	h.recs = append(h.recs, hpaRecommendation{now, current})
}

// Sync is one controller evaluation at now, with current replicas and the
// calculator's recommendation (CombineMetrics over the metrics):
//
//  0. On the first sync, current is recorded as a recommendation
//     (RecordInitial).
//  1. current > max → max; current < min → min; current = 0 with min > 0
//     means autoscaling is off → 0 (no change).
//  2. Legacy: see normalizeLegacy. Otherwise stabilization: with the
//     recommendations of the last ScaleUp.StabilizationWindow, up = their
//     minimum; of the last ScaleDown.StabilizationWindow, down = their
//     maximum (each including this one); the stabilized value is current
//     raised to up or lowered to down.
//  3. Rate: for each policy, the replicas at the start of its period
//     (current − added + removed within it) give a limit: up Pods: start +
//     v, Percent: ceil(start × (1 + v/100)); down Pods: start − v, Percent:
//     trunc(start × (1 − v/100)). SelectMax takes the limit allowing the
//     most change, SelectMin the least, Disabled forbids the direction.
//  4. The result is clamped to [min, max], and a change is recorded as a
//     scale event for later periods.
//
// reason says which rule decided, in words.
func (h *HPA) Sync(now time.Duration, current, recommended int) (desired int, reason string) {
	h.RecordInitial(now, current)
	switch {
	case current == 0 && h.MinReplicas != 0:
		return 0, "scaling is disabled (0 replicas)"
	case current > h.MaxReplicas:
		desired, reason = h.MaxReplicas, "current replicas above max"
	case current < h.MinReplicas:
		desired, reason = h.MinReplicas, "current replicas below min"
	case h.Legacy:
		return h.normalizeLegacy(now, current, recommended)
	default:
		desired, reason = h.normalize(now, current, recommended)
	}
	if !h.Legacy { // the controller keeps scale events only with a behavior
		h.record(now, current, desired)
	}
	return desired, reason
}

func (h *HPA) normalize(now time.Duration, current, recommended int) (int, string) {
	stabilized := h.stabilize(now, current, recommended)
	reason := "recommendation " + fmt.Sprint(recommended)
	if stabilized != recommended {
		reason = fmt.Sprintf("recommendation %d stabilized to %d", recommended, stabilized)
	}
	desired, why := h.rateLimit(now, current, stabilized)
	if why != "" {
		reason += "; " + why
	}
	return desired, reason
}

// stabilize is step 2 of Sync (stabilizeRecommendationWithBehaviors): it
// records the recommendation and returns current bounded by the lowest
// recommendation of the scale-up window and the highest of the scale-down
// window. A recommendation counts while it is strictly newer than the
// window's start.
func (h *HPA) stabilize(now time.Duration, current, recommended int) int {
	up, down := h.Behavior.ScaleUp.StabilizationWindow, h.Behavior.ScaleDown.StabilizationWindow
	upRec, downRec := recommended, recommended
	keep := h.recs[:0]
	for _, r := range h.recs {
		if r.at > now-up {
			upRec = min(upRec, r.replicas)
		}
		if r.at > now-down {
			downRec = max(downRec, r.replicas)
		}
		if r.at > now-max(up, down) {
			keep = append(keep, r)
		}
	}
	h.recs = append(keep, hpaRecommendation{now, recommended})
	stabilized := current
	if stabilized < upRec {
		stabilized = upRec
	}
	if stabilized > downRec {
		stabilized = downRec
	}
	return stabilized
}

// rateLimit is steps 3–4 of Sync (convertDesiredReplicasWithBehaviorRate):
// the stabilized count bounded by the rate policies, min and max. why says
// which bound decided ("" when none did).
func (h *HPA) rateLimit(now time.Duration, current, stabilized int) (int, string) {
	up, down := h.Behavior.ScaleUp, h.Behavior.ScaleDown
	switch {
	case stabilized > current:
		if up.SelectPolicy == SelectDisabled {
			return current, "scale-up disabled"
		}
		limit := max(h.limit(now, current, up, true), current)
		if limit < h.MaxReplicas && stabilized > limit {
			return limit, fmt.Sprintf("scale-up limited to %d by policy", limit)
		}
		if stabilized > h.MaxReplicas {
			return h.MaxReplicas, fmt.Sprintf("at max %d", h.MaxReplicas)
		}
	case stabilized < current:
		if down.SelectPolicy == SelectDisabled {
			return current, "scale-down disabled"
		}
		limit := min(h.limit(now, current, down, false), current)
		if limit > h.MinReplicas && stabilized < limit {
			return limit, fmt.Sprintf("scale-down limited to %d by policy", limit)
		}
		if stabilized < h.MinReplicas {
			return h.MinReplicas, fmt.Sprintf("at min %d", h.MinReplicas)
		}
	}
	return stabilized, ""
}

// limit is the rate policies' bound for one direction (step 3 of Sync).
func (h *HPA) limit(now time.Duration, current int, r HPARules, up bool) int {
	// Up, the most change is the largest limit; down, the smallest.
	useMin := (up && r.SelectPolicy == SelectMin) || (!up && r.SelectPolicy == SelectMax)
	result := math.MinInt
	if useMin {
		result = math.MaxInt
	}
	for _, p := range r.Policies {
		start := current - changeSince(h.upEvents, now-p.Period) + changeSince(h.downs, now-p.Period)
		var proposed int
		switch {
		case up && p.Type == HPAPods:
			proposed = start + p.Value
		case up:
			proposed = int(math.Ceil(float64(start) * (1 + float64(p.Value)/100)))
		case p.Type == HPAPods:
			proposed = start - p.Value
		default:
			proposed = int(float64(start) * (1 - float64(p.Value)/100))
		}
		if useMin {
			result = min(result, proposed)
		} else {
			result = max(result, proposed)
		}
	}
	return result
}

// changeSince sums the changes of events strictly after cutoff.
func changeSince(events []hpaEvent, cutoff time.Duration) int {
	t := 0
	for _, e := range events {
		if e.at > cutoff {
			t += e.change
		}
	}
	return t
}

func (h *HPA) record(now time.Duration, from, to int) {
	prune := func(ev []hpaEvent, keep time.Duration) []hpaEvent {
		out := ev[:0]
		for _, e := range ev {
			if e.at > now-keep {
				out = append(out, e)
			}
		}
		return out
	}
	h.upEvents = prune(h.upEvents, h.Behavior.ScaleUp.longestPeriod())
	h.downs = prune(h.downs, h.Behavior.ScaleDown.longestPeriod())
	switch {
	case to > from:
		h.upEvents = append(h.upEvents, hpaEvent{now, to - from})
	case to < from:
		h.downs = append(h.downs, hpaEvent{now, from - to})
	}
}
