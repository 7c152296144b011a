package scenarios

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// Service is an Amazon ECS service (docs/ecs.md): its tasks are the load
// balancer's targets. On launch_type ec2 they run on the fleet's instances
// (the capacity provider's Auto Scaling group); on fargate, on Fargate.
type Service struct {
	LaunchType          string             `yaml:"launch_type" json:"launch_type" jsonschema:"enum=ec2,enum=fargate" jsonschema_description:"ec2 (default): tasks on the fleet's instances; fargate: no instances"`
	Task                Task               `yaml:"task" json:"task" jsonschema:"required"`
	Min                 int                `yaml:"min" json:"min" jsonschema:"required"`
	Max                 int                `yaml:"max" json:"max" jsonschema:"required"`
	Desired             int                `yaml:"desired" json:"desired" jsonschema_description:"initial desired count (default min)"`
	Placement           []Placement        `yaml:"placement,omitempty" json:"placement,omitempty" jsonschema_description:"strategies in order (default: spread by attribute:ecs.availability-zone); ec2 only"`
	Constraints         []Constraint       `yaml:"constraints,omitempty" json:"constraints,omitempty" jsonschema_description:"distinctInstance; ec2 only"`
	DeregistrationDelay *Duration          `yaml:"deregistration_delay,omitempty" json:"deregistration_delay,omitempty" jsonschema_description:"default: load_balancer.deregistration_delay"`
	Scaling             ServiceScaling     `yaml:"scaling" json:"scaling"`
	Fargate             *FargateSpec       `yaml:"fargate,omitempty" json:"fargate,omitempty"`
	Strategy            []ProviderStrategy `yaml:"capacity_provider_strategy,omitempty" json:"capacity_provider_strategy,omitempty" jsonschema_description:"fargate: FARGATE and FARGATE_SPOT; ec2: the names of capacity_providers; each with base and weight"`
	Deployments         []DeploymentSpec   `yaml:"deployments,omitempty" json:"deployments,omitempty" jsonschema_description:"rolling updates (the ECS deployment type), in time order; see docs/ecs.md, Deployments"`
}

// Task is the task definition's task-level size and how it serves.
type Task struct {
	CPU       int      `yaml:"cpu" json:"cpu" jsonschema:"required" jsonschema_description:"CPU units (1024 = one vCPU): reserved for placement, and the task's limit or its share (cpu_limit)"`
	CPULimit  string   `yaml:"cpu_limit,omitempty" json:"cpu_limit,omitempty" jsonschema:"enum=task,enum=shares" jsonschema_description:"task (default): cpu is a task-level hard limit; shares (launch_type ec2): container-level CPU shares that burst into the instance's idle CPU"`
	MemoryMiB int      `yaml:"memory_mib" json:"memory_mib" jsonschema:"required"`
	Workers   int      `yaml:"workers" json:"workers" jsonschema_description:"requests a task serves at once (default 1); more wait in its queue"`
	StartTime DistSpec `yaml:"start_time" json:"start_time" jsonschema_description:"placed → RUNNING (default lognormal, median 20s, p99 60s)"`
	// MemoryUsed models the memory a task uses, for the memory metric.
	MemoryUsed *MemoryUsed `yaml:"memory_used,omitempty" json:"memory_used,omitempty" jsonschema_description:"memory a task uses: base_mib plus per_request_mib per request in flight, at most memory_mib; the service's memory metric (MemoryUtilization)"`
}

// MemoryUsed is a task's memory use: a base plus an amount per request in
// flight on it (docs/ecs.md, "Memory utilisation").
type MemoryUsed struct {
	BaseMiB       float64 `yaml:"base_mib" json:"base_mib" jsonschema:"required"`
	PerRequestMiB float64 `yaml:"per_request_mib" json:"per_request_mib"`
}

// Placement is one placement strategy.
type Placement struct {
	Type  string `yaml:"type" json:"type" jsonschema:"required,enum=binpack,enum=spread,enum=random"`
	Field string `yaml:"field,omitempty" json:"field,omitempty" jsonschema_description:"binpack: cpu | memory; spread: attribute:ecs.availability-zone | instanceId | host"`
}

// Constraint is one placement constraint.
type Constraint struct {
	Type string `yaml:"type" json:"type" jsonschema:"required,enum=distinctInstance"`
}

