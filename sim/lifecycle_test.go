package sim_test

import (
	"strings"
	"testing"

	"github.com/capsim/capsim/sim"
)

// fixed is a quiet fixed fleet of n for d, for lifecycle tests.
func fixed(n int, d sim.Time) *sim.Config {
	cfg := stepLoad(1)
	cfg.Traffic = &sim.ConstantRate{RPS: 100}
	cfg.Duration = d
	cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = n, n, n
	cfg.Fleet.Warmup = 0
	cfg.Scalers = nil
	cfg.HealthCheck.UnhealthyThreshold = 2
	return cfg
}

func activitiesWith(res *sim.Result, s string) int {
	n := 0
	for _, a := range res.Activities {
		if strings.Contains(a.Reason, s) {
			n++
		}
	}
	return n
}

// TestFailuresHeal: instances that fail are detected after the unhealthy
// threshold, terminated and replaced; requests on them are lost; the group
// returns to its size (docs/aws-model.md §1.8).
func TestFailuresHeal(t *testing.T) {
	cfg := fixed(4, 6*sim.Hour)
	cfg.Fleet.FailuresPerInstanceHour = 0.5
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	replaced := activitiesWith(res, "unhealthy")
	// 4 instances × 6 h × 0.5/h = 12 expected failures.
	if replaced < 5 || replaced > 22 {
		t.Errorf("%d replacements, want about 12", replaced)
	}
	if res.Launches != 4+replaced || res.Terminations != replaced {
		t.Errorf("launches %d, terminations %d for %d replacements", res.Launches, res.Terminations, replaced)
	}
	if res.Requests.Rejected == 0 {
		t.Error("failures lost no requests")
	}
	if got := res.Minutes[len(res.Minutes)-1].InService; got < 3 {
		t.Errorf("in service at the end: %d, the group did not heal", got)
	}
}

// TestScaleInProtection: with every instance protected, scale-in lowers
// desired capacity but terminates nothing, and says so.
func TestScaleInProtection(t *testing.T) {
	cfg := fixed(6, 30*sim.Minute)
	cfg.Fleet.Min = 1
	cfg.Fleet.ProtectFromScaleIn = true
	cfg.Scalers = []sim.Scaler{scripted{"in", after(5*sim.Minute, sim.Proposal{Want: sim.In, Desired: 2})}}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	last := res.Minutes[len(res.Minutes)-1]
	if last.Desired != 2 || last.InService != 6 || res.Terminations != 0 {
		t.Errorf("desired %d, in service %d, terminations %d; want 2, 6, 0", last.Desired, last.InService, res.Terminations)
	}
	if activitiesWith(res, "protected from scale-in") == 0 {
		t.Error("no note about protection")
	}
}

// TestLaunchHook: a hook's action delays InService by its duration; one
// that outlasts the heartbeat timeout with ABANDON terminates the instance
// and launches another (docs/aws-model.md §1.8).
func TestLaunchHook(t *testing.T) {
	run := func(d float64, abandon bool) *sim.Result {
		cfg := fixed(1, 2*sim.Hour)
		cfg.Fleet.Max = 3
		cfg.Fleet.LaunchHook = &sim.LifecycleHook{Duration: sim.Constant{Value: d}, HeartbeatTimeout: 30 * sim.Minute, Abandon: abandon}
		cfg.Scalers = []sim.Scaler{scripted{"out", after(sim.Minute, sim.Proposal{Want: sim.Out, Desired: 2})}}
		res, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, res)
		return res
	}
	ok := run(600, true)
	second := ok.Instances[1]
	// launched at 1m, booted at 2m, hook 10m, health checks 2 × 10 s.
	if want := 12*sim.Minute + 20*sim.Second; second.InService != want {
		t.Errorf("in service at %v, want %v", second.InService, want)
	}
	abandoned := run(3600, true)
	if abandoned.Launches < 4 || activitiesWith(abandoned, "ABANDON") == 0 {
		t.Errorf("ABANDON: %d launches, want a replacement every heartbeat timeout", abandoned.Launches)
	}
	cont := run(3600, false)
	if want := 2*sim.Minute + 30*sim.Minute + 20*sim.Second; cont.Instances[1].InService != want {
		t.Errorf("CONTINUE after the timeout: in service at %v, want %v", cont.Instances[1].InService, want)
	}
}

// TestMaxInstanceLifetime: instances older than the lifetime are replaced
// one at a time, and the group keeps its size.
func TestMaxInstanceLifetime(t *testing.T) {
	cfg := fixed(3, 5*sim.Hour)
	cfg.Fleet.MaxInstanceLifetime = 2 * sim.Hour
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	if n := activitiesWith(res, "maximum instance lifetime"); n < 3 {
		t.Errorf("%d lifetime replacements, want the 3 original instances (and maybe more) replaced", n)
	}
	for _, m := range res.Minutes[5:] {
		if m.InService+m.Pending < 2 {
			t.Fatalf("minute %v: only %d in service and %d pending: replaced more than one at a time", m.Start, m.InService, m.Pending)
		}
	}
}

// TestWarmPool: launching from a warm pool is faster than a cold launch,
// and the pool's waiting time is accounted for billing.
func TestWarmPool(t *testing.T) {
	inService := func(pool bool) sim.Time {
		cfg := fixed(2, 30*sim.Minute)
		cfg.Fleet.Max = 4
		cfg.Fleet.BootTime = sim.Constant{Value: 300}
		if pool {
			cfg.Fleet.WarmPool = &sim.WarmPool{BootTime: sim.Constant{Value: 20}}
		}
		cfg.Scalers = []sim.Scaler{scripted{"out", after(5*sim.Minute, sim.Proposal{Want: sim.Out, Desired: 4})}}
		res, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if pool && res.WarmPoolSeconds <= 0 {
			t.Error("no warm-pool time accounted")
		}
		return res.Instances[3].InService
	}
	cold, warm := inService(false), inService(true)
	if cold-warm != 280*sim.Second {
		t.Errorf("cold launch in service at %v, from the pool at %v: want 280 s sooner", cold, warm)
	}
}
