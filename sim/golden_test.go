package sim_test

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// featureRuns are short runs that each drive one part of the engine the
// example scenarios do not reach (warm pool, spot, hooks, failures, slow
// start, cross-zone off, lifetime, protection, scheduled and predictive
// actions, guards, CPU credits, timeouts, the terminating count).
func featureRuns() map[string]*sim.Config {
	runs := map[string]*sim.Config{}
	add := func(name string, edit func(c *sim.Config)) {
		c := stepLoad(3)
		edit(c)
		runs[name] = c
	}
	add("target-tracking", func(c *sim.Config) {})
	add("warm-pool", func(c *sim.Config) {
		c.Fleet.WarmPool = &sim.WarmPool{MinSize: 2, BootTime: sim.Constant{Value: 10}}
	})
	add("spot-rebalance", func(c *sim.Config) {
		c.Fleet.OnDemandFor = func(total int) int { return total / 2 }
		c.Fleet.SpotInterruptionsPerHour = 2
		c.Fleet.CapacityRebalance = true
	})
	add("spot-oldest", func(c *sim.Config) {
		c.Fleet.OnDemandFor = func(total int) int { return 1 }
		c.Fleet.SpotInterruptionsPerHour = 1
		c.Fleet.Termination = []string{"OldestInstance", "NewestInstance"}
	})
	add("hooks", func(c *sim.Config) {
		c.Fleet.LaunchHook = &sim.LifecycleHook{Duration: sim.Exponential{MeanSeconds: 60}, HeartbeatTimeout: 90 * sim.Second, Abandon: true}
		c.Fleet.TerminateHook = &sim.LifecycleHook{Duration: sim.Constant{Value: 30}}
	})
	add("failures", func(c *sim.Config) {
		c.Fleet.FailuresPerInstanceHour = 1
		c.Fleet.HealthCheckGrace = 60 * sim.Second
		c.HealthCheck.UnhealthyThreshold = 2
		c.Balancer = &policies.LeastOutstanding{}
	})
	add("slow-start-zonal", func(c *sim.Config) {
		c.SlowStart = 90 * sim.Second
		c.CrossZoneOff = true
		c.Balancer = &policies.LeastOutstanding{}
	})
	add("slow-start-weighted", func(c *sim.Config) {
		c.SlowStart = 90 * sim.Second
		c.Balancer = policies.WeightedRandom{}
	})
	add("lifetime", func(c *sim.Config) {
		c.Fleet.MaxInstanceLifetime = 40 * sim.Minute
	})
	add("protected", func(c *sim.Config) {
		c.Fleet.ProtectFromScaleIn = true
	})
	add("scheduled-predictive", func(c *sim.Config) {
		c.Scalers = append(c.Scalers,
			scripted{"sched", func(now sim.Time, _ *sim.Group) sim.Proposal {
				if now == 100*sim.Minute {
					return sim.Proposal{Want: sim.Hold, SetMin: intp(4), SetMax: intp(12), SetDesired: intp(5)}
				}
				return sim.Proposal{Want: sim.Hold}
			}},
			scripted{"predictive", after(20*sim.Minute, sim.Proposal{Want: sim.Hold, Floor: intp(3), RaiseMax: 11, Reason: "forecast"})})
	})
	add("guard-timeouts", func(c *sim.Config) {
		c.Guards = []sim.Guard{stepGuard{}}
		c.Timeout = 60 * sim.Millisecond
		c.QueueLimit = 20
		c.Service = sim.Exponential{MeanSeconds: 0.012}
		c.LBOverhead = sim.Millisecond
	})
	add("credits", func(c *sim.Config) {
		c.Fleet.Type.Burstable = true
		c.Fleet.Credits = func() sim.CreditMeter { return &bucket{credits: 20} }
		c.Fleet.ThrottledSpeed = 0.4
	})
	add("terminating-count", func(c *sim.Config) {
		c.Fleet.TerminateHook = &sim.LifecycleHook{Duration: sim.Constant{Value: 150}}
		c.DeregistrationDelay = 90 * sim.Second
		c.Service = sim.Exponential{MeanSeconds: 0.010}
		c.Scalers = append(c.Scalers, scripted{"probe", func(_ sim.Time, g *sim.Group) sim.Proposal {
			// The log records each change of the view's counts.
			return sim.Proposal{Want: sim.Hold, Blocked: fmt.Sprintf("%d pending, %d draining, %d terminating",
				g.Pending, g.Draining, g.Terminating)}
		}})
	})
	return runs
}

