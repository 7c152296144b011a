package reports

// Replicas says how a sweep row was replicated: the seeds, and the
// confidence intervals of the mean p99 and the mean cost
// (docs/ci.md, "Replications and seeds").
type Replicas struct {
	N          int      `json:"n"`
	Seeds      []uint64 `json:"seeds"`
	Confidence float64  `json:"confidence"`
	P99Ms      Interval `json:"p99_ms_interval"`
	CostUSD    Interval `json:"cost_usd_interval"`
}

// MeanRow is one run's comparison row over its replications: every number
// the mean of the replications' (peak instances: the highest), the SLO
// judged on the means as `capsim check` does (NewGateRun).
func MeanRow(docs []*Document, conf float64) (ComparisonRow, *Replicas) {
	rows := Compare("", docs).Table
	n := float64(len(rows))
	out := ComparisonRow{Name: rows[0].Name}
	rep := &Replicas{N: len(rows), Confidence: conf}
	var p99, cost []float64
	var el *Elasticity
	for i, r := range rows {
		out.Requests += r.Requests
		out.ErrorRate += r.ErrorRate / n
		out.P50Ms += r.P50Ms / n
		out.P99Ms += r.P99Ms / n
		out.PeakInstances = max(out.PeakInstances, r.PeakInstances)
		out.MeanInstances += r.MeanInstances / n
		out.CostUSD += r.CostUSD / n
		out.PerMillionRequestsUSD += r.PerMillionRequestsUSD / n
		p99, cost = append(p99, r.P99Ms), append(cost, r.CostUSD)
		rep.Seeds = append(rep.Seeds, docs[i].Seed)
		if e := r.Elasticity; e != nil {
			if el == nil {
				el = &Elasticity{DemandBasis: e.DemandBasis}
			}
			el.ThetaU += e.ThetaU / n
			el.ThetaO += e.ThetaO / n
			el.TauU += e.TauU / n
			el.TauO += e.TauO / n
			el.Upsilon += e.Upsilon / n
		}
	}
	out.Requests = int64(float64(out.Requests)/n + 0.5)
	out.Elasticity = el
	g := NewGateRun(out.Name, docs)
	out.SLOMet, out.SLOChecks = g.SLO.Met, g.SLO.Checks
	_, rep.P99Ms = MeanInterval(p99, conf)
	_, rep.CostUSD = MeanInterval(cost, conf)
	return out, rep
}
