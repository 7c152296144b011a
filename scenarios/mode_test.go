package scenarios

import (
	"strings"
	"testing"

	"github.com/capsim/capsim/sim"
)

func TestModeKeys(t *testing.T) {
	_, raw := Default()
	base := string(raw)
	for _, tc := range []struct {
		add  string
		mode sim.Mode
		step sim.Time
		err  string
	}{
		{"", sim.RequestMode, 0, ""},
		{"mode: request\n", sim.RequestMode, 0, ""},
		{"mode: fluid\n", sim.FluidMode, 0, ""},
		{"mode: fluid\nfluid: {step: 10s}\n", sim.FluidMode, 10 * sim.Second, ""},
		{"mode: fluid\nfluid: {step: 7s}\n", 0, 0, "fluid.step"},
		{"mode: fluid\nfluid: {step: 30s}\n", 0, 0, "fluid.step"},
		{"mode: flud\n", 0, 0, `did you mean "fluid"`},
		// The default scenario is about 10 M requests: under auto's threshold.
		{"mode: auto\n", sim.RequestMode, 0, ""},
	} {
		sc, err := Parse("x.yaml", []byte(base+tc.add), ".")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one with %q", tc.add, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.add, err)
		}
		cfg, closer, err := sc.Build(nil)
		if err != nil {
			t.Fatalf("%q: %v", tc.add, err)
		}
		closer.Close()
		if cfg.Mode != tc.mode || cfg.FluidStep != tc.step {
			t.Errorf("%q: mode %v step %v, want %v %v", tc.add, cfg.Mode, cfg.FluidStep, tc.mode, tc.step)
		}
		if strings.Contains(tc.add, "auto") && !strings.Contains(sc.ModeNote(), "request mode") {
			t.Errorf("auto note %q", sc.ModeNote())
		}
	}
}
