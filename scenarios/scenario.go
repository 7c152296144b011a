package scenarios

import (
	"time"

	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/traces"
)

// Scenario is one scenario file (docs/scenario.md) as Go values. Parse fills
// every default in, so a parsed Scenario marshalled to JSON is the resolved
// scenario the JSON result carries. The yaml and json tag names are the
// file's key names: a user contract, never renamed.
type Scenario struct {
	Name        string    `yaml:"name" json:"name" jsonschema_description:"scenario name (default: the file name without its extension)"`
	Description string    `yaml:"description,omitempty" json:"description,omitempty"`
	Seed        uint64    `yaml:"seed" json:"seed" jsonschema_description:"random seed (default 1)"`
	Start       time.Time `yaml:"start" json:"start" jsonschema_description:"RFC 3339 wall clock of t = 0 (default: the trace start, else 1970-01-01T00:00:00Z)"`
	Duration    Duration  `yaml:"duration" json:"duration" jsonschema_description:"simulated time (default: the trace's length; required for synthetic traffic)"`

	Traffic       Traffic        `yaml:"traffic" json:"traffic" jsonschema:"required"`
	Workload      Workload       `yaml:"workload" json:"workload" jsonschema:"required"`
	InstanceTypes []InstanceSpec `yaml:"instance_types,omitempty" json:"instance_types,omitempty" jsonschema_description:"types the catalogue lacks, or overrides of catalogue types"`
	Fleet         Fleet          `yaml:"fleet" json:"fleet" jsonschema_description:"the Auto Scaling group: the targets, or with service the cluster's instances (not with launch_type fargate)"`
	// Service and CapacityProvider make the run an ECS service (docs/ecs.md).
	Service          *Service          `yaml:"service,omitempty" json:"service,omitempty" jsonschema_description:"an ECS service: its tasks are the load balancer's targets"`
	CapacityProvider *CapacityProvider `yaml:"capacity_provider,omitempty" json:"capacity_provider,omitempty" jsonschema_description:"ECS cluster auto scaling of fleet (launch_type ec2)"`
	// CapacityProviders are several Auto Scaling group capacity providers,
	// each with its own group, split by service.capacity_provider_strategy
	// (docs/ecs.md, "Several capacity providers"; ecs_providers.go).
	CapacityProviders []ProviderSpec `yaml:"capacity_providers,omitempty" json:"capacity_providers,omitempty" jsonschema_description:"launch_type ec2: several capacity providers, each with its own fleet and managed scaling (instead of fleet and capacity_provider)"`
	LoadBalancer      LoadBalancer   `yaml:"load_balancer" json:"load_balancer"`
	Scaling           Scaling        `yaml:"scaling" json:"scaling"`
	Metrics           Metrics        `yaml:"metrics" json:"metrics"`
	Pricing           Pricing        `yaml:"pricing" json:"pricing"`
	SLO               SLO            `yaml:"slo" json:"slo"`
	// Mode is how requests are simulated: request (default), fluid or
	// auto (docs/fluid.md).
	Mode  string     `yaml:"mode,omitempty" json:"mode,omitempty" jsonschema:"enum=request,enum=fluid,enum=auto" jsonschema_description:"request (default): every request simulated; fluid: queues advanced in steps, for months and years; auto: fluid for large runs where it is accurate"`
	Fluid *FluidSpec `yaml:"fluid,omitempty" json:"fluid,omitempty"`
	// Output tunes the outputs: the time series' resolution
	// (scenarios/output.go).
	Output *OutputSpec `yaml:"output,omitempty" json:"output,omitempty" jsonschema_description:"what a run writes: output.resolution, the time series' row length"`

	// Variants and Sweep are decoded and checked (names, field paths) but
	// not run yet.
	Variants []Variant `yaml:"variants,omitempty" json:"variants,omitempty"`
	Sweep    Sweep     `yaml:"sweep,omitempty" json:"sweep,omitempty"`

	file  string                         // name used in error messages
	dir   string                         // relative trace paths resolve against it
	trace *traces.TraceInfo              // the trace file's facts, found by Parse
	logs  *traces.LogStats               // a request log's skipped lines and gaps, found by Parse
	at    map[string]strictyaml.Position // field path → place in the file
	tree  map[string]any                 // the file as plain values, for variants
	// modeNote says what auto mode picked and why (ModeNote)
	modeNote string
}

