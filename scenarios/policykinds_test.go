package scenarios

import (
	"bytes"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Each policy type's keys come from its policyKind, for Parse and for the
// schema's oneOf alike: a key of another type is refused by both.
func TestPolicyKindsKeys(t *testing.T) {
	sch := compiledSchema(t)
	cases := []struct {
		policy string
		ok     bool
	}{
		{"{type: target_tracking, metric: cpu, target: 50}", true},
		{"{type: target_tracking, metric: cpu, target: 50, cooldown: 60s}", false},
		{"{type: simple, alarm: {metric: cpu, comparison: GreaterThanThreshold, threshold: 70}, adjustment: 1, cooldown: 60s}", true},
		{"{type: simple, alarm: {metric: cpu, comparison: GreaterThanThreshold, threshold: 70}, adjustment: 1, tolerance: 0.2}", false},
		{"{type: hpa, metric: cpu, target: 60, tolerance: 0.2}", true},
		{"{type: hpa, metric: cpu, target: 60, steps: []}", false},
	}
	for _, c := range cases {
		src := strings.Replace(valid, "fleet:", "scaling:\n  policies:\n    - "+c.policy+"\nfleet:", 1)
		_, err := Parse("p.yaml", []byte(src), "")
		if (err == nil) != c.ok {
			t.Errorf("Parse %s: err %v, want ok %v", c.policy, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "does not apply to a") {
			t.Errorf("Parse %s: %v", c.policy, err)
		}
		j, err := yaml.YAMLToJSON([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); (err == nil) != c.ok {
			t.Errorf("schema %s: %v, want ok %v", c.policy, err, c.ok)
		}
	}
	for _, k := range policyKinds {
		if _, ok := policyKindOf(k.name); !ok || k.check == nil || k.build == nil || len(k.keys) == 0 {
			t.Errorf("policy kind %q is incomplete", k.name)
		}
	}
}
