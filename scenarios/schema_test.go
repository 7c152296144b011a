package scenarios

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func compiledSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	raw, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return sch
}

func TestSchemaShape(t *testing.T) {
	raw, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if m["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", m["$schema"])
	}
	if m["additionalProperties"] != false {
		t.Errorf("top level additionalProperties = %v, want false", m["additionalProperties"])
	}
	props, _ := m["properties"].(map[string]any)
	for _, k := range []string{"name", "description", "seed", "start", "duration", "traffic", "workload", "instance_types",
		"fleet", "service", "capacity_provider", "capacity_providers", "load_balancer", "scaling", "metrics", "pricing", "slo", "mode", "fluid", "output", "variants", "sweep"} {
		if _, ok := props[k]; !ok {
			t.Errorf("top-level key %q missing from the schema", k)
		}
	}
	if len(props) != 22 {
		t.Errorf("%d top-level keys, want 22", len(props))
	}
	// Every object type of the file rejects unknown keys.
	defs, _ := m["$defs"].(map[string]any)
	for name, d := range defs {
		dm := d.(map[string]any)
		if dm["type"] == "object" && dm["properties"] != nil && dm["additionalProperties"] != false {
			t.Errorf("$defs.%s: additionalProperties = %v, want false", name, dm["additionalProperties"])
		}
	}
	if !strings.Contains(string(raw), `"least_outstanding_requests"`) {
		t.Error("the schema does not list the balancer names")
	}
}

func TestSchemaValidates(t *testing.T) {
	sch := compiledSchema(t)
	// The default scenario file itself.
	_, y := Default()
	j, err := yaml.YAMLToJSON(y)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("default.yaml does not validate against the schema: %v", err)
	}
	// The resolved scenarios, defaults filled in, as the JSON result carries them.
	for _, f := range []string{"examples/default.yaml", "examples/nasa-rate.yaml", "testdata/design_example.yaml"} {
		s, err := Load(f)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(s)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err := sch.Validate(inst); err != nil {
			t.Errorf("resolved %s does not validate: %v", f, err)
		}
	}
	// And the schema rejects what Parse rejects structurally: each case
	// breaks the valid base one way.
	base, err := yaml.YAMLToJSON([]byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, doc []byte, ok bool) {
		t.Helper()
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := sch.Validate(inst); (err == nil) != ok {
			t.Errorf("%s: valid = %v, want %v (%v)\n%s", name, err == nil, ok, err, doc)
		}
	}
	check("base", base, true)
	for _, c := range []struct{ old, new string }{
		{`"max": 10`, `"max": 10, "colour": "red"`},
		{`"duration": "1h"`, `"duration": 90`},
		{`"duration": "1h"`, `"duration": "soon"`},
		{`"shape": "constant"`, `"shape": "square"`},
		{`"min": 2`, `"min": "two"`},
		{`"duration": "1h"`, `"duration": "1h", "load_balancer": {"algorithm": "least_conn"}`},
	} {
		doc := strings.Replace(compact(t, base), c.old, c.new, 1)
		if doc == compact(t, base) {
			t.Fatalf("%q is not in %s", c.old, doc)
		}
		check(c.new, []byte(doc), false)
	}
}

// compact re-encodes JSON with one space after colons, for editing.
func compact(t *testing.T, j []byte) string {
	var v any
	if err := json.Unmarshal(j, &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return strings.ReplaceAll(string(b), `":`, `": `)
}