// Traffic is the request rate: exactly one of Synthetic or Trace, then
// scaled and sped up, with arrivals spaced by Arrivals.
type Traffic struct {
	Synthetic *Synthetic `yaml:"synthetic,omitempty" json:"synthetic,omitempty"`
	Trace     *Trace     `yaml:"trace,omitempty" json:"trace,omitempty"`
	Scale     float64    `yaml:"scale" json:"scale" jsonschema_description:"multiply the rate (default 1)"`
	Speedup   float64    `yaml:"speedup" json:"speedup" jsonschema_description:"compress time: rate × speedup, times ÷ speedup (default 1)"`
	Arrivals  Arrivals   `yaml:"arrivals" json:"arrivals"`
}

// Arrivals says how arrivals are spaced within the rate.
type Arrivals struct {
	Process string  `yaml:"process" json:"process" jsonschema:"enum=poisson,enum=even,enum=gamma" jsonschema_description:"poisson (default), even, or gamma (a renewal process with coefficient of variation cv)"`
	CV      float64 `yaml:"cv,omitempty" json:"cv,omitempty" jsonschema_description:"coefficient of variation of inter-arrival times (gamma only, > 0)"`
}

// Synthetic is a request-rate shape: a rate function of the traffic's own
// time τ (before speedup), in requests per second. Wall-clock features (the
// diurnal peak, weekends) use start + τ in UTC.
//
//	constant  rps
//	ramp      from_rps + (to_rps − from_rps)·τ/T, T the traffic's length
//	diurnal   mean_rps·(1 + a·cos(2π(w − 14/24·P)/P)), a = (r−1)/(r+1),
//	          r = peak_to_trough, P = period (default 24h), w = wall-clock
//	          seconds since the Unix epoch: the peak falls at 14:00 of each
//	          period (14:00 UTC for 24h), the trough 12 h earlier, and the
//	          mean over a whole period is mean_rps.
//	weekly    diurnal × weekend_factor (default 0.6) on Saturdays and
//	          Sundays (UTC): mean_rps is the weekday mean.
//	spike     rps (default 0) under the spikes, which it requires.
//
// Any shape may add spikes (rps on top, from at to at + for, in τ) and
// noise: the shape (not the spikes) times a per-minute factor
// max(0, 1 + noise·Z), Z standard normal, drawn from the run's seed (the
// sim.StreamNoise stream keys one PCG stream per minute), so every variant
// of a scenario sees the same noise. The function is sampled once per
// simulated second, at the second's midpoint (sim.FuncRate).
//
// The parameters are pointers so that one that does not belong to the
// shape can be reported.
type Synthetic struct {
	Shape         string    `yaml:"shape" json:"shape" jsonschema:"required,enum=constant,enum=ramp,enum=diurnal,enum=weekly,enum=spike"`
	RPS           *float64  `yaml:"rps,omitempty" json:"rps,omitempty" jsonschema_description:"constant rate (constant), baseline under the spikes (spike)"`
	FromRPS       *float64  `yaml:"from_rps,omitempty" json:"from_rps,omitempty"`
	ToRPS         *float64  `yaml:"to_rps,omitempty" json:"to_rps,omitempty"`
	MeanRPS       *float64  `yaml:"mean_rps,omitempty" json:"mean_rps,omitempty"`
	PeakToTrough  *float64  `yaml:"peak_to_trough,omitempty" json:"peak_to_trough,omitempty" jsonschema_description:"peak rate ÷ trough rate, ≥ 1"`
	Period        *Duration `yaml:"period,omitempty" json:"period,omitempty" jsonschema_description:"diurnal cycle length (default 24h)"`
	WeekendFactor *float64  `yaml:"weekend_factor,omitempty" json:"weekend_factor,omitempty" jsonschema_description:"weekly: Saturday and Sunday rate ÷ weekday rate (default 0.6)"`
	Noise         float64   `yaml:"noise,omitempty" json:"noise,omitempty" jsonschema_description:"relative standard deviation of a per-minute multiplicative factor"`
	Spikes        []Spike   `yaml:"spikes,omitempty" json:"spikes,omitempty"`

	// Long horizons (scenarios/seasonality.go, docs/fluid.md): factors on
	// any shape.
	Growth             Growth    `yaml:"growth,omitempty" json:"growth,omitempty" jsonschema_description:"compound growth, like 20%/year"`
	YearlyPeakToTrough *float64  `yaml:"yearly_peak_to_trough,omitempty" json:"yearly_peak_to_trough,omitempty" jsonschema_description:"the yearly season's peak ÷ trough, ≥ 1 (default 1: no season)"`
	YearlyPeakDay      *int      `yaml:"yearly_peak_day,omitempty" json:"yearly_peak_day,omitempty" jsonschema_description:"day of the year of the season's peak, 1–366 (default 350, mid-December)"`
	Holidays           []Holiday `yaml:"holidays,omitempty" json:"holidays,omitempty"`
	// Resolution is how often the shape is sampled (default 1s); months
	// and years run faster at 1m or 1h.
	Resolution Duration `yaml:"resolution,omitempty" json:"resolution,omitempty" jsonschema_description:"the shape is sampled every resolution (default 1s; 1s to 24h)"`
}

