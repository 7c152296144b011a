package scenarios

import (
	"strings"
	"testing"

	"github.com/capsim/capsim/sim"
)

// TestOutputResolution: output.resolution sets the time series' row
// length; auto (or no key) is a minute up to 7 days and an hour beyond; a
// bad value is reported at its line and column; --resolution overrides.
func TestOutputResolution(t *testing.T) {
	_, raw := Default() // 24 hours
	base := string(raw)
	for _, tc := range []struct {
		add  string
		want sim.Time
		err  string
	}{
		{"", sim.Minute, ""},
		{"output: {resolution: auto}\n", sim.Minute, ""},
		{"output: {resolution: 1h}\n", sim.Hour, ""},
		{"output: {resolution: 15m}\n", 15 * sim.Minute, ""},
		{"output: {resolution: 7m}\n", 0, "x.yaml:"},
		{"output: {resolution: 30s}\n", 0, "output.resolution: resolution must be auto or whole minutes dividing a day"},
	} {
		src := base + tc.add
		sc, err := Parse("x.yaml", []byte(src), ".")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "output.resolution") {
				t.Errorf("%q: error %v, want one naming output.resolution with %q", tc.add, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.add, err)
		}
		cfg, closer, err := sc.Build(nil)
		if err != nil {
			t.Fatal(err)
		}
		closer.Close()
		if cfg.Resolution != tc.want {
			t.Errorf("%q: resolution %v, want %v", tc.add, cfg.Resolution, tc.want)
		}
	}
	// Longer than 7 days: auto is an hour; exactly 7 days is still minutes.
	for dur, want := range map[string]sim.Time{"168h": sim.Minute, "169h": sim.Hour} {
		sc, err := Parse("x.yaml", []byte(strings.Replace(base, "duration: 24h", "duration: "+dur, 1)), ".")
		if err != nil {
			t.Fatal(err)
		}
		if got := sim.FromDuration(sc.Resolution()); got != want {
			t.Errorf("%s: auto resolution %v, want %v", dur, got, want)
		}
		if err := sc.SetResolution("1m"); err != nil || sc.Resolution().Minutes() != 1 {
			t.Errorf("--resolution 1m: %v, %v", err, sc.Resolution())
		}
		if err := sc.SetResolution("90s"); err == nil {
			t.Error("--resolution 90s accepted")
		}
	}
}
