package sim

import (
	"fmt"
	"time"
)

// Scaler is a scaling policy: given the group and the metric datapoints
// published so far, it says what capacity it wants now. It is a pure
// function of its inputs and its own state, with no I/O, so the same code
// runs in the simulator and in a live autoscaler (docs/architecture.md).
type Scaler interface {
	Name() string
	Evaluate(now Time, g *Group) Proposal
}

// Want is the direction a policy asks for.
type Want uint8

// The directions. Hold and NoData block a scale-in that needs every policy's
// agreement (docs/aws-model.md §1.5).
const (
	Hold   Want = iota // no change wanted
	Out                // wants more capacity
	In                 // wants less capacity
	NoData             // cannot decide: insufficient data
)

func (w Want) String() string {
	return [...]string{"hold", "out", "in", "insufficient data"}[w]
}

// Proposal is one policy's answer at one evaluation.
type Proposal struct {
	Want    Want
	Desired int    // the capacity wanted (for Out and In)
	Reason  string // why, in words a user would understand
	// NoScaleIn marks a policy that never scales in (DisableScaleIn), so
	// it has no vote on scale-in.
	NoScaleIn bool
	// Consensus marks target tracking: its scale-in needs the agreement of
	// every target-tracking policy that may scale in (docs/aws-model.md §1.5).
	Consensus bool
	// Blocked, with Want Hold, says why a policy that wanted to act did not
	// (in cooldown, ...); the engine records it as a non-decision.
	Blocked string

	// A scheduled action sets any of these (docs/aws-model.md §1.7).
	SetMin, SetMax, SetDesired *int
	// Predictive scaling sets a capacity floor (nil: no opinion) and, with
	// IncreaseMaxCapacity, a raised max (docs/aws-model.md §1.6).
	Floor    *int
	RaiseMax int
}

// InstanceView is one instance as a policy sees it (the HPA reads pods).
type InstanceView struct {
	ID        int
	VCPU      int
	InService Time    // when it entered service (0 if not yet)
	Ready     bool    // in service
	Warming   bool    // in service, inside its warm-up
	Started   Time    // launch time
	CPU       float64 // CPU % over the last metric period
	HasCPU    bool    // false until it has served a whole metric period
}

// Metric names a group metric the engine publishes.
type Metric uint8

// The metrics the engine publishes every metric period. Each datapoint
// carries the statistics CloudWatch would have for it (Datapoint).
const (
	MetricCPU                   Metric = iota // ASGAverageCPUUtilization: % per non-warming instance
	MetricRequestCountPerTarget               // ALBRequestCountPerTarget, per one-minute interval
	MetricRequestCount                        // ALB RequestCount: requests in the period
	MetricNetworkIn                           // ASGAverageNetworkIn: bytes in per non-warming instance
	MetricNetworkOut                          // ASGAverageNetworkOut: bytes out per non-warming instance
	MetricLatency                             // ALB TargetResponseTime, in ms, of requests completed in the period
	MetricErrors                              // requests rejected (503) or timed out in the period
	MetricBacklogPerInstance                  // queued requests per in-service instance at the period's end
	MetricMemory                              // ECSServiceAverageMemoryUtilization: % of reserved memory used per task (ECS with a memory model)
	numMetrics
)

var metricNames = [numMetrics]string{"cpu", "request_count_per_target", "request_count", "network_in",
	"network_out", "latency", "errors", "backlog_per_instance", "memory"}

func (m Metric) String() string {
	if m < numMetrics {
		return metricNames[m]
	}
	return fmt.Sprintf("metric(%d)", m)
}

// MetricByName finds a metric by its scenario name.
func MetricByName(name string) (Metric, bool) {
	for i, n := range metricNames {
		if n == name {
			return Metric(i), true
		}
	}
	return 0, false
}

// MetricNames lists the metric names, for error messages.
func MetricNames() []string { return metricNames[:] }

// MetricUser is implemented by scalers that say which metrics they read,
// so the engine measures only what is needed (latency percentiles cost a
// histogram per period). A scaler that implements it reads only those
// metrics: when every scaler does, the engine publishes datapoints for
// the metrics they name alone (readMetrics).
type MetricUser interface {
	Metrics() []Metric
}

// readMetrics says which metrics the scalers may read: those they name
// when every one of them is a MetricUser, otherwise all. Publishing a
// year of one-minute datapoints for a metric nobody reads is 525,600
// appends of it (docs/performance.md).
func readMetrics(ss []Scaler) (read [numMetrics]bool) {
	for _, s := range ss {
		mu, ok := s.(MetricUser)
		if !ok {
			for m := range read {
				read[m] = true
			}
			return read
		}
		for _, m := range mu.Metrics() {
			read[m] = true
		}
	}
	return read
}

func usesMetric(ss []Scaler, m Metric) bool {
	for _, s := range ss {
		if mu, ok := s.(MetricUser); ok {
			for _, x := range mu.Metrics() {
				if x == m {
					return true
				}
			}
		}
	}
	return false
}

// Datapoint is one published metric value for the period [Start, Start+period).
// Value is the metric's own statistic (the one target tracking uses:
// Average for per-instance metrics, Sum for counts); the others let an
// alarm pick the statistic it names (docs/aws-model.md §2.1).
type Datapoint struct {
	Start   Time
	Value   float64
	Missing bool // no data for this period (no instances, no requests)

	Sum, Min, Max float64
	Count         float64 // SampleCount: instances, requests, ...
	// Percentiles, for latency only (ms).
	P50, P90, P95, P99 float64
}

// Group is what a policy can see of the Auto Scaling group.
type Group struct {
	Min, Max  int
	Desired   int
	InService int // registered and healthy, including warming
	Warming   int // in service but still inside their warm-up
	Pending   int // launched, not yet in service
	Draining  int // deregistering, on their way out
	// Terminating counts the instances on their way out that still make
	// up current capacity on a scale-in: draining, or terminated but held
	// in Terminating:Wait by a lifecycle hook (docs/aws-model.md §1.3, §1.8).
	Terminating int
	// ActivityInProgress is true while instances are launching or
	// terminating; LastActivityEnd is when the last activity finished
	// (-1 before the first).
	ActivityInProgress bool
	LastActivityEnd    Time
	// Wall is the wall-clock time of now (scenario start + now), for
	// schedules.
	Wall time.Time
	// Instances are the group's launching and in-service instances. The
	// slice is valid during one Evaluate only: the engine reuses it for
	// the next evaluation, so a policy that keeps instances copies them.
	Instances []InstanceView
	// CapacityChanged is when in-service capacity last changed (an
	// instance entered service or left it). Datapoints that start earlier
	// were measured, at least in part, on another capacity.
	CapacityChanged Time
	Period          Time
	series          *[numMetrics][]Datapoint
	publishLag      Time
}

// NonWarming is the number of in-service instances past their warm-up: the
// instances whose metrics count (docs/aws-model.md §1.4).
func (g *Group) NonWarming() int { return g.InService - g.Warming }

// Datapoints returns the datapoints of m visible at now (published after the
// delay), oldest first. The slice is shared: do not modify it.
func (g *Group) Datapoints(m Metric, now Time) []Datapoint {
	s := g.series[m]
	n := len(s)
	for n > 0 && s[n-1].Start+g.Period+g.publishLag > now {
		n--
	}
	return s[:n]
}
