package scenarios

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/capsim/capsim/internal/strictyaml"
)

// numericPaths lists every number field of a scenario file, as rangeFor
// sees its path (list indices as [], map keys as *).
func numericPaths() []string {
	var out []string
	var walk func(p string, ty reflect.Type, seen map[reflect.Type]bool)
	walk = func(p string, ty reflect.Type, seen map[reflect.Type]bool) {
		for ty.Kind() == reflect.Pointer {
			ty = ty.Elem()
		}
		if strictyaml.DecodesItself(ty) {
			return // durations, times, variants' assignments
		}
		switch ty.Kind() {
		case reflect.Struct:
			if seen[ty] {
				return
			}
			seen[ty] = true
			for _, f := range strictyaml.Fields(ty) {
				walk(strings.TrimPrefix(p+"."+f.Name, "."), ty.Field(f.Index).Type, seen)
			}
			delete(seen, ty)
		case reflect.Slice:
			walk(p+"[]", ty.Elem(), seen)
		case reflect.Map:
			walk(p+".*", ty.Elem(), seen)
		case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			out = append(out, p)
		}
	}
	walk("", reflect.TypeFor[Scenario](), map[reflect.Type]bool{})
	return out
}

// TestEveryNumberHasARange: a number field added without a range fails
// here, and so does a range for a field that no longer exists.
func TestEveryNumberHasARange(t *testing.T) {
	have := map[string]bool{}
	for _, p := range numericPaths() {
		have[p] = true
		if rangeOf[p] == nil {
			t.Errorf("%s has no row in fieldRanges", p)
		}
	}
	for p := range rangeOf {
		if !have[p] {
			t.Errorf("fieldRanges names %s, which is not a number field", p)
		}
	}
	if len(have) < 70 {
		t.Fatalf("only %d number fields found: the walk is broken", len(have))
	}
}

// TestRangesDocumented: docs/reliability.md lists every range as the
// table prints it.
func TestRangesDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/reliability.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, r := range fieldRanges {
		for _, p := range r.paths {
			if row := "| `" + p + "` | " + r.String() + " |"; !strings.Contains(doc, row) {
				t.Errorf("docs/reliability.md lacks the row %s", row)
			}
		}
	}
}