// Spike adds RPS on top of the shape from At for For.
type Spike struct {
	At  Duration `yaml:"at" json:"at" jsonschema:"required"`
	RPS float64  `yaml:"rps" json:"rps" jsonschema:"required"`
	For Duration `yaml:"for" json:"for" jsonschema:"required"`
}

// Trace is a recorded traffic file: a request-rate series (rate-csv) or a
// request log (requests-csv, clf, alb) replayed by its timestamps.
type Trace struct {
	File        string   `yaml:"file" json:"file" jsonschema:"required" jsonschema_description:"path, relative to the scenario file's directory"`
	Format      string   `yaml:"format" json:"format" jsonschema:"required"`
	TimeColumn  string   `yaml:"time_column,omitempty" json:"time_column,omitempty" jsonschema_description:"header name of the time column (default: the first column)"`
	ValueColumn string   `yaml:"value_column,omitempty" json:"value_column,omitempty" jsonschema_description:"header name of the value column (default: the second column)"`
	Interval    Duration `yaml:"interval,omitempty" json:"interval,omitempty" jsonschema_description:"time one row covers (default: the first two rows' spacing)"`
	ValueIs     string   `yaml:"value_is,omitempty" json:"value_is,omitempty" jsonschema:"enum=count,enum=rate" jsonschema_description:"rate-csv: count: requests per interval (default); rate: requests per second"`

	// Request logs (requests-csv, clf, alb; see NewRequestLog) and gaps.
	DurationColumn string   `yaml:"duration_column,omitempty" json:"duration_column,omitempty" jsonschema_description:"requests-csv: a column of recorded service times (seconds or 250ms), for fit-workload"`
	Demand         *Demand  `yaml:"demand,omitempty" json:"demand,omitempty" jsonschema_description:"logs: each request's CPU demand = base + seconds_per_unit × column (default: sample workload.service_time)"`
	TimeZone       string   `yaml:"time_zone,omitempty" json:"time_zone,omitempty" jsonschema_description:"requests-csv: IANA zone of timestamps without one (default UTC)"`
	ReorderWindow  Duration `yaml:"reorder_window,omitempty" json:"reorder_window,omitempty" jsonschema_description:"logs: lines up to this much earlier than one before them are sorted into place (default 5s)"`
	MaxBadLines    int      `yaml:"max_bad_lines,omitempty" json:"max_bad_lines,omitempty" jsonschema_description:"logs: unparseable lines skipped (and counted) before giving up (default 0)"`
	Gaps           string   `yaml:"gaps,omitempty" json:"gaps,omitempty" jsonschema:"enum=zero,enum=skip,enum=interpolate" jsonschema_description:"a stretch of gap_threshold or more without data: zero traffic (default), skip it, or interpolate the rate across it"`
	GapThreshold   Duration `yaml:"gap_threshold,omitempty" json:"gap_threshold,omitempty" jsonschema_description:"shortest stretch without data that counts as a gap (default 5m)"`
	Spread         Duration `yaml:"spread,omitempty" json:"spread,omitempty" jsonschema_description:"logs: requests sharing a timestamp arrive evenly over this long after it (1s for whole-second logs; default 0s: all at once)"`
}

