package pricing

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/sim"
)

const m5Large = 0.096 // USD/h, docs/aws-model.md §5.4

func prices(t string) float64 {
	return map[string]float64{"m5.large": 0.096, "m5.xlarge": 0.192, "m5.2xlarge": 0.384, "c5.large": 0.085,
		"t3.large": 0.0835, "t3.nano": 0.0052, "m6i.large": 0.096}[t]
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*max(1, math.Abs(want)) {
		t.Errorf("%s = %.10f, want %.10f", what, got, want)
	}
}

func rec(typ string, from, to sim.Time) sim.InstanceRecord {
	return sim.InstanceRecord{Type: typ, Launch: from, Terminated: to, PurchaseOption: OptionOnDemand, VCPU: 2}
}

// TestBilledSecondsHourlyOS: RHEL and SUSE bill per started hour, Linux and
// Windows per second with a 60-s minimum (docs/aws-model.md §5.3).
func TestBilledSecondsHourlyOS(t *testing.T) {
	cases := []struct {
		os      string
		life    sim.Time
		running bool
		want    float64
	}{
		{OSLinux, 10 * sim.Second, false, 60},
		{OSWindows, 10 * sim.Second, false, 60},
		{OSLinux, 61 * sim.Minute, false, 3660},
		{OSRHEL, sim.Second, false, 3600},
		{OSRHEL, 61 * sim.Minute, false, 7200},
		{OSSUSE, sim.Hour, false, 3600},
		{OSSUSE, 90 * sim.Minute, true, 5400}, // still running: the simulated time
	}
	for _, c := range cases {
		r := rec("m5.large", 0, c.life)
		r.Running = c.running
		if got := BilledSeconds(c.os, r); got != c.want {
			t.Errorf("%s, %v, running %v: billed %g s, want %g", c.os, c.life, c.running, got, c.want)
		}
	}
}

// TestSpotFirstHour: a spot instance EC2 interrupts in its first hour is
// free; later, per second (Linux/Windows) or full hours only (SUSE/RHEL);
// one the user terminates pays per second (docs/aws-model.md §5.3, "Interrupted
// Spot billing").
func TestSpotFirstHour(t *testing.T) {
	cases := []struct {
		name        string
		os          string
		life        sim.Time
		interrupted bool
		want        float64 // billed seconds
	}{
		{"interrupted at 59m59s: free", OSLinux, 59*sim.Minute + 59*sim.Second, true, 0},
		{"interrupted at 1s: free", OSLinux, sim.Second, true, 0},
		{"interrupted at 61m: per second", OSLinux, 61 * sim.Minute, true, 3660},
		{"interrupted at 61m on SUSE: the full hour only", OSSUSE, 61 * sim.Minute, true, 3600},
		{"interrupted at 2h59m on RHEL: two hours", OSRHEL, 179 * sim.Minute, true, 7200},
		{"terminated by the user at 30m: per second", OSLinux, 30 * sim.Minute, false, 1800},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rec("m5.large", 0, c.life)
			r.PurchaseOption, r.Interrupted = OptionSpot, c.interrupted
			if got := BilledSeconds(c.os, r); got != c.want {
				t.Errorf("billed %g s, want %g", got, c.want)
			}
			half := 0.5
			b := Charge(Plan{OS: c.os, OnDemand: prices, Spot: SpotDiscount{Discount: &half, OnDemand: prices}},
				&sim.Result{Instances: []sim.InstanceRecord{r}, Duration: 4 * sim.Hour})
			near(t, "spot line", b.ByLine[LineSpot], c.want*m5Large*0.5/3600)
			checkLines(t, b)
		})
	}
}

