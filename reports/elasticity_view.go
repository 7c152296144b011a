package reports

import "fmt"

// elasticityCompact is the metrics in one table cell: θU/θO, τU/τO and υ,
// all in percent (docs/elasticity.md); "–" when the run has none.
func elasticityCompact(e *Elasticity) string {
	if e == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f/%.1f %.0f/%.0f %.0f", e.ThetaU, e.ThetaO, e.TauU, e.TauO, e.Upsilon)
}

// elasticityLine is the metrics spelled out, for the run summary.
func elasticityLine(e *Elasticity) string {
	return fmt.Sprintf("θU %.1f %% θO %.1f %% (shortfall / excess), τU %.0f %% τO %.0f %% (time under / over), υ %.0f %% (instability); demand at %.4g rps per instance, %s",
		e.ThetaU, e.ThetaO, e.TauU, e.TauO, e.Upsilon, e.DemandBasis.PerInstanceRPS, e.DemandBasis.Source)
}

// elasticityHeader names the compact cell's columns.
const elasticityHeader = "θU/θO τU/τO υ %"
