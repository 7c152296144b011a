package strictyaml

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Parse parses one YAML document and returns its body (nil if empty). A
// syntax error, or a second document, is an Error at its place.
func Parse(name string, data []byte) (ast.Node, *Error) {
	f, err := parseSafely(data)
	if err != nil {
		e := FromYAML(name, err)
		return nil, &e
	}
	var docs []*ast.DocumentNode
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			docs = append(docs, doc)
		}
	}
	if len(docs) > 1 {
		p := NodePos(docs[1].Body)
		if docs[1].Start != nil {
			p = TokenPos(docs[1].Start)
		}
		return nil, &Error{File: name, Line: p.Line, Column: p.Col, Msg: "a scenario file holds one YAML document; this is a second one"}
	}
	if len(docs) == 0 {
		return nil, nil
	}
	return docs[0].Body, nil
}

// parseSafely runs goccy's parser, turning a panic inside it (a parser
// defect on hostile input) into an error: no input may crash capsim.
func parseSafely(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the YAML parser failed on this input: %v", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}