// TestDefaultSpotRatio: without a discount, spot costs on-demand times the
// family's median ratio in the embedded 2022 sample (m5: 0.4296), else the
// overall median 0.374.
func TestDefaultSpotRatio(t *testing.T) {
	if got := DefaultSpotRatio("m5.large"); got != 0.4296 {
		t.Errorf("m5 ratio %g, want 0.4296", got)
	}
	if got := DefaultSpotRatio("zz9.large"); got != 0.374 {
		t.Errorf("unknown family ratio %g, want the overall median 0.374", got)
	}
	r := rec("m5.large", 0, sim.Hour)
	r.PurchaseOption = OptionSpot
	b := Charge(Plan{OnDemand: prices}, &sim.Result{Instances: []sim.InstanceRecord{r}, Duration: sim.Hour})
	near(t, "spot hour", b.TotalUSD, m5Large*0.4296)
	near(t, "by option", b.ByPurchaseOption[OptionSpot], m5Large*0.4296)
}

// TestSpotSeries: the price in effect is the latest change at or before
// the moment (docs/aws-model.md §6.2), per zone.
func TestSpotSeries(t *testing.T) {
	s, err := ReadSpotSeries(strings.NewReader("instance_type,availability_zone,timestamp,usd_per_hour\n" +
		"m5.large,us-east-1a,2026-03-02T00:30:00Z,0.04\n" +
		"m5.large,us-east-1a,2026-03-01T00:00:00Z,0.03\n" +
		"m5.large,us-east-1b,2026-03-01T00:00:00Z,0.05\n"))
	if err != nil {
		t.Fatal(err)
	}
	s.Start = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	r := rec("m5.large", 0, sim.Hour) // zone 0 = us-east-1a
	r.PurchaseOption = OptionSpot
	r2 := r
	r2.Zone = 1
	b := Charge(Plan{Start: s.Start, OnDemand: prices, Spot: s}, &sim.Result{Instances: []sim.InstanceRecord{r, r2}, Duration: sim.Hour})
	near(t, "spot", b.TotalUSD, 0.5*0.03+0.5*0.04+0.05)
	for _, bad := range []string{"", "instance_type,timestamp\n", "instance_type,timestamp,usd_per_hour\nm5.large,yesterday,1\n",
		"instance_type,timestamp,usd_per_hour\nm5.large,2026-03-01T00:00:00Z,-1\n", "instance_type,timestamp,usd_per_hour\n"} {
		if _, err := ReadSpotSeries(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadSpotSeries(%q): no error", bad)
		}
	}
}

// TestMixedSplit reproduces the table of docs/aws-model.md §1.10 (ASG-UG
// ec2-auto-scaling-mixed-instances-groups.md): percentages round up in
// favour of On-Demand.
func TestMixedSplit(t *testing.T) {
	cases := []struct{ total, base, pct, od, spot int }{
		{10, 10, 50, 10, 0}, {20, 10, 50, 15, 5}, {40, 10, 50, 25, 15},
		{10, 0, 60, 6, 4}, {20, 0, 60, 12, 8}, {40, 0, 60, 24, 16},
		{10, 12, 0, 10, 0}, {20, 12, 0, 12, 8}, {40, 12, 0, 12, 28},
		{3, 0, 50, 2, 1}, // 1.5 rounds up to On-Demand
		{0, 2, 50, 0, 0}, {5, 0, 100, 5, 0}, {5, 0, 0, 0, 5},
	}
	for _, c := range cases {
		od, spot := MixedSplit(c.total, c.base, c.pct)
		if od != c.od || spot != c.spot {
			t.Errorf("MixedSplit(total %d, base %d, %d %%) = OD %d / Spot %d, want OD %d / Spot %d", c.total, c.base, c.pct, od, spot, c.od, c.spot)
		}
	}
}

