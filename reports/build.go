package reports

import (
	"math"
	"time"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// Input is everything a report needs about one run.
type Input struct {
	Name, Description string
	CapsimVersion     string
	Scenario          Scenario // the resolved scenario, written as-is under "scenario"
	Start             time.Time
	Result            *sim.Result
	Bill              pricing.Bill
	PriceSource       string
	PriceList         *pricing.Catalogue // the catalogue's source, date, region and OS
	// RPSPerInstance is the request rate one instance sustains at 100 % CPU
	// (vCPU × speed / mean service time), for the capacity line.
	RPSPerInstance float64
	SLO            SLOSpec
	// Demand is how the elasticity metrics turn load into demanded
	// instances (docs/elasticity.md); a zero PerInstanceRPS leaves them out.
	Demand DemandBasis
}

// Scenario is the resolved scenario a run was built from (a
// *scenarios.Scenario): written whole under "scenario", and asked what
// reports show from it.
type Scenario interface {
	// PolicyMetrics maps scaling policies' names to their metrics.
	PolicyMetrics() map[string]string
}

// SLOSpec holds the scenario's objectives; a nil limit is not checked.
type SLOSpec struct {
	P50Ms, P99Ms *float64
	ErrorRate    *float64 // (rejected + timed out) / total
}

// Build turns a run into its JSON document.
func Build(in Input) *Document {
	r := in.Result
	d := &Document{
		SchemaVersion: SchemaVersion,
		CapsimVersion: in.CapsimVersion,
		Name:          in.Name,
		Description:   in.Description,
		Seed:          r.Seed,
		Start:         in.Start.UTC().Format(time.RFC3339),
		Duration:      r.Duration.Duration().String(),
		Mode:          r.Mode.String(),
	}
	if in.Scenario != nil {
		d.Scenario, d.policyMetrics = in.Scenario, in.Scenario.PolicyMetrics()
	}
	s := &d.Summary
	s.Requests = Requests(r.Requests)
	s.LatencyMs = Latency{
		Mean: round(r.MeanLatencyMs(), 3),
		P50:  round(r.LatencyMs(50), 3), P90: round(r.LatencyMs(90), 3), P95: round(r.LatencyMs(95), 3),
		P99: round(r.LatencyMs(99), 3), P999: round(r.LatencyMs(99.9), 3), Max: round(r.LatencyMs(100), 3),
	}
	s.WaitMs = Wait{Mean: round(r.MeanWaitMs(), 3), P99: round(r.WaitMs(99), 3)}
	s.InSystem = inSystem(r)
	s.Instances = Instances{
		Peak: r.PeakInService, Mean: round(r.MeanInService, 3),
		InstanceHours: round(r.InstanceHours(), 4),
		Launches:      r.Launches, Terminations: r.Terminations,
	}
	s.Utilization.MeanCPUPercent = round(r.MeanCPU, 2)
	s.Cost = buildCost(in, r)
	s.SLO = checkSLO(in.SLO, d)
	s.Tasks = buildTasks(in, r)
	s.Deployments = buildDeployments(r, len(r.Instances) == 0)
	s.CapacityProviders = buildProviders(r, in.Bill)
	s.Elasticity = runElasticity(in)

	d.ScalingActivities = make([]Activity, 0, len(r.Activities))
	for _, a := range r.Activities {
		d.ScalingActivities = append(d.ScalingActivities, Activity{
			Time: stamp(in.Start, a.Time), Offset: a.Time.Duration().String(),
			Policy: a.Policy, From: a.From, To: a.To, Reason: a.Reason,
		})
	}
	for name, fps := range r.Forecasts {
		if d.Forecasts == nil {
			d.Forecasts = map[string][]ForecastRow{}
		}
		rows := make([]ForecastRow, 0, len(fps))
		for _, fp := range fps {
			row := ForecastRow{Time: stamp(in.Start, fp.Start), Load: round(fp.Load, 3), Capacity: fp.Capacity}
			if fp.Measured {
				v := round(fp.Actual, 3)
				row.Actual = &v
			}
			rows = append(rows, row)
		}
		d.Forecasts[name] = rows
	}
	if r.Resolution > sim.Minute {
		d.SeriesResolutionS = int(r.Resolution / sim.Second)
	}
	d.Timeseries = make([]Row, 0, len(r.Minutes))
	for i, m := range r.Minutes {
		row := Row{
			Time: stamp(in.Start, m.Start), Arrivals: m.Arrivals, Completed: m.Completed,
			Rejected: m.Rejected, TimedOut: m.TimedOut, InService: m.InService, Pending: m.Pending,
			Desired: m.Desired, CPUPercent: round(m.CPUPercent, 2),
			P50Ms: nullable(m.P50), P99Ms: nullable(m.P99),
			CapacityRPS: round(float64(m.InService)*in.RPSPerInstance, 3),
			InSystem:    round(m.InSystem, 4), MeanLatencyMs: nullable(m.MeanLatencyMs()),
		}
		long := d.SeriesResolutionS > 0
		if long {
			mean, cpuMax := round(m.InServiceMean, 3), round(m.CPUPercentMax, 2)
			peak, desired := m.InServiceMax, m.DesiredMax
			row.InServiceMean, row.InServiceMax, row.DesiredMax, row.CPUPercentMax = &mean, &peak, &desired, &cpuMax
			row.CapacityRPS = round(m.InServiceMean*in.RPSPerInstance, 3)
		}
		if m.ECS != nil {
			// The targets are tasks: RPSPerInstance is one task's rate.
			row.RowECS = rowECS(m.ECS, len(r.Instances) == 0)
			row.CapacityRPS = round(float64(m.ECS.TasksRunning)*in.RPSPerInstance, 3)
		}
		row.CostUSD = round(rowCost(in.Bill.PerMinute, r, i), 8)
		d.Timeseries = append(d.Timeseries, row)
	}
	s.Months = buildMonths(in, d)
	s.SavingsPlanCommitment = buildCommitment(in)
	return d
}

// rowCost is the bill's dollars in time-series row i: its minute's, or
// the sum over the minutes of a longer row.
func rowCost(perMinute []float64, r *sim.Result, i int) float64 {
	first := int(r.Minutes[i].Start / sim.Minute)
	n := max(1, int((r.RowSpan(i)+sim.Minute-1)/sim.Minute))
	var usd float64
	for m := first; m < first+n && m < len(perMinute); m++ {
		usd += perMinute[m]
	}
	return usd
}

func checkSLO(spec SLOSpec, d *Document) SLO {
	slo := SLO{Met: true, Checks: []SLOCheck{}}
	add := func(name string, value float64, limit *float64) {
		if limit == nil {
			return
		}
		c := SLOCheck{Name: name, Value: value, Limit: *limit, Met: value <= *limit}
		slo.Checks = append(slo.Checks, c)
		slo.Met = slo.Met && c.Met
	}
	add("p50_ms", d.Summary.LatencyMs.P50, spec.P50Ms)
	add("p99_ms", d.Summary.LatencyMs.P99, spec.P99Ms)
	rq := d.Summary.Requests
	if rq.Total > 0 {
		add("error_rate", round(float64(rq.Rejected+rq.TimedOut)/float64(rq.Total), 6), spec.ErrorRate)
	}
	return slo
}

func stamp(start time.Time, t sim.Time) string {
	return start.Add(t.Duration()).UTC().Format(time.RFC3339)
}

func nullable(ms float64) *float64 {
	if math.IsNaN(ms) {
		return nil
	}
	v := round(ms, 3)
	return &v
}

func roundMap(m map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = round(v, 6)
	}
	return out
}

// round keeps reports readable; the run is deterministic either way.
func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}
