package sim_test

import (
	"math"
	"testing"

	"github.com/capsim/capsim/sim"
)

// split is AWS's mixed-instances rule with base 0 and 60 % on-demand above
// it, rounded in favour of on-demand (docs/aws-model.md §1.10).
func split(total int) int { return int(math.Ceil(float64(total) * 0.6)) }

func options(res *sim.Result) (od, spot, interrupted int) {
	for _, in := range res.Instances {
		switch in.PurchaseOption {
		case "on_demand":
			od++
		case "spot":
			spot++
		}
		if in.Interrupted {
			interrupted++
		}
	}
	return
}

// TestMixedSplit: a group of 10 under "base 0, 60 %" runs 6 on-demand and
// 4 spot instances, as in AWS's table.
func TestMixedSplit(t *testing.T) {
	cfg := fixed(10, 10*sim.Minute)
	cfg.Fleet.OnDemandFor = split
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if od, spot, _ := options(res); od != 6 || spot != 4 {
		t.Errorf("on-demand %d, spot %d; want 6 and 4", od, spot)
	}
}

// TestSpotInterruptions: reclaimed spot instances drain for the 2-minute
// notice and are replaced; the split holds; the records say which were
// interrupted (the first-hour billing rule needs it).
func TestSpotInterruptions(t *testing.T) {
	for _, rebalance := range []bool{false, true} {
		cfg := fixed(10, 4*sim.Hour)
		cfg.Fleet.OnDemandFor = split
		cfg.Fleet.SpotInterruptionsPerHour = 0.5
		cfg.Fleet.CapacityRebalance = rebalance
		res, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, res)
		od, spot, interrupted := options(res)
		// 4 spot instances × 4 h × 0.5/h ≈ 8 interruptions.
		if interrupted < 3 || interrupted > 16 {
			t.Errorf("rebalance=%v: %d interruptions, want about 8", rebalance, interrupted)
		}
		if od != 6 || spot != 4+interrupted {
			t.Errorf("rebalance=%v: %d on-demand, %d spot for %d interruptions: replacements must be spot", rebalance, od, spot, interrupted)
		}
		for _, in := range res.Instances {
			if in.Interrupted && !in.Running && in.Terminated-in.InService < 0 {
				t.Errorf("bad record %+v", in)
			}
		}
		minInService := 10
		for _, m := range res.Minutes {
			minInService = min(minInService, m.InService)
		}
		t.Logf("rebalance=%v: %d interruptions, lowest in service %d", rebalance, interrupted, minInService)
	}
}

// creditMeter is a toy credit account: balance, earning per minute, one
// credit per vCPU-minute at 100 %.
type creditMeter struct {
	balance, earn float64
	vcpu          float64
}

func (c *creditMeter) Step(util, frac float64) float64 {
	spend := c.vcpu * util / 100 * frac
	c.balance += c.earn*frac - spend
	if c.balance >= 0 {
		return util
	}
	deficit := -c.balance
	c.balance = 0
	return (spend - deficit) / (c.vcpu * frac) * 100
}
func (c *creditMeter) Exhausted() bool { return c.balance <= 0 }

// TestBurstableThrottling: a busy burstable instance in standard mode runs
// out of credits, drops to its baseline speed and latency rises; with
// credits to spare it never slows.
func TestBurstableThrottling(t *testing.T) {
	run := func(credits float64) *sim.Result {
		cfg := fixed(1, 2*sim.Hour)
		cfg.Traffic = &sim.ConstantRate{RPS: 120} // 60 % of 2 vCPUs at 10 ms
		cfg.Fleet.Type.Burstable = true
		cfg.Fleet.Credits = func() sim.CreditMeter { return &creditMeter{balance: credits, earn: 0.6, vcpu: 2} }
		cfg.Fleet.ThrottledSpeed = 0.8 // baseline 30 % would not keep up; 80 % still does, slowly
		res, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, res)
		return res
	}
	rich, poor := run(1e9), run(30)
	p50 := func(r *sim.Result, from int) float64 {
		var s float64
		n := 0
		for _, m := range r.Minutes[from:] {
			if !math.IsNaN(m.P50) {
				s += m.P50
				n++
			}
		}
		return s / float64(n)
	}
	// Spending 1.2 credits a minute against 0.6 earned, 30 credits last
	// about 50 minutes; after that service takes 10 ms / 0.8 = 12.5 ms.
	if r, p := p50(rich, 90), p50(poor, 90); p < r*1.2 {
		t.Errorf("median latency after the credits ran out: %.2f ms vs %.2f ms with credits to spare", p, r)
	}
	if r, p := p50(rich, 0)-p50(rich, 90), p50(poor, 0); math.Abs(r) > 0.5 || p <= p50(rich, 0) {
		t.Errorf("unexpected latencies: rich drift %.2f ms, poor %.2f ms", r, p)
	}
	if cpu := poor.Instances[0].CPUByMinute; len(cpu) == 0 || cpu[len(cpu)-1] < 59 {
		t.Errorf("CPU by minute %v: the actual CPU of a throttled instance stays its real use", cpu[len(cpu)-3:])
	}
}