// TestReservedExample is AWS's example (docs/aws-model.md §5.3, EC2-UG
// concepts-reserved-instances-application.md): one RI and four instances
// of 15 minutes each in one clock-hour are fully covered.
func TestReservedExample(t *testing.T) {
	var recs []sim.InstanceRecord
	for i := range 4 {
		recs = append(recs, rec("m5.large", sim.Time(i)*15*sim.Minute, sim.Time(i+1)*15*sim.Minute))
	}
	ri := Reservation{Type: "m5.large", Count: 1, USDPerHour: 0.06}
	for _, flexible := range []bool{false, true} {
		ri.Flexible = flexible
		b := Charge(Plan{OnDemand: prices, Reserved: []Reservation{ri}}, &sim.Result{Instances: recs, Duration: sim.Hour})
		near(t, "on-demand line", b.ByLine[LineOnDemand], 0)
		near(t, "total", b.TotalUSD, 0.06)
		near(t, "RI use", b.ReservedUsedShare, 1)
		checkLines(t, b)
	}
	// A fifth quarter-hour in the same clock-hour is over 3600 s: on-demand.
	recs = append(recs, rec("m5.large", 0, 15*sim.Minute))
	b := Charge(Plan{OnDemand: prices, Reserved: []Reservation{ri}}, &sim.Result{Instances: recs, Duration: sim.Hour})
	near(t, "on-demand line", b.ByLine[LineOnDemand], 900*m5Large/3600)
}

// TestReservedSizeFlexibility: regional Linux RIs cover any size of their
// family by normalization factor, smallest size first (docs/aws-model.md §5.3,
// EC2-UG apply_ri.md).
func TestReservedSizeFlexibility(t *testing.T) {
	hour := func(types ...string) []sim.InstanceRecord {
		var out []sim.InstanceRecord
		for _, ty := range types {
			out = append(out, rec(ty, 0, sim.Hour))
		}
		return out
	}
	cases := []struct {
		name   string
		ri     Reservation
		usage  []sim.InstanceRecord
		wantOD float64
	}{
		{"one m5.xlarge RI (8 units) covers two m5.large (4 each)", Reservation{Type: "m5.xlarge", Count: 1, Flexible: true}, hour("m5.large", "m5.large"), 0},
		{"one m5.large RI covers half an m5.xlarge", Reservation{Type: "m5.large", Count: 1, Flexible: true}, hour("m5.xlarge"), 0.192 / 2},
		{"smallest first: the m5.large is covered, the m5.xlarge is not", Reservation{Type: "m5.large", Count: 1, Flexible: true}, hour("m5.xlarge", "m5.large"), 0.192},
		{"not flexible: an m5.xlarge RI does not cover m5.large", Reservation{Type: "m5.xlarge", Count: 1}, hour("m5.large"), 0.096},
		{"another family is not covered", Reservation{Type: "m5.2xlarge", Count: 1, Flexible: true}, hour("c5.large"), 0.085},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := Charge(Plan{OnDemand: prices, Reserved: []Reservation{c.ri}}, &sim.Result{Instances: c.usage, Duration: sim.Hour})
			near(t, "on-demand line", b.ByLine[LineOnDemand], c.wantOD)
			checkLines(t, b)
		})
	}
}

// TestReservedBilledUnused: RIs are billed every clock-hour whether used or
// not, and one the fleet never runs is a warning, not an error.
func TestReservedBilledUnused(t *testing.T) {
	ri := Reservation{Type: "m6i.large", Count: 2, USDPerHour: 0.06, Flexible: true}
	b := Charge(Plan{OnDemand: prices, Reserved: []Reservation{ri}}, &sim.Result{Instances: []sim.InstanceRecord{rec("m5.large", 0, 3*sim.Hour)}, Duration: 3 * sim.Hour})
	near(t, "RI line", b.ByLine[LineReserved], 2*0.06*3)
	near(t, "total", b.TotalUSD, 2*0.06*3+3*m5Large)
	near(t, "RI use", b.ReservedUsedShare, 0)
	if len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], "never ran the family m6i") {
		t.Errorf("warnings %q, want one about family m6i", b.Warnings)
	}
	checkLines(t, b)
}

