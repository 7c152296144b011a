package reports

import (
	"math"

	"github.com/capsim/capsim/sim"
)

// Elasticity holds the SPEC Research Group's elasticity metrics of one run
// (docs/elasticity.md): how far, and how long, the in-service supply s
// missed the demanded capacity d, and how often it moved against it. All
// are percentages; 0 is perfect.
type Elasticity struct {
	ThetaU  float64 `json:"theta_u"` // under-provisioning accuracy: mean shortfall (d − s)⁺/d, %
	ThetaO  float64 `json:"theta_o"` // over-provisioning accuracy: mean excess (s − d)⁺/d, %
	TauU    float64 `json:"tau_u"`   // under-provisioning timeshare: % of time s < d
	TauO    float64 `json:"tau_o"`   // over-provisioning timeshare: % of time s > d
	Upsilon float64 `json:"upsilon"` // instability: % of time s and d do not change in the same direction
	// DemandBasis says how the demanded capacity was derived.
	DemandBasis DemandBasis `json:"demand_basis"`
}

// DemandBasis is how the load is turned into demanded instances:
// d = ⌈load ÷ PerInstanceRPS⌉ (docs/elasticity.md).
type DemandBasis struct {
	// PerInstanceRPS is the request rate one instance serves at the target
	// utilisation.
	PerInstanceRPS float64 `json:"per_instance_rps"`
	// TargetUtilizationPercent is the CPU utilisation PerInstanceRPS is
	// taken at; 0 when a request-count target defines PerInstanceRPS itself.
	TargetUtilizationPercent float64 `json:"target_utilization_percent"`
	// Source names the policy the target comes from, or "default".
	Source string `json:"source"`
}

// ElasticityOf computes the metrics over a series of steps: demand[t] and
// supply[t] are instances in step t, which lasts dt[t] (any unit; the
// metrics are ratios of times). The formulas, with T = Σ dt:
//
//	θU = 100 / T⁺ · Σ_{d_t>0} max(d_t − s_t, 0) / d_t · Δt_t
//	θO = 100 / T⁺ · Σ_{d_t>0} max(s_t − d_t, 0) / d_t · Δt_t
//	τU = 100 / T  · Σ [s_t < d_t] · Δt_t
//	τO = 100 / T  · Σ [s_t > d_t] · Δt_t
//	υ  = 100 / (T − Δt_1) · Σ_{t≥2} min(|sgn Δs_t − sgn Δd_t|, 1) · Δt_t
//
// where T⁺ is the time with d_t > 0 (a relative shortfall or excess is
// undefined without demand: those steps count only in τ), Δs_t = s_t −
// s_{t−1} and Δd_t = d_t − d_{t−1}. A metric with no time to average over
// is 0. It is a pure function: the caller fills DemandBasis.
func ElasticityOf(demand, supply []int, dt []float64) Elasticity {
	n := min(len(demand), len(supply), len(dt))
	var total, withDemand, under, over, shortfall, excess, unstable float64
	for t := range n {
		d, s, w := demand[t], supply[t], dt[t]
		total += w
		switch {
		case s < d:
			under += w
		case s > d:
			over += w
		}
		if d > 0 {
			withDemand += w
			shortfall += float64(max(d-s, 0)) / float64(d) * w
			excess += float64(max(s-d, 0)) / float64(d) * w
		}
		if t > 0 && sign(s-supply[t-1]) != sign(d-demand[t-1]) {
			unstable += w
		}
	}
	pct := func(part, whole float64) float64 {
		if whole <= 0 {
			return 0
		}
		return round(100*part/whole, 3)
	}
	e := Elasticity{
		ThetaU: pct(shortfall, withDemand), ThetaO: pct(excess, withDemand),
		TauU: pct(under, total), TauO: pct(over, total),
	}
	if n > 1 {
		e.Upsilon = pct(unstable, total-dt[0])
	}
	return e
}

// demandedInstances is the smallest whole number of instances that serves
// rps at perInstance requests per second each. The tolerance keeps a load
// of exactly k instances' worth at k despite float rounding (120 requests
// in a minute at 2 rps each is 1 instance, not 2).
func demandedInstances(rps, perInstance float64) int {
	if rps <= 0 || perInstance <= 0 {
		return 0
	}
	return int(math.Ceil(rps/perInstance - 1e-9))
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// runElasticity derives the per-minute demand from the run's arrivals and
// measures the in-service supply against it; nil when the basis gives no
// per-instance capacity. Each minute's load is its arrivals over its length
// (the last minute of a run may be shorter); its supply is the instances
// in service at the minute's end.
func runElasticity(in Input) *Elasticity {
	b := in.Demand
	r := in.Result
	if b.PerInstanceRPS <= 0 || r == nil {
		return nil
	}
	demand := make([]int, len(r.Minutes))
	supply := make([]int, len(r.Minutes))
	dt := make([]float64, len(r.Minutes))
	for i, m := range r.Minutes {
		length := r.RowSpan(i).Seconds()
		if length <= 0 {
			continue
		}
		dt[i] = length
		demand[i] = demandedInstances(float64(m.Arrivals)/length, b.PerInstanceRPS)
		supply[i] = m.InService
		if r.Resolution > sim.Minute {
			// A longer row's mean demand against its mean supply: coarser
			// than minutes (docs/elasticity.md).
			supply[i] = int(math.Round(m.InServiceMean))
		}
		if m.ECS != nil {
			supply[i] = m.ECS.TasksRunning // an ECS service's targets are its tasks
		}
	}
	e := ElasticityOf(demand, supply, dt)
	b.PerInstanceRPS = round(b.PerInstanceRPS, 6)
	e.DemandBasis = b
	return &e
}
