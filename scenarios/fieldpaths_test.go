package scenarios

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/capsim/capsim/internal/strictyaml"
)

// pathLiteral is a string literal that is (part of) a field path: keys
// joined by dots, possibly with list indices, possibly a fragment (".min").
var pathLiteral = regexp.MustCompile(`^\.?[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*|\[[0-9]+\])*\.?$`)

// fileName is a literal that is a file's name (default.yaml), not a path.
var fileName = regexp.MustCompile(`\.(ya?ml|json|csv|gz|txt)$`)

// TestCheckerFieldPathsExist: every field path the checks spell as a
// string (c.bad("fleet.min", …), p+".demand.column", const p =
// "traffic.trace") names keys that exist, in that order, in the yaml tags
// of the Scenario types, so a renamed key cannot leave a check pointing
// nowhere.
func TestCheckerFieldPathsExist(t *testing.T) {
	typePaths := yamlPaths(reflect.TypeFor[Scenario]())
	roots := map[string]bool{}
	for _, p := range typePaths {
		roots[p[0]] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if _, ok := n.(*ast.ImportSpec); ok {
				return false
			}
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !strings.Contains(s, ".") || !pathLiteral.MatchString(s) || fileName.MatchString(s) {
				return true
			}
			checked++
			fragment := strings.HasPrefix(s, ".")
			keys := pathKeys(s)
			if len(keys) == 0 {
				return true
			}
			if !fragment && roots[keys[0]] {
				if !hasPath(typePaths, keys, true) {
					t.Errorf("%s: %q is not a field path of the scenario file", fset.Position(lit.Pos()), s)
				}
			} else if !hasPath(typePaths, keys, false) {
				t.Errorf("%s: %q names no keys of the scenario file", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	if checked < 200 {
		t.Errorf("only %d field-path literals found: has the checker changed how it spells paths?", checked)
	}
	t.Logf("%d field-path literals checked against %d yaml paths", checked, len(typePaths))
}

// pathKeys splits a path literal into its keys, dropping list indices.
func pathKeys(s string) []string {
	s = regexp.MustCompile(`\[[0-9]+\]`).ReplaceAllString(s, "")
	var out []string
	for _, k := range strings.Split(strings.Trim(s, "."), ".") {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}

// hasPath says keys is a run of consecutive keys of some type path (from
// its start when rooted); "*" (a map) matches any key after the first.
func hasPath(paths [][]string, keys []string, rooted bool) bool {
	for _, p := range paths {
		for start := 0; start+len(keys) <= len(p); start++ {
			ok := true
			for i, k := range keys {
				// A map's "*" takes any key, but a fragment must start
				// at a named key (else every fragment would match).
				if p[start+i] != k && (p[start+i] != "*" || i == 0 && !rooted) {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
			if rooted {
				break
			}
		}
	}
	return false
}

// yamlPaths lists every key path of t's yaml tags, lists and pointers
// looked through, maps as "*".
func yamlPaths(t reflect.Type) [][]string {
	var out [][]string
	var walk func(prefix []string, ty reflect.Type, seen map[reflect.Type]bool)
	walk = func(prefix []string, ty reflect.Type, seen map[reflect.Type]bool) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice {
			ty = ty.Elem()
		}
		if len(prefix) > 0 {
			out = append(out, append([]string(nil), prefix...))
		}
		if strictyaml.DecodesItself(ty) {
			return
		}
		switch ty.Kind() {
		case reflect.Struct:
			if seen[ty] {
				return
			}
			seen[ty] = true
			for _, f := range strictyaml.Fields(ty) {
				walk(append(prefix, f.Name), ty.Field(f.Index).Type, seen)
			}
			delete(seen, ty)
		case reflect.Map:
			walk(append(prefix, "*"), ty.Elem(), seen)
		}
	}
	walk(nil, t, map[reflect.Type]bool{})
	return out
}
