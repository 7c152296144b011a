package pricing

import (
	"slices"
)

// WhatIf is the Savings Plan what-if: the run's bill with one Compute
// Savings Plan of each hourly commitment in place of the scenario's plans
// (RIs kept), at a uniform discount off on-demand.
//
// With usage U_h (on-demand dollars after RIs) in clock-hour h, of which
// the run covers the share f_h, a commitment c costs
//
//	bill(c) = rest + Σ_h [ f_h·c + max(0, U_h − f_h·c/(1 − d)) ]
//
// which is convex and piecewise linear in c, with its kinks at
// c = (1 − d)·U_h/f_h: the minimum is at one of them (or at 0), found
// exactly. BreakEvenUSDPerHour is the largest commitment whose bill is no
// more than with no Savings Plan (NoPlanUSD, the scenario's RIs kept):
// commit more and the plan loses money. AllOnDemandUSD is the same run with
// no commitment at all (no RI, no Savings Plan; spot instances stay spot):
// with the bill as charged, it is the second baseline a what-if saving is
// told against.
type WhatIf struct {
	Kind                string        `json:"kind"`
	Discount            float64       `json:"discount"`
	DiscountSource      string        `json:"discount_source"`
	NoPlanUSD           float64       `json:"no_plan_usd"`
	AllOnDemandUSD      float64       `json:"all_on_demand_usd"`
	BestUSDPerHour      float64       `json:"best_usd_per_hour"`
	BestUSD             float64       `json:"best_usd"`
	BreakEvenUSDPerHour float64       `json:"break_even_usd_per_hour"`
	Points              []WhatIfPoint `json:"points"`

	// The hourly usage the what-if was computed over (UsedShare); not in
	// the JSON.
	use, covered []float64
}

// WhatIfPoint is the bill at one hourly commitment.
type WhatIfPoint struct {
	USDPerHour float64 `json:"usd_per_hour"`
	TotalUSD   float64 `json:"total_usd"`
}

// whatIfSteps is how many evenly spaced commitments the what-if lists
// (besides the best one).
const whatIfSteps = 10

func whatIf(b Bill, p Plan, use []float64, allOnDemand float64, ck clock, h0 int) *WhatIf {
	d := p.WhatIfDiscount
	rest := b.TotalUSD - b.ByLine[LineOnDemand] - b.ByLine[LineSavingsPlans]
	fs := make([]float64, len(use))
	var sumF float64
	for i := range use {
		fs[i] = ck.covered(h0 + i)
		sumF += fs[i]
	}
	bill := func(c float64) float64 {
		t := rest
		for i, u := range use {
			t += fs[i]*c + max(0, u-fs[i]*c/(1-d))
		}
		return t
	}
	cands := []float64{0}
	for i, u := range use {
		if fs[i] > 0 && u > 0 {
			cands = append(cands, (1-d)*u/fs[i])
		}
	}
	slices.Sort(cands)
	w := &WhatIf{Kind: ComputeSP, Discount: d, DiscountSource: p.WhatIfSource, NoPlanUSD: bill(0),
		AllOnDemandUSD: rest - b.ByLine[LineReserved] + allOnDemand, use: use, covered: fs}
	w.BestUSD = w.NoPlanUSD
	for _, c := range cands {
		if v := bill(c); v < w.BestUSD-1e-12 {
			w.BestUSD, w.BestUSDPerHour = v, c
		}
	}
	// Break-even: bill(c) = bill(0) for c ≥ best; beyond the last kink
	// bill grows with slope Σf, so hi below is past it.
	lo, hi := w.BestUSDPerHour, cands[len(cands)-1]
	if sumF > 0 {
		hi += (w.NoPlanUSD - rest) / sumF
	}
	for range 200 {
		mid := (lo + hi) / 2
		if bill(mid) <= w.NoPlanUSD+1e-12 {
			lo = mid
		} else {
			hi = mid
		}
	}
	w.BreakEvenUSDPerHour = lo
	top := max(w.BreakEvenUSDPerHour, w.BestUSDPerHour) * 1.2
	for i := 0; i <= whatIfSteps; i++ {
		c := top * float64(i) / whatIfSteps
		w.Points = append(w.Points, WhatIfPoint{c, bill(c)})
	}
	w.Points = append(w.Points, WhatIfPoint{w.BestUSDPerHour, w.BestUSD})
	slices.SortFunc(w.Points, func(a, c WhatIfPoint) int {
		switch {
		case a.USDPerHour < c.USDPerHour:
			return -1
		case a.USDPerHour > c.USDPerHour:
			return 1
		}
		return 0
	})
	w.Points = slices.CompactFunc(w.Points, func(a, c WhatIfPoint) bool { return a.USDPerHour == c.USDPerHour })
	return w
}
