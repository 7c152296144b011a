package reports

// ModeText names the simulation mode for people, with the accuracy
// docs/fluid.md measured for fluid mode against request mode.
func ModeText(mode string) string {
	switch mode {
	case "fluid":
		return "fluid (queues in steps; vs request mode on the examples: cost within 2 %, p99 within 20 %; docs/fluid.md)"
	case "", "request":
		return "request (every request simulated)"
	}
	return mode
}