// Demand is a request log's model of each request's CPU demand (see
// traces.Demand): base + seconds_per_unit × the value of column.
type Demand struct {
	Column         string   `yaml:"column" json:"column" jsonschema:"required" jsonschema_description:"the numeric field that drives demand"`
	SecondsPerUnit float64  `yaml:"seconds_per_unit" json:"seconds_per_unit" jsonschema:"required" jsonschema_description:"CPU seconds per unit of the column"`
	Base           Duration `yaml:"base,omitempty" json:"base,omitempty" jsonschema_description:"CPU time every request takes (default 0s)"`
}

// Workload is what each request asks of an instance.
type Workload struct {
	ServiceTime DistSpec `yaml:"service_time" json:"service_time" jsonschema:"required" jsonschema_description:"CPU time per request on one vCPU of speed 1.0"`
	Timeout     Duration `yaml:"timeout" json:"timeout" jsonschema_description:"the client gives up waiting (default 30s)"`
	QueueLimit  int      `yaml:"queue_limit" json:"queue_limit" jsonschema_description:"waiting requests per instance; beyond it requests are rejected (default 1000)"`
}

// DistSpec is a distribution of durations:
//
//	{dist: exponential, mean}
//	{dist: lognormal, median, p99} or {dist: lognormal, mean, cv}
//	{dist: constant, value}
//	{dist: gamma, mean, cv}
//	{dist: erlang, k, mean}
//	{dist: empirical, file}
type DistSpec struct {
	Dist   string   `yaml:"dist" json:"dist" jsonschema:"required,enum=exponential,enum=lognormal,enum=constant,enum=gamma,enum=erlang,enum=empirical"`
	Mean   Duration `yaml:"mean,omitempty" json:"mean,omitempty"`
	Median Duration `yaml:"median,omitempty" json:"median,omitempty"`
	P99    Duration `yaml:"p99,omitempty" json:"p99,omitempty"`
	Value  Duration `yaml:"value,omitempty" json:"value,omitempty"`
	CV     float64  `yaml:"cv,omitempty" json:"cv,omitempty"`
	K      int      `yaml:"k,omitempty" json:"k,omitempty"`
	File   string   `yaml:"file,omitempty" json:"file,omitempty" jsonschema_description:"empirical: a file of durations, one a line (seconds or 250ms), relative to the scenario file"`

	samples *traces.Empirical // dist empirical: the file's durations, read by Parse
}

// InstanceSpec is an inline instance type. A name the catalogue knows is
// overridden field by field; a new name needs vcpu and usd_per_hour.
type InstanceSpec struct {
	Name       string   `yaml:"name" json:"name" jsonschema:"required"`
	VCPU       *int     `yaml:"vcpu,omitempty" json:"vcpu,omitempty"`
	MemoryGiB  *float64 `yaml:"memory_gib,omitempty" json:"memory_gib,omitempty"`
	Speed      *float64 `yaml:"speed,omitempty" json:"speed,omitempty" jsonschema_description:"relative per-vCPU speed (default 1)"`
	USDPerHour *float64 `yaml:"usd_per_hour,omitempty" json:"usd_per_hour,omitempty"`
}

