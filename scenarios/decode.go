package scenarios

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/capsim/capsim/internal/bounded"
)

// The scenario file is decoded by walking goccy's AST against the Go types
// rather than with yaml.UnmarshalWithOptions(..., yaml.Strict()): goccy's
// strict decoder stops at the first problem, reports unknown keys in map
// order (a different one each run), and truncates 2.5 into an int field.
// The walk reports every problem with its line and column, and records
// where each field path sits so later checks can point at it.

// Limits that keep hostile input (alias bombs, deep nesting) cheap.
const (
	maxNodes = 200_000
	maxDepth = 64
)

type position struct{ line, col int }

type decoder struct {
	file    string
	errs    Errors
	at      map[string]position // field path → where to point at it
	present map[string]bool     // field paths given a non-null value
	broken  map[string]bool     // field paths that failed to decode
	anchors map[string][]anchorDef
	nodes   int
	depth   int
	tooBig  bool
	numbers []numberAt // decoded numbers within their upper bound: see checkLowerBounds

	flowPaths bool // path keys were rewritten to parse: see parseYAML
}

type anchorDef struct {
	pos  position
	node ast.Node
}

func newDecoder(file string) *decoder {
	return &decoder{
		file:    file,
		at:      map[string]position{},
		present: map[string]bool{},
		broken:  map[string]bool{},
		anchors: map[string][]anchorDef{},
	}
}

// fail records a problem at n (or, with n nil, at the path's position).
func (d *decoder) fail(path string, n ast.Node, format string, a ...any) {
	p := d.pos(path)
	if n != nil {
		p = nodePos(n)
	}
	d.errs = append(d.errs, Error{File: d.file, Line: p.line, Column: p.col, Field: path, Msg: fmt.Sprintf(format, a...)})
	d.broken[path] = true
}

// pos is where to point for a field path: the path itself if the file has
// it, else its nearest ancestor, else the top of the file.
func (d *decoder) pos(path string) position {
	for p := path; p != ""; p = parentPath(p) {
		if at, ok := d.at[p]; ok {
			return at
		}
	}
	return position{1, 1}
}

// isBroken says whether path or one of its ancestors failed to decode, so
// that semantic checks stay quiet about values that never arrived.
func (d *decoder) isBroken(path string) bool {
	for p := path; p != ""; p = parentPath(p) {
		if d.broken[p] {
			return true
		}
	}
	return d.broken[""]
}

// parentPath drops the last element of a field path: a.b[2].c → a.b[2] →
// a.b → a. Quoted map keys ("x.y") count as one element.
func parentPath(p string) string {
	inQuote := false
	cut := -1
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '.' || c == '[':
			cut = i
		}
	}
	if cut < 0 {
		return ""
	}
	return p[:cut]
}

