package sim

import (
	"errors"
	"fmt"
	"time"
)

// InstanceType is what the fleet launches: its capacity and its price.
type InstanceType struct {
	Name        string
	VCPU        int     // worker slots: requests served at once
	MemoryGiB   float64 //
	Speed       float64 // relative per-vCPU speed; service time = demand / Speed
	USDPerHour  float64 // on-demand price
	PriceSource string  // where the price comes from, for reports
	Arch        string  // amd64 | arm64, from the catalogue
	// Burstable types (t2, t3, t3a, t4g) record their CPU per minute for
	// credit accounting.
	Burstable bool
}

// HealthCheck is the load balancer's target health check (docs/aws-model.md §4.1).
type HealthCheck struct {
	Interval           Time
	HealthyThreshold   int
	UnhealthyThreshold int
}

// FleetConfig is an EC2 Auto Scaling group (docs/aws-model.md §1).
type FleetConfig struct {
	Type             InstanceType
	Min, Max         int
	Desired          int
	BootTime         Dist // launch → running, seconds
	Warmup           Time // DefaultInstanceWarmup: metrics excluded, scale-in blocked
	HealthCheckGrace Time
	Zones            int
	// Termination lists termination policies in order; see engine.pickVictim.
	Termination []string

	// Lifecycle (docs/aws-model.md §1.8); all optional.
	LaunchHook, TerminateHook *LifecycleHook
	// FailuresPerInstanceHour makes in-service instances fail at random
	// (exponential times) so a run shows how the group heals: the load
	// balancer stops routing after UnhealthyThreshold failed checks and the
	// group replaces the instance (after its health-check grace period).
	FailuresPerInstanceHour float64
	// ProtectFromScaleIn is NewInstancesProtectedFromScaleIn: scale-in
	// lowers desired capacity but terminates nothing.
	ProtectFromScaleIn bool
	// MaxInstanceLifetime replaces instances older than this, one at a
	// time; 0 disables it.
	MaxInstanceLifetime Time
	WarmPool            *WarmPool

	// Purchase options (docs/aws-model.md §1.10, §5.3). OnDemandFor returns how
	// many of a group of total instances are on-demand (the mixed-instances
	// split; nil: all of them); the rest are spot.
	OnDemandFor func(total int) int
	// SpotInterruptionsPerHour is the rate at which EC2 reclaims each spot
	// instance (exponential times). An interrupted instance gets the
	// 2-minute notice: it is deregistered and drains, then terminates.
	SpotInterruptionsPerHour float64
	// CapacityRebalance launches the replacement at the notice (the
	// rebalance recommendation) instead of after the termination.
	CapacityRebalance bool

	// Credits, for burstable types in standard mode, returns a fresh
	// credit account per instance; when the credits run out the instance
	// runs its vCPUs at ThrottledSpeed until it has credits again
	// (docs/aws-model.md §5.2).
	Credits        func() CreditMeter
	ThrottledSpeed float64
}

// CreditMeter accounts CPU credits minute by minute: Step takes the CPU
// utilisation an instance asked for over frac of a minute and returns what
// its credits let it deliver; Exhausted says it has none left.
type CreditMeter interface {
	Step(util, frac float64) float64
	Exhausted() bool
}

// LifecycleHook holds an instance in Pending:Wait (launch) or
// Terminating:Wait (terminate) while an action runs for Duration. An action
// longer than HeartbeatTimeout times out and DefaultResult applies: on
// launch, ABANDON terminates the instance and launches a replacement.
type LifecycleHook struct {
	Duration         Dist
	HeartbeatTimeout Time // default 3600 s
	Abandon          bool // DefaultResult ABANDON (the AWS default) vs CONTINUE
}

// WarmPool keeps pre-initialised instances beside the group (docs/aws-model.md
// §1.8). Its size is MaxPrepared (or max) − desired, at least MinSize.
// Launching from the pool takes BootTime instead of the fleet's boot time.
type WarmPool struct {
	MinSize     int
	MaxPrepared int // 0: the group's max
	BootTime    Dist
	State       string // stopped (default) | running | hibernated
}

