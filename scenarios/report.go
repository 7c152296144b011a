package scenarios

// PolicyMetrics maps each scaling policy's name to its metric (policies
// without one left out; nil when none has one), as the reports label its
// forecasts. *Scenario is a reports.Scenario.
func (s *Scenario) PolicyMetrics() map[string]string {
	var m map[string]string
	for _, p := range s.Scaling.Policies {
		if _, seen := m[p.Name]; seen || p.Metric == "" {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[p.Name] = p.Metric
	}
	return m
}
