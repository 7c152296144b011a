package reports

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/components"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// OverlaySeries is one curve of an overlay chart: y against x, drawn as
// steps when Step is set (instance counts), as a line otherwise.
type OverlaySeries struct {
	Name string
	X, Y []float64
	Step bool
}

// OverlayChart is one chart of curves that share an x axis.
type OverlayChart struct {
	Title, XName, YName string
	Series              []OverlaySeries
}

// WriteOverlayHTML writes one self-contained page (ECharts inlined, as
// WriteHTML) of charts that overlay curves measured two ways, such as
// `capsim validate`'s simulated and real instance counts and latencies,
// under a title and lines of text. Every string is escaped, in the HTML
// and in the chart scripts; the output depends only on the input.
func WriteOverlayHTML(w io.Writer, title string, lines []string, cs []OverlayChart) error {
	if len(cs) == 0 {
		return errors.New("overlay page: no chart")
	}
	bundle, err := loadECharts()
	if err != nil {
		return err
	}
	safe := &scriptSafeOptions{}
	page := components.NewPage()
	page.SetPageTitle(title)
	page.SetLayout(components.PageNoneLayout)
	for i, oc := range cs {
		c := charts.NewLine()
		c.SetGlobalOptions(valueChartOpts(fmt.Sprintf("overlay%d", i), oc.Title, "", oc.XName, oc.YName, "axis")...)
		for _, s := range oc.Series {
			if len(s.X) != len(s.Y) {
				return fmt.Errorf("overlay page: series %q has %d x and %d y values", s.Name, len(s.X), len(s.Y))
			}
			data := make([]opts.LineData, len(s.X))
			for k := range s.X {
				data[k] = opts.LineData{Value: [2]any{chartNumber(s.X[k]), chartNumber(s.Y[k])}}
			}
			lo := opts.LineChart{ShowSymbol: opts.Bool(true), SymbolSize: 5}
			if s.Step {
				lo.Step = "end"
			}
			c.AddSeries(s.Name, data, charts.WithLineChartOpts(lo))
		}
		c.Accept(safe)
		page.AddCharts(c)
	}
	page.Assets.ClearPresetJSAssets()
	page.Assets.AddCustomizedHeaders(
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
		"<style>"+reportCSS+"</style>",
		"<script>"+bundle.js+"</script>",
	)
	var rendered bytes.Buffer
	if err := page.Render(&rendered); err != nil {
		return fmt.Errorf("overlay page: %w", err)
	}
	if safe.err != nil {
		return fmt.Errorf("overlay page: %w", safe.err)
	}
	var head bytes.Buffer
	if err := overlayHead.Execute(&head, map[string]any{"Title": title, "Lines": lines}); err != nil {
		return err
	}
	before := make([][]byte, len(cs))
	before[0] = head.Bytes()
	out, err := weaveBody(rendered.Bytes(), before, nil)
	if err != nil {
		return fmt.Errorf("overlay page: %w", err)
	}
	_, err = w.Write(out)
	return err
}

var overlayHead = template.Must(template.New("overlay").Parse(`<h1>{{.Title}}</h1>
{{range .Lines}}<p>{{.}}</p>
{{end}}`))