// Config is one fully resolved simulation.
type Config struct {
	Seed     uint64
	Start    time.Time // wall clock of t = 0 (for cron and report axes)
	Duration Time

	// Exactly one of Traffic (a rate, turned into arrivals by Arrivals) or
	// Requests (a replayed log) drives the run.
	Traffic  RateSource
	Arrivals ArrivalProcess
	Requests RequestSource

	Service    Dist // CPU demand per request on one vCPU of speed 1.0, seconds
	Timeout    Time // the client gives up after this long
	QueueLimit int  // per instance; beyond it requests are rejected (503)
	// Bytes per request and per response, for the network metrics.
	RequestBytes, ResponseBytes float64

	Fleet FleetConfig
	// ECS, when set, makes Fleet an ECS service's tasks and says where
	// they run (docs/ecs.md).
	ECS *ECSConfig

	Balancer            Balancer
	LBOverhead          Time
	HealthCheck         HealthCheck
	DeregistrationDelay Time
	// CrossZoneOff makes each zone's load-balancer node route only to its
	// own zone's targets, the nodes sharing traffic equally (docs/aws-model.md
	// §4.1); the ALB default is cross-zone on.
	CrossZoneOff bool
	// SlowStart ramps a newly healthy target's share of requests linearly
	// from 0 to full over this time (ALB slow_start.duration_seconds,
	// docs/aws-model.md §4.1); 0 disables it.
	SlowStart Time

	Scalers      []Scaler
	Guards       []Guard // applied, in order, to every dynamic scaling action
	MetricPeriod Time    // 60 s detailed, 300 s basic monitoring
	PublishDelay Time    // datapoint visible this long after its period ends
	EvalInterval Time    // how often policies are evaluated (60 s, as alarms)

	// Mode is how requests are simulated: one by one (RequestMode, the
	// default) or as flows advanced in steps of FluidStep (FluidMode,
	// sim/fluid.go). Everything else is the same code in both.
	Mode      Mode
	FluidStep Time // fluid mode's step; 0: DefaultFluidStep

	// Resolution is the time series' row length (sim/series.go): 0 or a
	// minute writes one row a minute; longer (a whole number of minutes
	// dividing a day, e.g. an hour) folds the minutes into rows of that
	// length as the run goes, so a year holds 8,760 rows, not 525,600.
	Resolution Time

	// Progress, if set, is called now and then with the simulated time reached.
	Progress func(now, end Time)
}

// Validate checks what the engine relies on. Scenario files get friendlier
// errors (with line and column) from package scenarios before this runs.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if c.Duration <= 0 {
		bad("duration must be > 0")
	}
	if (c.Traffic == nil) == (c.Requests == nil) {
		bad("exactly one traffic source needed: a rate or a request log")
	}
	if c.Service == nil {
		bad("service time distribution missing")
	}
	if c.Timeout <= 0 {
		bad("timeout must be > 0")
	}
	if c.QueueLimit < 0 {
		bad("queue_limit must be >= 0")
	}
	f := c.Fleet
	if f.Type.VCPU < 1 {
		bad("instance type %q: vcpu must be >= 1", f.Type.Name)
	}
	if f.Type.Speed <= 0 {
		bad("instance type %q: speed must be > 0", f.Type.Name)
	}
	if f.Min < 0 || f.Max < f.Min || f.Desired < f.Min || f.Desired > f.Max {
		bad("fleet needs 0 <= min <= desired <= max (got min %d, desired %d, max %d)", f.Min, f.Desired, f.Max)
	}
	if f.BootTime == nil {
		bad("fleet boot time distribution missing")
	}
	if c.Balancer == nil {
		bad("load balancer algorithm missing")
	}
	if c.MetricPeriod <= 0 || c.MetricPeriod%(10*Second) != 0 {
		bad("metric period must be a positive multiple of 10s")
	}
	if c.EvalInterval <= 0 || c.EvalInterval%tickStep != 0 {
		bad("evaluation interval must be a positive multiple of %v", tickStep)
	}
	if r := c.Resolution; r != 0 && (r < Minute || r%Minute != 0 || (24*Hour)%r != 0) {
		bad("time-series resolution must be a whole number of minutes dividing a day, got %v", r.Duration())
	}
	if c.PublishDelay < 0 {
		bad("publish delay must be >= 0")
	}
	if c.ECS != nil {
		errs = append(errs, c.ECS.validate(c)...)
	}
	errs = append(errs, c.validateFluid()...)
	return errors.Join(errs...)
}
