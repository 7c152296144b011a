package reports

import (
	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// CapacityProvider is one capacity provider's summary, for an ECS service
// on several (docs/ecs.md "Several capacity providers"; docs/result.md
// summary.capacity_providers).
type CapacityProvider struct {
	Name         string `json:"name"`
	InstanceType string `json:"instance_type"`
	// Purchase is "on_demand", "spot" or "mixed" (its group's
	// instances_distribution at its largest size).
	Purchase string `json:"purchase"`
	// TargetCapacity is its managed scaling's target_capacity; absent for
	// a fixed group.
	TargetCapacity int     `json:"target_capacity,omitempty"`
	PeakInService  int     `json:"peak_in_service"`
	MeanInService  float64 `json:"mean_in_service"`
	InstanceHours  float64 `json:"instance_hours"`
	// CostUSD is pricing.Bill.ByProvider: its instances' on-demand and
	// spot time and the Savings Plan dollars that covered it (RI fees and
	// unused commitment are the account's, in no provider).
	CostUSD float64 `json:"cost_usd"`
}

// buildProviders is each capacity provider's summary, in strategy order;
// nil unless the service has several.
func buildProviders(r *sim.Result, bill pricing.Bill) []CapacityProvider {
	if len(r.Providers) == 0 {
		return nil
	}
	hours := map[string]sim.Time{}
	for _, in := range r.Instances {
		hours[in.Provider] += in.Terminated - in.Launch
	}
	out := make([]CapacityProvider, len(r.Providers))
	for i, p := range r.Providers {
		out[i] = CapacityProvider{Name: p.Name, InstanceType: p.InstanceType, Purchase: p.Purchase, TargetCapacity: p.TargetCapacity,
			PeakInService: p.PeakInService, MeanInService: round(p.MeanInService, 3),
			InstanceHours: round(hours[p.Name].Seconds()/3600, 4), CostUSD: round(bill.ByProvider[p.Name], 6)}
	}
	return out
}
