package pricing

import "math"

// UsedShare is the share of an hourly commitment c that the what-if's
// usage would use over the run: Σ_h min(f_h·c, (1 − d)·U_h) ÷ Σ_h f_h·c,
// with U_h the on-demand dollars after RIs of clock-hour h and f_h the
// share of it the run covers (the plan pays (1 − d)·U_h of its commitment
// for that usage). NaN when the usage is not known (a what-if read back
// from JSON) or c is not positive.
//
// At the break-even commitment the used share is exactly 1 − d, whatever
// the load: there bill(c) = bill(0), that is Σ f·c + Σ (U − used/(1 − d))
// = Σ U, so Σ used = (1 − d)·Σ f·c. A plan keeps paying for itself as long
// as more than 1 − d of its commitment is used: at the assumed 28 %
// discount, 72 %.
func (w *WhatIf) UsedShare(c float64) float64 {
	if w == nil || len(w.use) == 0 || c <= 0 {
		return math.NaN()
	}
	var used, paid float64
	for i, us := range w.use {
		f := w.covered[i]
		used += min(f*c, planDollars(us))
		paid += f * c
	}
	if paid <= 0 {
		return math.NaN()
	}
	return used / paid
}

// Bill is the run's bill with one Compute Savings Plan of hourly
// commitment c, by the what-if's formula; NaN when the usage is not known.
func (w *WhatIf) Bill(c float64) float64 {
	if w == nil || len(w.use) == 0 {
		return math.NaN()
	}
	t := w.NoPlanUSD
	for i, us := range w.use {
		f := w.covered[i]
		var u float64
		for _, x := range us {
			u += x.usd
		}
		t += f*c + overflow(us, f*c) - u
	}
	return t
}