// ServiceScaling is service auto scaling (Application Auto Scaling).
type ServiceScaling struct {
	Policies         []Policy  `yaml:"policies,omitempty" json:"policies,omitempty"`
	ScaleOutCooldown *Duration `yaml:"scale_out_cooldown,omitempty" json:"scale_out_cooldown,omitempty" jsonschema_description:"default 300s"`
	ScaleInCooldown  *Duration `yaml:"scale_in_cooldown,omitempty" json:"scale_in_cooldown,omitempty" jsonschema_description:"default 300s"`
}

// FargateSpec is Fargate's provisioning, interruptions and prices.
type FargateSpec struct {
	ProvisioningTime         DistSpec `yaml:"provisioning_time" json:"provisioning_time" jsonschema_description:"before start_time (default lognormal, median 30s, p99 90s; an assumption, see docs/ecs.md)"`
	Architecture             string   `yaml:"architecture" json:"architecture" jsonschema:"enum=x86_64,enum=arm64" jsonschema_description:"default x86_64"`
	SpotInterruptionsPerHour float64  `yaml:"spot_interruptions_per_hour,omitempty" json:"spot_interruptions_per_hour,omitempty" jsonschema_description:"Fargate Spot tasks reclaimed per task-hour (2-minute notice)"`
	USDPerVCPUHour           float64  `yaml:"usd_per_vcpu_hour,omitempty" json:"usd_per_vcpu_hour,omitempty" jsonschema_description:"default: us-east-1 Linux rate of the architecture"`
	USDPerGBHour             float64  `yaml:"usd_per_gb_hour,omitempty" json:"usd_per_gb_hour,omitempty"`
	SpotDiscount             *float64 `yaml:"spot_discount,omitempty" json:"spot_discount,omitempty" jsonschema_description:"Fargate Spot discount, 0–1 (default 0.7)"`
	// Compute Savings Plan rates for this service's Fargate usage
	// (docs/ecs.md "Fargate and Savings Plans"): override a compute plan's
	// rates_file rows; no default (AWS's rate is not guessed).
	SavingsPlanUSDPerVCPUHour float64 `yaml:"savings_plan_usd_per_vcpu_hour,omitempty" json:"savings_plan_usd_per_vcpu_hour,omitempty" jsonschema_description:"Compute Savings Plan rate per Fargate vCPU-hour (default: the compute plan's rates_file; none: Fargate is not covered)"`
	SavingsPlanUSDPerGBHour   float64 `yaml:"savings_plan_usd_per_gb_hour,omitempty" json:"savings_plan_usd_per_gb_hour,omitempty" jsonschema_description:"Compute Savings Plan rate per Fargate GB-hour (default: the compute plan's rates_file; none: Fargate is not covered)"`
}

// ProviderStrategy is one capacity provider strategy item.
type ProviderStrategy struct {
	CapacityProvider string `yaml:"capacity_provider" json:"capacity_provider" jsonschema:"required" jsonschema_description:"FARGATE or FARGATE_SPOT (launch_type fargate), or the name of one of capacity_providers"`
	Base             int    `yaml:"base,omitempty" json:"base,omitempty"`
	Weight           int    `yaml:"weight,omitempty" json:"weight,omitempty"`
}

// CapacityProvider is the managed scaling of the fleet (ECS cluster auto
// scaling); absent on an ec2 service: a fixed cluster of fleet.desired.
type CapacityProvider struct {
	TargetCapacity               int      `yaml:"target_capacity" json:"target_capacity" jsonschema_description:"percent, 1–100 (default 100)"`
	MinimumScalingStepSize       int      `yaml:"minimum_scaling_step_size" json:"minimum_scaling_step_size" jsonschema_description:"default 1"`
	MaximumScalingStepSize       int      `yaml:"maximum_scaling_step_size" json:"maximum_scaling_step_size" jsonschema_description:"default 10000"`
	InstanceWarmupPeriod         Duration `yaml:"instance_warmup_period" json:"instance_warmup_period" jsonschema_description:"default 300s"`
	ManagedTerminationProtection *bool    `yaml:"managed_termination_protection,omitempty" json:"managed_termination_protection,omitempty" jsonschema_description:"default true"`
}

