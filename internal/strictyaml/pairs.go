package strictyaml

import "github.com/goccy/go-yaml/ast"

// Pair is one entry of a mapping.
type Pair struct {
	Key     string
	KeyNode ast.Node
	Value   ast.Node
}

// pairs lists a mapping's entries in order, with YAML merge keys (<<)
// expanded: explicit keys win over merged ones, earlier merges over later.
func (d *Decoder) Pairs(path string, n ast.Node) ([]Pair, bool) {
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		return nil, false
	}
	if d.TooBig || !d.charge(path, n, len(values)) {
		return nil, true
	}
	var explicit, merged []Pair
	for _, mv := range values {
		if mv == nil {
			continue
		}
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			merged = append(merged, d.mergePairs(path, mv.Value)...)
			continue
		}
		kn := d.Resolve(path, mv.Key)
		key, ok := scalarText(kn)
		if !ok || kn == nil {
			d.Fail(path, mv.Key, "a key must be a plain name, not %s", Describe(kn))
			continue
		}
		explicit = append(explicit, Pair{key, kn, mv.Value})
	}
	if len(merged) == 0 {
		return explicit, true
	}
	seen := map[string]bool{}
	for _, p := range explicit {
		seen[p.Key] = true
	}
	out := explicit
	for _, p := range merged {
		if !seen[p.Key] {
			seen[p.Key] = true
			out = append(out, p)
		}
	}
	return out, true
}

func (d *Decoder) mergePairs(path string, n ast.Node) []Pair {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > MaxDepth || !d.step(path, n) {
		return nil
	}
	n = d.Resolve(path, n)
	if s, ok := n.(*ast.SequenceNode); ok {
		if !d.charge(path, n, len(s.Values)) {
			return nil
		}
		var out []Pair
		for _, e := range s.Values {
			out = append(out, d.mergePairs(path, e)...)
		}
		return out
	}
	ps, ok := d.Pairs(path, n)
	if !ok {
		d.Fail(path, n, "a merge key (<<) needs a mapping or a list of mappings, got %s", Describe(n))
	}
	return ps
}

// record remembers where a field path sits: at its value for a scalar, at
// its key for a mapping or list (whose value starts on another line).
func (d *Decoder) Record(path string, keyNode, value ast.Node) {
	if _, ok := d.At[path]; ok {
		return
	}
	v := d.resolveQuiet(value)
	switch v.(type) {
	case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode, nil:
		if keyNode != nil {
			d.At[path] = NodePos(keyNode)
			return
		}
	}
	d.At[path] = NodePos(value)
}
