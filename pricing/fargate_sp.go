package pricing

import (
	"fmt"
	"strings"

	"github.com/capsim/capsim/sim"
)

// Fargate's usage in a Compute Savings Plan's Rates: USD per vCPU-hour and
// per GB-hour of on-demand Fargate tasks, keyed by the usage types of
// AWS's Savings Plans price list without their region prefix ("USE1-").
// Compute Savings Plans cover Fargate vCPU and memory; EC2 Instance plans
// and Fargate Spot are never covered (docs/ecs.md "Fargate and Savings
// Plans"; https://aws.amazon.com/savingsplans/compute-pricing/).
const (
	FargateVCPUHours = "Fargate-vCPU-Hours:perCPU"
	FargateGBHours   = "Fargate-GB-Hours"
)

// fargateDimensions are Fargate's two billed dimensions: a task's units of
// each and its on-demand rate.
var fargateDimensions = []struct {
	key      string
	units    func(sim.TaskRecord) float64
	onDemand func(FargateRates) float64
	planRate func(FargateRates) float64
}{
	{FargateVCPUHours, func(t sim.TaskRecord) float64 { return float64(t.CPU) / 1024 },
		func(r FargateRates) float64 { return r.VCPUHour }, func(r FargateRates) float64 { return r.SavingsPlanVCPUHour }},
	{FargateGBHours, func(t sim.TaskRecord) float64 { return float64(t.MemoryMiB) / 1024 },
		func(r FargateRates) float64 { return r.GBHour }, func(r FargateRates) float64 { return r.SavingsPlanGBHour }},
}

// IsFargateUsage says a Savings Plan rate key is Fargate's, not an
// instance type.
func IsFargateUsage(key string) bool { return key == FargateVCPUHours || key == FargateGBHours }

// onDemandFargate says a task is billed at Fargate's on-demand rates (the
// usage a Compute Savings Plan may cover).
func onDemandFargate(t sim.TaskRecord, end sim.Time) bool {
	return t.Fargate && !t.Spot && FargateSeconds(t, end) > 0
}

// taskPieces walks the minutes of a billed task as (*Bill).fargate spreads
// its charge: fn gets the minute, the moment the piece starts, and the
// piece's seconds out of the task's running seconds (the minimum charge
// falls in its last minute; a task of no running time is one piece 1/1).
func taskPieces(t sim.TaskRecord, end sim.Time, minutes int, fn func(m int, at sim.Time, part, total float64)) {
	from, to := t.Placed, min(t.Stopped, end)
	total := (to - from).Seconds()
	for m := int(from / sim.Minute); m < minutes && sim.Time(m)*sim.Minute < to; m++ {
		lo, hi := max(from, sim.Time(m)*sim.Minute), min(to, sim.Time(m+1)*sim.Minute)
		if total > 0 {
			fn(m, lo, (hi - lo).Seconds(), total)
		}
	}
	if total <= 0 && minutes > 0 {
		fn(min(minutes-1, int(from/sim.Minute)), from, 1, 1)
	}
}

// fargateUses are the run's on-demand Fargate vCPU- and GB-seconds per
// clock-hour, one odUse per dimension (rate: on-demand USD per unit-hour),
// for the Savings Plans to cover alongside EC2 usage. Nil when the run has
// no such usage.
func fargateUses(r FargateRates, res *sim.Result, ck clock, minutes int) []*odUse {
	var out []*odUse
	for _, d := range fargateDimensions {
		u := &odUse{typ: d.key, rate: d.onDemand(r), hours: map[int]*hourUse{}}
		for _, t := range res.Tasks {
			if !onDemandFargate(t, res.Duration) {
				continue
			}
			unitSecs := FargateSeconds(t, res.Duration) * d.units(t)
			taskPieces(t, res.Duration, minutes, func(_ int, at sim.Time, part, total float64) {
				h := ck.hour(at)
				hu := u.hours[h]
				if hu == nil {
					hu = &hourUse{}
					u.hours[h] = hu
				}
				hu.secs += unitSecs * part / total
			})
		}
		if len(u.hours) > 0 {
			out = append(out, u)
		}
	}
	return out
}

// coversFargate says some Compute plan has a Fargate rate.
func coversFargate(plans []SavingsPlan) bool {
	for _, sp := range plans {
		for _, d := range fargateDimensions {
			if sp.covers(d.key) {
				return true
			}
		}
	}
	return false
}

// whatIfFargate says the what-if can price Fargate: both Compute Savings
// Plan rates known.
func whatIfFargate(r *FargateRates) bool {
	return r != nil && r.SavingsPlanVCPUHour > 0 && r.SavingsPlanGBHour > 0
}

// warnFargate notes, once, Compute plans that cannot cover the run's
// on-demand Fargate usage for want of a Fargate rate.
func (b *Bill) warnFargate(p Plan, res *sim.Result) {
	if p.Fargate == nil {
		return
	}
	used := false
	for _, t := range res.Tasks {
		used = used || onDemandFargate(t, res.Duration)
	}
	if !used {
		return
	}
	var missing []string
	for _, d := range fargateDimensions {
		for _, sp := range p.SavingsPlans {
			if sp.Kind == ComputeSP && !sp.covers(d.key) {
				missing = append(missing, d.key)
				break
			}
		}
	}
	if len(missing) > 0 {
		b.Warnings = append(b.Warnings, fmt.Sprintf("compute Savings Plan: no Fargate rate known for %s, so it covers none of that Fargate usage "+
			"(give service.fargate.savings_plan_usd_per_vcpu_hour and savings_plan_usd_per_gb_hour, or a rates_file from capsim pricing update --savings-plans compute)",
			strings.Join(missing, " and ")))
	}
}

// whatIfFargateNote is WhatIf.Fargate: whether the run's on-demand Fargate
// usage is in the what-if (fus not nil) or why not; "" without such usage.
func whatIfFargateNote(p Plan, res *sim.Result, fus []*odUse) string {
	if fus != nil {
		r := p.Fargate
		return fmt.Sprintf("included at Compute Savings Plan rates $%g per vCPU-hour and $%g per GB-hour (%s)",
			r.SavingsPlanVCPUHour, r.SavingsPlanGBHour, r.SavingsPlanSource)
	}
	if p.Fargate == nil {
		return ""
	}
	for _, t := range res.Tasks {
		if onDemandFargate(t, res.Duration) {
			return "not included: no Compute Savings Plan rate for Fargate known (service.fargate.savings_plan_usd_per_vcpu_hour and savings_plan_usd_per_gb_hour, or a compute plan's rates_file)"
		}
	}
	return ""
}