var (
	defaultStartTime    = DistSpec{Dist: "lognormal", Median: Duration(20 * time.Second), P99: Duration(60 * time.Second)}
	defaultProvisioning = DistSpec{Dist: "lognormal", Median: Duration(30 * time.Second), P99: Duration(90 * time.Second)}
	placementFields     = map[string][]string{
		sim.Binpack: {"cpu", "memory"},
		sim.Spread:  {"attribute:ecs.availability-zone", "instanceId", "host"},
		sim.Random:  {""},
	}
	serviceMetrics = []string{"cpu", "memory", "request_count_per_target"}
)

// fargateSizes are the task sizes Fargate accepts: CPU units → memory
// range and step in MiB
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
var fargateSizes = map[int][3]int{
	256: {512, 2048, 512}, 512: {1024, 4096, 1024}, 1024: {2048, 8192, 1024},
	2048: {4096, 16384, 1024}, 4096: {8192, 30720, 1024}, 8192: {16384, 61440, 4096}, 16384: {32768, 122880, 8192},
}

// isFargate says the scenario runs an ECS service on Fargate.
func (s *Scenario) isFargate() bool { return s.Service != nil && s.Service.LaunchType == "fargate" }

// service checks the service and capacity provider; the fleet is checked
// first (its instance type bounds the task).
func (c *checker) service() {
	sv := c.s.Service
	if sv == nil {
		for _, k := range []string{"capacity_provider", "capacity_providers"} {
			if c.given(k) {
				c.bad(k, "needs a service: it scales the instances an ECS service's tasks run on")
			}
		}
		return
	}
	if !c.enum("service.launch_type", &sv.LaunchType, "ec2", "ec2", "fargate") {
		return
	}
	fargate := sv.LaunchType == "fargate"
	for _, k := range []string{"capacity_provider", "capacity_providers"} {
		if fargate && c.given(k) {
			c.bad(k, "launch_type fargate has no instances to scale: drop %s, or use launch_type ec2", k)
		}
	}
	if len(c.s.Scaling.Policies) > 0 {
		c.bad("scaling.policies", "with a service, the tasks scale by service.scaling and the instances by capacity_provider; scaling.policies has nothing to scale")
	}
	c.task(sv, fargate)
	for _, k := range []string{"min", "max"} {
		if !c.given("service." + k) {
			c.bad("service", "needs %s", k)
		}
	}
	if sv.Min < 0 {
		c.bad("service.min", "must not be negative, got %d", sv.Min)
	}
	if sv.Max < max(1, sv.Min) {
		c.bad("service.max", "must be at least 1 and at least min (%d), got %d", sv.Min, sv.Max)
	}
	if !c.has("service.desired") {
		sv.Desired = sv.Min
	} else if sv.Desired < sv.Min || sv.Desired > sv.Max {
		c.bad("service.desired", "desired (%d) is outside [min, max] = [%d, %d]", sv.Desired, sv.Min, sv.Max)
	}
	c.placement(sv, fargate)
	if sv.DeregistrationDelay == nil {
		d := c.s.LoadBalancer.DeregistrationDelay
		sv.DeregistrationDelay = &d
	} else if *sv.DeregistrationDelay < 0 {
		c.bad("service.deregistration_delay", "must not be negative, got %v", *sv.DeregistrationDelay)
	}
	c.serviceScaling(sv)
	c.deployments(sv)
	if fargate {
		c.fargate(sv)
	} else {
		if c.given("service.fargate") {
			c.bad("service.fargate", "applies to launch_type fargate only")
		}
		if c.given("capacity_providers") {
			c.capacityProviders(sv)
			return
		}
		if c.given("service.capacity_provider_strategy") {
			c.bad("service.capacity_provider_strategy", "an ec2 service with one capacity provider (fleet and capacity_provider) has no strategy; for several, list them under capacity_providers")
		}
		if c.s.CapacityProvider != nil {
			c.managedScaling("capacity_provider", c.s.CapacityProvider)
		}
	}
}