// TestSavingsPlans: applied after RIs, EC2 Instance plans before Compute,
// highest savings first, unused commitment billed (docs/aws-model.md §5.3,
// sp-applying.html).
func TestSavingsPlans(t *testing.T) {
	oneHour := &sim.Result{Instances: []sim.InstanceRecord{rec("m5.large", 0, sim.Hour)}, Duration: sim.Hour}
	t.Run("partial cover: the rest is on-demand", func(t *testing.T) {
		sp := SavingsPlan{Kind: ComputeSP, USDPerHour: 0.05, Discount: 0.3}
		b := Charge(Plan{OnDemand: prices, SavingsPlans: []SavingsPlan{sp}}, oneHour)
		covered := 0.05 / (m5Large * 0.7) // hours of m5.large the $0.05 pays for
		near(t, "on-demand", b.ByLine[LineOnDemand], (1-covered)*m5Large)
		near(t, "total", b.TotalUSD, 0.05+(1-covered)*m5Large)
		checkLines(t, b)
	})
	t.Run("unused commitment is billed", func(t *testing.T) {
		sp := SavingsPlan{Kind: ComputeSP, USDPerHour: 1, Discount: 0.3}
		b := Charge(Plan{OnDemand: prices, SavingsPlans: []SavingsPlan{sp}}, oneHour)
		near(t, "total", b.TotalUSD, 1)
		near(t, "unused", b.ByInstanceType[UnusedSavingsPlan], 1-m5Large*0.7)
		near(t, "used share", b.SavingsPlanUsedShare, m5Large*0.7)
		checkLines(t, b)
	})
	t.Run("after RIs", func(t *testing.T) {
		sp := SavingsPlan{Kind: ComputeSP, USDPerHour: 0.05, Discount: 0.3}
		ri := Reservation{Type: "m5.large", Count: 1, USDPerHour: 0.06, Flexible: true}
		b := Charge(Plan{OnDemand: prices, SavingsPlans: []SavingsPlan{sp}, Reserved: []Reservation{ri}}, oneHour)
		near(t, "total", b.TotalUSD, 0.06+0.05)
		near(t, "SP used", b.SavingsPlanUsedShare, 0)
	})
	t.Run("EC2 Instance plan first", func(t *testing.T) {
		compute := SavingsPlan{Kind: ComputeSP, USDPerHour: 0.1, Discount: 0.5}
		ec2 := SavingsPlan{Kind: EC2InstanceSP, Family: "m5", USDPerHour: m5Large * 0.8, Discount: 0.2}
		b := Charge(Plan{OnDemand: prices, SavingsPlans: []SavingsPlan{compute, ec2}}, oneHour)
		// The EC2 Instance plan covers the whole hour; the Compute plan nothing.
		near(t, "on-demand", b.ByLine[LineOnDemand], 0)
		near(t, "unused", b.ByInstanceType[UnusedSavingsPlan], 0.1)
	})
	t.Run("highest savings percentage first", func(t *testing.T) {
		two := &sim.Result{Instances: []sim.InstanceRecord{rec("m5.large", 0, sim.Hour), rec("c5.large", 0, sim.Hour)}, Duration: sim.Hour}
		// c5.large saves 50 %, m5.large 25 %: c5 first, whatever the order.
		sp := SavingsPlan{Kind: ComputeSP, USDPerHour: 0.085 * 0.5, Rates: map[string]float64{"c5.large": 0.085 * 0.5, "m5.large": m5Large * 0.75}}
		b := Charge(Plan{OnDemand: prices, SavingsPlans: []SavingsPlan{sp}}, two)
		near(t, "on-demand", b.ByLine[LineOnDemand], m5Large)
		near(t, "c5 via the plan", b.ByInstanceType["c5.large"], 0.085*0.5)
		checkLines(t, b)
	})
}

// TestUnlimitedT3LargeExample is the EC2 user guide's example (docs/aws-model.md
// §5.2): a t3.large at 42.5 % CPU in unlimited mode costs what an m5.large
// does — $0.0835 + (42.5 − 30) % × 2 vCPU × $0.05 = $0.096 an hour.
func TestUnlimitedT3LargeExample(t *testing.T) {
	r := rec("t3.large", 0, 24*sim.Hour)
	r.CPUByMinute = make([]float32, 24*60)
	for i := range r.CPUByMinute {
		r.CPUByMinute[i] = 42.5
	}
	b := Charge(Plan{OnDemand: prices}, &sim.Result{Instances: []sim.InstanceRecord{r}, Duration: 24 * sim.Hour})
	near(t, "credits line", b.ByLine[LineCPUCredits], 0.0125*24)
	near(t, "total", b.TotalUSD, 0.096*24)
	near(t, "surplus credits", b.SurplusCredits, 15*24)
	// Standard mode: no charge.
	b = Charge(Plan{OnDemand: prices, CreditMode: Standard}, &sim.Result{Instances: []sim.InstanceRecord{r}, Duration: 24 * sim.Hour})
	near(t, "standard total", b.TotalUSD, 0.0835*24)
}

