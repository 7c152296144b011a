package strictyaml

import (
	"encoding"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/goccy/go-yaml/ast"
)

// The scenario file is decoded by walking goccy's AST against the Go types
// rather than with yaml.UnmarshalWithOptions(..., yaml.Strict()): goccy's
// strict Decoder stops at the first problem, reports unknown keys in map
// order (a different one each run), and truncates 2.5 into an int field.
// The walk reports every problem with its line and column, and records
// where each field path sits so later checks can point at it.

// Limits that keep hostile input (alias bombs, deep nesting) cheap.
const (
	MaxNodes = 200_000
	MaxDepth = 64
)

// Position is a place in the file, counted from 1.
type Position struct{ Line, Col int }

type Decoder struct {
	File    string
	Errs    Errors
	At      map[string]Position // field path → where to point at it
	Present map[string]bool     // field paths given a non-null value
	Broken  map[string]bool     // field paths that failed to decode
	TooBig  bool                // the file has more than MaxNodes nodes (reported)
	// Number, when set, sees every number decoded into a numeric field
	// (after its type's own check), for range checks by field path.
	Number func(path string, n ast.Node, x float64)

	anchors map[string][]anchorDef
	nodes   int
	depth   int
}

type anchorDef struct {
	pos  Position
	node ast.Node
}

func NewDecoder(file string) *Decoder {
	return &Decoder{
		File:    file,
		At:      map[string]Position{},
		Present: map[string]bool{},
		Broken:  map[string]bool{},
		anchors: map[string][]anchorDef{},
	}
}

// fail records a problem at n (or, with n nil, at the path's Position).
func (d *Decoder) Fail(path string, n ast.Node, format string, a ...any) {
	p := d.Pos(path)
	if n != nil {
		p = NodePos(n)
	}
	d.Errs = append(d.Errs, Error{File: d.File, Line: p.Line, Column: p.Col, Field: path, Msg: fmt.Sprintf(format, a...)})
	d.Broken[path] = true
}

// pos is where to point for a field path: the path itself if the file has
// it, else its nearest ancestor, else the top of the file.
func (d *Decoder) Pos(path string) Position {
	for p := path; p != ""; p = ParentPath(p) {
		if at, ok := d.At[p]; ok {
			return at
		}
	}
	return Position{1, 1}
}

// isBroken says whether path or one of its ancestors failed to decode, so
// that semantic checks stay quiet about values that never arrived.
func (d *Decoder) IsBroken(path string) bool {
	for p := path; p != ""; p = ParentPath(p) {
		if d.Broken[p] {
			return true
		}
	}
	return d.Broken[""]
}

// NodeDecoder is implemented by types that decode themselves from the AST
// (the ordered path → value mappings of variants and sweeps).
type NodeDecoder interface {
	DecodeYAML(d *Decoder, path string, n ast.Node)
}

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	nodeDecoderType     = reflect.TypeFor[NodeDecoder]()
)

// DecodesItself says values of type t (through a pointer) are decoded as
// a whole, from text or from their node, rather than field by field.
func DecodesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(textUnmarshalerType) || pt.Implements(nodeDecoderType)
}

