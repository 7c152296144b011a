package scenarios

import "github.com/capsim/capsim/traces"

// FitSpec is a fitted distribution as a scenario's service_time.
func FitSpec(f traces.Fit) DistSpec {
	switch f.Dist {
	case "lognormal":
		return DistSpec{Dist: "lognormal", Median: Duration(f.Median), P99: Duration(f.P99)}
	case "gamma":
		return DistSpec{Dist: "gamma", Mean: Duration(f.MeanParam), CV: f.CV}
	}
	return DistSpec{Dist: f.Dist}
}
