package main

import (
	"bytes"
	"fmt"

	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/stack"
)

// validationPage renders live validation reports as one page that
// overlays the simulated and the real curves: instances in service over
// time, the latency percentiles, and each minute's p50 and p99.
func validationPage(reps []*stack.Report) ([]byte, error) {
	var cs []reports.OverlayChart
	var lines []string
	for _, r := range reps {
		verdict := "PASS"
		if !r.OK {
			verdict = "FAIL"
		}
		lines = append(lines, fmt.Sprintf("%s: %s — %s", r.Scenario, verdict, rowSummary(r)))
		if r.Bottleneck != "" {
			lines = append(lines, fmt.Sprintf("%s: the host was the bottleneck: %s", r.Scenario, r.Bottleneck))
		}
		if r.Scaling == nil {
			continue
		}
		var t, simN, realN []float64
		for _, p := range r.Timeline {
			t = append(t, p.OffsetS)
			simN = append(simN, float64(p.SimInService))
			realN = append(realN, float64(p.RealInService))
		}
		cs = append(cs, reports.OverlayChart{Title: r.Scenario + ": instances in service", XName: "seconds", YName: "instances",
			Series: []reports.OverlaySeries{{Name: "simulated", X: t, Y: simN, Step: true}, {Name: "real", X: t, Y: realN, Step: true}}})
		var q, simQ, realQ []float64
		for _, p := range r.Scaling.Percentiles {
			q = append(q, p.Q)
			simQ = append(simQ, p.SimMs)
			realQ = append(realQ, p.RealMs)
		}
		cs = append(cs, reports.OverlayChart{Title: fmt.Sprintf("%s: latency percentiles (KS D = %.3f)", r.Scenario, r.Scaling.KS), XName: "percentile", YName: "ms",
			Series: []reports.OverlaySeries{{Name: "simulated", X: q, Y: simQ}, {Name: "real", X: q, Y: realQ}}})
		var m, s50, r50, s99, r99 []float64
		for _, p := range r.Scaling.Periods {
			m = append(m, p.StartS)
			s50, r50 = append(s50, p.SimP50Ms), append(r50, p.RealP50Ms)
			s99, r99 = append(s99, p.SimP99Ms), append(r99, p.RealP99Ms)
		}
		cs = append(cs, reports.OverlayChart{Title: r.Scenario + ": latency per minute", XName: "minute from (s)", YName: "ms",
			Series: []reports.OverlaySeries{{Name: "simulated p50", X: m, Y: s50}, {Name: "real p50", X: m, Y: r50},
				{Name: "simulated p99", X: m, Y: s99}, {Name: "real p99", X: m, Y: r99}}})
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("validate --html: only live validations have curves to overlay (run without --duration)")
	}
	var b bytes.Buffer
	if err := reports.WriteOverlayHTML(&b, "capsim validate: simulated vs real", lines, cs); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// rowSummary is the comparison rows in one line.
func rowSummary(r *stack.Report) string {
	var b bytes.Buffer
	for i, row := range r.Rows {
		if i > 0 {
			b.WriteString("; ")
		}
		ok := "ok"
		if !row.OK {
			ok = "OUTSIDE"
		}
		fmt.Fprintf(&b, "%s sim %.4g real %.4g (%s) %s", row.Metric, row.Sim, row.Real, row.Limit, ok)
	}
	return b.String()
}
