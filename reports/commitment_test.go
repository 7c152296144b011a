package reports

import (
	"math"
	"testing"
	"time"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// TestCommitmentByHand: 28 days (672 hours) of one $1/h instance, a second
// one joining for the last 336 hours, and the assumed 28 % Compute plan.
// The hourly on-demand spend is $1 then $2; by hand, bill(c) =
// Σ_h [c + max(0, U_h − c/0.72)] has its kinks at 0.72 and 1.44 and its
// slope 672 − 672/0.72 < 0 below 0.72, 672 − 336/0.72 > 0 above: the best
// commitment is $0.72/h, fully used, billing 672 × 0.72 + 336 × 1 =
// $819.84 against 336 + 672 = $1,008 without a plan. At 1.44 the bill is
// 672 × 1.44 = $967.68, and above it grows by $672 per $/h: back at $1,008
// at 1.44 + 40.32 / 672 = $1.50/h, the break-even, where the load uses
// (336 × 0.72 + 336 × 1.44) / (672 × 1.5) = 72 % of the commitment.
func TestCommitmentByHand(t *testing.T) {
	res := &sim.Result{Duration: 672 * sim.Hour, Resolution: sim.Hour, Instances: []sim.InstanceRecord{
		{Type: "x.large", Launch: 0, Terminated: 672 * sim.Hour, Running: true, PurchaseOption: pricing.OptionOnDemand, VCPU: 2},
		{Type: "x.large", Launch: 336 * sim.Hour, Terminated: 672 * sim.Hour, Running: true, PurchaseOption: pricing.OptionOnDemand, VCPU: 2},
	}}
	for h := range 672 {
		res.Minutes = append(res.Minutes, sim.MinuteRow{Start: sim.Time(h) * sim.Hour, P50: math.NaN(), P99: math.NaN()})
	}
	start := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	bill := pricing.Charge(pricing.Plan{Start: start, OnDemand: func(string) float64 { return 1 }, WhatIfDiscount: 0.28}, res)
	c := Build(Input{Result: res, Bill: bill, Start: start}).Summary.SavingsPlanCommitment
	if c == nil {
		t.Fatal("no commitment")
	}
	for _, x := range []struct {
		what      string
		got, want float64
	}{
		{"best", c.BestUSDPerHour, 0.72}, {"best bill", c.BestUSD, 819.84}, {"no plan", c.NoPlanUSD, 1008},
		{"saving", c.SavingUSD, 188.16}, {"used at best", c.BestUsedShare, 1}, {"a year of it", c.YearCommitmentUSD, 0.72 * 8760},
		{"break-even", c.BreakEvenUSDPerHour, 1.5}, {"used at break-even", c.BreakEvenUsedShare, 0.72}, {"hours", c.Hours, 672},
	} {
		if math.Abs(x.got-x.want) > 1e-6 {
			t.Errorf("%s = %v, want %v", x.what, x.got, x.want)
		}
	}
	// The points run from 0 to 1.25 × the break-even, the best among them,
	// and the lowest bill of all is the best one.
	first, last := c.Points[0], c.Points[len(c.Points)-1]
	if first.USDPerHour != 0 || math.Abs(first.TotalUSD-1008) > 1e-6 || first.UsedShare != nil || math.Abs(last.USDPerHour-1.875) > 1e-6 {
		t.Errorf("points from %+v to %+v", first, last)
	}
	seenBest := false
	for _, p := range c.Points {
		seenBest = seenBest || p.USDPerHour == c.BestUSDPerHour
		if p.TotalUSD < c.BestUSD-1e-9 {
			t.Errorf("point %+v is below the best bill", p)
		}
	}
	if !seenBest {
		t.Error("the best commitment is not among the points")
	}
}
