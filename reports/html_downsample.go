package reports

import "github.com/go-echarts/go-echarts/v2/opts"

// maxChartPoints caps the points of one time series in the HTML report:
// beyond it, rows are drawn min/max per bucket, so a 7-day, 5-run
// comparison stays a few megabytes and quick to zoom (docs/outputs.md).
// A chart 1,200 pixels wide cannot show more anyway.
const maxChartPoints = 2000

// series pairs each row's time with one value: [time, value] points on a
// time axis; a nil value is null in JSON, which ECharts draws as a gap.
// value is called on every row in order (a cumulative series may sum).
// Beyond maxChartPoints rows, each bucket of consecutive rows keeps only
// its lowest and its highest value, at their own times, so peaks and
// troughs survive, and a gap (its first nil) where it has one.
func series(rows []Row, value func(Row) any) []opts.LineData {
	vals := make([]any, len(rows))
	for i, r := range rows {
		vals[i] = value(r)
	}
	point := func(i int) opts.LineData { return opts.LineData{Value: [2]any{rows[i].Time, vals[i]}} }
	if len(rows) <= maxChartPoints {
		out := make([]opts.LineData, len(rows))
		for i := range rows {
			out[i] = point(i)
		}
		return out
	}
	buckets := maxChartPoints / 2
	out := make([]opts.LineData, 0, maxChartPoints+buckets)
	for b := range buckets {
		lo, hi := b*len(rows)/buckets, (b+1)*len(rows)/buckets
		minI, maxI, gapI := -1, -1, -1
		for i := lo; i < hi; i++ {
			v, ok := chartFloat(vals[i])
			switch {
			case !ok:
				if gapI < 0 {
					gapI = i
				}
			case minI < 0:
				minI, maxI = i, i
			default:
				if m, _ := chartFloat(vals[minI]); v < m {
					minI = i
				}
				if m, _ := chartFloat(vals[maxI]); v > m {
					maxI = i
				}
			}
		}
		keep := []int{minI, maxI, gapI}
		// In time order, each row once.
		for i := lo; i < hi; i++ {
			if i == keep[0] || i == keep[1] || i == keep[2] {
				out = append(out, point(i))
			}
		}
	}
	return out
}

// chartFloat reads a series value; false for a gap.
func chartFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}
