package scenarios

import (
	"io"
	"os"
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

// TestModeECS: fluid mode runs an ECS service with a task-level CPU limit
// and refuses, naming the field, what it does not model (docs/fluid.md,
// "ECS services"); auto keeps request mode there and says why.
func TestModeECS(t *testing.T) {
	raw, err := os.ReadFile("examples/ecs-compare.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base, _, _ := strings.Cut(string(raw), "\nvariants:")
	base += "\nduration: 2h\n"
	shares := strings.Replace(base, "    workers: 4\n", "    workers: 4\n    cpu_limit: shares\n", 1)
	memory := strings.Replace(base, "    workers: 4\n", "    workers: 4\n    memory_used: {base_mib: 512, per_request_mib: 4}\n", 1)
	for _, tc := range []struct {
		name, yaml, mode string
		want             sim.Mode
		err              string
	}{
		{"task limit", base, "fluid", sim.FluidMode, ""},
		{"shares", shares, "fluid", 0, "cpu_limit: shares"},
		{"memory", memory, "fluid", 0, "memory_used"},
		{"shares auto", shares, "auto", sim.RequestMode, ""},
	} {
		sc, err := Parse("x.yaml", []byte(strings.Replace(tc.yaml, "duration: 24h\n", "", 1)), ".")
		if err == nil {
			err = sc.SetMode(tc.mode)
		}
		var cfg *sim.Config
		if err == nil {
			var closer io.Closer
			cfg, closer, err = sc.Build(nil)
			if closer != nil {
				closer.Close()
			}
		}
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "mode") {
				t.Errorf("%s: error %v, want one at mode naming %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if cfg.Mode != tc.want {
			t.Errorf("%s: mode %v, want %v", tc.name, cfg.Mode, tc.want)
		}
		if tc.mode == "auto" && !strings.Contains(sc.ModeNote(), "request mode (an ECS service with cpu_limit: shares") {
			t.Errorf("%s: auto note %q", tc.name, sc.ModeNote())
		}
	}
}
