package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/invopop/jsonschema"
)

// Assignment sets the field at Path (a dotted key path with list indices,
// such as scaling.policies[0].target) to Value.
type Assignment struct {
	Path  string
	Value any // map[string]any, []any, string, int64, float64, bool or nil
}

// Assignments is a variant's set: field path → value, in file order. It is
// written as a mapping in YAML and JSON.
type Assignments []Assignment

// SweepAxis is one dimension of a sweep: every value for one field path.
type SweepAxis struct {
	Path   string
	Values []any
}

// Sweep is a grid of runs: every combination of its axes' values, the
// first axis varying slowest. It is written as a mapping of field path to
// a list of values, in file order.
type Sweep []SweepAxis

// Runs is the number of combinations in the grid (0 for no sweep).
func (s Sweep) Runs() int {
	if len(s) == 0 {
		return 0
	}
	n := 1
	for _, a := range s {
		n *= len(a.Values)
		if n > 1<<30 {
			return 1 << 30
		}
	}
	return n
}

var (
	_ strictyaml.NodeDecoder = (*Assignments)(nil)
	_ strictyaml.NodeDecoder = (*Sweep)(nil)
)

func (a *Assignments) DecodeYAML(d *strictyaml.Decoder, path string, n ast.Node) {
	ps, ok := d.Pairs(path, n)
	if !ok {
		d.Fail(path, n, "expected a mapping of field paths to values, got %s", strictyaml.Describe(n))
		return
	}
	for _, p := range ps {
		fp := strictyaml.JoinPath(path, p.Key)
		d.At[fp] = strictyaml.NodePos(p.KeyNode) // a wrong path is the key's fault
		d.Present[fp] = true
		*a = append(*a, Assignment{Path: p.Key, Value: d.ToAny(fp, p.Value)})
	}
}

func (s *Sweep) DecodeYAML(d *strictyaml.Decoder, path string, n ast.Node) {
	ps, ok := d.Pairs(path, n)
	if !ok {
		d.Fail(path, n, "expected a mapping of field paths to lists of values, got %s", strictyaml.Describe(n))
		return
	}
	for _, p := range ps {
		fp := strictyaml.JoinPath(path, p.Key)
		d.Record(fp, p.KeyNode, p.Value)
		d.Present[fp] = true
		v := d.Resolve(fp, p.Value)
		seq, ok := v.(*ast.SequenceNode)
		if !ok {
			if v != nil {
				d.Fail(fp, v, "expected a list of values to sweep over, got %s", strictyaml.Describe(v))
			}
			continue
		}
		vals, _ := d.ToAny(fp, seq).([]any)
		*s = append(*s, SweepAxis{Path: p.Key, Values: vals})
	}
}

// MarshalJSON writes the assignments as one JSON object, in order.
func (a Assignments) MarshalJSON() ([]byte, error) {
	kv := make([]keyValue, len(a))
	for i, x := range a {
		kv[i] = keyValue{x.Path, x.Value}
	}
	return orderedJSON(kv)
}

// MarshalJSON writes the sweep as one JSON object, in order.
func (s Sweep) MarshalJSON() ([]byte, error) {
	kv := make([]keyValue, len(s))
	for i, x := range s {
		kv[i] = keyValue{x.Path, x.Values}
	}
	return orderedJSON(kv)
}

// MarshalYAML writes the assignments as one YAML mapping, in order.
func (a Assignments) MarshalYAML() (any, error) {
	m := make(yaml.MapSlice, len(a))
	for i, x := range a {
		m[i] = yaml.MapItem{Key: x.Path, Value: x.Value}
	}
	return m, nil
}

// MarshalYAML writes the sweep as one YAML mapping, in order.
func (s Sweep) MarshalYAML() (any, error) {
	m := make(yaml.MapSlice, len(s))
	for i, x := range s {
		m[i] = yaml.MapItem{Key: x.Path, Value: x.Values}
	}
	return m, nil
}

