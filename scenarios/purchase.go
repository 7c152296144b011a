package scenarios

import (
	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// InstancesDistribution is the mixed-instances policy's purchase split
// (docs/aws-model.md §1.10), with AWS's names and defaults.
type InstancesDistribution struct {
	OnDemandBaseCapacity                *int   `yaml:"on_demand_base_capacity,omitempty" json:"on_demand_base_capacity,omitempty" jsonschema_description:"default 0"`
	OnDemandPercentageAboveBaseCapacity *int   `yaml:"on_demand_percentage_above_base_capacity,omitempty" json:"on_demand_percentage_above_base_capacity,omitempty" jsonschema_description:"0–100 (default 100)"`
	SpotAllocationStrategy              string `yaml:"spot_allocation_strategy,omitempty" json:"spot_allocation_strategy,omitempty" jsonschema:"enum=lowest-price,enum=capacity-optimized,enum=capacity-optimized-prioritized,enum=price-capacity-optimized" jsonschema_description:"with one instance type every strategy picks the same pool"`
}

func (c *checker) purchase() {
	f := &c.s.Fleet
	c.spotOptions("fleet", f.InstancesDistribution, f.SpotInterruptionsPerHour, f.SpotInstanceDraining)
	if f.SpotInstanceDraining && (c.s.Service == nil || c.s.isFargate()) {
		c.bad("fleet.spot_instance_draining", "applies to the instances of an ECS cluster (a service with launch_type ec2)")
	}
}

// spotOptions checks the purchase options of the group at path p (fleet,
// or a capacity provider's fleet) and fills in AWS's defaults.
func (c *checker) spotOptions(p string, d *InstancesDistribution, interruptions float64, draining bool) {
	if d != nil {
		p := p + ".instances_distribution"
		if d.OnDemandBaseCapacity == nil {
			d.OnDemandBaseCapacity = ptr(0)
		} else if *d.OnDemandBaseCapacity < 0 {
			c.bad(p+".on_demand_base_capacity", "must not be negative, got %d", *d.OnDemandBaseCapacity)
		}
		if d.OnDemandPercentageAboveBaseCapacity == nil {
			d.OnDemandPercentageAboveBaseCapacity = ptr(100)
		} else if v := *d.OnDemandPercentageAboveBaseCapacity; v < 0 || v > 100 {
			c.bad(p+".on_demand_percentage_above_base_capacity", "must be between 0 and 100, got %d", v)
		}
		c.enum(p+".spot_allocation_strategy", &d.SpotAllocationStrategy, "lowest-price",
			"lowest-price", "capacity-optimized", "capacity-optimized-prioritized", "price-capacity-optimized")
	}
	if interruptions < 0 {
		c.bad(p+".spot_interruptions_per_hour", "must not be negative, got %g", interruptions)
	}
	if interruptions > 0 && d == nil {
		c.bad(p+".spot_interruptions_per_hour", "needs spot capacity: add instances_distribution with on_demand_percentage_above_base_capacity below 100")
	}
	if draining && d == nil {
		c.bad(p+".spot_instance_draining", "needs spot capacity: add instances_distribution with on_demand_percentage_above_base_capacity below 100")
	}
}

// buildPurchase sets the engine's purchase split, spot interruptions and,
// for burstable types in standard mode, CPU credit throttling.
func (s *Scenario) buildPurchase(f *sim.FleetConfig) {
	if d := s.Fleet.InstancesDistribution; d != nil {
		base, pct := *d.OnDemandBaseCapacity, *d.OnDemandPercentageAboveBaseCapacity
		f.OnDemandFor = func(total int) int {
			od, _ := pricing.MixedSplit(total, base, pct)
			return od
		}
	}
	f.SpotInterruptionsPerHour = s.Fleet.SpotInterruptionsPerHour
	f.CapacityRebalance = s.Fleet.CapacityRebalance
	mode := s.Pricing.Burstable.Mode
	if mode == "" {
		mode = pricing.DefaultCreditMode(s.Fleet.InstanceType)
	}
	if spec, ok := pricing.Credits(s.Fleet.InstanceType); ok && mode == pricing.Standard {
		f.Credits = func() sim.CreditMeter { return pricing.NewCreditAccount(spec, pricing.Standard) }
		f.ThrottledSpeed = f.Type.Speed * spec.Baseline
	}
}
