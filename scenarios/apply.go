package scenarios

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Runs returns the scenarios to compare: the base scenario, then one per
// variant (docs/scenario.md), each named after its variant. A variant is the
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
	v := s.Variants[i]
	out, err := s.with(v.Name, v.Description, v.Set)
	if err != nil {
		return nil, fmt.Errorf("variants[%d] (%s): %w", i, v.Name, err)
	}
	return out, nil
}

// SweepRun returns grid point i of the sweep (0 ≤ i < Sweep.Runs()), the
// first axis varying slowest, named after its values.
func (s *Scenario) SweepRun(i int) (*Scenario, error) {
	var set Assignments
	var name []string
	rest := i
	for k := len(s.Sweep) - 1; k >= 0; k-- {
		ax := s.Sweep[k]
		v := ax.Values[rest%len(ax.Values)]
		rest /= len(ax.Values)
		set = append(Assignments{{Path: ax.Path, Value: v}}, set...)
		name = append([]string{fmt.Sprintf("%s=%v", ax.Path, v)}, name...)
	}
	out, err := s.with(strings.Join(name, ","), "", set)
	if err != nil {
		return nil, fmt.Errorf("sweep point %d (%s): %w", i, strings.Join(name, ","), err)
	}
	return out, nil
}

// with is the base scenario with the paths in set replaced, read again
// from scratch, so defaults that depend on other keys are worked out anew
// and every check runs on the result.
func (s *Scenario) with(name, description string, set Assignments) (*Scenario, error) {
	if s.tree == nil {
		return nil, fmt.Errorf("%s: the scenario's source is not kept", s.file)
	}
	tree := deepCopy(s.tree).(map[string]any)
	delete(tree, "variants")
	delete(tree, "sweep")
	for _, a := range set {
		if err := setPath(tree, a.Path, a.Value); err != nil {
			return nil, fmt.Errorf("set %s: %w", a.Path, err)
		}
	}
	tree["name"] = name
	if description != "" {
		tree["description"] = description
	}
	// JSON is YAML: the run is read by the same strict reader.
	b, err := json.Marshal(tree)
	if err != nil {
		return nil, err
	}
	out, err := Parse(fmt.Sprintf("%s (%s)", s.file, name), b, s.dir)
	if err != nil {
		return nil, fmt.Errorf("makes an invalid scenario:\n%w", err)
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
