package strictyaml

import "fmt"

// goccy's parser has no limits of its own: a 200 KB file of nested lists
// ('- - - …' or '[[[…') costs it memory that grows with the square of the
// depth, and its lexer spends about 260 bytes per token. So the bytes are
// pre-scanned, cheaply and without allocating, before the parser sees
// them. The scan over-counts rather than under-counts (it does not parse
// YAML, it bounds it); its limits sit well above what the decoder itself
// accepts (MaxDepth, MaxNodes), so a file the decoder would take is never
// refused here. docs/reliability.md lists the limits.
const (
	// ScanMaxDepth bounds block and flow nesting together.
	ScanMaxDepth = 2 * MaxDepth
	// ScanMaxTokens bounds words plus indicators (, [ ] { } :) outside
	// comments: what the lexer would turn into tokens, over-counted.
	ScanMaxTokens = 100_000
	// ScanMaxAliases bounds aliases (*a) and merge keys (<<) together:
	// each can copy a subtree, so many of them make an expansion bomb.
	ScanMaxAliases = 1_000
)

// ScanError is the place and reason a pre-scan refused the file.
type ScanError struct {
	Line, Col int
	Msg       string
}

// Prescan bounds the nesting depth, the token count and the aliases of a
// YAML text before it is parsed.
func Prescan(data []byte) *ScanError {
	var (
		line, col     = 1, 0
		stack         [ScanMaxDepth + 2]int // block indentation columns
		depth         int                   // entries used in stack
		flow          int                   // open [ and {
		tokens        int
		aliases       int
		quote         byte // ' or " while inside a quoted scalar
		atLineStart        = true
		scalarIndent       = -1 // indentation of a block scalar's parent line, or -1
		lastWord           = -1 // where the line's last word starts, or -1
		prev          byte = '\n'
		inWord        bool
		lineIndent    int
		sawContentYet bool
	)
	fail := func(format string, a ...any) *ScanError {
		return &ScanError{line, max(1, col), fmt.Sprintf(format, a...)}
	}
	push := func(c int) *ScanError {
		for depth > 0 && stack[depth-1] >= c {
			depth--
		}
		if depth+flow >= ScanMaxDepth {
			return fail("nested more than %d levels deep: a scenario file is a few levels deep (this limit is checked before the YAML is parsed)", ScanMaxDepth)
		}
		stack[depth] = c
		depth++
		return nil
	}
	for i := 0; i < len(data); i++ {
		b := data[i]
		col++
		if b == '\n' {
			if quote == 0 && flow == 0 && scalarIndent < 0 && lastWord >= 0 && blockScalarHeader(data[lastWord:i]) {
				scalarIndent = lineIndent
			}
			line, col = line+1, 0
			atLineStart, inWord, lastWord, prev = true, false, -1, b
			sawContentYet = false
			continue
		}
		if atLineStart && quote == 0 {
			if b == ' ' {
				prev = b
				continue
			}
			atLineStart = false
			lineIndent = col - 1
			if scalarIndent >= 0 {
				if lineIndent > scalarIndent || b == '\r' {
					// Inside a block scalar: text, not structure.
					for i < len(data) && data[i] != '\n' {
						i++
					}
					i--
					continue
				}
				scalarIndent = -1
			}
			if b == '#' {
				for i+1 < len(data) && data[i+1] != '\n' {
					i++
				}
				continue
			}
			if flow == 0 && b != '\r' && b != '\t' {
				if err := push(lineIndent); err != nil {
					return err
				}
				sawContentYet = true
			}
		}
		if quote != 0 {
			switch {
			case quote == '"' && b == '\\':
				i++
				col++
			case b == quote:
				quote = 0
			}
			prev = b
			continue
		}
		tokenStart := prev == ' ' || prev == '\t' || prev == '\n' || prev == '[' || prev == '{' || prev == ',' || prev == ':'
		switch {
		case b == '#' && (prev == ' ' || prev == '\t'):
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
			continue
		case (b == '"' || b == '\'') && tokenStart:
			quote = b
			tokens++
		case (b == '[' || b == '{') && (tokenStart || flow > 0):
			flow++
			tokens++
			if depth+flow > ScanMaxDepth {
				return fail("nested more than %d levels deep: a scenario file is a few levels deep (this limit is checked before the YAML is parsed)", ScanMaxDepth)
			}
		case (b == ']' || b == '}') && flow > 0:
			flow--
			tokens++
		case b == ',' && flow > 0:
			tokens++
		case b == '-' && flow == 0 && sawContentYet && (prev == ' ' || prev == '\n') &&
			(i+1 == len(data) || data[i+1] == ' ' || data[i+1] == '\n' || data[i+1] == '\r'):
			// A block sequence entry: '- - x' nests one level per dash.
			tokens++
			if err := push(col + 1); err != nil {
				return err
			}
		case b == '*' && tokenStart:
			aliases++
		case b == '<' && i+1 < len(data) && data[i+1] == '<' && tokenStart:
			aliases++
		case b == ':':
			tokens++
		}
		if aliases > ScanMaxAliases {
			return fail("more than %d aliases and merge keys: each copies a subtree, so this many could expand without bound", ScanMaxAliases)
		}
		word := b != ' ' && b != '\t' && b != '\r'
		if word && !inWord {
			tokens++
			lastWord = i
		}
		inWord = word
		if tokens > ScanMaxTokens {
			return fail("more than %d values and indicators: a scenario file holds a few hundred (this limit is checked before the YAML is parsed)", ScanMaxTokens)
		}
		prev = b
	}
	return nil
}

// blockScalarHeader says a line's last word opens a block scalar: | or >
// with optional chomping and indentation indicators (|-, >+, |2).
func blockScalarHeader(w []byte) bool {
	for len(w) > 0 && (w[len(w)-1] == ' ' || w[len(w)-1] == '\r' || w[len(w)-1] == '\t') {
		w = w[:len(w)-1]
	}
	if len(w) == 0 || len(w) > 3 || w[0] != '|' && w[0] != '>' {
		return false
	}
	for _, c := range w[1:] {
		if c != '-' && c != '+' && (c < '1' || c > '9') {
			return false
		}
	}
	return true
}
