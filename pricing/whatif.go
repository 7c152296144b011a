package pricing

import (
	"cmp"
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

	// Fargate says whether on-demand Fargate usage is in the what-if
	// (at Compute Savings Plan rates, then U_h holds it too) or why not;
	// empty for a run without such usage.
	Fargate string `json:"fargate,omitempty"`

	// The hourly usage the what-if was computed over (UsedShare); not in
	// the JSON.
	use     [][]spUse
	covered []float64
}

// spUse is usage of one discount in a clock-hour: USD on demand, and paid,
// the plan's dollars per on-demand dollar (1 − discount). A plan covers an
// hour's usages highest discount first (docs/aws-model.md §5.3).
type spUse struct{ usd, paid float64 }

// overflow is what an hour's usage costs beyond plan dollars r: the
// on-demand dollars the plan could not cover.
func overflow(us []spUse, r float64) float64 {
	var t float64
	for _, u := range us {
		if x := r / u.paid; x < u.usd {
			t += u.usd - x
			r = 0
		} else {
			r -= u.paid * u.usd
		}
	}
	return t
}

// planDollars is what covering all of an hour's usage takes.
func planDollars(us []spUse) float64 {
	var t float64
	for _, u := range us {
		t += u.paid * u.usd
	}
	return t
}

// WhatIfPoint is the bill at one hourly commitment.
type WhatIfPoint struct {
	USDPerHour float64 `json:"usd_per_hour"`
	TotalUSD   float64 `json:"total_usd"`
}

// whatIfSteps is how many evenly spaced commitments the what-if lists
// (besides the best one).
const whatIfSteps = 10

// whatIf computes the what-if over ec2 (on-demand USD after RIs per
// clock-hour, at the what-if's discount) and fus, the on-demand Fargate
// usage to include at its Compute Savings Plan rates (nil: none).
func whatIf(b Bill, p Plan, ec2 []float64, allOnDemand float64, ck clock, h0 int, fus []*odUse) *WhatIf {
	d := p.WhatIfDiscount
	rest := b.TotalUSD - b.ByLine[LineOnDemand] - b.ByLine[LineSavingsPlans]
	use := make([][]spUse, len(ec2))
	for i, u := range ec2 {
		use[i] = []spUse{{u, 1 - d}}
	}
	if fus != nil {
		rest -= b.ByLine[LineFargate]
		for _, u := range fus {
			paid := p.Fargate.SavingsPlanGBHour / u.rate
			if u.typ == FargateVCPUHours {
				paid = p.Fargate.SavingsPlanVCPUHour / u.rate
			}
			for i := range use {
				if hu := u.hours[h0+i]; hu != nil {
					usd := hu.secs * u.rate / 3600
					use[i] = append(use[i], spUse{usd, paid})
					allOnDemand += usd
				}
			}
		}
		for _, us := range use {
			slices.SortStableFunc(us, func(a, c spUse) int { return cmp.Compare(a.paid, c.paid) })
		}
	}
	fs := make([]float64, len(use))
	var sumF float64
	for i := range use {
		fs[i] = ck.covered(h0 + i)
		sumF += fs[i]
	}
	bill := func(c float64) float64 {
		t := rest
		for i, us := range use {
			t += fs[i]*c + overflow(us, fs[i]*c)
		}
		return t
	}
	cands := []float64{0}
	for i, us := range use {
		var cum float64
		for _, u := range us {
			if fs[i] > 0 && u.usd > 0 {
				cum += u.paid * u.usd
				cands = append(cands, cum/fs[i])
			}
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
