package pricing

import (
	"github.com/capsim/capsim/sim"
)

// MinimumBilledSeconds is EC2's minimum charge per launch for per-second
// billed instances (docs/aws-model.md §5.3).
const MinimumBilledSeconds = 60

// Cost lines of a Bill: they add up to Bill.TotalUSD.
const (
	LineOnDemand     = "on_demand"          // instance time not covered by RIs or Savings Plans
	LineSpot         = "spot"               // spot instance time at the price in effect
	LineReserved     = "reserved_instances" // RI fees, every clock-hour, used or not
	LineSavingsPlans = "savings_plans"      // SP commitments, every clock-hour, used or not
	LineCPUCredits   = "cpu_credits"        // burstable surplus credits (unlimited mode)
	LineEBS          = "ebs"                // volumes, GB-month per instance
	LineLoadBalancer = "load_balancer"      // ALB hours and LCUs
	LineDataTransfer = "data_transfer"      // data out to the internet
)

// Purchase options of Bill.ByPurchaseOption.
const (
	OptionOnDemand    = "on_demand"
	OptionSpot        = "spot"
	OptionReserved    = "reserved"
	OptionSavingsPlan = "savings_plan"
)

// UnusedSavingsPlan is the ByInstanceType key of Savings Plan commitment
// no usage consumed.
const UnusedSavingsPlan = "(unused savings plan commitment)"

// Bill is what a run costs. Every dollar comes from an instance record or
// a commitment, a price and a billing rule:
//
//   - ByLine adds up to TotalUSD, and so does PerMinute;
//   - ByPurchaseOption and ByInstanceType add up to InstancesUSD, the
//     lines on_demand + spot + reserved_instances + savings_plans (RI fees
//     go to the RI's type; Savings Plan dollars to the types whose usage
//     they covered, the unused rest to UnusedSavingsPlan).
type Bill struct {
	TotalUSD         float64
	InstancesUSD     float64
	ByLine           map[string]float64
	ByPurchaseOption map[string]float64
	ByInstanceType   map[string]float64
	PerMinute        []float64 // cost accrued in each minute of the run

	// Paid vCPU-seconds (billed instance time × vCPUs) against the
	// vCPU-seconds spent serving requests; IdleUSD is InstancesUSD times
	// the idle share.
	PaidVCPUSeconds, BusyVCPUSeconds, IdleUSD float64
	// SurplusCredits are the burstable surplus credits charged.
	SurplusCredits float64
	// ReservedUsedShare is the share of RI capacity usage consumed (0–1);
	// SavingsPlanUsedShare the share of commitment dollars.
	ReservedUsedShare, SavingsPlanUsedShare float64
	WhatIf                                  *WhatIf
	// FargateEquivalentUSD is what an ECS run's tasks cost, or would cost,
	// on Fargate at Plan.Fargate's rates (0 without them).
	FargateEquivalentUSD float64
	// ByProvider is, for an ECS service on several capacity providers
	// (sim.InstanceRecord.Provider), each provider's instance dollars: the
	// on-demand and spot time of its instances and the Savings Plan
	// dollars that covered it. Reserved Instance fees and unused Savings
	// Plan commitment belong to the account, not a provider, and are in
	// none (docs/result.md). Nil without providers.
	ByProvider map[string]float64
	Warnings   []string
}

// PriceFunc gives the on-demand USD per hour of an instance type.
type PriceFunc func(instanceType string) float64

// OnDemand bills instance lifetimes with no commitments and no extra
// lines: on-demand (and spot, at the default discount, for spot records)
// per second with a 60-second minimum per launch (docs/aws-model.md §5.3). It
// is Charge with a Plan holding only prices.
func OnDemand(records []sim.InstanceRecord, price PriceFunc, duration sim.Time) Bill {
	return Charge(Plan{OnDemand: price}, &sim.Result{Instances: records, Duration: duration})
}

func newBill(minutes int) Bill {
	return Bill{
		ByLine:           map[string]float64{},
		ByPurchaseOption: map[string]float64{},
		ByInstanceType:   map[string]float64{},
		PerMinute:        make([]float64, minutes),
	}
}

// byProvider books usd of an instance of the named capacity provider
// ("": none).
func (b *Bill) byProvider(name string, usd float64) {
	if name == "" || usd == 0 {
		return
	}
	if b.ByProvider == nil {
		b.ByProvider = map[string]float64{}
	}
	b.ByProvider[name] += usd
}

// add books usd on a line, and on a purchase option and type when they
// are not empty. The caller books the same dollars in PerMinute.
func (b *Bill) add(line, option, typ string, usd float64) {
	if usd == 0 {
		return
	}
	b.TotalUSD += usd
	b.ByLine[line] += usd
	if option != "" {
		b.ByPurchaseOption[option] += usd
	}
	if typ != "" {
		b.ByInstanceType[typ] += usd
	}
}