// Fleet is the EC2 Auto Scaling group.
type Fleet struct {
	InstanceType        string   `yaml:"instance_type" json:"instance_type" jsonschema:"required"`
	Min                 int      `yaml:"min" json:"min" jsonschema:"required"`
	Max                 int      `yaml:"max" json:"max" jsonschema:"required"`
	Desired             int      `yaml:"desired" json:"desired" jsonschema_description:"initial desired capacity (default min)"`
	BootTime            DistSpec `yaml:"boot_time" json:"boot_time" jsonschema_description:"launch to running (default lognormal, median 90s, p99 180s)"`
	Warmup              Duration `yaml:"warmup" json:"warmup" jsonschema_description:"DefaultInstanceWarmup (default 300s)"`
	HealthCheckGrace    Duration `yaml:"health_check_grace" json:"health_check_grace" jsonschema_description:"default 300s"`
	Zones               int      `yaml:"zones" json:"zones" jsonschema_description:"availability zones (default 3)"`
	TerminationPolicies []string `yaml:"termination_policies" json:"termination_policies" jsonschema_description:"applied in order; Default must be last (default [Default])"`

	// Lifecycle options (docs/aws-model.md §1.8); see lifecycle.go.
	Lifecycle               Lifecycle `yaml:"lifecycle,omitempty" json:"lifecycle,omitempty"`
	FailuresPerInstanceHour float64   `yaml:"failures_per_instance_hour,omitempty" json:"failures_per_instance_hour,omitempty" jsonschema_description:"random instance failures; the group detects and replaces them (default 0)"`
	ProtectFromScaleIn      bool      `yaml:"protect_from_scale_in,omitempty" json:"protect_from_scale_in,omitempty" jsonschema_description:"NewInstancesProtectedFromScaleIn"`
	MaxInstanceLifetime     Duration  `yaml:"max_instance_lifetime,omitempty" json:"max_instance_lifetime,omitempty" jsonschema_description:"0 (off) or at least 24h"`
	WarmPool                *WarmPool `yaml:"warm_pool,omitempty" json:"warm_pool,omitempty"`

	// Purchase options (docs/aws-model.md §1.10, §5.3); see purchase.go.
	InstancesDistribution    *InstancesDistribution `yaml:"instances_distribution,omitempty" json:"instances_distribution,omitempty" jsonschema_description:"on-demand base and percentage above it; the rest runs on spot"`
	SpotInterruptionsPerHour float64                `yaml:"spot_interruptions_per_hour,omitempty" json:"spot_interruptions_per_hour,omitempty" jsonschema_description:"rate at which EC2 reclaims each spot instance (2-minute notice)"`
	CapacityRebalance        bool                   `yaml:"capacity_rebalance,omitempty" json:"capacity_rebalance,omitempty" jsonschema_description:"launch the replacement at the notice, not after the termination"`
	// SpotInstanceDraining applies to an ECS cluster's instances only.
	SpotInstanceDraining bool `yaml:"spot_instance_draining,omitempty" json:"spot_instance_draining,omitempty" jsonschema_description:"ECS service on EC2: ECS_ENABLE_SPOT_INSTANCE_DRAINING (default false): at a spot notice the instance drains and the service replaces its tasks"`
}

