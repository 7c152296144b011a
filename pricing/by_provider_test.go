package pricing

import (
	"testing"

	"github.com/capsim/capsim/sim"
)

// TestByProvider: an ECS service's instances bill their capacity
// provider: on-demand and spot time, and the Savings Plan dollars that
// covered it; the commitment nobody used and instances of no provider are
// in none (docs/result.md, summary.capacity_providers).
func TestByProvider(t *testing.T) {
	od := rec("m5.large", 0, sim.Hour)
	od.Provider = "od"
	spot := rec("m5.large", 0, 2*sim.Hour)
	spot.Provider, spot.PurchaseOption = "spot", OptionSpot
	half := 0.5
	plan := Plan{OnDemand: prices, Spot: SpotDiscount{Discount: &half, OnDemand: prices},
		// $0.05/h at 30 % off covers 0.05 / (0.096 × 0.7) of od's first hour.
		SavingsPlans: []SavingsPlan{{Kind: ComputeSP, USDPerHour: 0.05, Discount: 0.3}}}
	b := Charge(plan, &sim.Result{Instances: []sim.InstanceRecord{od, spot}, Duration: 2 * sim.Hour})
	covered := 0.05 / (m5Large * 0.7) // of od's hour
	near(t, "od", b.ByProvider["od"], 0.05+(1-covered)*m5Large)
	near(t, "spot", b.ByProvider["spot"], 2*m5Large*0.5)
	// The second hour's commitment covers nothing: no provider's.
	near(t, "providers + unused commitment", b.ByProvider["od"]+b.ByProvider["spot"]+0.05, b.InstancesUSD)

	b = Charge(plan, &sim.Result{Instances: []sim.InstanceRecord{rec("m5.large", 0, sim.Hour)}, Duration: sim.Hour})
	if b.ByProvider != nil {
		t.Errorf("no provider: ByProvider %v, want nil", b.ByProvider)
	}
}
