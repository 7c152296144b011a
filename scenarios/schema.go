package scenarios

import (
	"encoding/json"

	"github.com/invopop/jsonschema"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/traces"
)

// SchemaID is the $id of the scenario file's JSON Schema.
const SchemaID = "https://github.com/capsim/capsim/scenarios/scenario.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of the scenario file,
// generated from the Go types: key names are the yaml tags, unknown keys
// are rejected (additionalProperties false), and the enumerations list
// what this version runs. Editors can use it for completion; Parse checks
// more than the schema can say (min ≤ max, trace files, ...).
func Schema() ([]byte, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true,
		ExpandedStruct:             true,
	}
	s := r.Reflect(&Scenario{})
	s.ID = SchemaID
	s.Title = "capsim scenario"
	s.Description = "A capsim scenario file (docs/scenario.md): traffic, workload, fleet, load balancer, scaling policies, pricing and SLOs."
	return json.MarshalIndent(s, "", "  ")
}

// JSONSchemaExtend lists the load-balancing algorithms policies knows.
func (LoadBalancer) JSONSchemaExtend(s *jsonschema.Schema) {
	if p, ok := s.Properties.Get("algorithm"); ok && p != nil {
		p.Enum = nil
		for _, n := range policies.BalancerNames() {
			p.Enum = append(p.Enum, n)
		}
	}
}

// JSONSchemaExtend lists the trace formats traces knows.
func (Trace) JSONSchemaExtend(s *jsonschema.Schema) {
	if p, ok := s.Properties.Get("format"); ok && p != nil {
		p.Enum = nil
		for _, n := range traces.Names() {
			p.Enum = append(p.Enum, n)
		}
	}
}

// setEnum makes a property's enumeration the given names.
func setEnum(s *jsonschema.Schema, key string, names []string) {
	if p, ok := s.Properties.Get(key); ok && p != nil {
		p.Enum = nil
		for _, n := range names {
			p.Enum = append(p.Enum, n)
		}
	}
}

// JSONSchemaExtend lists the alarm's comparisons and missing-data
// treatments as policies spells them.
func (AlarmSpec) JSONSchemaExtend(s *jsonschema.Schema) {
	setEnum(s, "comparison", policies.ComparisonNames())
	setEnum(s, "treat_missing_data", policies.MissingDataNames())
}

// JSONSchemaExtend lists the policy types and enumerations, and adds one
// oneOf branch per type (policyKinds): its type, and only its keys.
func (Policy) JSONSchemaExtend(s *jsonschema.Schema) {
	setEnum(s, "type", policyTypeNames())
	setEnum(s, "adjustment_type", policies.AdjustmentTypeNames())
	setEnum(s, "metric_aggregation_type", policies.AggregationNames())
	s.OneOf = nil
	for _, k := range policyKinds {
		keys := jsonschema.NewProperties()
		keys.Set("type", &jsonschema.Schema{Const: k.name})
		allowed := []any{"name", "type"}
		for _, key := range k.keys {
			allowed = append(allowed, key)
		}
		s.OneOf = append(s.OneOf, &jsonschema.Schema{
			Title:         k.name,
			Properties:    keys,
			PropertyNames: &jsonschema.Schema{Enum: allowed},
		})
	}
}

// JSONSchemaExtend lists the termination policies.
func (Fleet) JSONSchemaExtend(s *jsonschema.Schema) {
	if p, ok := s.Properties.Get("termination_policies"); ok && p != nil && p.Items != nil {
		p.Items.Enum = nil
		for _, n := range terminationPolicies {
			p.Items.Enum = append(p.Items.Enum, n)
		}
	}
}
