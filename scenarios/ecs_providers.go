package scenarios

import (
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// Several EC2 capacity providers (docs/ecs.md, "Several capacity
// providers"): instead of fleet and capacity_provider, capacity_providers
// lists Auto Scaling group capacity providers, each with its own group
// (its fleet) and its own managed scaling, and the service's
// capacity_provider_strategy splits the tasks between them by base and
// weight (sim/strategy.go).

// ProviderSpec is one Auto Scaling group capacity provider.
type ProviderSpec struct {
	Name  string    `yaml:"name" json:"name" jsonschema:"required" jsonschema_description:"the name capacity_provider_strategy gives"`
	Fleet HostFleet `yaml:"fleet" json:"fleet" jsonschema:"required" jsonschema_description:"its Auto Scaling group"`
	// ManagedScaling takes the keys of capacity_provider; absent, the
	// group is fixed at fleet.desired.
	ManagedScaling *CapacityProvider `yaml:"managed_scaling,omitempty" json:"managed_scaling,omitempty" jsonschema_description:"ECS cluster auto scaling of its group (the keys of capacity_provider); absent: a fixed group"`
}

// HostFleet is a capacity provider's Auto Scaling group: the keys of fleet
// that apply to an ECS cluster's instances.
type HostFleet struct {
	InstanceType string   `yaml:"instance_type" json:"instance_type" jsonschema:"required"`
	Min          int      `yaml:"min" json:"min" jsonschema:"required"`
	Max          int      `yaml:"max" json:"max" jsonschema:"required"`
	Desired      int      `yaml:"desired" json:"desired" jsonschema_description:"instances at t = 0 (default min)"`
	BootTime     DistSpec `yaml:"boot_time" json:"boot_time" jsonschema_description:"launch to registered with the cluster (default lognormal, median 90s, p99 180s)"`
	Zones        int      `yaml:"zones" json:"zones" jsonschema_description:"availability zones (default 3)"`

	InstancesDistribution    *InstancesDistribution `yaml:"instances_distribution,omitempty" json:"instances_distribution,omitempty" jsonschema_description:"on-demand base and percentage above it; the rest runs on spot"`
	SpotInterruptionsPerHour float64                `yaml:"spot_interruptions_per_hour,omitempty" json:"spot_interruptions_per_hour,omitempty" jsonschema_description:"rate at which EC2 reclaims each spot instance (2-minute notice)"`
	CapacityRebalance        bool                   `yaml:"capacity_rebalance,omitempty" json:"capacity_rebalance,omitempty" jsonschema_description:"launch the replacement at the notice, not after the termination"`
	SpotInstanceDraining     bool                   `yaml:"spot_instance_draining,omitempty" json:"spot_instance_draining,omitempty" jsonschema_description:"ECS_ENABLE_SPOT_INSTANCE_DRAINING (default false): at a spot notice the instance drains and the service replaces its tasks"`
}

// providerName is what CreateCapacityProvider accepts: up to 255 letters,
// numbers, underscores and hyphens, not beginning with aws, ecs or
// fargate (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html).
var providerName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// capacityProviders checks capacity_providers and the strategy that
// splits the service's tasks between them.
func (c *checker) capacityProviders(sv *Service) {
	if c.given("capacity_provider") {
		c.bad("capacity_provider", "give either capacity_provider (the managed scaling of fleet) or capacity_providers (each with its own fleet), not both")
	}
	if c.given("fleet") {
		c.bad("fleet", "with capacity_providers each provider has its own group: move this fleet under capacity_providers[].fleet")
	}
	cps := c.s.CapacityProviders
	if len(cps) == 0 {
		c.bad("capacity_providers", "is empty: give at least one, e.g. [{name: od, fleet: {instance_type: m5.large, min: 0, max: 10}, managed_scaling: {target_capacity: 100}}]")
		return
	}
	var names []string
	for i := range cps {
		p := strictyaml.IndexPath("capacity_providers", i)
		cp := &cps[i]
		switch low := strings.ToLower(cp.Name); {
		case !c.given(p + ".name"):
			c.bad(p, "needs a name, which capacity_provider_strategy gives")
		case !providerName.MatchString(cp.Name):
			c.bad(p+".name", "a capacity provider's name is up to 255 letters, numbers, underscores and hyphens, got %q", cp.Name)
		case strings.HasPrefix(low, "aws") || strings.HasPrefix(low, "ecs") || strings.HasPrefix(low, "fargate"):
			c.bad(p+".name", "ECS reserves names beginning with aws, ecs or fargate, got %q", cp.Name)
		case slices.Contains(names, cp.Name):
			c.bad(p+".name", "%q is already the name of capacity_providers[%d]", cp.Name, slices.Index(names, cp.Name))
		}
		if !slices.Contains(names, cp.Name) {
			names = append(names, cp.Name)
		}
		if !c.given(p + ".fleet") {
			c.bad(p, "needs a fleet, its Auto Scaling group, e.g. {instance_type: m5.large, min: 0, max: 10}")
		} else {
			c.hostFleet(p+".fleet", &cp.Fleet)
		}
		if cp.ManagedScaling != nil {
			c.managedScaling(p+".managed_scaling", cp.ManagedScaling)
		}
	}
	switch {
	case len(sv.Strategy) > 0:
		c.strategy(sv, names)
	case len(cps) > 1:
		c.bad("service", "needs capacity_provider_strategy with several capacity_providers: it says how the tasks split, e.g. [{capacity_provider: %s, base: 2, weight: 1}, {capacity_provider: %s, weight: 3}]", names[0], names[1])
	}
	for i, cp := range cps {
		if len(sv.Strategy) > 0 && !slices.ContainsFunc(sv.Strategy, func(it ProviderStrategy) bool { return it.CapacityProvider == cp.Name }) {
			c.warn(strictyaml.IndexPath("capacity_providers", i), "capacity provider %q is not in service.capacity_provider_strategy: its group runs no tasks", cp.Name)
		}
	}
	c.providersTaskFits(sv)
	// The top-level fleet stands for the cluster where one type is asked
	// for (pricing's checks, the report): the first provider's.
	first := cps[0].Fleet
	c.s.Fleet.InstanceType, c.s.Fleet.Min, c.s.Fleet.Max, c.s.Fleet.Desired = first.InstanceType, first.Min, first.Max, first.Desired
	c.s.Fleet.BootTime, c.s.Fleet.Zones = first.BootTime, 0
	for _, cp := range cps {
		c.s.Fleet.Zones = max(c.s.Fleet.Zones, cp.Fleet.Zones)
	}
}

// hostFleet checks a capacity provider's group, at path p.
func (c *checker) hostFleet(p string, f *HostFleet) {
	if !c.given(p + ".instance_type") {
		c.bad(p, "needs instance_type, e.g. m5.large")
	} else if _, ok := c.s.resolveType(f.InstanceType); !ok && c.ok("instance_types") {
		msg := "unknown instance type \"" + f.InstanceType + "\""
		if near := c.s.nearTypes(f.InstanceType); len(near) > 0 {
			msg += " (did you mean " + strings.Join(near, ", ") + "?)"
		}
		c.bad(p+".instance_type", "%s; add it under instance_types to define it", msg)
	}
	for _, k := range []string{"min", "max"} {
		if !c.given(p + "." + k) {
			c.bad(p, "needs %s", k)
		}
	}
	if c.has(p+".min") && f.Min < 0 {
		c.bad(p+".min", "must not be negative, got %d", f.Min)
	}
	if c.has(p+".max") && f.Max < 1 {
		c.bad(p+".max", "must be at least 1, got %d", f.Max)
	}
	bounds := c.has(p+".min") && c.has(p+".max") && c.ok(p+".min", p+".max")
	if bounds && f.Min > f.Max {
		c.bad(p+".min", "min (%d) is greater than max (%d)", f.Min, f.Max)
	}
	if !c.has(p + ".desired") {
		f.Desired = f.Min
	} else if bounds && (f.Desired < f.Min || f.Desired > f.Max) {
		c.bad(p+".desired", "desired (%d) is outside [min, max] = [%d, %d]", f.Desired, f.Min, f.Max)
	}
	if !c.has(p + ".boot_time") {
		f.BootTime = defaultBootTime
	} else {
		c.dist(p+".boot_time", &f.BootTime, true)
	}
	if !c.has(p + ".zones") {
		f.Zones = 3
	} else if f.Zones < 1 || f.Zones > 26 {
		c.bad(p+".zones", "must be between 1 and 26, got %d", f.Zones)
	}
	c.spotOptions(p, f.InstancesDistribution, f.SpotInterruptionsPerHour, f.SpotInstanceDraining)
}

// strategy checks service.capacity_provider_strategy against the
// providers it may name: base on one provider at most, not every weight 0
// (AWS: API_CapacityProviderStrategyItem), each provider once.
func (c *checker) strategy(sv *Service, names []string) {
	bases, weights := 0, 0
	seen := map[string]bool{}
	for i, it := range sv.Strategy {
		p := strictyaml.IndexPath("service.capacity_provider_strategy", i)
		if !slices.Contains(names, it.CapacityProvider) {
			c.bad(p+".capacity_provider", "unknown capacity provider %q%s", it.CapacityProvider, choices(it.CapacityProvider, names))
		}
		if seen[it.CapacityProvider] {
			c.bad(p+".capacity_provider", "%s is already in the strategy", it.CapacityProvider)
		}
		seen[it.CapacityProvider] = true
		if it.Base < 0 || it.Weight < 0 {
			c.bad(p, "base and weight must not be negative")
		}
		if it.Base > 0 {
			bases++
			if bases > 1 {
				c.bad(p+".base", "only one capacity provider of a strategy may have a base (ECS CapacityProviderStrategyItem)")
			}
		}
		weights += it.Weight
	}
	if len(sv.Strategy) > 0 && weights == 0 {
		c.bad("service.capacity_provider_strategy", "every weight is 0: ECS never places a task beyond the base on a provider of weight 0; give one a weight")
	}
}

// providersTaskFits: a task must fit an empty instance of every provider
// the strategy gives tasks, or those tasks stay PENDING for ever.
func (c *checker) providersTaskFits(sv *Service) {
	t := sv.Task
	for _, cp := range c.s.CapacityProviders {
		used := len(c.s.CapacityProviders) == 1 && len(sv.Strategy) == 0
		for _, it := range sv.Strategy {
			used = used || it.CapacityProvider == cp.Name && (it.Base > 0 || it.Weight > 0)
		}
		it, ok := c.s.resolveType(cp.Fleet.InstanceType)
		if !used || !ok {
			continue
		}
		if units := it.VCPU * 1024; c.has("service.task.cpu") && t.CPU > units {
			c.bad("service.task.cpu", "a task of %d CPU units does not fit %s (%d vCPU = %d units) of capacity provider %s: its tasks would stay PENDING for ever", t.CPU, it.Name, it.VCPU, units, cp.Name)
		}
		if mib := int(it.MemoryGiB * 1024); c.has("service.task.memory_mib") && it.MemoryGiB > 0 && t.MemoryMiB > mib {
			c.bad("service.task.memory_mib", "a task of %d MiB does not fit %s (%g GiB = %d MiB) of capacity provider %s: its tasks would stay PENDING for ever", t.MemoryMiB, it.Name, it.MemoryGiB, mib, cp.Name)
		}
	}
}

// buildProviders is the cluster's capacity providers: each of
// capacity_providers, in the order of the strategy (providers it does not
// name last), or the single fleet with capacity_provider.
func (s *Scenario) buildProviders() ([]sim.CapacityProvider, error) {
	if len(s.CapacityProviders) == 0 {
		f := s.Fleet
		hf := HostFleet{InstanceType: f.InstanceType, Min: f.Min, Max: f.Max, Desired: f.Desired, BootTime: f.BootTime, Zones: f.Zones,
			InstancesDistribution: f.InstancesDistribution, SpotInterruptionsPerHour: f.SpotInterruptionsPerHour,
			CapacityRebalance: f.CapacityRebalance, SpotInstanceDraining: f.SpotInstanceDraining}
		g, err := hf.build(s, "fleet")
		if err != nil {
			return nil, err
		}
		return []sim.CapacityProvider{{Hosts: g, Scaling: s.CapacityProvider.build(), Weight: 1}}, nil
	}
	order := make([]int, 0, len(s.CapacityProviders))
	for _, it := range s.Service.Strategy {
		if i := slices.IndexFunc(s.CapacityProviders, func(p ProviderSpec) bool { return p.Name == it.CapacityProvider }); i >= 0 {
			order = append(order, i)
		}
	}
	for i := range s.CapacityProviders {
		if !slices.Contains(order, i) {
			order = append(order, i)
		}
	}
	var out []sim.CapacityProvider
	for _, i := range order {
		p := s.CapacityProviders[i]
		g, err := p.Fleet.build(s, strictyaml.IndexPath("capacity_providers", i)+".fleet")
		if err != nil {
			return nil, err
		}
		cp := sim.CapacityProvider{Name: p.Name, Hosts: g, Scaling: p.ManagedScaling.build()}
		for _, it := range s.Service.Strategy {
			if it.CapacityProvider == p.Name {
				cp.Base, cp.Weight = it.Base, it.Weight
			}
		}
		if len(s.CapacityProviders) == 1 && len(s.Service.Strategy) == 0 {
			cp.Weight = 1
		}
		out = append(out, cp)
	}
	return out, nil
}

// build is the engine's host group; at is the fleet's path, for errors.
func (f HostFleet) build(s *Scenario, at string) (sim.HostGroup, error) {
	it, ok := s.resolveType(f.InstanceType)
	if !ok {
		return sim.HostGroup{}, s.errorAt(at+".instance_type", "unknown instance type %q", f.InstanceType)
	}
	boot, err := f.BootTime.build()
	if err != nil {
		return sim.HostGroup{}, s.errorAt(at+".boot_time", "%v", err)
	}
	g := sim.HostGroup{Type: it, Min: f.Min, Max: f.Max, Desired: f.Desired, BootTime: boot, Zones: f.Zones,
		UnitsPerInstance: it.VCPU * 1024, MiBPerInstance: int(math.Round(it.MemoryGiB * 1024)),
		SpotInterruptionsPerHour: f.SpotInterruptionsPerHour, CapacityRebalance: f.CapacityRebalance, SpotDraining: f.SpotInstanceDraining}
	if d := f.InstancesDistribution; d != nil {
		base, pct := *d.OnDemandBaseCapacity, *d.OnDemandPercentageAboveBaseCapacity
		g.OnDemandFor = func(total int) int {
			od, _ := pricing.MixedSplit(total, base, pct)
			return od
		}
	}
	return g, nil
}

// build is the engine's managed scaling; nil: a fixed group.
func (cp *CapacityProvider) build() *sim.ManagedScaling {
	if cp == nil {
		return nil
	}
	return &sim.ManagedScaling{TargetCapacity: cp.TargetCapacity, MinStep: cp.MinimumScalingStepSize,
		MaxStep: cp.MaximumScalingStepSize, Warmup: cp.InstanceWarmupPeriod.Sim(),
		TerminationProtection: *cp.ManagedTerminationProtection}
}
