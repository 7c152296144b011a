package scenarios

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Runs returns the scenarios to compare: the base scenario, then one per
// variant (DESIGN.md §11), each named after its variant. A variant is the
// base file with its set paths replaced and then read again from scratch,
// so defaults that depend on other keys (desired = min, a policy's name)
// are worked out anew and every check runs on the variant too.
func (s *Scenario) Runs() ([]*Scenario, error) {
	out := []*Scenario{s}
	for i := range s.Variants {
		v, err := s.Variant(i)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Variant returns variant i applied to the base scenario.
func (s *Scenario) Variant(i int) (*Scenario, error) {
	if s.tree == nil {
		return nil, fmt.Errorf("%s: the scenario's source is not kept", s.file)
	}
	v := s.Variants[i]
	tree := deepCopy(s.tree).(map[string]any)
	delete(tree, "variants")
	delete(tree, "sweep")
	for _, a := range v.Set {
		if err := setPath(tree, a.Path, a.Value); err != nil {
			return nil, fmt.Errorf("%s: variants[%d] (%s): set %s: %w", s.file, i, v.Name, a.Path, err)
		}
	}
	tree["name"] = v.Name
	if v.Description != "" {
		tree["description"] = v.Description
	}
	// JSON is YAML: the variant is read by the same strict reader.
	b, err := json.Marshal(tree)
	if err != nil {
		return nil, err
	}
	out, err := Parse(fmt.Sprintf("%s (variant %s)", s.file, v.Name), b, s.dir)
	if err != nil {
		return nil, fmt.Errorf("variants[%d] (%s) makes an invalid scenario:\n%w", i, v.Name, err)
	}
	return out, nil
}

var segment = regexp.MustCompile(`^([^\[\]]+)((?:\[\d+\])*)$`)
var index = regexp.MustCompile(`\[(\d+)\]`)

// setPath sets a dotted path with list indices (scaling.policies[0].target)
// in a tree of maps and lists, creating maps for missing keys.
func setPath(tree map[string]any, path string, value any) error {
	parts := strings.Split(path, ".")
	var cur any = tree
	for pi, part := range parts {
		m := segment.FindStringSubmatch(part)
		if m == nil {
			return fmt.Errorf("bad path segment %q", part)
		}
		key := m[1]
		idx := index.FindAllStringSubmatch(m[2], -1)
		obj, ok := cur.(map[string]any)
		if !ok {
			return fmt.Errorf("%s is not a mapping", strings.Join(parts[:pi], "."))
		}
		last := pi == len(parts)-1
		if last && len(idx) == 0 {
			obj[key] = value
			return nil
		}
		next, exists := obj[key]
		if !exists {
			if len(idx) > 0 {
				return fmt.Errorf("%s is not in the scenario", key)
			}
			next = map[string]any{}
			obj[key] = next
		}
		for k, ix := range idx {
			list, ok := next.([]any)
			n, _ := strconv.Atoi(ix[1])
			if !ok || n >= len(list) {
				return fmt.Errorf("%s has no element %d", key, n)
			}
			if last && k == len(idx)-1 {
				list[n] = value
				return nil
			}
			next = list[n]
		}
		cur = next
	}
	return nil
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = deepCopy(x)
		}
		return l
	}
	return v
}
