package reports

// ModeAccuracy is the report header's label of the mode with the accuracy
// docs/fluid.md measured for it (its accuracy table: fluid against request
// mode, same scenario and seed). Update it with that table.
func ModeAccuracy(mode string) string {
	switch mode {
	case "fluid":
		return "fluid: the queues advance in steps instead of one event per request. Measured against request mode (docs/fluid.md), " +
			"30 days of NASA traffic at 2,000 req/s: cost +0.3 %, mean instances +0.3 %, peak instances equal (45), scaling activities −0.5 %, p50 −0.1 %, p99 −12.2 %; " +
			"on the example scenarios cost −3.5 to +1.6 % and peak instances within 1. " +
			"A p99 made of an overload episode can miss by 90 % or more: read it as whether there was one."
	case "", "request":
		return "request: every request simulated, exact for the model (a run with another seed differs by the spread docs/fluid.md shows)."
	}
	return mode
}
