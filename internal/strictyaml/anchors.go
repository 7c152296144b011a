package strictyaml

import "github.com/goccy/go-yaml/ast"

// collectAnchors records every anchor in document order, so an alias can
// find the latest definition before it.
func (d *Decoder) CollectAnchors(n ast.Node, depth int) {
	if n == nil || depth > MaxDepth*4 {
		return
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		if v.Name != nil {
			name := v.Name.GetToken().Value
			d.anchors[name] = append(d.anchors[name], anchorDef{NodePos(v), v.Value})
		}
		d.CollectAnchors(v.Value, depth+1)
	case *ast.MappingNode:
		for _, mv := range v.Values {
			d.CollectAnchors(mv, depth+1)
		}
	case *ast.MappingValueNode:
		d.CollectAnchors(v.Key, depth+1)
		d.CollectAnchors(v.Value, depth+1)
	case *ast.MappingKeyNode:
		d.CollectAnchors(v.Value, depth+1)
	case *ast.SequenceNode:
		for _, e := range v.Values {
			d.CollectAnchors(e, depth+1)
		}
	case *ast.TagNode:
		d.CollectAnchors(v.Value, depth+1)
	}
}

// standardTags are the YAML core tags; they only confirm a type, so the
// walk looks through them.
var standardTags = map[string]bool{
	"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true,
	"!!map": true, "!!seq": true, "!!timestamp": true, "!!binary": false,
}

// resolve looks through anchors, aliases and core tags to the node that
// holds the value. It returns nil (after reporting) when the node cannot
// be used.
func (d *Decoder) Resolve(path string, n ast.Node) ast.Node { return d.resolveNode(path, n, true) }

// resolveQuiet is resolve without reporting: for choosing a Position or
// peeking at a value's kind before decoding it.
func (d *Decoder) resolveQuiet(n ast.Node) ast.Node { return d.resolveNode("", n, false) }

func (d *Decoder) resolveNode(path string, n ast.Node, report bool) ast.Node {
	fail := func(n ast.Node, format string, a ...any) {
		if report {
			d.Fail(path, n, format, a...)
		}
	}
	for i := 0; n != nil; i++ {
		if i > MaxDepth {
			fail(n, "aliases nested too deeply")
			return nil
		}
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			name := ""
			if v.Value != nil {
				name = v.Value.GetToken().Value
			}
			at := NodePos(v)
			var target ast.Node
			for _, def := range d.anchors[name] {
				if def.pos.Line < at.Line || def.pos.Line == at.Line && def.pos.Col < at.Col {
					target = def.node
				}
			}
			if target == nil {
				fail(v, "alias *%s has no anchor &%s before it", name, name)
				return nil
			}
			n = target
		case *ast.TagNode:
			tag := ""
			if v.Start != nil {
				tag = v.Start.Value
			}
			if !standardTags[tag] {
				fail(v, "YAML tag %s is not supported", tag)
				return nil
			}
			n = v.Value
		case *ast.MappingKeyNode:
			n = v.Value
		default:
			return n
		}
	}
	return nil
}

// nullValue says whether n is absent or null once aliases are followed. A
// broken alias is not null: decoding it reports the problem.
func (d *Decoder) nullValue(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := d.resolveQuiet(n).(*ast.NullNode)
	return ok
}

func isNull(n ast.Node) bool {
	_, ok := n.(*ast.NullNode)
	return n == nil || ok
}

// step counts nodes against MaxNodes; false means stop decoding.
func (d *Decoder) step(path string, n ast.Node) bool { return d.charge(path, n, 1) }

// charge counts k values against MaxNodes: a merge key copies a whole
// mapping's entries, so they count one by one.
func (d *Decoder) charge(path string, n ast.Node, k int) bool {
	d.nodes += k
	if d.nodes > MaxNodes {
		if !d.TooBig {
			d.TooBig = true
			d.Fail(path, n, "the document expands to more than %d values (alias expansion?)", MaxNodes)
		}
		return false
	}
	return true
}
