package sim

import (
	"math"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram bounds: latencies are recorded in microseconds from 1 µs to one
// hour with three significant digits; longer values are clamped to the top.
const (
	histMinMicros = 1
	histMaxMicros = 3600 * 1000 * 1000
	histSigFigs   = 3
)

func newHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(histMinMicros, histMaxMicros, histSigFigs)
}

// newMinuteHistogram is the per-minute histogram behind the time series'
// p50 and p99: two significant digits (1 % error) keep it at 12 KB, so
// resetting it every simulated minute costs nothing.
func newMinuteHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(histMinMicros, histMaxMicros, 2)
}

func recordMicros(h *hdrhistogram.Histogram, d Time) {
	us := int64(d / Microsecond)
	if us < histMinMicros {
		us = histMinMicros
	} else if us > histMaxMicros {
		us = histMaxMicros
	}
	_ = h.RecordValue(us) // cannot fail: the value is within bounds
}

// RequestCounts says how every request ended. Total = Completed + Rejected
// + TimedOut + InFlightAtEnd, always.
type RequestCounts struct {
	Total         int64 `json:"total"`
	Completed     int64 `json:"completed"`
	Rejected      int64 `json:"rejected"`
	TimedOut      int64 `json:"timed_out"`
	InFlightAtEnd int64 `json:"in_flight_at_end"`
}

// Conserved reports whether every request is accounted for exactly once.
func (c RequestCounts) Conserved() bool {
	return c.Total == c.Completed+c.Rejected+c.TimedOut+c.InFlightAtEnd
}

// Activity is one scaling decision, or a decision not taken and why.
type Activity struct {
	Time   Time   `json:"-"`
	At     string `json:"time"` // filled by the report from the scenario start
	Policy string `json:"policy"`
	From   int    `json:"from"`
	To     int    `json:"to"`
	Reason string `json:"reason"`
}

// InstanceRecord is one instance's life, for billing and reports.
type InstanceRecord struct {
	ID         int
	Type       string
	Zone       int
	Launch     Time
	InService  Time // 0 when it never got there
	Terminated Time // the run's end when still running
	Running    bool // still running at the end of the run
	// PurchaseOption is "on_demand" or "spot".
	PurchaseOption string
	// Interrupted is true for a spot instance EC2 reclaimed (billing treats
	// an interruption in the first hour as free, docs/aws-model.md §5.3).
	Interrupted bool
	VCPU        int
	Routed      int64 // requests the load balancer sent to it
	// BusySeconds is the vCPU-seconds the instance spent serving requests:
	// paid capacity minus BusySeconds is idle capacity.
	BusySeconds float64
	// CPUByMinute is the instance's CPU utilisation (0–100) in each minute
	// of the run it was running, starting with the minute of its launch
	// (for burstable-credit accounting).
	CPUByMinute []float32
	// Provider is the capacity provider whose group launched it, when an
	// ECS service has several ("" otherwise).
	Provider string
}

// MinuteRow is one row of the time series: a minute, or with
// Config.Resolution longer rows folded from the minutes (sim/series.go).
type MinuteRow struct {
	Start      Time
	Arrivals   int64
	Completed  int64
	Rejected   int64
	TimedOut   int64
	InService  int
	Pending    int
	Desired    int
	CPUPercent float64 // busy / capacity of in-service instances over the minute
	P50, P99   float64 // ms; NaN when nothing completed in the minute
	// InSystem is the time-average number of requests inside instances
	// (queued or in service) over the minute: Little's L (sim/little.go).
	InSystem float64
	// LatencySum is the end-to-end latency of the requests completed in
	// the minute, in seconds (MeanLatencyMs).
	LatencySum float64
	// ECS holds the tasks and cluster columns of an ECS run (nil otherwise).
	ECS *ECSMinute

	// Rows longer than a minute only (zero in minute rows): the gauges'
	// mean and peak over the row, and the busiest minute's CPU
	// (sim/series.go says how each is aggregated).
	InServiceMean float64
	InServiceMax  int
	DesiredMax    int
	CPUPercentMax float64
}

