package scenarios

// CapacityTarget is the per-instance goal a scenario's own scaling states:
// a CPU utilisation in percent, or requests per target per minute. The
// elasticity metrics measure the fleet against it (docs/elasticity.md).
type CapacityTarget struct {
	Policy string  // the policy's name
	Metric string  // cpu or request_count_per_target
	Target float64 // percent (cpu) or requests per target per minute
}

// capacityTargetMetrics are the metrics whose target says how much load one
// instance should carry; other metrics (latency, errors, ...) do not.
var capacityTargetMetrics = map[string]bool{"cpu": true, "request_count_per_target": true}

// CapacityTarget returns the first policy, in file order, that scales the
// group to a per-instance target: target tracking, the HPA, or predictive
// scaling that acts on its forecast. ok is false when no policy does.
func (s *Scenario) CapacityTarget() (t CapacityTarget, ok bool) {
	for _, p := range s.Scaling.Policies {
		scales := p.Type == "target_tracking" || p.Type == "hpa" ||
			(p.Type == "predictive" && p.Mode == "forecast_and_scale")
		if scales && p.Expression == "" && capacityTargetMetrics[p.Metric] && p.Target > 0 {
			return CapacityTarget{Policy: p.Name, Metric: p.Metric, Target: p.Target}, true
		}
	}
	return CapacityTarget{}, false
}