func (c *checker) task(sv *Service, fargate bool) {
	t := &sv.Task
	if !c.given("service.task") {
		c.bad("service", "needs a task, e.g. {cpu: 1024, memory_mib: 2048, workers: 4}")
		return
	}
	for _, k := range []string{"cpu", "memory_mib"} {
		if !c.given("service.task." + k) {
			c.bad("service.task", "needs %s", k)
		}
	}
	if c.has("service.task.cpu") && (t.CPU < 128 || t.CPU > 196608) {
		c.bad("service.task.cpu", "must be between 128 and 196608 CPU units (1024 = one vCPU), got %d", t.CPU)
	}
	if c.has("service.task.memory_mib") && t.MemoryMiB < 6 {
		c.bad("service.task.memory_mib", "must be at least 6 MiB, got %d", t.MemoryMiB)
	}
	c.intAtLeast("service.task.workers", &t.Workers, 1, 1)
	if t.Workers > 10000 {
		c.bad("service.task.workers", "must be at most 10000, got %d", t.Workers)
	}
	// A task-level cpu is a hard limit; container-level cpu alone is a
	// share that may burst into the instance's idle CPU, which Fargate
	// does not have ("Best practices for Amazon ECS task sizes",
	// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/capacity-tasksize.html;
	// docs/ecs.md, "Service speed").
	if c.has("service.task.cpu_limit") {
		switch {
		case !slices.Contains([]string{"task", "shares"}, t.CPULimit):
			c.bad("service.task.cpu_limit", "unknown cpu_limit %q%s", t.CPULimit, choices(t.CPULimit, []string{"task", "shares"}))
		case fargate && t.CPULimit == "shares":
			c.bad("service.task.cpu_limit", "Fargate tasks cannot burst: a Fargate task's cpu is always a task-level limit (use cpu_limit: task, or launch_type ec2)")
		}
	}
	if m := t.MemoryUsed; m != nil {
		switch {
		case !c.has("service.task.memory_used.base_mib"):
			c.bad("service.task.memory_used", "needs base_mib, e.g. {base_mib: 600, per_request_mib: 20}")
		case m.BaseMiB < 0:
			c.bad("service.task.memory_used.base_mib", "must not be negative, got %g", m.BaseMiB)
		case c.has("service.task.memory_mib") && m.BaseMiB > float64(t.MemoryMiB):
			c.bad("service.task.memory_used.base_mib", "%g MiB is above the task's memory_mib (%d): ECS stops a container above its hard limit", m.BaseMiB, t.MemoryMiB)
		}
		if m.PerRequestMiB < 0 {
			c.bad("service.task.memory_used.per_request_mib", "must not be negative, got %g", m.PerRequestMiB)
		}
	}
	if !c.has("service.task.start_time") {
		t.StartTime = defaultStartTime
	} else {
		c.dist("service.task.start_time", &t.StartTime, true)
	}
	if fargate {
		if r, ok := fargateSizes[t.CPU]; !ok {
			c.bad("service.task.cpu", "Fargate takes 256, 512, 1024, 2048, 4096, 8192 or 16384 CPU units, got %d", t.CPU)
		} else if t.MemoryMiB < r[0] || t.MemoryMiB > r[1] || (t.MemoryMiB-r[0])%r[2] != 0 {
			c.bad("service.task.memory_mib", "Fargate with %d CPU units takes %d–%d MiB in steps of %d, got %d", t.CPU, r[0], r[1], r[2], t.MemoryMiB)
		}
		return
	}
	if c.given("capacity_providers") {
		return // each provider's type: providersTaskFits
	}
	it, ok := c.s.resolveType(c.s.Fleet.InstanceType)
	if !ok {
		return // the fleet's error says why
	}
	if units := it.VCPU * 1024; t.CPU > units {
		c.bad("service.task.cpu", "a task of %d CPU units does not fit %s (%d vCPU = %d units): it would stay PENDING for ever", t.CPU, it.Name, it.VCPU, units)
	}
	if mib := int(it.MemoryGiB * 1024); it.MemoryGiB > 0 && t.MemoryMiB > mib {
		c.bad("service.task.memory_mib", "a task of %d MiB does not fit %s (%g GiB = %d MiB): it would stay PENDING for ever", t.MemoryMiB, it.Name, it.MemoryGiB, mib)
	}
}