// LoadBalancer is the ALB target group in front of the fleet.
type LoadBalancer struct {
	Algorithm           string      `yaml:"algorithm" json:"algorithm" jsonschema_description:"default round_robin"`
	Overhead            Duration    `yaml:"overhead" json:"overhead" jsonschema_description:"added to every request's latency (default 1ms)"`
	HealthCheck         HealthCheck `yaml:"health_check" json:"health_check"`
	DeregistrationDelay Duration    `yaml:"deregistration_delay" json:"deregistration_delay" jsonschema_description:"default 300s"`
	SlowStart           Duration    `yaml:"slow_start" json:"slow_start" jsonschema_description:"linear ramp of a new target's share: 0s (off) or 30s–900s; not with least_outstanding_requests"`
	CrossZone           *bool       `yaml:"cross_zone,omitempty" json:"cross_zone,omitempty" jsonschema_description:"cross-zone load balancing (default true, as on an ALB); false: each zone's node routes to its own zone only"`
}

// HealthCheck is the target group's health check.
type HealthCheck struct {
	Interval           Duration `yaml:"interval" json:"interval" jsonschema_description:"default 30s"`
	HealthyThreshold   int      `yaml:"healthy_threshold" json:"healthy_threshold" jsonschema_description:"default 5"`
	UnhealthyThreshold int      `yaml:"unhealthy_threshold" json:"unhealthy_threshold" jsonschema_description:"default 2"`
}

// Scaling holds the group's scaling policies; none means a fixed fleet.
type Scaling struct {
	Policies []Policy `yaml:"policies,omitempty" json:"policies,omitempty"`
	Guards   *Guards  `yaml:"guards,omitempty" json:"guards,omitempty" jsonschema_description:"limits on every dynamic scaling action (THROTTLE, PRICE)"`
}

