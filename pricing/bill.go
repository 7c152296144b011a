package pricing

import (
	"github.com/capsim/capsim/sim"
)

// MinimumBilledSeconds is EC2's minimum charge per launch for per-second
// billed Linux instances (AWS-SEMANTICS §5.3).
const MinimumBilledSeconds = 60

// Bill is what a run costs. Every dollar comes from an instance record, a
// price and the billing rule, so the lines add up to the total.
type Bill struct {
	TotalUSD         float64
	ByPurchaseOption map[string]float64
	ByInstanceType   map[string]float64
	PerMinute        []float64 // cost accrued in each minute of the run
}

// PriceFunc gives the on-demand USD per hour of an instance type.
type PriceFunc func(instanceType string) float64

// OnDemand bills instance lifetimes at on-demand prices, per second with a
// 60-second minimum per launch (AWS-SEMANTICS §5.3). The minimum is charged
// when an instance terminates before 60 s; one still running at the end of
// the run is billed only for the time simulated. Each instance's cost is
// spread over the minutes it ran, and the minimum top-up lands in the
// minute it terminated.
func OnDemand(records []sim.InstanceRecord, price PriceFunc, duration sim.Time) Bill {
	minutes := int((duration + sim.Minute - 1) / sim.Minute)
	b := Bill{
		ByPurchaseOption: map[string]float64{},
		ByInstanceType:   map[string]float64{},
		PerMinute:        make([]float64, minutes),
	}
	for _, r := range records {
		perSecond := price(r.Type) / 3600
		secs := (r.Terminated - r.Launch).Seconds()
		for m := int(r.Launch / sim.Minute); m < minutes; m++ {
			lo := max(r.Launch, sim.Time(m)*sim.Minute)
			hi := min(r.Terminated, sim.Time(m+1)*sim.Minute)
			if hi <= lo {
				break
			}
			b.PerMinute[m] += (hi - lo).Seconds() * perSecond
		}
		cost := secs * perSecond
		if !r.Running && secs < MinimumBilledSeconds {
			topUp := (MinimumBilledSeconds - secs) * perSecond
			cost += topUp
			if m := min(int(r.Terminated/sim.Minute), minutes-1); m >= 0 {
				b.PerMinute[m] += topUp
			}
		}
		b.TotalUSD += cost
		b.ByInstanceType[r.Type] += cost
		b.ByPurchaseOption["on_demand"] += cost
	}
	return b
}
