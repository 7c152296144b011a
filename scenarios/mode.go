package scenarios

import (
	"fmt"
	"time"

	"github.com/capsim/capsim/sim"
)

// Modes are the values of the scenario's mode key (docs/fluid.md).
var modes = []string{"request", "fluid", "auto"}

// FluidSpec tunes fluid mode.
type FluidSpec struct {
	Step Duration `yaml:"step" json:"step" jsonschema_description:"fluid mode's time step: 1s to 10s, dividing a minute (default 5s)"`
}

// mode checks the mode and fluid keys.
func (c *checker) mode() {
	s := c.s
	if s.Mode == "" && !c.has("mode") {
		return // request mode; the resolved scenario stays as it was
	}
	c.enum("mode", &s.Mode, "request", modes...)
	if s.Fluid != nil && c.has("fluid.step") {
		st := time.Duration(s.Fluid.Step)
		if st < time.Second || st > 10*time.Second || time.Minute%st != 0 {
			c.bad("fluid.step", "must be 1s to 10s and divide a minute (1, 2, 3, 4, 5, 6 or 10 s), got %v", st)
		}
	}
}

// SetMode overrides the scenario's mode (capsim run --mode).
func (s *Scenario) SetMode(m string) error {
	for _, v := range modes {
		if v == m {
			s.Mode = m
			return nil
		}
	}
	return fmt.Errorf("unknown mode %q (known: request, fluid, auto)", m)
}

// ModeNote says why auto mode picked the mode it did; empty otherwise.
func (s *Scenario) ModeNote() string { return s.modeNote }

// applyMode sets the run's mode; auto estimates the request count from
// a second pass over the traffic (cheap: it integrates the rate, it draws
// no request) and asks sim.ChooseMode.
func (s *Scenario) applyMode(cfg *sim.Config, seed uint64) error {
	if s.Fluid != nil {
		cfg.FluidStep = s.Fluid.Step.Sim()
	}
	switch s.Mode {
	case "fluid":
		if why := sim.FluidUnsupported(cfg); why != "" {
			return s.errorAt("mode", "fluid mode does not run %s: use mode request (or auto, which keeps request mode here)", why)
		}
		cfg.Mode = sim.FluidMode
	case "auto":
		expected := -1.0 // a request log: unknown, and fluid cannot replay it
		if cfg.Requests == nil {
			src, closer, err := s.trafficSource(seed)
			if err != nil {
				return err
			}
			expected = sim.ExpectedArrivals(src, cfg.Duration)
			closer.Close()
		}
		var why string
		cfg.Mode, why = sim.ChooseMode(cfg, expected)
		s.modeNote = fmt.Sprintf("mode auto: %s mode (%s)", cfg.Mode, why)
	}
	return nil
}