// Policy is one scaling policy. Keys apply by type (each type's
// policyKind, policy_*.go, lists which); a key that does not apply is an
// error.
type Policy struct {
	Name string `yaml:"name" json:"name" jsonschema_description:"default: <type>-<metric>-<target> or <type>-<index>"`
	Type string `yaml:"type" json:"type" jsonschema:"required"`

	// target_tracking, predictive, hpa
	Metric    string  `yaml:"metric,omitempty" json:"metric,omitempty" jsonschema_description:"cpu, request_count_per_target, request_count, network_in, network_out, latency, errors, backlog_per_instance, memory (ECS with service.task.memory_used)"`
	Target    float64 `yaml:"target,omitempty" json:"target,omitempty"`
	Statistic string  `yaml:"statistic,omitempty" json:"statistic,omitempty" jsonschema_description:"target_tracking: Average (default), Sum, Minimum, Maximum, SampleCount, or p50/p90/p95/p99 for latency"`
	// Expression is metric math tracked instead of metric (target_tracking).
	Expression string `yaml:"expression,omitempty" json:"expression,omitempty" jsonschema_description:"target_tracking: metric math instead of metric, e.g. errors / request_count * 100"`

	// target_tracking
	DisableScaleIn     bool    `yaml:"disable_scale_in,omitempty" json:"disable_scale_in,omitempty"`
	ScaleOutDatapoints int     `yaml:"scale_out_datapoints,omitempty" json:"scale_out_datapoints,omitempty" jsonschema_description:"high alarm: this many of this many datapoints above target (default 3)"`
	ScaleInDatapoints  int     `yaml:"scale_in_datapoints,omitempty" json:"scale_in_datapoints,omitempty" jsonschema_description:"low alarm: this many of this many datapoints below scale_in_ratio × target (default 15)"`
	ScaleInRatio       float64 `yaml:"scale_in_ratio,omitempty" json:"scale_in_ratio,omitempty" jsonschema_description:"low alarm threshold ÷ target (default 0.7, as observed on EC2)"`

	// step, simple
	Alarm                  *AlarmSpec `yaml:"alarm,omitempty" json:"alarm,omitempty"`
	AdjustmentType         string     `yaml:"adjustment_type,omitempty" json:"adjustment_type,omitempty" jsonschema_description:"default ChangeInCapacity"`
	Steps                  []StepSpec `yaml:"steps,omitempty" json:"steps,omitempty" jsonschema_description:"step: bounds relative to the alarm threshold"`
	Adjustment             int        `yaml:"adjustment,omitempty" json:"adjustment,omitempty" jsonschema_description:"simple: the scaling adjustment"`
	MinAdjustmentMagnitude int        `yaml:"min_adjustment_magnitude,omitempty" json:"min_adjustment_magnitude,omitempty" jsonschema_description:"PercentChangeInCapacity only"`
	MetricAggregationType  string     `yaml:"metric_aggregation_type,omitempty" json:"metric_aggregation_type,omitempty" jsonschema_description:"step (default Average)"`
	Cooldown               *Duration  `yaml:"cooldown,omitempty" json:"cooldown,omitempty" jsonschema_description:"simple (default 300s)"`

	// scheduled
	Recurrence string     `yaml:"recurrence,omitempty" json:"recurrence,omitempty" jsonschema_description:"5-field cron, e.g. 0 8 * * MON-FRI"`
	TimeZone   string     `yaml:"time_zone,omitempty" json:"time_zone,omitempty" jsonschema_description:"IANA zone (default UTC)"`
	StartTime  *time.Time `yaml:"start_time,omitempty" json:"start_time,omitempty" jsonschema_description:"RFC 3339; a one-shot action fires then"`
	EndTime    *time.Time `yaml:"end_time,omitempty" json:"end_time,omitempty"`
	SetMin     *int       `yaml:"min,omitempty" json:"min,omitempty"`
	SetMax     *int       `yaml:"max,omitempty" json:"max,omitempty"`
	SetDesired *int       `yaml:"desired,omitempty" json:"desired,omitempty"`

	// predictive
	Mode                      string    `yaml:"mode,omitempty" json:"mode,omitempty" jsonschema:"enum=forecast_only,enum=forecast_and_scale" jsonschema_description:"default forecast_only, as AWS"`
	SchedulingBuffer          *Duration `yaml:"scheduling_buffer,omitempty" json:"scheduling_buffer,omitempty" jsonschema_description:"default 300s"`
	MaxCapacityBreachBehavior string    `yaml:"max_capacity_breach_behavior,omitempty" json:"max_capacity_breach_behavior,omitempty" jsonschema:"enum=HonorMaxCapacity,enum=IncreaseMaxCapacity"`
	MaxCapacityBuffer         int       `yaml:"max_capacity_buffer,omitempty" json:"max_capacity_buffer,omitempty" jsonschema_description:"percent, IncreaseMaxCapacity only"`

	// hpa
	Tolerance float64      `yaml:"tolerance,omitempty" json:"tolerance,omitempty" jsonschema_description:"default 0.1"`
	Behavior  *HPABehavior `yaml:"behavior,omitempty" json:"behavior,omitempty" jsonschema_description:"absent: the controller's legacy rules (scale-up at most max(2 × current, 4) per sync, 5-min downscale stabilization); present, even empty: the behavior rules with Kubernetes' defaults for what is left out"`
}

// Metrics is the CloudWatch-like metric pipeline.
type Metrics struct {
	Period       Duration `yaml:"period" json:"period" jsonschema_description:"60s detailed (default) or 300s basic monitoring; a multiple of 10s"`
	PublishDelay Duration `yaml:"publish_delay" json:"publish_delay" jsonschema_description:"default 60s"`
}

// SLO holds the service-level objectives the run is judged against; a nil
// field is not checked.
type SLO struct {
	P99       *Duration `yaml:"p99,omitempty" json:"p99,omitempty"`
	P50       *Duration `yaml:"p50,omitempty" json:"p50,omitempty"`
	ErrorRate *float64  `yaml:"error_rate,omitempty" json:"error_rate,omitempty" jsonschema_description:"largest share of requests rejected or timed out, 0–1"`
}

// Variant is the base scenario with some field paths set to new values.
type Variant struct {
	Name        string      `yaml:"name" json:"name" jsonschema:"required"`
	Description string      `yaml:"description,omitempty" json:"description,omitempty"`
	Set         Assignments `yaml:"set" json:"set" jsonschema:"required"`
}
