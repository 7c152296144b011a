package reports

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// hostileNames are run names written to get markup into a pull-request
// comment or control sequences onto a terminal (issue 9, item 7).
var hostileNames = []string{
	"![px](http://127.0.0.1:9/px.png) [click](http://127.0.0.1:9/) @someone",
	`<img src=x onerror=alert(1)><script>alert(1)</script>`,
	"a|b | c",
	`a\|b\\|c\`,
	"\x1b[31mred\x1b[0m \x1b]8;;http://127.0.0.1:9/\x07link\x1b]8;;\x07",
	"line\nbreak\r| fake | row |",
	"**bold** _em_ ~~strike~~ `code`",
	"www.example.com http://127.0.0.1:9/ mail@example.com #123",
	"&lt;b&gt; &#64;someone",
	"[ref]: http://127.0.0.1:9/",
	"\u202etxt.exe\u2066",
	"\x9b31m c1 \xff invalid",
}

func hostileComparison() *Comparison {
	c := &Comparison{}
	for _, n := range hostileNames {
		c.Table = append(c.Table, ComparisonRow{Name: n})
	}
	return c
}

// TestMarkdownEscapesHostileNames renders compare.md/check.md with
// goldmark's GitHub Flavored Markdown (tables, autolinks, strikethrough;
// an implementation nobody here wrote, following https://github.github.com/gfm/)
// and checks that every name stays plain text in its own cell.
func TestMarkdownEscapesHostileNames(t *testing.T) {
	var md bytes.Buffer
	if err := WriteMarkdown(&md, hostileComparison()); err != nil {
		t.Fatal(err)
	}
	var html bytes.Buffer
	gfm := goldmark.New(goldmark.WithExtensions(extension.GFM))
	if err := gfm.Convert(md.Bytes(), &html); err != nil {
		t.Fatal(err)
	}
	h := html.String()
	for _, bad := range []string{"<a ", "<img", "<script", "<strong>bold", "<em>", "<del>", "<code>", "\x1b", "\u202e", "\u2066", "\x9b"} {
		if strings.Contains(h, bad) {
			t.Errorf("rendered Markdown contains %q:\n%s", bad, h)
		}
	}
	if got, want := strings.Count(h, "<tr>"), len(hostileNames)+1; got != want {
		t.Errorf("%d table rows, want %d (a name broke out of its row):\n%s", got, want, h)
	}
	if got, want := strings.Count(h, "<td"), 9*len(hostileNames); got != want {
		t.Errorf("%d cells, want %d (a name split its cell):\n%s", got, want, h)
	}
	// GitHub makes mentions and issue links from the rendered text, which
	// goldmark does not do: check that no "@" or "#" is directly followed by
	// a name or number there.
	for _, pat := range []string{"@someone", "@example", "#123", "&#64;someone"} {
		if strings.Contains(h, pat) {
			t.Errorf("rendered text contains %q (a mention or issue link on GitHub)", pat)
		}
	}
	// The names themselves survive, as text: the first cell of row 1 shows
	// the image syntax literally.
	if !strings.Contains(h, "![px](http://127.0.0.1:9/px.png)") {
		t.Errorf("the name is not shown as written:\n%s", h)
	}
	if !strings.Contains(h, `a|b | c`) || !strings.Contains(h, `a\|b\\|c\`) {
		t.Errorf("pipes and backslashes not shown as written:\n%s", h)
	}
}

func TestTerminalTableAndJUnitDropControlCharacters(t *testing.T) {
	var term bytes.Buffer
	c := hostileComparison()
	if err := WriteComparison(&term, c); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(term.String(), "\x1b\r\u202e\u2066\x07") || strings.Contains(term.String(), "\u009b") {
		t.Errorf("terminal table holds control characters: %q", term.String())
	}
	if got := strings.Count(term.String(), "\n"); got != len(hostileNames)+1 {
		t.Errorf("%d lines, want %d: a newline in a name made a row", got, len(hostileNames)+1)
	}

	var docs []*Document
	for _, n := range hostileNames {
		docs = append(docs, &Document{Name: n})
	}
	var junit bytes.Buffer
	if err := WriteJUnit(&junit, docs...); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(junit.String(), "\x1b\x07\u202e") {
		t.Errorf("JUnit holds control characters")
	}
	var parsed struct{}
	if err := xml.Unmarshal(junit.Bytes(), &parsed); err != nil {
		t.Errorf("JUnit is not well-formed XML: %v", err)
	}
	if !strings.Contains(junit.String(), `name="&lt;img src=x onerror=alert(1)&gt;`) {
		t.Errorf("JUnit does not keep the name, escaped:\n%s", junit.String())
	}
}
