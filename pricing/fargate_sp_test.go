package pricing

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/sim"
)

// The Compute Savings Plan rates below are synthetic, chosen for
// hand-computable bills: no AWS page capsim could read states Fargate's
// Savings Plan rate (docs/ecs.md "Fargate and Savings Plans"). The
// on-demand rates are DefaultFargateRates' x86_64 ones.
const (
	spVCPU = 0.03   // per vCPU-hour: 25.9 % off 0.04048
	spGB   = 0.0033 // per GB-hour: 25.8 % off 0.004445
)

var fgRates = map[string]float64{FargateVCPUHours: spVCPU, FargateGBHours: spGB}

// fgRun is a fixed Fargate task of 1 vCPU and 2 GB for the whole run,
// Spot or not, starting on a clock-hour.
func fgRun(hours int, spot bool) *sim.Result {
	d := sim.Time(hours) * sim.Hour
	return &sim.Result{Duration: d, Tasks: []sim.TaskRecord{{Placed: 0, Stopped: d, Host: -1, CPU: 1024, MemoryMiB: 2048, Fargate: true, Spot: spot}}}
}

func fgPlan(sps ...SavingsPlan) Plan {
	r := DefaultFargateRates["x86_64"]
	return Plan{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Fargate: &r, SavingsPlans: sps}
}

func close9(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestFargateComputeSavingsPlan: a Compute Savings Plan covers Fargate
// vCPU and memory usage each clock-hour at the plan's rates, highest
// savings percentage first, the rest at on-demand; the commitment is
// billed in full (https://aws.amazon.com/savingsplans/compute-pricing/,
// https://docs.aws.amazon.com/savingsplans/latest/userguide/sp-applying.html).
func TestFargateComputeSavingsPlan(t *testing.T) {
	od := DefaultFargateRates["x86_64"]
	for _, c := range []struct {
		commit, wantFargate float64
	}{
		// $0.02/h: vCPU first (25.9 % > 25.8 %): 0.02/0.03 = 2/3 of the
		// vCPU-hour covered; 1/3 vCPU-hour and the 2 GB-hours on demand.
		{0.02, 2 * ((1-0.02/spVCPU)*od.VCPUHour + 2*od.GBHour)},
		// $0.05/h ≥ 0.03 + 2 × 0.0033 = $0.0366: all covered, $0.0134 unused.
		{0.05, 0},
	} {
		b := Charge(fgPlan(SavingsPlan{Kind: ComputeSP, USDPerHour: c.commit, Rates: fgRates}), fgRun(2, false))
		if !close9(b.ByLine[LineSavingsPlans], 2*c.commit) || !close9(b.ByLine[LineFargate], c.wantFargate) || !close9(b.TotalUSD, 2*c.commit+c.wantFargate) {
			t.Errorf("commit %g: lines %v, want savings_plans %g fargate %g", c.commit, b.ByLine, 2*c.commit, c.wantFargate)
		}
		var perMinute float64
		for _, v := range b.PerMinute {
			perMinute += v
		}
		if !close9(perMinute, b.TotalUSD) || len(b.Warnings) != 0 {
			t.Errorf("commit %g: per-minute sum %g, total %g, warnings %v", c.commit, perMinute, b.TotalUSD, b.Warnings)
		}
		if used := min(c.commit, spVCPU+2*spGB) * 2; !close9(b.ByInstanceType[LineFargate], used) {
			t.Errorf("commit %g: by_instance_type[fargate] %g, want %g", c.commit, b.ByInstanceType[LineFargate], used)
		}
	}
}

// TestFargateSavingsPlanOrder: in one hour with an m5.large and a Fargate
// task, the plan covers the usage with the higher savings percentage
// first (https://docs.aws.amazon.com/savingsplans/latest/userguide/sp-applying.html).
func TestFargateSavingsPlanOrder(t *testing.T) {
	const odM5 = 0.096
	res := fgRun(1, false)
	res.Instances = []sim.InstanceRecord{{Type: "m5.large", VCPU: 2, Launch: 0, Terminated: sim.Hour, Running: true, PurchaseOption: OptionOnDemand}}
	fgOD := DefaultFargateRates["x86_64"]
	for _, c := range []struct {
		name                 string
		m5Rate               float64
		wantOnDemand, wantFG float64
	}{
		// m5 at 0.06 (37.5 % off) first: $0.06 of $0.07, $0.01 left
		// covers 1/3 vCPU-hour.
		{"ec2 first", 0.06, 0, (1-0.01/spVCPU)*fgOD.VCPUHour + 2*fgOD.GBHour},
		// m5 at 0.09 (6.25 % off) last: Fargate takes $0.0366, the
		// $0.0334 left covers 0.0334/0.09 of the m5 hour.
		{"fargate first", 0.09, (1 - (0.07-spVCPU-2*spGB)/0.09) * odM5, 0},
	} {
		rates := map[string]float64{"m5.large": c.m5Rate, FargateVCPUHours: spVCPU, FargateGBHours: spGB}
		p := fgPlan(SavingsPlan{Kind: ComputeSP, USDPerHour: 0.07, Rates: rates})
		p.OnDemand = func(string) float64 { return odM5 }
		b := Charge(p, res)
		if !close9(b.ByLine[LineOnDemand], c.wantOnDemand) || !close9(b.ByLine[LineFargate], c.wantFG) || !close9(b.TotalUSD, 0.07+c.wantOnDemand+c.wantFG) {
			t.Errorf("%s: lines %v, want on_demand %g fargate %g", c.name, b.ByLine, c.wantOnDemand, c.wantFG)
		}
	}
}

// TestFargateNotCovered: EC2 Instance Savings Plans never cover Fargate,
// nor does any plan cover Fargate Spot
// (https://docs.aws.amazon.com/savingsplans/latest/userguide/what-is-savings-plans.html);
// a Compute plan with no Fargate rate covers none and the bill says so
// once.
func TestFargateNotCovered(t *testing.T) {
	od := DefaultFargateRates["x86_64"]
	full := 2 * (od.VCPUHour + 2*od.GBHour)
	b := Charge(fgPlan(SavingsPlan{Kind: EC2InstanceSP, Family: "m5", USDPerHour: 0.02, Rates: fgRates}), fgRun(2, false))
	if !close9(b.ByLine[LineFargate], full) || !close9(b.ByInstanceType[UnusedSavingsPlan], 0.04) {
		t.Errorf("EC2 Instance plan: fargate %g (want %g), unused %g", b.ByLine[LineFargate], full, b.ByInstanceType[UnusedSavingsPlan])
	}
	b = Charge(fgPlan(SavingsPlan{Kind: ComputeSP, USDPerHour: 0.02, Rates: fgRates}), fgRun(2, true))
	if !close9(b.ByLine[LineFargateSpot], full*(1-od.SpotDiscount)) || b.ByLine[LineFargate] != 0 || !close9(b.ByInstanceType[UnusedSavingsPlan], 0.04) {
		t.Errorf("Fargate Spot: lines %v, unused %g", b.ByLine, b.ByInstanceType[UnusedSavingsPlan])
	}
	if len(b.Warnings) != 0 {
		t.Errorf("Fargate Spot: warnings %v", b.Warnings)
	}
	b = Charge(fgPlan(SavingsPlan{Kind: ComputeSP, USDPerHour: 0.02, Discount: 0.3}, SavingsPlan{Kind: ComputeSP, USDPerHour: 0.01, Discount: 0.2}), fgRun(2, false))
	if !close9(b.ByLine[LineFargate], full) || len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], "no Fargate rate known") {
		t.Errorf("no rate: fargate %g (want %g), warnings %q", b.ByLine[LineFargate], full, b.Warnings)
	}
}

