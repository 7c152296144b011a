package strictyaml

import (
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/capsim/capsim/internal/bounded"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// toAny converts a node to plain Go values: map[string]any, []any, string,
// int64, float64, bool or nil.
func (d *Decoder) ToAny(path string, n ast.Node) any {
	if !d.step(path, n) {
		return nil
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > MaxDepth {
		d.Fail(path, n, "nested more than %d levels deep", MaxDepth)
		return nil
	}
	n = d.Resolve(path, n)
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return nil
	case *ast.SequenceNode:
		out := make([]any, len(v.Values))
		for i, e := range v.Values {
			out[i] = d.ToAny(IndexPath(path, i), e)
		}
		return out
	case *ast.MappingNode, *ast.MappingValueNode:
		ps, _ := d.Pairs(path, v)
		out := make(map[string]any, len(ps))
		for _, p := range ps {
			out[p.Key] = d.ToAny(JoinPath(path, p.Key), p.Value)
		}
		return out
	case *ast.IntegerNode:
		switch x := v.Value.(type) {
		case int64:
			return x
		case uint64:
			if x <= math.MaxInt64 {
				return int64(x)
			}
			return float64(x)
		}
	case *ast.FloatNode:
		return v.Value
	case *ast.InfinityNode:
		return v.Value
	case *ast.NanNode:
		return math.NaN()
	case *ast.BoolNode:
		return v.Value
	case *ast.StringNode:
		// goccy leaves 1e8 a string; a variant's copy must keep it a number.
		if f, ok := floatValue(v); ok {
			return f
		}
	}
	s, _ := scalarText(n)
	return s
}

// scalarText is the text of a scalar node (for a string field or a
// TextUnmarshaler); ok is false for mappings, lists and nulls.
func scalarText(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case nil, *ast.NullNode, *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode, *ast.MergeKeyNode:
		return "", false
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return v.Value.Value, true
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value, true
	}
	return "", false
}

// describe names a node's kind (and text, for a scalar) for messages.
func Describe(n ast.Node) string {
	switch n.(type) {
	case nil, *ast.NullNode:
		return "nothing (null)"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	s, _ := scalarText(n)
	return strconv.Quote(bounded.ClipTo(s, 40))
}

func (d *Decoder) scalar(path string, n ast.Node, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		s, ok := scalarText(n)
		if !ok {
			d.Fail(path, n, "expected a string, got %s", Describe(n))
			return
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.Fail(path, n, "expected true or false, got %s", Describe(n))
			return
		}
		v.SetBool(b.Value)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, ok := n.(*ast.IntegerNode)
		if !ok {
			d.Fail(path, n, "expected a whole number, got %s", Describe(n))
			return
		}
		var x int64
		switch y := i.Value.(type) {
		case int64:
			x = y
		case uint64:
			if y > math.MaxInt64 {
				ok = false
			}
			x = int64(y)
		default:
			ok = false
		}
		if !ok || v.OverflowInt(x) {
			d.Fail(path, n, "%s is out of range", Describe(n))
			return
		}
		v.SetInt(x)
		d.number(path, n, float64(x))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		i, ok := n.(*ast.IntegerNode)
		if !ok {
			d.Fail(path, n, "expected a whole number ≥ 0, got %s", Describe(n))
			return
		}
		var x uint64
		switch y := i.Value.(type) {
		case int64:
			if y < 0 {
				d.Fail(path, n, "expected a whole number ≥ 0, got %s", Describe(n))
				return
			}
			x = uint64(y)
		case uint64:
			x = y
		}
		if v.OverflowUint(x) {
			d.Fail(path, n, "%s is out of range", Describe(n))
			return
		}
		v.SetUint(x)
		d.number(path, n, float64(x))
	case reflect.Float32, reflect.Float64:
		f, ok := floatValue(n)
		if !ok {
			d.Fail(path, n, "expected a number, got %s", Describe(n))
			return
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			d.Fail(path, n, "must be a finite number, got %s", Describe(n))
			return
		}
		v.SetFloat(f)
		d.number(path, n, f)
	default:
		d.Fail(path, n, "internal: cannot decode into %s", v.Type())
	}
}

// floatValue reads a number node. goccy leaves exponent forms such as 1e3
// as plain strings, so an unquoted string that parses as a number counts.
func floatValue(n ast.Node) (float64, bool) {
	switch v := n.(type) {
	case *ast.IntegerNode:
		switch x := v.Value.(type) {
		case int64:
			return float64(x), true
		case uint64:
			return float64(x), true
		}
	case *ast.FloatNode:
		return v.Value, true
	case *ast.InfinityNode:
		return v.Value, true
	case *ast.NanNode:
		return math.NaN(), true
	case *ast.StringNode:
		if v.Token != nil && v.Token.Type == token.StringType {
			if f, err := strconv.ParseFloat(v.Value, 64); err == nil && !strings.ContainsAny(v.Value, "xXpPiInN_") {
				return f, true
			}
		}
	}
	return 0, false
}
