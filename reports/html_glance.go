package reports

import (
	"slices"
	"strings"

	"github.com/capsim/capsim/internal/humanize"
)

// What makes a comparison readable at a glance (docs/outputs.md): one
// colour per run on every chart, a title that names the comparison, and
// one sentence that answers "which one?".

// runPalette gives run i the colour runPalette[i % len]: the Okabe–Ito
// colours, told apart with every common colour-vision deficiency
// (https://jfly.uni-koeln.de/color/), then five of Tableau 10.
var runPalette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000",
	"#8c564b", "#7f7f7f", "#bcbd22", "#17becf", "#9467bd"}

// sharedColour draws what every run shares (the arrivals): grey.
const sharedColour = "#8c959f"

func runColour(i int) string { return runPalette[i%len(runPalette)] }

// comparisonTitle names what the page compares: "target-tracking vs step
// vs predictive" (the runs in order), or the run's name alone.
func comparisonTitle(docs []*Document) string {
	if len(docs) == 1 {
		return pageTitle(docs[0])
	}
	names := make([]string, len(docs))
	for i, d := range docs {
		names[i] = pageTitle(d)
	}
	return "Comparison: " + strings.Join(names, " vs ")
}

// glanceSentence names the run that meets its SLO at the lowest cost and
// what it saves against the base (the first run), for the line above the
// summary table; "" for a single run.
func glanceSentence(docs []*Document) string {
	if len(docs) < 2 {
		return ""
	}
	base := docs[0]
	anySLO := slices.ContainsFunc(docs, func(d *Document) bool { return len(d.Summary.SLO.Checks) > 0 })
	var best *Document
	for _, d := range docs {
		ok := !anySLO || (len(d.Summary.SLO.Checks) > 0 && d.Summary.SLO.Met)
		if ok && (best == nil || d.Summary.Cost.TotalUSD < best.Summary.Cost.TotalUSD) {
			best = d
		}
	}
	cost := func(d *Document) string {
		c := d.Summary.Cost
		return humanize.USD(c.TotalUSD) + " (" + humanize.USD(c.MonthlyProjectionUSD) + " a month)"
	}
	switch {
	case best == nil:
		return "No run meets its SLO."
	case best == base && anySLO:
		return pageTitle(base) + ", the base, meets the SLO at the lowest cost: " + cost(base) + "."
	case best == base:
		return "No SLO is set; the base, " + pageTitle(base) + ", is the cheapest: " + cost(base) + "."
	}
	lead := pageTitle(best) + " meets the SLO at the lowest cost, " + cost(best)
	if !anySLO {
		lead = "No SLO is set; the cheapest run is " + pageTitle(best) + ", " + cost(best)
	}
	diff := base.Summary.Cost.TotalUSD - best.Summary.Cost.TotalUSD
	verb, tail := "saving ", " against the base, "
	if diff < 0 {
		verb, tail, diff = "", " more than the base, ", -diff
	}
	share := ""
	if b := base.Summary.Cost.TotalUSD; b > 0 {
		share = " (" + humanize.Percent(diff/b) + ")"
	}
	tail += pageTitle(base)
	if anySLO && !base.Summary.SLO.Met {
		tail += ", which misses its SLO"
	}
	return lead + ": " + verb + humanize.USD(diff) + share + tail + "."
}

// paretoFront lists the runs no other run beats on both cost and p99 (at
// least as good on both, better on one), cheapest first.
func paretoFront(docs []*Document) []*Document {
	var front []*Document
	for _, d := range docs {
		c, p := d.Summary.Cost.TotalUSD, d.Summary.LatencyMs.P99
		dominated := slices.ContainsFunc(docs, func(o *Document) bool {
			oc, op := o.Summary.Cost.TotalUSD, o.Summary.LatencyMs.P99
			return oc <= c && op <= p && (oc < c || op < p)
		})
		if !dominated {
			front = append(front, d)
		}
	}
	slices.SortStableFunc(front, func(a, b *Document) int {
		switch {
		case a.Summary.Cost.TotalUSD < b.Summary.Cost.TotalUSD:
			return -1
		case a.Summary.Cost.TotalUSD > b.Summary.Cost.TotalUSD:
			return 1
		}
		return 0
	})
	return front
}
