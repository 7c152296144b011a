package reports

import "encoding/json"

// UnmarshalJSON reads a document back, keeping its resolved scenario as
// the raw JSON it was written as: decoded into a map, its keys would come
// back sorted, and a merged sweep would no longer equal, byte for byte,
// the one-machine sweep it stands for.
func (d *Document) UnmarshalJSON(b []byte) error {
	type plain Document // without this method
	var raw json.RawMessage
	p := plain{Scenario: &raw}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = Document(p)
	d.Scenario = nil
	if raw != nil {
		d.Scenario = raw
		d.policyMetrics = policyMetrics(raw)
	}
	return nil
}

// policyMetrics reads scaling.policies[].name and metric from a
// scenario's JSON (see scenarios.Scenario.PolicyMetrics).
func policyMetrics(raw json.RawMessage) map[string]string {
	var s struct {
		Scaling struct {
			Policies []struct {
				Name   string `json:"name"`
				Metric any    `json:"metric"`
			} `json:"policies"`
		} `json:"scaling"`
	}
	if json.Unmarshal(raw, &s) != nil {
		return nil
	}
	var m map[string]string
	for _, p := range s.Scaling.Policies {
		if _, seen := m[p.Name]; seen {
			continue
		}
		if metric, ok := p.Metric.(string); ok && metric != "" {
			if m == nil {
				m = map[string]string{}
			}
			m[p.Name] = metric
		}
	}
	return m
}