// TestCreditCapCharge: surplus beyond the 24-h earnings cap is charged at
// the end of each clock-hour, the rest at termination (docs/aws-model.md §5.2).
func TestCreditCapCharge(t *testing.T) {
	r := rec("t3.nano", 0, 48*sim.Hour) // earns 6/h, spends 120/h at 100 %
	r.CPUByMinute = make([]float32, 48*60)
	for i := range r.CPUByMinute {
		r.CPUByMinute[i] = 100
	}
	b := Charge(Plan{OnDemand: prices}, &sim.Result{Instances: []sim.InstanceRecord{r}, Duration: 48 * sim.Hour})
	near(t, "surplus credits", b.SurplusCredits, 114*48)
	// After hour 2 the surplus (228) is over the cap (144): 84 charged then.
	near(t, "minute 119", b.PerMinute[119]-prices("t3.nano")/60, 84*0.05/60)
	checkLines(t, b)
}

// TestCreditAccount: T2 launch credits and the cap (a t2.micro idle for
// 24 h holds 144 + 30 = 174), and standard mode holding to the baseline.
func TestCreditAccount(t *testing.T) {
	spec, _ := Credits("t2.micro")
	a := NewCreditAccount(spec, Standard)
	for range 24 * 60 {
		a.Step(0, 1)
	}
	near(t, "t2.micro idle a day", a.Balance+a.Launch, 174)
	spec, _ = Credits("t3.micro")
	a = NewCreditAccount(spec, Standard)
	if got := a.Step(100, 1); math.Abs(got-10) > 1e-9 {
		t.Errorf("t3.micro standard with no credits delivers %g %%, want the 10 %% baseline", got)
	}
	if !a.Exhausted() {
		t.Error("not exhausted")
	}
	if _, ok := Credits("m5.large"); ok || Burstable("m5.large") || !Burstable("t4g.2xlarge") {
		t.Error("Burstable is wrong")
	}
}

// TestExtraLines: EBS GB-months, ALB hours and LCUs, data out.
func TestExtraLines(t *testing.T) {
	res := &sim.Result{Instances: []sim.InstanceRecord{rec("m5.large", 0, 730*sim.Hour)}, Duration: 730 * sim.Hour}
	b := Charge(Plan{EBS: EBS{GBPerInstance: 8, USDPerGBMonth: DefaultEBSUSDPerGBMonth}}, res)
	near(t, "EBS month", b.ByLine[LineEBS], 8*0.08)

	res = &sim.Result{Duration: sim.Hour, Minutes: make([]sim.MinuteRow, 60)}
	res.Minutes[0].Arrivals = 25 * 3600 * 3 // 3 LCUs of new connections over the hour
	res.Minutes[0].Completed = 1024
	lb := LoadBalancerCost{Enabled: true, USDPerHour: DefaultALBUSDPerHour, USDPerLCUHour: DefaultALBUSDPerLCUHour, ResponseBytes: 1 << 20}
	b = Charge(Plan{LoadBalancer: lb, DataTransfer: DataTransfer{ResponseBytes: 1 << 20, USDPerGB: DefaultTransferUSDPerGB}}, res)
	near(t, "ALB", b.ByLine[LineLoadBalancer], 0.0225+3*0.008)
	near(t, "data out (1 GiB)", b.ByLine[LineDataTransfer], 0.09)
	checkLines(t, b)
}