func joinPath(parent, key string) string {
	if strings.ContainsAny(key, ".[]\" ") || key == "" {
		key = strconv.Quote(key)
	}
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func indexPath(parent string, i int) string { return fmt.Sprintf("%s[%d]", parent, i) }

func tokenPos(tk *token.Token) position {
	if tk == nil || tk.Position == nil || tk.Position.Line < 1 {
		return position{1, 1}
	}
	return position{tk.Position.Line, max(1, tk.Position.Column)}
}

// nodePos is where a node starts in the text. goccy gives a block
// mapping the position of its first ':', so use its first key instead.
func nodePos(n ast.Node) position {
	switch v := n.(type) {
	case nil:
		return position{1, 1}
	case *ast.MappingNode:
		if !v.IsFlowStyle && len(v.Values) > 0 {
			return nodePos(v.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return nodePos(v.Key)
	case *ast.MappingKeyNode:
		if v.Value != nil {
			return nodePos(v.Value)
		}
	case *ast.TagNode:
		return tokenPos(v.Start)
	case *ast.AnchorNode:
		return tokenPos(v.Start)
	}
	return tokenPos(n.GetToken())
}

// collectAnchors records every anchor in document order, so an alias can
// find the latest definition before it.
func (d *decoder) collectAnchors(n ast.Node, depth int) {
	if n == nil || depth > maxDepth*4 {
		return
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		if v.Name != nil {
			name := v.Name.GetToken().Value
			d.anchors[name] = append(d.anchors[name], anchorDef{nodePos(v), v.Value})
		}
		d.collectAnchors(v.Value, depth+1)
	case *ast.MappingNode:
		for _, mv := range v.Values {
			d.collectAnchors(mv, depth+1)
		}
	case *ast.MappingValueNode:
		d.collectAnchors(v.Key, depth+1)
		d.collectAnchors(v.Value, depth+1)
	case *ast.MappingKeyNode:
		d.collectAnchors(v.Value, depth+1)
	case *ast.SequenceNode:
		for _, e := range v.Values {
			d.collectAnchors(e, depth+1)
		}
	case *ast.TagNode:
		d.collectAnchors(v.Value, depth+1)
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
func (d *decoder) resolve(path string, n ast.Node) ast.Node { return d.resolveNode(path, n, true) }

// resolveQuiet is resolve without reporting: for choosing a position or
// peeking at a value's kind before decoding it.
func (d *decoder) resolveQuiet(n ast.Node) ast.Node { return d.resolveNode("", n, false) }

func (d *decoder) resolveNode(path string, n ast.Node, report bool) ast.Node {
	fail := func(n ast.Node, format string, a ...any) {
		if report {
			d.fail(path, n, format, a...)
		}
	}
	for i := 0; n != nil; i++ {
		if i > maxDepth {
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
			at := nodePos(v)
			var target ast.Node
			for _, def := range d.anchors[name] {
				if def.pos.line < at.line || def.pos.line == at.line && def.pos.col < at.col {
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
func (d *decoder) nullValue(n ast.Node) bool {
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

// step counts nodes against maxNodes; false means stop decoding.
func (d *decoder) step(path string, n ast.Node) bool { return d.charge(path, n, 1) }

// charge counts k values against maxNodes: a merge key copies a whole
// mapping's entries, so they count one by one.
func (d *decoder) charge(path string, n ast.Node, k int) bool {
	d.nodes += k
	if d.nodes > maxNodes {
		if !d.tooBig {
			d.tooBig = true
			d.fail(path, n, "the document expands to more than %d values (alias expansion?)", maxNodes)
		}
		return false
	}
	return true
}

// nodeDecoder is implemented by types that decode themselves from the AST
// (the ordered path → value mappings of variants and sweeps).
type nodeDecoder interface {
	decodeNode(d *decoder, path string, n ast.Node)
}

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	nodeDecoderType     = reflect.TypeFor[nodeDecoder]()
)

// value decodes node n into v, which must be settable. A null node leaves
// v at its zero value.
func (d *decoder) value(path string, n ast.Node, v reflect.Value) {
	if !d.step(path, n) {
		return
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > maxDepth {
		d.fail(path, n, "nested more than %d levels deep", maxDepth)
		return
	}
	n = d.resolve(path, n)
	if isNull(n) {
		return
	}
	pt := v.Addr().Type()
	switch {
	case pt.Implements(nodeDecoderType):
		v.Addr().Interface().(nodeDecoder).decodeNode(d, path, n)
		return
	case pt.Implements(textUnmarshalerType):
		text, ok := scalarText(n)
		if !ok {
			d.fail(path, n, "expected a %s, got %s", textKind(v.Type()), describe(n))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(text)); err != nil {
			d.fail(path, n, "%s", textError(v.Type(), text, err))
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
		if a := d.toAny(path, n); a != nil {
			v.Set(reflect.ValueOf(a))
		}
	default:
		d.scalar(path, n, v)
	}
}

// textKind names what a TextUnmarshaler field expects.
func textKind(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[Duration]():
		return "duration such as 90s"
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

type pair struct {
	key     string
	keyNode ast.Node
	value   ast.Node
}

// pairs lists a mapping's entries in order, with YAML merge keys (<<)
// expanded: explicit keys win over merged ones, earlier merges over later.
func (d *decoder) pairs(path string, n ast.Node) ([]pair, bool) {
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		return nil, false
	}
	if d.tooBig || !d.charge(path, n, len(values)) {
		return nil, true
	}
	var explicit, merged []pair
	for _, mv := range values {
		if mv == nil {
			continue
		}
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			merged = append(merged, d.mergePairs(path, mv.Value)...)
			continue
		}
		kn := d.resolve(path, mv.Key)
		key, ok := scalarText(kn)
		if !ok || kn == nil {
			d.fail(path, mv.Key, "a key must be a plain name, not %s", describe(kn))
			continue
		}
		explicit = append(explicit, pair{key, kn, mv.Value})
	}
	if len(merged) == 0 {
		return explicit, true
	}
	seen := map[string]bool{}
	for _, p := range explicit {
		seen[p.key] = true
	}
	out := explicit
	for _, p := range merged {
		if !seen[p.key] {
			seen[p.key] = true
			out = append(out, p)
		}
	}
	return out, true
}

func (d *decoder) mergePairs(path string, n ast.Node) []pair {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > maxDepth || !d.step(path, n) {
		return nil
	}
	n = d.resolve(path, n)
	if s, ok := n.(*ast.SequenceNode); ok {
		if !d.charge(path, n, len(s.Values)) {
			return nil
		}
		var out []pair
		for _, e := range s.Values {
			out = append(out, d.mergePairs(path, e)...)
		}
		return out
	}
	ps, ok := d.pairs(path, n)
	if !ok {
		d.fail(path, n, "a merge key (<<) needs a mapping or a list of mappings, got %s", describe(n))
	}
	return ps
}

// record remembers where a field path sits: at its value for a scalar, at
// its key for a mapping or list (whose value starts on another line).
func (d *decoder) record(path string, keyNode, value ast.Node) {
	if _, ok := d.at[path]; ok {
		return
	}
	v := d.resolveQuiet(value)
	switch v.(type) {
	case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode, nil:
		if keyNode != nil {
			d.at[path] = nodePos(keyNode)
			return
		}
	}
	d.at[path] = nodePos(value)
}

type fieldInfo struct {
	index int
	name  string
}

var fieldCache sync.Map // reflect.Type → []fieldInfo

// fields lists a struct type's yaml keys in declaration order.
func fields(t reflect.Type) []fieldInfo {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]fieldInfo)
	}
	var out []fieldInfo
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
		out = append(out, fieldInfo{i, name})
	}
	fieldCache.Store(t, out)
	return out
}

func (d *decoder) structure(path string, n ast.Node, v reflect.Value) {
	ps, ok := d.pairs(path, n)
	if !ok {
		d.fail(path, n, "expected a mapping of keys to values, got %s", describe(n))
		return
	}
	fs := fields(v.Type())
	for _, p := range ps {
		var f *fieldInfo
		for i := range fs {
			if fs[i].name == p.key {
				f = &fs[i]
				break
			}
		}
		fp := joinPath(path, p.key)
		if f == nil {
			d.unknownKey(fp, p, fs)
			continue
		}
		d.record(fp, p.keyNode, p.value)
		if d.nullValue(p.value) {
			continue
		}
		d.present[fp] = true
		d.value(fp, p.value, v.Field(f.index))
	}
}

func (d *decoder) unknownKey(fp string, p pair, fs []fieldInfo) {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	msg := fmt.Sprintf("unknown key %q", p.key)
	if near := nearest(p.key, names, 1); len(near) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", near[0])
	} else {
		msg += " (known keys: " + strings.Join(names, ", ") + ")"
	}
	pos := nodePos(p.keyNode)
	d.errs = append(d.errs, Error{File: d.file, Line: pos.line, Column: pos.col, Field: fp, Msg: msg, unknownKey: true})
}

func (d *decoder) sequence(path string, n ast.Node, v reflect.Value) {
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.fail(path, n, "expected a list, got %s", describe(n))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(s.Values), len(s.Values))
	for i, e := range s.Values {
		ip := indexPath(path, i)
		d.at[ip] = nodePos(e)
		if d.nullValue(e) {
			continue
		}
		d.present[ip] = true
		d.value(ip, e, out.Index(i))
	}
	v.Set(out)
}

func (d *decoder) mapping(path string, n ast.Node, v reflect.Value) {
	if v.Type().Key().Kind() != reflect.String {
		d.fail(path, n, "internal: map key type %s", v.Type().Key())
		return
	}
	ps, ok := d.pairs(path, n)
	if !ok {
		d.fail(path, n, "expected a mapping of keys to values, got %s", describe(n))
		return
	}
	out := reflect.MakeMapWithSize(v.Type(), len(ps))
	for _, p := range ps {
		fp := joinPath(path, p.key)
		d.record(fp, p.keyNode, p.value)
		e := reflect.New(v.Type().Elem()).Elem()
		if !d.nullValue(p.value) {
			d.present[fp] = true
			d.value(fp, p.value, e)
		}
		out.SetMapIndex(reflect.ValueOf(p.key).Convert(v.Type().Key()), e)
	}
	v.Set(out)
}

// toAny converts a node to plain Go values: map[string]any, []any, string,
// int64, float64, bool or nil.
func (d *decoder) toAny(path string, n ast.Node) any {
	if !d.step(path, n) {
		return nil
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > maxDepth {
		d.fail(path, n, "nested more than %d levels deep", maxDepth)
		return nil
	}
	n = d.resolve(path, n)
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return nil
	case *ast.SequenceNode:
		out := make([]any, len(v.Values))
		for i, e := range v.Values {
			out[i] = d.toAny(indexPath(path, i), e)
		}
		return out
	case *ast.MappingNode, *ast.MappingValueNode:
		ps, _ := d.pairs(path, v)
		out := make(map[string]any, len(ps))
		for _, p := range ps {
			out[p.key] = d.toAny(joinPath(path, p.key), p.value)
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
func describe(n ast.Node) string {
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

func (d *decoder) scalar(path string, n ast.Node, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		s, ok := scalarText(n)
		if !ok {
			d.fail(path, n, "expected a string, got %s", describe(n))
			return
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.fail(path, n, "expected true or false, got %s", describe(n))
			return
		}
		v.SetBool(b.Value)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, ok := n.(*ast.IntegerNode)
		if !ok {
			d.fail(path, n, "expected a whole number, got %s", describe(n))
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
			d.fail(path, n, "%s is out of range", describe(n))
			return
		}
		v.SetInt(x)
		d.checkRange(path, n, float64(x))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		i, ok := n.(*ast.IntegerNode)
		if !ok {
			d.fail(path, n, "expected a whole number ≥ 0, got %s", describe(n))
			return
		}
		var x uint64
		switch y := i.Value.(type) {
		case int64:
			if y < 0 {
				d.fail(path, n, "expected a whole number ≥ 0, got %s", describe(n))
				return
			}
			x = uint64(y)
		case uint64:
			x = y
		}
		if v.OverflowUint(x) {
			d.fail(path, n, "%s is out of range", describe(n))
			return
		}
		v.SetUint(x)
		d.checkRange(path, n, float64(x))
	case reflect.Float32, reflect.Float64:
		f, ok := floatValue(n)
		if !ok {
			d.fail(path, n, "expected a number, got %s", describe(n))
			return
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			d.fail(path, n, "must be a finite number, got %s", describe(n))
			return
		}
		v.SetFloat(f)
		d.checkRange(path, n, f)
	default:
		d.fail(path, n, "internal: cannot decode into %s", v.Type())
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

// nearest returns up to n of names closest to s by edit distance, closest
// first, among those close enough to be a likely typo.
func nearest(s string, names []string, n int) []string {
	type cand struct {
		name string
		dist int
	}
	var cs []cand
	limit := max(2, len(s)/3)
	for _, name := range names {
		dist := editDistance(s, name)
		if dist > limit && len(s) >= 3 && (strings.HasPrefix(name, s) || strings.HasPrefix(s, name)) {
			dist = limit // a prefix: likely meant, ranked after closer names
		}
		if dist <= limit {
			cs = append(cs, cand{name, dist})
		}
	}
	// insertion sort: stable, small
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].dist < cs[j-1].dist; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