func (c *checker) placement(sv *Service, fargate bool) {
	if fargate {
		for _, k := range []string{"placement", "constraints"} {
			if c.given("service." + k) {
				c.bad("service."+k, "Fargate places tasks itself: %s applies to launch_type ec2 only", k)
			}
		}
		return
	}
	if !c.given("service.placement") {
		sv.Placement = []Placement{{Type: sim.Spread, Field: "attribute:ecs.availability-zone"}}
	}
	for i := range sv.Placement {
		p := strictyaml.IndexPath("service.placement", i)
		pl := &sv.Placement[i]
		fields, ok := placementFields[pl.Type]
		if !ok {
			c.bad(p+".type", "unknown placement strategy %q%s", pl.Type, choices(pl.Type, []string{"binpack", "spread", "random"}))
			continue
		}
		if pl.Type == sim.Random {
			if pl.Field != "" {
				c.bad(p+".field", "random takes no field")
			}
			continue
		}
		if !slices.Contains(fields, pl.Field) {
			c.bad(p+".field", "unknown %s field %q%s", pl.Type, pl.Field, choices(pl.Field, fields))
		}
	}
	for i, k := range sv.Constraints {
		if k.Type != "distinctInstance" {
			c.bad(strictyaml.IndexPath("service.constraints", i)+".type", "unknown constraint %q (distinctInstance; memberOf expressions are not modelled)", k.Type)
		}
	}
}

func (c *checker) serviceScaling(sv *Service) {
	names := map[string]int{}
	for i := range sv.Scaling.Policies {
		p := strictyaml.IndexPath("service.scaling.policies", i)
		pol := &sv.Scaling.Policies[i]
		if c.given(p+".type") && !slices.Contains([]string{"target_tracking", "step", "scheduled"}, pol.Type) {
			c.bad(p+".type", "service auto scaling takes target_tracking, step or scheduled, got %q", pol.Type)
			continue
		}
		c.policy(p, pol)
		if pol.Type == "target_tracking" && pol.Metric != "" && !slices.Contains(serviceMetrics, pol.Metric) {
			c.bad(p+".metric", "a service scales on %s, got %q", strings.Join(serviceMetrics, ", "), pol.Metric)
		}
		// Application Auto Scaling's scale-in alarm sits near 0.9 × target
		// (docs/ecs.md, observed).
		if pol.Type == "target_tracking" && !c.has(p+".scale_in_ratio") {
			pol.ScaleInRatio = 0.9
		}
		if pol.Name != "" {
			if j, dup := names[pol.Name]; dup {
				c.bad(p+".name", "%q is already the name of service.scaling.policies[%d]", pol.Name, j)
			}
			names[pol.Name] = i
		}
	}
	for _, k := range []struct {
		path string
		v    **Duration
	}{{"service.scaling.scale_out_cooldown", &sv.Scaling.ScaleOutCooldown}, {"service.scaling.scale_in_cooldown", &sv.Scaling.ScaleInCooldown}} {
		if *k.v == nil {
			d := Duration(300 * time.Second)
			*k.v = &d
		} else if **k.v < 0 {
			c.bad(k.path, "must not be negative, got %v", **k.v)
		}
	}
}

func (c *checker) fargate(sv *Service) {
	if sv.Fargate == nil {
		sv.Fargate = &FargateSpec{}
	}
	f := sv.Fargate
	if !c.has("service.fargate.provisioning_time") {
		f.ProvisioningTime = defaultProvisioning
	} else {
		c.dist("service.fargate.provisioning_time", &f.ProvisioningTime, true)
	}
	c.enum("service.fargate.architecture", &f.Architecture, "x86_64", "x86_64", "arm64")
	if f.SpotInterruptionsPerHour < 0 {
		c.bad("service.fargate.spot_interruptions_per_hour", "must not be negative, got %g", f.SpotInterruptionsPerHour)
	}
	if f.USDPerVCPUHour < 0 || f.USDPerGBHour < 0 || f.SavingsPlanUSDPerVCPUHour < 0 || f.SavingsPlanUSDPerGBHour < 0 {
		c.bad("service.fargate", "prices must not be negative")
	}
	if d := f.SpotDiscount; d != nil && (*d < 0 || *d >= 1) {
		c.bad("service.fargate.spot_discount", "must be in [0, 1), got %g", *d)
	}
	c.strategy(sv, []string{"FARGATE", "FARGATE_SPOT"})
}

