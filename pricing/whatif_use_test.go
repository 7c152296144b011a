package pricing

import (
	"math"
	"testing"

	"github.com/capsim/capsim/sim"
)

// TestWhatIfOptimumByHand: an hourly on-demand spend of $1, $2 and $3
// (one, two, then three $1/h instances) and a 28 % Compute plan. By hand,
// with bill(c) = Σ_h [c + max(0, U_h − c/0.72)]:
//
//	bill(0)    = 6
//	bill(0.72) = 2.16 + 0 + 1 + 2       = 5.16  (the first kink)
//	bill(1.44) = 4.32 + 0 + 0 + 1       = 5.32
//
// the slope is 3 − 3/0.72 < 0 below 0.72 and 3 − 2/0.72 > 0 above it, so
// $0.72/h is the optimum; it is used in full (every hour's spend buys at
// least 0.72 of plan dollars). Between 1.44 and 2.16 the bill is 5.32 +
// (3 − 1/0.72)(c − 1.44), back at 6 for c = 1.44 + 0.68/(29/18) =
// 1.862069 (0.68 × 18/29 = 0.422069): the break-even, where the plan is
// used (0.72 + 1.44 + 1.862069) / (3 × 1.862069) = 72 % = 1 − discount.
func TestWhatIfOptimumByHand(t *testing.T) {
	one := func(string) float64 { return 1 }
	res := &sim.Result{Duration: 3 * sim.Hour, Instances: []sim.InstanceRecord{
		{Type: "x.large", Launch: 0, Terminated: 3 * sim.Hour, Running: true, PurchaseOption: OptionOnDemand, VCPU: 2},
		{Type: "x.large", Launch: sim.Hour, Terminated: 3 * sim.Hour, Running: true, PurchaseOption: OptionOnDemand, VCPU: 2},
		{Type: "x.large", Launch: 2 * sim.Hour, Terminated: 3 * sim.Hour, Running: true, PurchaseOption: OptionOnDemand, VCPU: 2},
	}}
	w := Charge(Plan{OnDemand: one, WhatIfDiscount: 0.28}, res).WhatIf
	if w == nil {
		t.Fatal("no what-if")
	}
	near(t, "no plan", w.NoPlanUSD, 6)
	near(t, "best commitment", w.BestUSDPerHour, 0.72)
	near(t, "best bill", w.BestUSD, 5.16)
	near(t, "bill(1.44)", w.Bill(1.44), 5.32)
	near(t, "bill(0)", w.Bill(0), 6)
	breakEven := 1.44 + 0.68*18/29
	if math.Abs(w.BreakEvenUSDPerHour-breakEven) > 1e-9 {
		t.Errorf("break-even %.9f, want %.9f", w.BreakEvenUSDPerHour, breakEven)
	}
	near(t, "used at best", w.UsedShare(0.72), 1)
	near(t, "used at break-even", w.UsedShare(breakEven), 0.72)
	near(t, "used at 3", w.UsedShare(3), (0.72+1.44+2.16)/9)
	if !math.IsNaN(w.UsedShare(0)) {
		t.Error("a zero commitment has no used share")
	}
	var back WhatIf // read back from JSON: no hourly usage
	if !math.IsNaN(back.UsedShare(1)) || !math.IsNaN(back.Bill(1)) {
		t.Error("a what-if without its usage answered")
	}
}

// TestHourlyRowsBillAsMinutes: the load-balancer and data-out lines read
// the time series; one hourly row (sim.Config.Resolution) bills what its
// 60 minute rows bill, and its dollars are spread over its minutes.
func TestHourlyRowsBillAsMinutes(t *testing.T) {
	lb := LoadBalancerCost{Enabled: true, USDPerHour: DefaultALBUSDPerHour, USDPerLCUHour: DefaultALBUSDPerLCUHour, ResponseBytes: 1 << 20}
	plan := Plan{LoadBalancer: lb, DataTransfer: DataTransfer{ResponseBytes: 1 << 20, USDPerGB: DefaultTransferUSDPerGB}}
	minutes := &sim.Result{Duration: 2 * sim.Hour, Minutes: make([]sim.MinuteRow, 120)}
	for m := range minutes.Minutes {
		minutes.Minutes[m] = sim.MinuteRow{Start: sim.Time(m) * sim.Minute, Arrivals: 25 * 60 * int64(1+m/60), Completed: 1024 / 60}
	}
	hours := &sim.Result{Duration: 2 * sim.Hour, Resolution: sim.Hour}
	for h := range 2 {
		row := sim.MinuteRow{Start: sim.Time(h) * sim.Hour}
		for _, m := range minutes.Minutes[h*60 : h*60+60] {
			row.Arrivals += m.Arrivals
			row.Completed += m.Completed
		}
		hours.Minutes = append(hours.Minutes, row)
	}
	a, b := Charge(plan, minutes), Charge(plan, hours)
	for _, line := range []string{LineLoadBalancer, LineDataTransfer} {
		near(t, line, b.ByLine[line], a.ByLine[line])
	}
	near(t, "ALB, hour 2 at 2 LCUs", a.ByLine[LineLoadBalancer], 2*0.0225+(1+2)*0.008)
	var sum float64
	for _, usd := range b.PerMinute {
		sum += usd
	}
	near(t, "per-minute total", sum, b.TotalUSD)
	if b.PerMinute[30] == 0 || b.PerMinute[90] == 0 {
		t.Error("an hourly row's dollars are not spread over its minutes")
	}
	checkLines(t, b)
}
