package scenarios

import (
	"fmt"
	"time"

	"github.com/capsim/capsim/sim"
)

// Lifecycle holds the group's instance-lifecycle options (docs/aws-model.md
// §1.8), all optional.
type Lifecycle struct {
	LaunchHook    *Hook `yaml:"launch_hook,omitempty" json:"launch_hook,omitempty" jsonschema_description:"Pending:Wait while an action runs"`
	TerminateHook *Hook `yaml:"terminate_hook,omitempty" json:"terminate_hook,omitempty" jsonschema_description:"Terminating:Wait: the instance stays billed while the action runs"`
}

// Hook is a lifecycle hook: an action of some duration, bounded by the
// heartbeat timeout, after which the default result applies.
type Hook struct {
	Duration         DistSpec `yaml:"duration" json:"duration" jsonschema:"required" jsonschema_description:"how long the hook's action takes"`
	HeartbeatTimeout Duration `yaml:"heartbeat_timeout" json:"heartbeat_timeout" jsonschema_description:"30s–7200s (default 3600s)"`
	DefaultResult    string   `yaml:"default_result" json:"default_result" jsonschema:"enum=ABANDON,enum=CONTINUE" jsonschema_description:"on timeout (default ABANDON: on launch, terminate and replace)"`
}

// WarmPool is the group's warm pool of pre-initialised instances.
type WarmPool struct {
	MinSize     int      `yaml:"min_size" json:"min_size" jsonschema_description:"default 0"`
	MaxPrepared int      `yaml:"max_prepared,omitempty" json:"max_prepared,omitempty" jsonschema_description:"MaxGroupPreparedCapacity (default: the group's max)"`
	BootTime    DistSpec `yaml:"boot_time" json:"boot_time" jsonschema_description:"launch from the pool to running (default lognormal, median 20s, p99 40s)"`
	State       string   `yaml:"state" json:"state" jsonschema:"enum=stopped,enum=running,enum=hibernated" jsonschema_description:"default stopped: pays storage only while waiting"`
}

var defaultPoolBoot = DistSpec{Dist: "lognormal", Median: Duration(20 * time.Second), P99: Duration(40 * time.Second)}

// lifecycle checks and defaults fleet.lifecycle, fleet.warm_pool and the
// other lifecycle keys.
func (c *checker) lifecycle() {
	f := &c.s.Fleet
	for _, h := range []struct {
		path string
		hook *Hook
	}{{"fleet.lifecycle.launch_hook", f.Lifecycle.LaunchHook}, {"fleet.lifecycle.terminate_hook", f.Lifecycle.TerminateHook}} {
		if h.hook == nil {
			continue
		}
		c.dist(h.path+".duration", &h.hook.Duration, true)
		c.positiveDur(h.path+".heartbeat_timeout", &h.hook.HeartbeatTimeout, Duration(3600*time.Second))
		if t := h.hook.HeartbeatTimeout; c.has(h.path+".heartbeat_timeout") && (t < Duration(30*time.Second) || t > Duration(7200*time.Second)) {
			c.bad(h.path+".heartbeat_timeout", "must be between 30s and 7200s, as in AWS (got %s)", t)
		}
		c.enum(h.path+".default_result", &h.hook.DefaultResult, "ABANDON", "ABANDON", "CONTINUE")
	}
	if c.has("fleet.failures_per_instance_hour") && f.FailuresPerInstanceHour < 0 {
		c.bad("fleet.failures_per_instance_hour", "must not be negative, got %g", f.FailuresPerInstanceHour)
	}
	c.nonNegDur("fleet.max_instance_lifetime", &f.MaxInstanceLifetime, 0)
	if l := f.MaxInstanceLifetime; l > 0 && l < Duration(24*time.Hour) {
		c.bad("fleet.max_instance_lifetime", "must be 0 (off) or at least 24h, as in AWS (got %s)", l)
	}
	if wp := f.WarmPool; wp != nil {
		if wp.MinSize < 0 {
			c.bad("fleet.warm_pool.min_size", "must not be negative, got %d", wp.MinSize)
		}
		if wp.MaxPrepared < 0 {
			c.bad("fleet.warm_pool.max_prepared", "must not be negative, got %d", wp.MaxPrepared)
		}
		if !c.has("fleet.warm_pool.boot_time") {
			wp.BootTime = defaultPoolBoot
		} else {
			c.dist("fleet.warm_pool.boot_time", &wp.BootTime, true)
		}
		c.enum("fleet.warm_pool.state", &wp.State, "stopped", "stopped", "running", "hibernated")
	}
}

// buildLifecycle copies the lifecycle options into the engine's fleet.
func (s *Scenario) buildLifecycle(f *sim.FleetConfig) error {
	hook := func(h *Hook) (*sim.LifecycleHook, error) {
		if h == nil {
			return nil, nil
		}
		d, err := h.Duration.build()
		if err != nil {
			return nil, err
		}
		return &sim.LifecycleHook{Duration: d, HeartbeatTimeout: h.HeartbeatTimeout.Sim(), Abandon: h.DefaultResult != "CONTINUE"}, nil
	}
	var err error
	if f.LaunchHook, err = hook(s.Fleet.Lifecycle.LaunchHook); err != nil {
		return fmt.Errorf("fleet.lifecycle.launch_hook: %w", err)
	}
	if f.TerminateHook, err = hook(s.Fleet.Lifecycle.TerminateHook); err != nil {
		return fmt.Errorf("fleet.lifecycle.terminate_hook: %w", err)
	}
	f.FailuresPerInstanceHour = s.Fleet.FailuresPerInstanceHour
	f.ProtectFromScaleIn = s.Fleet.ProtectFromScaleIn
	f.MaxInstanceLifetime = s.Fleet.MaxInstanceLifetime.Sim()
	if wp := s.Fleet.WarmPool; wp != nil {
		boot, err := wp.BootTime.build()
		if err != nil {
			return fmt.Errorf("fleet.warm_pool.boot_time: %w", err)
		}
		f.WarmPool = &sim.WarmPool{MinSize: wp.MinSize, MaxPrepared: wp.MaxPrepared, BootTime: boot, State: wp.State}
	}
	return nil
}