// managedScaling checks a capacity provider's managed scaling at path p
// (capacity_provider, or capacity_providers[i].managed_scaling).
func (c *checker) managedScaling(p string, cp *CapacityProvider) {
	c.intAtLeast(p+".target_capacity", &cp.TargetCapacity, 1, 100)
	if cp.TargetCapacity > 100 {
		c.bad(p+".target_capacity", "must be between 1 and 100 percent, got %d", cp.TargetCapacity)
	}
	c.intAtLeast(p+".minimum_scaling_step_size", &cp.MinimumScalingStepSize, 1, 1)
	c.intAtLeast(p+".maximum_scaling_step_size", &cp.MaximumScalingStepSize, 1, 10000)
	if cp.MinimumScalingStepSize > 10000 || cp.MaximumScalingStepSize > 10000 {
		c.bad(p, "step sizes must be between 1 and 10000")
	} else if cp.MinimumScalingStepSize > cp.MaximumScalingStepSize {
		c.bad(p+".minimum_scaling_step_size", "is greater than maximum_scaling_step_size (%d)", cp.MaximumScalingStepSize)
	}
	c.nonNegDur(p+".instance_warmup_period", &cp.InstanceWarmupPeriod, Duration(300*time.Second))
	if cp.InstanceWarmupPeriod > Duration(10000*time.Second) {
		c.bad(p+".instance_warmup_period", "must be at most 10000s, got %v", cp.InstanceWarmupPeriod)
	}
	if cp.ManagedTerminationProtection == nil {
		on := true
		cp.ManagedTerminationProtection = &on
	}
}

// buildService turns a config built for an Auto Scaling group into the
// ECS service: cfg.Fleet becomes the tasks, cfg.ECS the cluster.
func (s *Scenario) buildService(cfg *sim.Config, it sim.InstanceType) error {
	sv := s.Service
	t := sv.Task
	start, err := t.StartTime.build()
	if err != nil {
		return s.errorAt("service.task.start_time", "%v", err)
	}
	var scalers []sim.Scaler
	for i, p := range sv.Scaling.Policies {
		sc, err := p.build()
		if err != nil {
			return s.errorAt(strictyaml.IndexPath("service.scaling.policies", i), "%v", err)
		}
		scalers = append(scalers, sc)
	}
	ecs := &sim.ECSConfig{Fargate: sv.LaunchType == "fargate", TaskCPU: t.CPU, TaskMemoryMiB: t.MemoryMiB, CPUShares: t.CPULimit == "shares"}
	if m := t.MemoryUsed; m != nil {
		ecs.MemoryUse = &sim.MemoryUse{BaseMiB: m.BaseMiB, PerRequestMiB: m.PerRequestMiB}
	}
	speed := 1.0
	zones := 3
	if ecs.Fargate {
		ecs.Provisioning, err = sv.Fargate.ProvisioningTime.build()
		if err != nil {
			return s.errorAt("service.fargate.provisioning_time", "%v", err)
		}
	} else {
		speed, zones = it.Speed, s.Fleet.Zones
		for _, p := range sv.Placement {
			f := p.Field
			switch f {
			case "attribute:ecs.availability-zone":
				f = sim.FieldZone
			case "instanceId", "host":
				f = sim.FieldInstance
			}
			ecs.Placement = append(ecs.Placement, sim.PlacementStrategy{Type: p.Type, Field: f})
		}
		for _, k := range sv.Constraints {
			ecs.DistinctInstance = ecs.DistinctInstance || k.Type == "distinctInstance"
		}
		if ecs.Providers, err = s.buildProviders(); err != nil {
			return err
		}
	}
	// A task's worker slots share its CPU units, each at most one vCPU
	// (sim/ps.go; docs/ecs.md, "Service speed").
	cfg.Fleet = sim.FleetConfig{
		Type: sim.InstanceType{Name: "task", VCPU: t.Workers, MemoryGiB: float64(t.MemoryMiB) / 1024, Speed: speed},
		Min:  sv.Min, Max: sv.Max, Desired: sv.Desired, BootTime: start, Zones: zones, Termination: []string{"Default"},
	}
	if ecs.Fargate {
		s.buildFargateSpot(&cfg.Fleet)
	}
	if ecs.Deployments, err = s.buildDeployments(); err != nil {
		return err
	}
	cfg.ECS = ecs
	cfg.Scalers = scalers
	cfg.Guards = []sim.Guard{policies.NewAASCooldown(sv.Scaling.ScaleOutCooldown.Sim(), sv.Scaling.ScaleInCooldown.Sim())}
	cfg.DeregistrationDelay = sv.DeregistrationDelay.Sim()
	return nil
}

