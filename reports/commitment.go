package reports

import "math"

// SavingsPlanCommitment is the year report's answer to "what should we
// commit to": the run's Savings Plan what-if (summary.cost.
// savings_plan_what_if, computed by pricing over the run's hourly
// on-demand spend) read as a decision, with how much of each commitment
// the load would use. Only for runs of at least MonthsFrom.
type SavingsPlanCommitment struct {
	Kind     string  `json:"kind"`
	Discount float64 `json:"discount"`
	// Hours is the run's length: the figures are over it (a year for the
	// year example; a one-year plan commits for 8,760 hours).
	Hours float64 `json:"hours"`
	// BestUSDPerHour is the commitment that minimises the run's bill
	// (BestUSD), against NoPlanUSD without a Savings Plan; BestUsedShare
	// the share of it the load uses. YearCommitmentUSD is what that
	// commitment is over a year (× 8,760 h).
	BestUSDPerHour    float64 `json:"best_usd_per_hour"`
	BestUSD           float64 `json:"best_usd"`
	NoPlanUSD         float64 `json:"no_plan_usd"`
	SavingUSD         float64 `json:"saving_usd"`
	BestUsedShare     float64 `json:"best_used_share"`
	YearCommitmentUSD float64 `json:"year_commitment_usd"`
	// BreakEvenUSDPerHour is the largest commitment that costs no more
	// than no plan; there the load uses BreakEvenUsedShare of it, which is
	// 1 − discount whatever the load (pricing.WhatIf.UsedShare): below that
	// utilisation a plan stops paying.
	BreakEvenUSDPerHour float64 `json:"break_even_usd_per_hour"`
	BreakEvenUsedShare  float64 `json:"break_even_used_share"`
	// Points is the bill and the used share at evenly spaced commitments
	// from 0 to 1.25 × the break-even, and at the best one.
	Points []CommitmentPoint `json:"points"`
	// Fargate is the what-if's note on Fargate usage: included at Compute
	// Savings Plan rates, or not and why (pricing.WhatIf.Fargate).
	Fargate string `json:"fargate,omitempty"`
}

// CommitmentPoint is one hourly commitment: the run's bill with it, and
// the share of it the load uses (null at 0).
type CommitmentPoint struct {
	USDPerHour float64  `json:"usd_per_hour"`
	TotalUSD   float64  `json:"total_usd"`
	UsedShare  *float64 `json:"used_share"`
}

// commitmentSteps is how many evenly spaced commitments Points holds.
const commitmentSteps = 40

func buildCommitment(in Input) *SavingsPlanCommitment {
	w := in.Bill.WhatIf
	if w == nil || in.Result.Duration.Duration() < MonthsFrom || math.IsNaN(w.Bill(0)) {
		return nil
	}
	c := &SavingsPlanCommitment{
		Kind: w.Kind, Discount: w.Discount, Hours: round(in.Result.Duration.Seconds()/3600, 6),
		BestUSDPerHour: round(w.BestUSDPerHour, 6), BestUSD: round(w.BestUSD, 6), NoPlanUSD: round(w.NoPlanUSD, 6),
		SavingUSD:           round(w.NoPlanUSD-w.BestUSD, 6),
		YearCommitmentUSD:   round(w.BestUSDPerHour*8760, 6),
		BreakEvenUSDPerHour: round(w.BreakEvenUSDPerHour, 6),
		BreakEvenUsedShare:  round(w.UsedShare(w.BreakEvenUSDPerHour), 6),
		Fargate:             w.Fargate,
	}
	if u := w.UsedShare(w.BestUSDPerHour); !math.IsNaN(u) {
		c.BestUsedShare = round(u, 6)
	}
	point := func(x float64) CommitmentPoint {
		p := CommitmentPoint{USDPerHour: round(x, 6), TotalUSD: round(w.Bill(x), 6)}
		if u := w.UsedShare(x); !math.IsNaN(u) {
			u = round(u, 6)
			p.UsedShare = &u
		}
		return p
	}
	top := 1.25 * max(w.BreakEvenUSDPerHour, w.BestUSDPerHour)
	if top <= 0 {
		c.Points = []CommitmentPoint{point(0)}
		return c
	}
	best := false
	for i := 0; i <= commitmentSteps; i++ {
		x := top * float64(i) / commitmentSteps
		if !best && x >= w.BestUSDPerHour {
			if x > w.BestUSDPerHour {
				c.Points = append(c.Points, point(w.BestUSDPerHour))
			}
			best = true
		}
		c.Points = append(c.Points, point(x))
	}
	return c
}