// goldenDigests are the digests of featureRuns computed by the engine
// before it was split into fleet, router, meter and merge (issue 11): first
// at f9a9fbd, then, as main changed the scaling reasons and added the
// terminating count, at main 2902106. The split changed no result. Print
// new ones with
//
//	CAPSIM_PRINT_DIGESTS=1 go test -run TestSameResults ./sim
//
// when a change of results is intended, and say so in the commit.
var goldenDigests = map[string]string{
	"credits":              "5ea8c22b17b14ab8126d345c18d1dd10f40d7134b1b0039dbd4dc30b080dd34e",
	"failures":             "10e2fc222f2f318bb1fc12108ce6424fe6baecaafbdbe9360f3d89d6b072f4eb",
	"guard-timeouts":       "b484f9ee8c6e84651625e9b6a356acd2cef8596987742a422830a1e4bff72bab",
	"hooks":                "6982863adf051a71bafce70465ad29c1249770e0ae5c7886ce8eb5781306184a",
	"lifetime":             "7056b3f1a753e7bdcf63cb5484ff090bb953960d1c9af1563ebaf2244ddb6e52",
	"protected":            "eb73d3d62beb1ccb0d6133877d376244a3128885c618c98b43502f898df137fb",
	"scheduled-predictive": "51c6acd59c565c87db4905a98d1429813ce5f22c3a2b45f8a456cb69e2210122",
	"slow-start-weighted":  "68af729c228b1b7e6275f48fb7381a2a3da5c0b93f35c67c968db74d459b7f1c",
	"slow-start-zonal":     "f29fed2b0a2f8885f68ed7da13d32a0bba3cac69b47304104fddf2af6740d60b",
	"spot-oldest":          "4cff31028769b0a812bc77e85d21772b83f216dc156ee72e2dfafc3d92c8fd6d",
	"spot-rebalance":       "9182d3714b04e1a7f069fb190ec20d01b6749a740fa1b223965b0dca59fe143a",
	"target-tracking":      "933cc2f2842edd2eca3308c4b4de234fc3e9010b4330f958a009d5f53c9581ac",
	"terminating-count":    "f0c86d4b604af10db013b47bf50c9a30b9191bbf29096572729bbbf55cef9505",
	"warm-pool":            "4408fe87bebbaa9037ebacca6cee2e4ec440c111802480a0b6766a868fe0f7b1",
}

func TestSameResults(t *testing.T) {
	runs := featureRuns()
	for _, name := range slices.Sorted(maps.Keys(runs)) {
		res, err := sim.Run(runs[name])
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, res)
		got := digest(res)
		if os.Getenv("CAPSIM_PRINT_DIGESTS") != "" {
			fmt.Printf("\t%q: %q,\n", name, got)
			continue
		}
		if want := goldenDigests[name]; got != want {
			t.Errorf("%s: results digest %s, want %s", name, got, want)
		}
	}
}

// digest hashes the fields of a result that existed when the digests were
// recorded, so a field added later does not change it.
func digest(r *sim.Result) string {
	h := sha256.New()
	p := func(format string, a ...any) { fmt.Fprintf(h, format, a...) }
	p("%+v %v %v %v %v %v %v\n", r.Requests, r.LatencySum, r.WaitSum, r.WaitCount, r.SojournSum, r.SojournN, r.MeanInSystem)
	p("%v %v %v %v %v %v\n", r.PeakInService, r.MeanInService, r.Launches, r.Terminations, r.MeanCPU, r.WarmPoolSeconds)
	hist(h, r.Latency.TotalCount(), r.LatencyMs)
	hist(h, r.Wait.TotalCount(), r.WaitMs)
	for _, a := range r.Activities {
		p("%d %s %d %d %s\n", a.Time, a.Policy, a.From, a.To, a.Reason)
	}
	for _, m := range r.Minutes {
		p("%d %d %d %d %d %d %d %d %v %v %v\n", m.Start, m.Arrivals, m.Completed, m.Rejected, m.TimedOut,
			m.InService, m.Pending, m.Desired, m.CPUPercent, m.P50, m.P99)
	}
	for _, in := range r.Instances {
		p("%d %s %d %d %d %d %v %s %v %d %d %v %v\n", in.ID, in.Type, in.Zone, in.Launch, in.InService, in.Terminated,
			in.Running, in.PurchaseOption, in.Interrupted, in.VCPU, in.Routed, in.BusySeconds, in.CPUByMinute)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func hist(h hash.Hash, n int64, q func(float64) float64) {
	fmt.Fprintf(h, "%d", n)
	for _, x := range []float64{0, 50, 90, 99, 99.9, 100} {
		fmt.Fprintf(h, " %v", q(x))
	}
	fmt.Fprintln(h)
}

// stepGuard allows one instance more or less per action.
type stepGuard struct{}

func (stepGuard) Limit(_, _ sim.Time, current, proposed int) (int, string) {
	switch {
	case proposed > current+1:
		return current + 1, "one instance at a time"
	case proposed < current-1:
		return current - 1, "one instance at a time"
	}
	return proposed, ""
}

// bucket is a crude credit account: it earns 1 credit a minute and spends
// util/25 a minute; empty, it delivers 25 %.
type bucket struct{ credits float64 }

func (b *bucket) Step(util, frac float64) float64 {
	b.credits += frac * (1 - util/25)
	if b.credits < 0 {
		b.credits = 0
		return min(util, 25)
	}
	b.credits = min(b.credits, 50)
	return util
}

func (b *bucket) Exhausted() bool { return b.credits <= 0 }