// buildFargateSpot splits the tasks between FARGATE and FARGATE_SPOT as
// the capacity provider strategy says: the base first on its provider,
// the rest by weight.
func (s *Scenario) buildFargateSpot(f *sim.FleetConfig) {
	var od, spot ProviderStrategy
	for _, it := range s.Service.Strategy {
		if it.CapacityProvider == "FARGATE_SPOT" {
			spot = it
		} else {
			od = it
		}
	}
	if spot.Weight == 0 && spot.Base == 0 {
		return
	}
	f.OnDemandFor = func(total int) int { return fargateSplit(total, od, spot) }
	f.SpotInterruptionsPerHour = s.Service.Fargate.SpotInterruptionsPerHour
	f.CapacityRebalance = true // the service replaces a task at its notice
}

// fargateSplit is how many of total tasks run on FARGATE.
func fargateSplit(total int, od, spot ProviderStrategy) int {
	base := min(total, od.Base+spot.Base)
	rest := total - base
	n := 0
	if w := od.Weight + spot.Weight; w > 0 {
		n = rest * od.Weight / w
	}
	if od.Base > 0 {
		n += base
	}
	return n
}

// FargateRates are the Fargate prices the scenario bills at: the service's
// overrides over the us-east-1 rates of its architecture.
func (s *Scenario) FargateRates() *pricing.FargateRates {
	if s.Service == nil {
		return nil
	}
	arch := "x86_64"
	f := s.Service.Fargate
	if f != nil && f.Architecture != "" {
		arch = f.Architecture
	}
	r := pricing.DefaultFargateRates[arch]
	if f != nil {
		if f.USDPerVCPUHour > 0 {
			r.VCPUHour, r.Source = f.USDPerVCPUHour, "service.fargate"
		}
		if f.USDPerGBHour > 0 {
			r.GBHour, r.Source = f.USDPerGBHour, "service.fargate"
		}
		if f.SpotDiscount != nil {
			r.SpotDiscount = *f.SpotDiscount
		}
	}
	// The Compute Savings Plan rates the what-if prices Fargate at: the
	// service's own, else the first compute plan's.
	for _, sp := range s.PricingPlanSavingsPlans() {
		if sp.Kind == pricing.ComputeSP {
			r.SavingsPlanVCPUHour, r.SavingsPlanGBHour = sp.Rates[pricing.FargateVCPUHours], sp.Rates[pricing.FargateGBHours]
			r.SavingsPlanSource = "the scenario's compute Savings Plan"
			if f != nil && (f.SavingsPlanUSDPerVCPUHour > 0 || f.SavingsPlanUSDPerGBHour > 0) {
				r.SavingsPlanSource = "service.fargate"
			}
			return &r
		}
	}
	if f != nil {
		r.SavingsPlanVCPUHour, r.SavingsPlanGBHour, r.SavingsPlanSource = f.SavingsPlanUSDPerVCPUHour, f.SavingsPlanUSDPerGBHour, "service.fargate"
	}
	return &r
}

// PricingPlanSavingsPlans are the scenario's Savings Plans as billing sees
// them. A compute plan's Fargate rates (pricing.FargateVCPUHours,
// FargateGBHours) come from its rates or rates_file, whose Fargate rows
// are AWS's Linux/x86 ones and so are dropped for an arm64 service, and
// service.fargate's savings_plan_usd_per_* override them.
func (s *Scenario) PricingPlanSavingsPlans() []pricing.SavingsPlan {
	var f *FargateSpec
	if s.Service != nil {
		f = s.Service.Fargate
	}
	var out []pricing.SavingsPlan
	for _, sp := range s.Pricing.SavingsPlans {
		rates := sp.Rates
		if sp.Kind == pricing.ComputeSP && f != nil {
			over := map[string]float64{pricing.FargateVCPUHours: f.SavingsPlanUSDPerVCPUHour, pricing.FargateGBHours: f.SavingsPlanUSDPerGBHour}
			for k, v := range over {
				_, had := rates[k]
				if v <= 0 && (!had || f.Architecture != "arm64") {
					continue
				}
				rates = maps.Clone(rates)
				if rates == nil {
					rates = map[string]float64{}
				}
				delete(rates, k)
				if v > 0 {
					rates[k] = v
				}
			}
		}
		out = append(out, pricing.SavingsPlan{Kind: sp.Kind, Family: sp.Family, USDPerHour: sp.USDPerHour, Discount: sp.Discount, Rates: rates})
	}
	return out
}
