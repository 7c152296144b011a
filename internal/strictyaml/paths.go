package strictyaml

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/token"

	"github.com/goccy/go-yaml/ast"
)

// ParentPath drops the last element of a field path: a.b[2].c → a.b[2] →
// a.b → a. Quoted map keys ("x.y") count as one element.
func ParentPath(p string) string {
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

func JoinPath(parent, key string) string {
	if strings.ContainsAny(key, ".[]\" ") || key == "" {
		key = strconv.Quote(key)
	}
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func IndexPath(parent string, i int) string { return fmt.Sprintf("%s[%d]", parent, i) }

func TokenPos(tk *token.Token) Position {
	if tk == nil || tk.Position == nil || tk.Position.Line < 1 {
		return Position{1, 1}
	}
	return Position{tk.Position.Line, max(1, tk.Position.Column)}
}

// NodePos is where a node starts in the text. goccy gives a block
// mapping the Position of its first ':', so use its first key instead.
func NodePos(n ast.Node) Position {
	switch v := n.(type) {
	case nil:
		return Position{1, 1}
	case *ast.MappingNode:
		if !v.IsFlowStyle && len(v.Values) > 0 {
			return NodePos(v.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return NodePos(v.Key)
	case *ast.MappingKeyNode:
		if v.Value != nil {
			return NodePos(v.Value)
		}
	case *ast.TagNode:
		return TokenPos(v.Start)
	case *ast.AnchorNode:
		return TokenPos(v.Start)
	}
	return TokenPos(n.GetToken())
}
