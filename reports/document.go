// Package reports turns simulation results into what people and pipelines
// read: the versioned JSON result (docs/result.md), the per-minute CSV time
// series, a self-contained HTML report and a terminal summary. It never
// simulates.
package reports

import "github.com/capsim/capsim/pricing"

// SchemaVersion is the version of the JSON result contract. Bump it when a
// key changes meaning or disappears; adding keys keeps it.
const SchemaVersion = "1.0"

// Document is one run's JSON result: the machine contract of docs/result.md.
// Key names are an interface users script against: add, never rename.
type Document struct {
	SchemaVersion string `json:"schema_version"`
	CapsimVersion string `json:"capsim_version"`
	Name          string `json:"name"`
	Description   string `json:"description,omitempty"`
	Scenario      any    `json:"scenario"` // the resolved scenario, defaults filled in
	// policyMetrics maps scaling policies to their metrics, from the
	// scenario (Input.Scenario, or its JSON when the document is read back).
	policyMetrics map[string]string
	Seed          uint64 `json:"seed"`
	Start         string `json:"start"`    // RFC 3339 wall clock of t = 0
	Duration      string `json:"duration"` // Go duration
	// Mode is how the requests were simulated: "request" (every request)
	// or "fluid" (queues in steps, docs/fluid.md).
	Mode string `json:"mode"`
	// SeriesResolutionS is the time series' row length in seconds when it
	// is not a minute (3600: hourly rows, the default for runs longer than
	// 7 days); absent for per-minute rows (docs/result.md).
	SeriesResolutionS int        `json:"series_resolution_s,omitempty"`
	Summary           Summary    `json:"summary"`
	ScalingActivities []Activity `json:"scaling_activities"`
	// Forecasts holds each predictive policy's hourly forecast beside the
	// load measured in that hour.
	Forecasts  map[string][]ForecastRow `json:"forecasts,omitempty"`
	Timeseries []Row                    `json:"timeseries"`
}

// Summary holds the run's headline numbers.
type Summary struct {
	Requests    Requests    `json:"requests"`
	LatencyMs   Latency     `json:"latency_ms"`
	WaitMs      Wait        `json:"wait_ms"`
	Instances   Instances   `json:"instances"`
	Utilization Utilization `json:"utilization"`
	Cost        Cost        `json:"cost"`
	SLO         SLO         `json:"slo"`
	InSystem    InSystem    `json:"in_system"`
	// Tasks is an ECS service's tasks (docs/ecs.md); absent otherwise.
	Tasks *Tasks `json:"tasks,omitempty"`
	// Deployments are an ECS service's rolling updates (docs/ecs.md,
	// "Deployments"); absent without any.
	Deployments []Deployment `json:"deployments,omitempty"`
	// CapacityProviders is each capacity provider's figures when an ECS
	// service has several (reports/ecs_providers.go); absent otherwise.
	CapacityProviders []CapacityProvider `json:"capacity_providers,omitempty"`
	// Elasticity is the SPEC RG elasticity metrics (docs/elasticity.md).
	Elasticity *Elasticity `json:"elasticity,omitempty"`
	// Months and SavingsPlanCommitment are the year report's figures, for
	// runs of at least MonthsFrom (reports/months.go, reports/commitment.go).
	Months                []Month                `json:"months,omitempty"`
	SavingsPlanCommitment *SavingsPlanCommitment `json:"savings_plan_commitment,omitempty"`
}

// InSystem is Little's law, L = λW (Little 1961), on the instances: Mean
// is the time-average number of requests inside them (queued or in
// service); LeftRPS the rate at which requests left one (served, or dropped
// after their timeout); MeanTimeMs their mean time inside. On a finite run
// Mean ≥ LeftRPS × MeanTimeMs / 1000, by the share of requests still inside
// at the end or cut off by a termination.
type InSystem struct {
	Mean       float64 `json:"mean"`
	LeftRPS    float64 `json:"left_rps"`
	MeanTimeMs float64 `json:"mean_time_ms"`
}

// Requests says how every request ended; the four outcomes add up to Total.
type Requests struct {
	Total         int64 `json:"total"`
	Completed     int64 `json:"completed"`
	Rejected      int64 `json:"rejected"`
	TimedOut      int64 `json:"timed_out"`
	InFlightAtEnd int64 `json:"in_flight_at_end"`
}

// Latency is end-to-end latency of completed requests, in milliseconds.
type Latency struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
}

// Wait is time queued before service, in milliseconds.
type Wait struct {
	Mean float64 `json:"mean"`
	P99  float64 `json:"p99"`
}