type keyValue struct {
	key   string
	value any
}

func orderedJSON(kv []keyValue) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, x := range kv {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(x.key)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(x.value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// JSONSchema describes a variant's set in the JSON Schema.
func (Assignments) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type:          "object",
		MinProperties: ptr(uint64(1)),
		Description:   "field path (such as scaling.policies[0].target) → the value it takes in this variant",
	}
}

// JSONSchema describes a sweep in the JSON Schema.
func (Sweep) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type:                 "object",
		Description:          "field path → the values to try; every combination is one run",
		AdditionalProperties: &jsonschema.Schema{Type: "array", MinItems: ptr(uint64(1))},
	}
}

func ptr[T any](v T) *T { return &v }

// checkFieldPath says whether p names a field of the scenario s: each key
// must exist in the file format, and each list index must exist in s.
func checkFieldPath(s *Scenario, p string) error {
	v := reflect.ValueOf(s).Elem()
	if p == "" {
		return fmt.Errorf("empty field path")
	}
	rest := p
	where := ""
	for rest != "" {
		var key string
		key, rest = cutKey(rest)
		if key == "" {
			return fmt.Errorf("malformed field path (write it like scaling.policies[0].target)")
		}
		name, idx, ok := splitIndex(key)
		if !ok {
			return fmt.Errorf("malformed field path at %q (write it like scaling.policies[0].target)", key)
		}
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v = reflect.New(v.Type().Elem()).Elem()
			} else {
				v = v.Elem()
			}
		}
		switch v.Kind() {
		case reflect.Struct:
			fs := strictyaml.Fields(v.Type())
			var f *strictyaml.FieldInfo
			for i := range fs {
				if fs[i].Name == name {
					f = &fs[i]
				}
			}
			if f == nil {
				names := make([]string, len(fs))
				for i := range fs {
					names[i] = fs[i].Name
				}
				msg := fmt.Sprintf("no key %q", name)
				if where != "" {
					msg += " under " + where
				}
				if near := strictyaml.Nearest(name, names, 1); len(near) > 0 {
					msg += fmt.Sprintf(" (did you mean %q?)", near[0])
				}
				return fmt.Errorf("%s", msg)
			}
			v = v.Field(f.Index)
		case reflect.Map:
			v = reflect.New(v.Type().Elem()).Elem()
		default:
			return fmt.Errorf("%s is a single value: it has no key %q", where, name)
		}
		where = strictyaml.JoinPath(where, name)
		for _, i := range idx {
			for v.Kind() == reflect.Pointer && !v.IsNil() {
				v = v.Elem()
			}
			if v.Kind() != reflect.Slice {
				return fmt.Errorf("%s is not a list", where)
			}
			if i >= v.Len() {
				return fmt.Errorf("%s has %d entries, so [%d] does not exist", where, v.Len(), i)
			}
			v = v.Index(i)
			where = strictyaml.IndexPath(where, i)
		}
	}
	return nil
}

// cutKey splits "a[0].b.c" into "a[0]" and "b.c".
func cutKey(p string) (key, rest string) {
	key, rest, _ = strings.Cut(p, ".")
	return key, rest
}

// splitIndex splits "policies[0][1]" into "policies" and [0 1].
func splitIndex(key string) (string, []int, bool) {
	name, tail, found := strings.Cut(key, "[")
	if name == "" {
		return "", nil, false
	}
	if !found {
		return name, nil, true
	}
	tail = "[" + tail
	var idx []int
	for tail != "" {
		if tail[0] != '[' {
			return "", nil, false
		}
		end := strings.IndexByte(tail, ']')
		if end < 0 {
			return "", nil, false
		}
		i, err := strconv.Atoi(tail[1:end])
		if err != nil || i < 0 {
			return "", nil, false
		}
		idx = append(idx, i)
		tail = tail[end+1:]
	}
	return name, idx, true
}
