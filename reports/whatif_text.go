package reports

import (
	"math"
	"strings"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/pricing"
)

// The Savings Plan what-if for people. Its saving is told against two
// labelled baselines: the bill as charged (the scenario's own RIs and
// plans, "the current set-up") and all on-demand (no commitment at all).
// Its break-even is against no Savings Plan with the scenario's RIs kept,
// the bill the what-if's curve starts from.

// whatIfCommit is the best commitment: "commit $0.829/h to one compute
// Savings Plan (an assumed 28 % discount) → bill $144.83".
func whatIfCommit(w *pricing.WhatIf) string {
	return "commit " + perHour(w.BestUSDPerHour) + " to one " + w.Kind + " Savings Plan (" + discountText(w) + ") → bill " + humanize.USD(w.BestUSD)
}

// discountText says where the what-if's discount comes from, so that an
// assumed rate never reads like a promised saving.
func discountText(w *pricing.WhatIf) string {
	if w.DiscountSource == "" || strings.HasPrefix(w.DiscountSource, "assumed") {
		return "an assumed " + humanize.Percent(w.Discount) + " discount off on-demand"
	}
	return "a " + humanize.Percent(w.Discount) + " discount off on-demand, from " + w.DiscountSource
}

// whatIfSaving compares the best bill with the current one and with all
// on-demand: "$1.55 (1.06 %) less than the current set-up ($146.38); …".
// When the scenario commits nothing the two baselines are one bill.
func whatIfSaving(w *pricing.WhatIf, current float64) string {
	if w.AllOnDemandUSD == 0 || sameDollars(current, w.AllOnDemandUSD) {
		return difference(w.BestUSD, current) + " than the current bill, all on-demand (" + humanize.USD(current) + ")"
	}
	return difference(w.BestUSD, current) + " than the current set-up (" + humanize.USD(current) + "); " +
		difference(w.BestUSD, w.AllOnDemandUSD) + " than all on-demand (" + humanize.USD(w.AllOnDemandUSD) + ")"
}

// whatIfBreakEven: "commitments above $1.78/h cost more than no Savings
// Plan ($150.11)".
func whatIfBreakEven(w *pricing.WhatIf) string {
	return "commitments above " + perHour(w.BreakEvenUSDPerHour) + " cost more than no Savings Plan (" + humanize.USD(w.NoPlanUSD) + ")"
}

// difference writes bill against base: "$1.55 (1.06 %) less" or "… more".
func difference(bill, base float64) string {
	d := base - bill
	word := " less"
	if d < 0 {
		d, word = -d, " more"
	}
	s := humanize.USD(d)
	if base > 0 {
		s += " (" + humanize.Percent(d/base) + ")"
	}
	return s + word
}

// saving is base − bill for a table cell: "$1.55 (1.06 %)", negative when
// the bill is higher; "–" without a base.
func saving(bill, base float64) string {
	if base == 0 {
		return "–"
	}
	return humanize.USD(base-bill) + " (" + humanize.Percent((base-bill)/base) + ")"
}

func sameDollars(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// perHour writes an hourly commitment: "$0.829/h".
func perHour(usd float64) string { return "$" + humanize.Sig(usd) + "/h" }