// TestFargateWhatIf: with Fargate's Compute Savings Plan rates known the
// what-if includes Fargate usage, and a constant task's best commitment
// is what covering it all takes (0.03 + 2 × 0.0033 per hour); without
// them it says Fargate was left out.
func TestFargateWhatIf(t *testing.T) {
	p := fgPlan()
	p.WhatIfDiscount = 0.28
	b := Charge(p, fgRun(3, false))
	if w := b.WhatIf; w == nil || w.BestUSDPerHour != 0 || !strings.HasPrefix(w.Fargate, "not included") {
		t.Fatalf("no rates: %+v", w)
	}
	p.Fargate.SavingsPlanVCPUHour, p.Fargate.SavingsPlanGBHour = spVCPU, spGB
	b = Charge(p, fgRun(3, false))
	w := b.WhatIf
	if !close9(w.BestUSDPerHour, spVCPU+2*spGB) || !close9(w.BestUSD, 3*(spVCPU+2*spGB)) || !close9(w.NoPlanUSD, b.TotalUSD) || !strings.HasPrefix(w.Fargate, "included") {
		t.Errorf("what-if %+v, bill %g", w, b.TotalUSD)
	}
	if !close9(w.Bill(w.BestUSDPerHour), w.BestUSD) || !close9(w.UsedShare(w.BestUSDPerHour), 1) {
		t.Errorf("Bill %g, UsedShare %g at the best", w.Bill(w.BestUSDPerHour), w.UsedShare(w.BestUSDPerHour))
	}
}