// TestWhatIf: a flat m5.large for 10 hours with a 30 % Compute plan: the
// best commitment buys exactly the usage ($0.0672/h), and a plan pays off
// up to $0.096/h, the on-demand spend.
func TestWhatIf(t *testing.T) {
	res := &sim.Result{Instances: []sim.InstanceRecord{rec("m5.large", 0, 10*sim.Hour)}, Duration: 10 * sim.Hour}
	b := Charge(Plan{OnDemand: prices, WhatIfDiscount: 0.3}, res)
	w := b.WhatIf
	if w == nil {
		t.Fatal("no what-if")
	}
	near(t, "no plan", w.NoPlanUSD, 0.96)
	near(t, "best commitment", w.BestUSDPerHour, 0.0672)
	near(t, "best bill", w.BestUSD, 0.672)
	if math.Abs(w.BreakEvenUSDPerHour-0.096) > 1e-9 {
		t.Errorf("break-even %g, want 0.096", w.BreakEvenUSDPerHour)
	}
	if len(w.Points) < whatIfSteps {
		t.Errorf("%d points", len(w.Points))
	}
	near(t, "all on-demand, no commitments", w.AllOnDemandUSD, 0.96)
}

// TestWhatIfBaselines: with an RI in place, the what-if's two baselines
// differ: no Savings Plan keeps the RI (its $0.06/h fee and the usage it
// covers), all on-demand prices every instance-hour at the on-demand rate.
// Two m5.large for 10 hours, one RI and a $0.01/h Compute plan.
func TestWhatIfBaselines(t *testing.T) {
	res := &sim.Result{Instances: []sim.InstanceRecord{rec("m5.large", 0, 10*sim.Hour), rec("m5.large", 0, 10*sim.Hour)}, Duration: 10 * sim.Hour}
	ri := Reservation{Type: "m5.large", Count: 1, USDPerHour: 0.06}
	sp := SavingsPlan{Kind: ComputeSP, USDPerHour: 0.01, Discount: 0.3}
	b := Charge(Plan{OnDemand: prices, Reserved: []Reservation{ri}, SavingsPlans: []SavingsPlan{sp}, WhatIfDiscount: 0.3}, res)
	w := b.WhatIf
	near(t, "bill as charged", b.TotalUSD, 10*(0.06+0.01+(m5Large-0.01/0.7)))
	near(t, "no Savings Plan, RI kept", w.NoPlanUSD, 10*(0.06+m5Large))
	near(t, "all on-demand", w.AllOnDemandUSD, 10*2*m5Large)
}

// TestChargeAdditive: random fleets under every rule — lines add up to the
// total, per minute too, options and types to the instance lines; nothing
// is negative.
func TestChargeAdditive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	types := []string{"m5.large", "m5.xlarge", "c5.large", "t3.large"}
	for trial := range 50 {
		dur := sim.Time(1+rng.IntN(6)) * sim.Hour
		res := &sim.Result{Duration: dur, Minutes: make([]sim.MinuteRow, int(dur/sim.Minute))}
		for i := range res.Minutes {
			res.Minutes[i].Arrivals = int64(rng.IntN(5000))
			res.Minutes[i].Completed = res.Minutes[i].Arrivals
		}
		for range 1 + rng.IntN(20) {
			from := sim.Time(rng.Int64N(int64(dur)))
			to := min(dur, from+sim.Time(rng.Int64N(int64(2*sim.Hour))))
			r := rec(types[rng.IntN(len(types))], from, to)
			r.Running = to == dur
			r.BusySeconds = rng.Float64() * (to - from).Seconds()
			if rng.IntN(3) == 0 {
				r.PurchaseOption, r.Interrupted = OptionSpot, rng.IntN(2) == 0
			}
			if Burstable(r.Type) {
				for m := from / sim.Minute; m*sim.Minute < to; m++ {
					r.CPUByMinute = append(r.CPUByMinute, float32(rng.Float64()*100))
				}
			}
			res.Instances = append(res.Instances, r)
		}
		p := Plan{
			Start: time.Date(2026, 3, 2, 0, 17, 30, 0, time.UTC), OS: []string{OSLinux, OSRHEL}[trial%2], OnDemand: prices,
			Reserved:       []Reservation{{Type: "m5.large", Count: 1, USDPerHour: 0.06, Flexible: true}, {Type: "c5.large", Count: 1, USDPerHour: 0.05}},
			SavingsPlans:   []SavingsPlan{{Kind: ComputeSP, USDPerHour: 0.1, Discount: 0.3}, {Kind: EC2InstanceSP, Family: "m5", USDPerHour: 0.05, Discount: 0.4}},
			EBS:            EBS{GBPerInstance: 8, USDPerGBMonth: 0.08},
			LoadBalancer:   LoadBalancerCost{Enabled: true, USDPerHour: 0.0225, USDPerLCUHour: 0.008, ResponseBytes: 2e4},
			DataTransfer:   DataTransfer{ResponseBytes: 2e4, USDPerGB: 0.09},
			WhatIfDiscount: 0.28,
		}
		b := Charge(p, res)
		checkLines(t, b)
		if b.IdleUSD < 0 || b.IdleUSD > b.InstancesUSD+1e-9 {
			t.Errorf("idle %g of %g", b.IdleUSD, b.InstancesUSD)
		}
		if w := b.WhatIf; w != nil && (w.BestUSD > w.NoPlanUSD+1e-9 || w.BreakEvenUSDPerHour < w.BestUSDPerHour-1e-9) {
			t.Errorf("what-if %+v", w)
		}
	}
}