// value decodes node n into v, which must be settable. A null node leaves
// v at its zero value.
func (d *Decoder) value(path string, n ast.Node, v reflect.Value) {
	if !d.step(path, n) {
		return
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > MaxDepth {
		d.Fail(path, n, "nested more than %d levels deep", MaxDepth)
		return
	}
	n = d.Resolve(path, n)
	if isNull(n) {
		return
	}
	pt := v.Addr().Type()
	switch {
	case pt.Implements(nodeDecoderType):
		v.Addr().Interface().(NodeDecoder).DecodeYAML(d, path, n)
		return
	case pt.Implements(textUnmarshalerType):
		text, ok := scalarText(n)
		if !ok {
			d.Fail(path, n, "expected a %s, got %s", textKind(v.Type()), Describe(n))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(text)); err != nil {
			d.Fail(path, n, "%s", textError(v.Type(), text, err))
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		e := reflect.New(v.Type().Elem())
		d.value(path, n, e.Elem())
		v.Set(e)
	case reflect.Struct:
		d.structure(path, n, v)
	case reflect.Slice:
		d.sequence(path, n, v)
	case reflect.Map:
		d.mapping(path, n, v)
	case reflect.Interface:
		if a := d.ToAny(path, n); a != nil {
			v.Set(reflect.ValueOf(a))
		}
	default:
		d.scalar(path, n, v)
	}
}

// Kinded is a text type that names what it expects in messages
// ("duration such as 90s").
type Kinded interface{ YAMLKind() string }

// textKind names what a TextUnmarshaler field expects.
func textKind(t reflect.Type) string {
	if k, ok := reflect.Zero(t).Interface().(Kinded); ok {
		return k.YAMLKind()
	}
	if t.String() == "time.Time" {
		return "time such as 2026-03-02T00:00:00Z"
	}
	return "string"
}

func textError(t reflect.Type, text string, err error) string {
	if t.String() == "time.Time" {
		return fmt.Sprintf("%q is not an RFC 3339 time (write it like 2026-03-02T00:00:00Z)", text)
	}
	return err.Error()
}

// FieldInfo is one yaml key of a struct type: the field's index and name.
type FieldInfo struct {
	Index int
	Name  string
}

var fieldCache sync.Map // reflect.Type → []FieldInfo

// fields lists a struct type's yaml keys in declaration order.
func Fields(t reflect.Type) []FieldInfo {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]FieldInfo)
	}
	var out []FieldInfo
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out = append(out, FieldInfo{i, name})
	}
	fieldCache.Store(t, out)
	return out
}

func (d *Decoder) structure(path string, n ast.Node, v reflect.Value) {
	ps, ok := d.Pairs(path, n)
	if !ok {
		d.Fail(path, n, "expected a mapping of keys to values, got %s", Describe(n))
		return
	}
	fs := Fields(v.Type())
	for _, p := range ps {
		var f *FieldInfo
		for i := range fs {
			if fs[i].Name == p.Key {
				f = &fs[i]
				break
			}
		}
		fp := JoinPath(path, p.Key)
		if f == nil {
			d.unknownKey(fp, p, fs)
			continue
		}
		d.Record(fp, p.KeyNode, p.Value)
		if d.nullValue(p.Value) {
			continue
		}
		d.Present[fp] = true
		d.value(fp, p.Value, v.Field(f.Index))
	}
}

func (d *Decoder) unknownKey(fp string, p Pair, fs []FieldInfo) {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	msg := fmt.Sprintf("unknown key %q", p.Key)
	if near := Nearest(p.Key, names, 1); len(near) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", near[0])
	} else {
		msg += " (known keys: " + strings.Join(names, ", ") + ")"
	}
	pos := NodePos(p.KeyNode)
	d.Errs = append(d.Errs, Error{File: d.File, Line: pos.Line, Column: pos.Col, Field: fp, Msg: msg})
}

func (d *Decoder) sequence(path string, n ast.Node, v reflect.Value) {
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.Fail(path, n, "expected a list, got %s", Describe(n))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(s.Values), len(s.Values))
	for i, e := range s.Values {
		ip := IndexPath(path, i)
		d.At[ip] = NodePos(e)
		if d.nullValue(e) {
			continue
		}
		d.Present[ip] = true
		d.value(ip, e, out.Index(i))
	}
	v.Set(out)
}

func (d *Decoder) mapping(path string, n ast.Node, v reflect.Value) {
	if v.Type().Key().Kind() != reflect.String {
		d.Fail(path, n, "internal: map key type %s", v.Type().Key())
		return
	}
	ps, ok := d.Pairs(path, n)
	if !ok {
		d.Fail(path, n, "expected a mapping of keys to values, got %s", Describe(n))
		return
	}
	out := reflect.MakeMapWithSize(v.Type(), len(ps))
	for _, p := range ps {
		fp := JoinPath(path, p.Key)
		d.Record(fp, p.KeyNode, p.Value)
		e := reflect.New(v.Type().Elem()).Elem()
		if !d.nullValue(p.Value) {
			d.Present[fp] = true
			d.value(fp, p.Value, e)
		}
		out.SetMapIndex(reflect.ValueOf(p.Key).Convert(v.Type().Key()), e)
	}
	v.Set(out)
}

// number hands a decoded number to the Number hook.
func (d *Decoder) number(path string, n ast.Node, x float64) {
	if d.Number != nil {
		d.Number(path, n, x)
	}
}

// Decode decodes the document body into v (a pointer to a struct).
func (d *Decoder) Decode(body ast.Node, v any) {
	d.CollectAnchors(body, 0)
	d.value("", body, reflect.ValueOf(v).Elem())
}
