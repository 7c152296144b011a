package strictyaml

import (
	"strings"
	"testing"
)

type inner struct {
	Size  int     `yaml:"size"`
	Ratio float64 `yaml:"ratio"`
}

type small struct {
	Name  string           `yaml:"name"`
	Count int              `yaml:"count"`
	On    bool             `yaml:"on"`
	In    *inner           `yaml:"inner"`
	List  []inner          `yaml:"list"`
	Tags  map[string]int   `yaml:"tags"`
	Any   any              `yaml:"any"`
	Skip  string           `yaml:"-"`
	Extra map[string]inner `yaml:"extra"`
}

// decode runs Parse and Decode on src, returning the value and the
// problems, sorted, as "line:col field: message".
func decode(t *testing.T, src string) (*small, *Decoder, []string) {
	t.Helper()
	body, perr := Parse("t.yaml", []byte(src))
	if perr != nil {
		return nil, nil, []string{perr.Error()}
	}
	var v small
	d := NewDecoder("t.yaml")
	if body != nil {
		d.Decode(body, &v)
	}
	d.Errs.Sort()
	var out []string
	for _, e := range d.Errs {
		out = append(out, e.Error())
	}
	return &v, d, out
}

func TestDecodeSmallStruct(t *testing.T) {
	v, d, errs := decode(t, "name: web\ncount: 3\non: true\ninner: {size: 2, ratio: 0.5}\nlist:\n  - size: 1\n  - {size: 4}\ntags: {a: 1, b: 2}\nany: [1, x]\n")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if v.Name != "web" || v.Count != 3 || !v.On || v.In == nil || v.In.Size != 2 || v.In.Ratio != 0.5 ||
		len(v.List) != 2 || v.List[1].Size != 4 || v.Tags["b"] != 2 {
		t.Errorf("decoded %+v", v)
	}
	if a, ok := v.Any.([]any); !ok || len(a) != 2 {
		t.Errorf("any = %#v", v.Any)
	}
	// Where each path sits, and which were given.
	for path, want := range map[string]Position{"name": {1, 7}, "inner": {4, 1}, "inner.size": {4, 15}, "list[1].size": {7, 12}} {
		if got := d.At[path]; got != want {
			t.Errorf("At[%s] = %v, want %v", path, got, want)
		}
	}
	if !d.Present["inner.ratio"] || d.Present["inner.missing"] || d.Present["skip"] {
		t.Errorf("Present = %v", d.Present)
	}
}

// The reasons the walk exists (goccy's strict mode, see decode.go): every
// problem is reported, in file order, and 2.5 is not truncated to 2.
func TestDecodeReportsEveryProblemInOrder(t *testing.T) {
	_, d, errs := decode(t, "zeta: 1\nname: web\ncount: 2.5\nalpha: 2\ninner: {size: x, sise: 3}\nskip: no\n")
	want := []string{
		`t.yaml:1:1: zeta: unknown key "zeta"`,
		`t.yaml:3:8: count: expected a whole number, got "2.5"`,
		`t.yaml:4:1: alpha: unknown key "alpha"`,
		`t.yaml:5:15: inner.size: expected a whole number`,
		`t.yaml:5:18: inner.sise: unknown key "sise" (did you mean "size"?)`,
		`t.yaml:6:1: skip: unknown key "skip"`,
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(errs), len(want), strings.Join(errs, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(errs[i], want[i]) {
			t.Errorf("problem %d: %s\nwant prefix %s", i, errs[i], want[i])
		}
	}
	if !d.IsBroken("inner.size") || d.IsBroken("name") {
		t.Error("IsBroken: inner.size failed to decode, name did not")
	}
	// The same input reports the same way every time (no map order).
	for range 5 {
		if _, _, again := decode(t, "zeta: 1\nname: web\ncount: 2.5\nalpha: 2\ninner: {size: x, sise: 3}\nskip: no\n"); strings.Join(again, "\n") != strings.Join(errs, "\n") {
			t.Fatalf("order changed:\n%s", strings.Join(again, "\n"))
		}
	}
}

func TestDecodeAnchorsAndMerges(t *testing.T) {
	v, _, errs := decode(t, "extra:\n  base: &b {size: 1, ratio: 0.25}\n  more:\n    <<: *b\n    size: 7\n")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if m := v.Extra["more"]; m.Size != 7 || m.Ratio != 0.25 {
		t.Errorf("merged %+v: explicit keys win over merged ones", m)
	}
}

func TestDecodeLimits(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+5) + strings.Repeat("]", MaxDepth+5)
	_, _, errs := decode(t, "any: "+deep+"\n")
	if len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), "nested more than") {
		t.Errorf("depth %d accepted: %v", MaxDepth+5, errs)
	}
	if e := Prescan([]byte("a: " + strings.Repeat("[", ScanMaxDepth+1))); e == nil {
		t.Error("the pre-scan let past nesting beyond its limit")
	}
	if _, _, errs := decode(t, "a: 1\n---\nb: 2\n"); len(errs) != 1 || !strings.Contains(errs[0], "second one") {
		t.Errorf("two documents: %v", errs)
	}
}

func TestPaths(t *testing.T) {
	for _, c := range []struct{ in, parent string }{
		{"a.b[2].c", "a.b[2]"}, {"a.b[2]", "a.b"}, {"a", ""}, {`sweep."x.y[0]"`, "sweep"},
	} {
		if got := ParentPath(c.in); got != c.parent {
			t.Errorf("ParentPath(%s) = %s, want %s", c.in, got, c.parent)
		}
	}
	if got := JoinPath("sweep", "x.y[0]"); got != `sweep."x.y[0]"` {
		t.Errorf("JoinPath quotes keys with dots: %s", got)
	}
	if got := Nearest("instnce_type", []string{"instance_type", "min", "max"}, 1); len(got) != 1 || got[0] != "instance_type" {
		t.Errorf("Nearest = %v", got)
	}
}