// checkLines holds a bill to its invariants.
func checkLines(t *testing.T, b Bill) {
	t.Helper()
	sum := func(m map[string]float64) (s float64) {
		for k, v := range m {
			if v < -1e-12 {
				t.Errorf("%s is negative: %g", k, v)
			}
			s += v
		}
		return s
	}
	var perMin float64
	for m, v := range b.PerMinute {
		if v < -1e-12 {
			t.Fatalf("minute %d is negative: %g", m, v)
		}
		perMin += v
	}
	tol := 1e-9 * max(1, b.TotalUSD)
	if d := sum(b.ByLine) - b.TotalUSD; math.Abs(d) > tol {
		t.Errorf("lines sum to %g more than the total %g", d, b.TotalUSD)
	}
	if d := perMin - b.TotalUSD; math.Abs(d) > tol {
		t.Errorf("minutes sum to %g more than the total %g", d, b.TotalUSD)
	}
	if d := sum(b.ByPurchaseOption) - b.InstancesUSD; math.Abs(d) > tol {
		t.Errorf("purchase options sum to %g more than the instance lines %g", d, b.InstancesUSD)
	}
	if d := sum(b.ByInstanceType) - b.InstancesUSD; math.Abs(d) > tol {
		t.Errorf("types sum to %g more than the instance lines %g", d, b.InstancesUSD)
	}
	if b.TotalUSD < 0 {
		t.Errorf("total %g", b.TotalUSD)
	}
}

// BenchmarkChargeWeek bills a week of 200 instances (each relaunched every
// 6 hours) with RIs, Savings Plans and every extra line.
func BenchmarkChargeWeek(b *testing.B) {
	const week = 7 * 24 * sim.Hour
	res := &sim.Result{Duration: week, Minutes: make([]sim.MinuteRow, int(week/sim.Minute))}
	for i := range 200 {
		for from := sim.Time(i) * sim.Minute; from < week; from += 6 * sim.Hour {
			res.Instances = append(res.Instances, rec("m5.large", from, min(week, from+6*sim.Hour-sim.Minute)))
		}
	}
	p := Plan{OnDemand: prices, Reserved: []Reservation{{Type: "m5.large", Count: 50, USDPerHour: 0.06, Flexible: true}},
		SavingsPlans: []SavingsPlan{{Kind: ComputeSP, USDPerHour: 5, Discount: 0.3}}, EBS: EBS{GBPerInstance: 8, USDPerGBMonth: 0.08},
		LoadBalancer: LoadBalancerCost{Enabled: true, USDPerHour: 0.0225, USDPerLCUHour: 0.008}, WhatIfDiscount: 0.28}
	b.ReportAllocs()
	for b.Loop() {
		Charge(p, res)
	}
}
