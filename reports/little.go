package reports

import "github.com/capsim/capsim/sim"

// inSystem is the summary's Little's-law block (Little 1961; InSystem).
func inSystem(r *sim.Result) InSystem {
	return InSystem{Mean: round(r.MeanInSystem, 4), LeftRPS: round(r.LeftRPS(), 4), MeanTimeMs: round(r.MeanSojournMs(), 3)}
}