// Instances summarises the fleet. Peak and Mean count in-service instances;
// InstanceHours counts billed time (launch to termination).
type Instances struct {
	Peak          int     `json:"peak"`
	Mean          float64 `json:"mean"`
	InstanceHours float64 `json:"instance_hours"`
	Launches      int     `json:"launches"`
	Terminations  int     `json:"terminations"`
}

// Utilization is the share of in-service vCPU time spent serving requests.
type Utilization struct {
	MeanCPUPercent float64 `json:"mean_cpu_percent"`
}

// Cost is the run's bill. Maps are encoded with sorted keys, so the JSON is
// byte-for-byte reproducible.
type Cost struct {
	TotalUSD              float64            `json:"total_usd"`
	ByPurchaseOption      map[string]float64 `json:"by_purchase_option"`
	ByInstanceType        map[string]float64 `json:"by_instance_type"`
	PerMillionRequestsUSD float64            `json:"per_million_requests_usd"`
	MonthlyProjectionUSD  float64            `json:"monthly_projection_usd"` // total scaled to 730 hours
	PriceSource           string             `json:"price_source"`
	// Added with pricing.Charge (reports/cost.go): by_line adds up to
	// total_usd; by_purchase_option and by_instance_type add up to
	// instances_usd (the on_demand, spot, reserved_instances and
	// savings_plans lines).
	ByLine            map[string]float64 `json:"by_line"`
	InstancesUSD      float64            `json:"instances_usd"`
	Rates             CostRates          `json:"rates"`
	Idle              IdleCost           `json:"idle_capacity"`
	PriceList         PriceList          `json:"price_list"`
	Commitments       Commitments        `json:"commitments"`
	SavingsPlanWhatIf *pricing.WhatIf    `json:"savings_plan_what_if,omitempty"`
	Warnings          []string           `json:"warnings"`
}

// SLO is the verdict on the scenario's service-level objectives.
type SLO struct {
	Met    bool       `json:"met"`
	Checks []SLOCheck `json:"checks"`
}

// SLOCheck is one objective: the measured value against its limit.
type SLOCheck struct {
	Name  string  `json:"name"` // p99_ms, error_rate, ...
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
	Met   bool    `json:"met"`
}

// Activity is one scaling decision, or a decision not taken and why.
type Activity struct {
	Time   string `json:"time"` // RFC 3339
	Offset string `json:"offset"`
	Policy string `json:"policy"`
	From   int    `json:"from"`
	To     int    `json:"to"`
	Reason string `json:"reason"`
}

// Row is one minute of the time series. P50Ms and P99Ms are null in a
// minute in which no request completed.
type Row struct {
	Time        string   `json:"time"`
	Arrivals    int64    `json:"arrivals"`
	Completed   int64    `json:"completed"`
	Rejected    int64    `json:"rejected"`
	TimedOut    int64    `json:"timed_out"`
	InService   int      `json:"in_service"`
	Pending     int      `json:"pending"`
	Desired     int      `json:"desired"`
	CPUPercent  float64  `json:"cpu_percent"`
	P50Ms       *float64 `json:"p50_ms"`
	P99Ms       *float64 `json:"p99_ms"`
	CostUSD     float64  `json:"cost_usd"`
	CapacityRPS float64  `json:"capacity_rps"` // in-service instances × requests/s each sustains at 100 % CPU
	// InSystem is the time-average number of requests inside instances
	// over the minute (Little's L); MeanLatencyMs the mean end-to-end
	// latency of the requests completed in it, null when none did.
	InSystem      float64  `json:"in_system"`
	MeanLatencyMs *float64 `json:"mean_latency_ms"`
	// Rows longer than a minute (series_resolution_s) add their gauges'
	// mean and peak and the busiest minute's CPU; in_service, pending and
	// desired are then the values at the row's end, as a minute row's
	// are, and capacity_rps is from in_service_mean (sim/series.go).
	InServiceMean *float64 `json:"in_service_mean,omitempty"`
	InServiceMax  *int     `json:"in_service_max,omitempty"`
	DesiredMax    *int     `json:"desired_max,omitempty"`
	CPUPercentMax *float64 `json:"cpu_percent_max,omitempty"`
	// An ECS run adds its task and cluster columns (nil otherwise: the
	// embedded pointer's keys are then left out).
	*RowECS
}

// ForecastRow is one hour of a predictive policy's forecast. Load is the
// policy's metric × the instances it was measured on (CPU-percent-instances
// for cpu, requests per minute for request_count_per_target); Actual is
// null for hours not yet measured when the run ended.
type ForecastRow struct {
	Time     string   `json:"time"`
	Load     float64  `json:"load"`
	Actual   *float64 `json:"actual"`
	Capacity int      `json:"capacity"`
}
