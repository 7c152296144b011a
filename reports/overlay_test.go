package reports

import (
	"strings"
	"testing"
)

// TestOverlayHTMLEscapes: the page carries both curves and escapes every
// string it is given, in the HTML and in the chart script.
func TestOverlayHTMLEscapes(t *testing.T) {
	var b strings.Builder
	err := WriteOverlayHTML(&b, "v <b>1</b>", []string{"a & <i>b</i>"}, []OverlayChart{{
		Title: "instances", XName: "s", YName: "n",
		Series: []OverlaySeries{
			{Name: "sim</script><b>x", X: []float64{0, 10}, Y: []float64{2, 4}, Step: true},
			{Name: "real", X: []float64{0, 10}, Y: []float64{2, 3}, Step: true},
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<b>1</b>", "<i>b</i>", "</script><b>x"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	for _, want := range []string{"v &lt;b&gt;1&lt;/b&gt;", `"real"`, `"step":"end"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
