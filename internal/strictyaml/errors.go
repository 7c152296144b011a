package strictyaml

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

// Error is one problem in a YAML file, printed as
//
//	file:line:column: field.path: message
//
// Line and Column count from 1; they are 0 when the problem has no place in
// the file (then only "file: field.path: message" is printed). Field is the
// dotted path of the key, with list indices: scaling.policies[0].target.
type Error struct {
	File         string
	Line, Column int
	Field, Msg   string
}

func (e Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one file, sorted by line and column.
type Errors []Error

// MaxPrinted bounds Errors.Error: past it, the rest are counted.
const MaxPrinted = 50

// Error prints one problem per line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i == MaxPrinted {
			fmt.Fprintf(&b, "\n(and %d more problems)", len(es)-MaxPrinted)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Sort orders the problems by line, column and field.
func (es Errors) Sort() {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Field < b.Field
	})
}

// goccy messages name positions as "[3:1]"; say it in words.
var bracketPos = regexp.MustCompile(`\[(\d+):(\d+)\]`)

// FromYAML converts a goccy parse error into an Error at its token, with
// the message only (no source excerpt: the caller prints file:line:col).
func FromYAML(file string, err error) Error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		e := Error{File: file, Msg: bracketPos.ReplaceAllString(ye.GetMessage(), "line $1, column $2")}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Column = tk.Position.Line, tk.Position.Column
		}
		if e.Line < 1 {
			e.Line, e.Column = 1, 1
		}
		return e
	}
	// Not a positioned error: keep the first line only.
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return Error{File: file, Line: 1, Column: 1, Msg: msg}
}
