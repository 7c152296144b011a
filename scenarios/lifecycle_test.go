package scenarios

import (
	"strings"
	"testing"

	"github.com/capsim/capsim/sim"
)

// TestLifecycleKeys: the lifecycle keys reach the engine with AWS's
// defaults, and out-of-range values are reported where they stand.
func TestLifecycleKeys(t *testing.T) {
	s, err := Parse("l.yaml", []byte(valid+`  lifecycle:
    launch_hook: {duration: {dist: constant, value: 2m}}
  failures_per_instance_hour: 0.01
  protect_from_scale_in: true
  max_instance_lifetime: 48h
  warm_pool: {min_size: 1}
`), ".")
	if err != nil {
		t.Fatal(err)
	}
	cfg, c, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f := cfg.Fleet
	if f.LaunchHook == nil || f.LaunchHook.HeartbeatTimeout != 3600*sim.Second || !f.LaunchHook.Abandon {
		t.Errorf("launch hook %+v: want heartbeat 3600s and ABANDON by default", f.LaunchHook)
	}
	if f.FailuresPerInstanceHour != 0.01 || !f.ProtectFromScaleIn || f.MaxInstanceLifetime != 48*sim.Hour {
		t.Errorf("fleet %+v", f)
	}
	if f.WarmPool == nil || f.WarmPool.MinSize != 1 || f.WarmPool.State != "stopped" || f.WarmPool.BootTime == nil {
		t.Errorf("warm pool %+v", f.WarmPool)
	}

	for _, c := range []struct{ yaml, want string }{
		{"  max_instance_lifetime: 2h\n", "l.yaml:10:26: fleet.max_instance_lifetime: must be 0 (off) or at least 24h"},
		{"  lifecycle: {launch_hook: {duration: {dist: constant, value: 1s}, heartbeat_timeout: 10s}}\n", "fleet.lifecycle.launch_hook.heartbeat_timeout: must be between 30s and 7200s"},
		{"  warm_pool: {state: frozen}\n", "fleet.warm_pool.state: unknown state \"frozen\""},
		{"  failures_per_instance_hour: -1\n", "l.yaml:10:31: fleet.failures_per_instance_hour: must not be negative"},
	} {
		_, err := Parse("l.yaml", []byte(valid+c.yaml), ".")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.yaml, err, c.want)
		}
	}
}
