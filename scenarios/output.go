package scenarios

import (
	"fmt"
	"time"

	"github.com/capsim/capsim/sim"
)

// OutputSpec tunes what a run writes (docs/outputs.md).
type OutputSpec struct {
	Resolution string `yaml:"resolution" json:"resolution" jsonschema_description:"time-series row length: auto (default: 1m, or 1h for runs longer than 7 days) or a duration of whole minutes dividing a day (1m, 5m, 15m, 1h, ...)"`
}

// AutoHourlyAfter is the run length above which resolution auto writes
// one time-series row an hour instead of a minute: a week of minutes is
// 10,080 rows (about 4 MB of JSON), a year 525,600 (over 200 MB); a week
// of hours is 168. Longer runs are about months and years, read in hours
// and months (docs/outputs.md).
const AutoHourlyAfter = 7 * 24 * time.Hour

// output checks the output key.
func (c *checker) output() {
	s := c.s
	if s.Output == nil || !c.has("output.resolution") {
		return
	}
	if _, err := parseResolution(s.Output.Resolution); err != nil {
		c.bad("output.resolution", "%v", err)
	}
}

// parseResolution reads "auto" (0) or a duration of whole minutes dividing
// a day.
func parseResolution(v string) (time.Duration, error) {
	if v == "" || v == "auto" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Minute || d%time.Minute != 0 || (24*time.Hour)%d != 0 {
		return 0, fmt.Errorf("resolution must be auto or whole minutes dividing a day (1m, 5m, 10m, 15m, 30m, 1h, 2h, ...), got %q", v)
	}
	return d, nil
}

// SetResolution overrides the scenario's output resolution (capsim run
// --resolution).
func (s *Scenario) SetResolution(v string) error {
	if _, err := parseResolution(v); err != nil {
		return err
	}
	if s.Output == nil {
		s.Output = &OutputSpec{}
	}
	s.Output.Resolution = v
	return nil
}

// Resolution is the run's time-series row length: the scenario's (or
// --resolution's) value, or for auto a minute, or an hour for runs longer
// than AutoHourlyAfter.
func (s *Scenario) Resolution() time.Duration {
	if s.Output != nil {
		if d, err := parseResolution(s.Output.Resolution); err == nil && d > 0 {
			return d
		}
	}
	if s.Duration.D() > AutoHourlyAfter {
		return time.Hour
	}
	return time.Minute
}

// applyOutput sets the run's resolution.
func (s *Scenario) applyOutput(cfg *sim.Config) {
	cfg.Resolution = sim.FromDuration(s.Resolution())
}