// Result is everything one run measured.
type Result struct {
	Mode     Mode // how requests were simulated (request or fluid)
	Seed     uint64
	Duration Time
	// Resolution is the length of a Minutes row (a minute, or
	// Config.Resolution); the last row may be shorter (RowSpan).
	Resolution Time
	Requests   RequestCounts

	Latency *hdrhistogram.Histogram // end to end, completed requests, µs
	Wait    *hdrhistogram.Histogram // queue wait of requests that got service, µs

	LatencySum   float64 // seconds, exact, for the mean
	WaitSum      float64 // seconds
	WaitCount    int64   // requests that started service
	SojournSum   float64 // seconds in an instance (wait + service), requests that left an instance
	SojournN     int64
	MeanInSystem float64 // time-average requests in instances (Little's L)

	PeakInService int
	MeanInService float64
	Launches      int
	Terminations  int
	MeanCPU       float64 // % busy of in-service capacity over the run

	// WarmPoolSeconds is instance-seconds spent waiting in the warm pool
	// (billed by the pool's state); the pool's initialisation runs appear
	// in Instances with PurchaseOption "warm_pool_init".
	WarmPoolSeconds float64

	Activities []Activity
	Minutes    []MinuteRow
	// Forecasts holds each predictive policy's hourly forecast, the
	// newest forecast for each hour, to set beside the actual load.
	Forecasts map[string][]ForecastPoint
	Instances []InstanceRecord
	// Tasks and TaskSummary describe an ECS service's tasks (nil otherwise);
	// Instances are then the cluster's container instances.
	Tasks       []TaskRecord
	TaskSummary *TaskSummary
	// Deployments are an ECS service's rolling updates (sim/ecs_deploy.go).
	Deployments []DeploymentRecord
	// Providers is each capacity provider's summary when the service has
	// several (nil otherwise), in strategy order.
	Providers []ProviderSummary
}

// RowSpan is the length of time-series row i: the resolution, or less for
// a last row cut short by the run's end.
func (r *Result) RowSpan(i int) Time {
	res := r.Resolution
	if res <= 0 {
		res = Minute
	}
	return max(0, min(res, r.Duration-r.Minutes[i].Start))
}

// LatencyMs returns the q-th percentile (0–100) of end-to-end latency in ms.
func (r *Result) LatencyMs(q float64) float64 { return quantileMs(r.Latency, q) }

// WaitMs returns the q-th percentile (0–100) of queue wait in ms.
func (r *Result) WaitMs(q float64) float64 { return quantileMs(r.Wait, q) }

// MeanLatencyMs is the exact mean end-to-end latency of completed requests.
func (r *Result) MeanLatencyMs() float64 {
	if r.Requests.Completed == 0 {
		return 0
	}
	return r.LatencySum / float64(r.Requests.Completed) * 1000
}

// MeanWaitMs is the exact mean queue wait of requests that got service.
func (r *Result) MeanWaitMs() float64 {
	if r.WaitCount == 0 {
		return 0
	}
	return r.WaitSum / float64(r.WaitCount) * 1000
}

// InstanceHours is the billed instance time: launch to termination.
func (r *Result) InstanceHours() float64 {
	var s Time
	for _, in := range r.Instances {
		s += in.Terminated - in.Launch
	}
	return s.Seconds() / 3600
}

func quantileMs(h *hdrhistogram.Histogram, q float64) float64 {
	if h == nil || h.TotalCount() == 0 {
		return 0
	}
	if q >= 100 {
		return float64(h.Max()) / 1000
	}
	return float64(h.ValueAtQuantile(q)) / 1000
}

func quantileOrNaN(h *hdrhistogram.Histogram, q float64) float64 {
	if h.TotalCount() == 0 {
		return math.NaN()
	}
	return float64(h.ValueAtQuantile(q)) / 1000
}
