package policies

import (
	"fmt"
	"math"
	"time"
)

// The HPA controller's legacy path, taken when spec.behavior is unset: the
// API server does not default an absent behavior, and the controller then
// calls normalizeDesiredReplicas instead of the behavior rules
// (pkg/controller/podautoscaler/horizontal.go; docs/hpa.md).

// normalizeLegacy stabilizes the recommendation over the downscale
// stabilization window and bounds it (convertDesiredReplicasWithRules).
func (h *HPA) normalizeLegacy(now time.Duration, current, recommended int) (int, string) {
	stabilized := h.stabilizeLegacy(now, recommended)
	reason := "recommendation " + fmt.Sprint(recommended)
	if stabilized != recommended {
		reason = fmt.Sprintf("recommendation %d stabilized to %d (highest in the last %v)", recommended, stabilized, h.DownscaleStabilization)
	}
	desired, why := h.legacyLimit(current, stabilized)
	if why != "" {
		reason += "; " + why
	}
	return desired, reason
}

// stabilizeLegacy (stabilizeRecommendation) records the recommendation and
// returns the highest recommendation of the window, this one included. Unlike
// the behavior path it does not start from current, so an older, higher
// recommendation can raise the count; and a recommendation counts while it
// is not older than the window's start (Kubernetes tests "Before(cutoff)"
// here and "After(cutoff)" on the behavior path, which only matters on a
// simulated clock where times coincide exactly).
func (h *HPA) stabilizeLegacy(now time.Duration, recommended int) int {
	highest := recommended
	keep := h.recs[:0]
	for _, r := range h.recs {
		if r.at >= now-h.DownscaleStabilization {
			highest = max(highest, r.replicas)
			keep = append(keep, r)
		}
	}
	h.recs = append(keep, hpaRecommendation{now, recommended})
	return highest
}

// legacyLimit is convertDesiredReplicasWithRules: at least min; at most max
// and, on the way up, at most max(ScaleUpLimitFactor × current,
// ScaleUpLimitMinimum) per sync. why names the bound that decided.
func (h *HPA) legacyLimit(current, desired int) (int, string) {
	upLimit := int(math.Max(h.ScaleUpLimitFactor*float64(current), float64(h.ScaleUpLimitMinimum)))
	highest, why := h.MaxReplicas, fmt.Sprintf("at max %d", h.MaxReplicas)
	if h.MaxReplicas > upLimit {
		highest, why = upLimit, fmt.Sprintf("scale-up limited to %d (max(%g × %d, %d) per sync)", upLimit, h.ScaleUpLimitFactor, current, h.ScaleUpLimitMinimum)
	}
	switch {
	case desired < h.MinReplicas:
		return h.MinReplicas, fmt.Sprintf("at min %d", h.MinReplicas)
	case desired > highest:
		return highest, why
	}
	return desired, ""
}
