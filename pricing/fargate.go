package pricing

import "github.com/capsim/capsim/sim"

// Cost lines of Fargate tasks (docs/ecs.md, "Fargate").
const (
	LineFargate     = "fargate"      // Fargate tasks' vCPU and memory time
	LineFargateSpot = "fargate_spot" // Fargate Spot tasks' vCPU and memory time
)

// FargateRates are Fargate's prices for one region, OS and architecture:
// USD per vCPU-hour and per GB-hour, billed per second with a one-minute
// minimum from the start of the image pull to the task's stop
// (https://aws.amazon.com/fargate/pricing/). SpotDiscount is Fargate Spot's
// discount off them. SavingsPlanVCPUHour and SavingsPlanGBHour are a
// Compute Savings Plan's rates for the same usage (0: not known), which
// the Savings Plan what-if prices Fargate at (docs/ecs.md "Fargate and
// Savings Plans").
type FargateRates struct {
	VCPUHour, GBHour                       float64
	SpotDiscount                           float64
	Source                                 string
	SavingsPlanVCPUHour, SavingsPlanGBHour float64
	SavingsPlanSource                      string
}

// FargateMinimumSeconds is Fargate's minimum charge per task.
const FargateMinimumSeconds = 60

// DefaultFargateRates are us-east-1 Linux rates by architecture, as the
// AWS Fargate pricing page (https://aws.amazon.com/fargate/pricing/) lists
// them, read in December 2026: x86_64 $0.04048 per vCPU-hour and
// $0.004445 per GB-hour, arm64 $0.03238 and $0.00356. Fargate Spot's price
// moves with spare capacity; AWS advertises "up to 70%" off, which is the
// default discount here (override it with pricing.fargate.spot_discount).
var DefaultFargateRates = map[string]FargateRates{
	"x86_64": {VCPUHour: 0.04048, GBHour: 0.004445, SpotDiscount: 0.7,
		Source: "https://aws.amazon.com/fargate/pricing/ (us-east-1, Linux/x86, read 2026-12)"},
	"arm64": {VCPUHour: 0.03238, GBHour: 0.00356, SpotDiscount: 0.7,
		Source: "https://aws.amazon.com/fargate/pricing/ (us-east-1, Linux/ARM, read 2026-12)"},
}

// FargateSeconds is how many seconds of a task Fargate bills: from
// Placed to Stopped, at least a minute; a task still running at the end
// of the run is billed for the simulated time only. A task never placed
// costs nothing.
func FargateSeconds(t sim.TaskRecord, end sim.Time) float64 {
	if t.Placed < 0 || t.Placed >= end {
		return 0
	}
	secs := (t.Stopped - t.Placed).Seconds()
	if t.Stopped >= end {
		return secs
	}
	return max(secs, FargateMinimumSeconds)
}

// FargateTaskUSD is one task's Fargate charge at rates r.
func FargateTaskUSD(t sim.TaskRecord, r FargateRates, end sim.Time) float64 {
	usd := FargateSeconds(t, end) / 3600 * (float64(t.CPU)/1024*r.VCPUHour + float64(t.MemoryMiB)/1024*r.GBHour)
	if t.Spot {
		usd *= 1 - r.SpotDiscount
	}
	return usd
}

// fargate books the Fargate tasks of res on their lines, minute by
// minute, and sets FargateEquivalentUSD: what the run's tasks would have
// cost on Fargate (for an EC2 run, the comparison a reader wants). fus,
// when not nil, is the on-demand Fargate usage Savings Plans covered
// (fargateUses): only the uncovered rest is billed on the fargate line.
func (b *Bill) fargate(p Plan, res *sim.Result, minutes int, ck clock, fus []*odUse) {
	if p.Fargate == nil || len(res.Tasks) == 0 {
		return
	}
	r := *p.Fargate
	for _, t := range res.Tasks {
		usd := FargateTaskUSD(t, r, res.Duration)
		b.FargateEquivalentUSD += usd
		if !t.Fargate || usd == 0 {
			continue
		}
		line := LineFargate
		if t.Spot {
			line = LineFargateSpot
		}
		b.PaidVCPUSeconds += float64(t.CPU) / 1024 * FargateSeconds(t, res.Duration)
		b.BusyVCPUSeconds += t.BusyVCPUSeconds
		if fus != nil && !t.Spot {
			b.fargateUncovered(t, r, res.Duration, minutes, ck, fus)
			continue
		}
		b.add(line, "", "", usd)
		// Spread over the minutes the task ran (the minimum charge falls
		// in its last minute).
		taskPieces(t, res.Duration, minutes, func(m int, _ sim.Time, part, total float64) { b.PerMinute[m] += usd * part / total })
	}
}

// fargateUncovered books the part of an on-demand task's charge that the
// Savings Plans left uncovered in each clock-hour.
func (b *Bill) fargateUncovered(t sim.TaskRecord, r FargateRates, end sim.Time, minutes int, ck clock, fus []*odUse) {
	secs := FargateSeconds(t, end)
	var usd float64
	taskPieces(t, end, minutes, func(m int, at sim.Time, part, total float64) {
		h := ck.hour(at)
		var piece float64
		for _, d := range fargateDimensions {
			left := 1.0
			for _, u := range fus {
				if hu := u.hours[h]; u.typ == d.key && hu != nil && hu.secs > 0 {
					left = max(0, hu.secs-hu.sp) / hu.secs
				}
			}
			piece += secs * part / total / 3600 * d.units(t) * d.onDemand(r) * left
		}
		b.PerMinute[m] += piece
		usd += piece
	})
	b.add(LineFargate, "", "", usd)
}
