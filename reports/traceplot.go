package reports

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"
)

// WriteTracePlot writes a self-contained HTML page (no script, opens
// offline) plotting a trace's requests per step from start as an SVG
// line, for capsim trace inspect --html. title is escaped.
func WriteTracePlot(w io.Writer, title string, start time.Time, step time.Duration, values []float64) error {
	const width, height, pad = 1000.0, 320.0, 50.0
	hi := 0.0
	for _, v := range values {
		hi = math.Max(hi, v)
	}
	if hi == 0 {
		hi = 1
	}
	var pts strings.Builder
	n := math.Max(1, float64(len(values)-1))
	for i, v := range values {
		x := pad + float64(i)/n*(width-2*pad)
		y := height - pad - v/hi*(height-2*pad)
		fmt.Fprintf(&pts, "%.1f,%.1f ", x, y)
	}
	end := start.Add(time.Duration(len(values)) * step)
	data := map[string]any{
		"Title":  title,
		"Points": pts.String(),
		"Max":    fmt.Sprintf("%.4g", hi),
		"Start":  start.UTC().Format(time.RFC3339),
		"End":    end.UTC().Format(time.RFC3339),
		"W":      width, "H": height, "Pad": pad,
		"Right": width - pad, "Bottom": height - pad, "Mid": height / 2,
	}
	return tracePlot.Execute(w, data)
}

var tracePlot = template.Must(template.New("trace").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}svg{max-width:100%;height:auto}text{font-size:12px}</style></head>
<body><h1>{{.Title}}</h1>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.W}} {{.H}}" role="img" aria-label="{{.Title}}">
<line x1="{{.Pad}}" y1="{{.Bottom}}" x2="{{.Right}}" y2="{{.Bottom}}" stroke="#888"/>
<line x1="{{.Pad}}" y1="{{.Pad}}" x2="{{.Pad}}" y2="{{.Bottom}}" stroke="#888"/>
<polyline fill="none" stroke="#3366cc" stroke-width="1.2" points="{{.Points}}"/>
<text x="{{.Pad}}" y="{{.Pad}}" dx="-4" text-anchor="end">{{.Max}}</text>
<text x="{{.Pad}}" y="{{.Bottom}}" dx="-4" text-anchor="end">0</text>
<text x="{{.Pad}}" y="{{.H}}" dy="-20">{{.Start}}</text>
<text x="{{.Right}}" y="{{.H}}" dy="-20" text-anchor="end">{{.End}}</text>
</svg></body></html>
`))
