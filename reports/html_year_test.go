package reports

import (
	"math"
	"testing"
	"time"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// yearDocument is a fluid-mode run from 1 January 2027 to noon on
// 20 December at an hour per row: a base of 10 instances and a seasonal
// 0–10 more (so a Savings Plan has a best commitment and a break-even),
// billed by pricing.Charge at $0.192/h with the assumed 28 % what-if.
func yearDocument(t *testing.T) *Document {
	t.Helper()
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	hours := 353*24 + 12
	res := &sim.Result{Mode: sim.FluidMode, Duration: sim.Time(hours) * sim.Hour, Resolution: sim.Hour}
	extra := func(h int) int { return int(5 + 5*math.Cos(2*math.Pi*float64(h)/float64(24*30))) }
	for i := range 10 {
		res.Instances = append(res.Instances, sim.InstanceRecord{ID: i, Type: "m5.xlarge", Launch: 0, Terminated: res.Duration, Running: true,
			PurchaseOption: pricing.OptionOnDemand, VCPU: 4})
	}
	for h := range hours {
		n := 10 + extra(h)
		if h == 0 || extra(h) != extra(h-1) {
			// A new set of seasonal instances for each change, the old ones ending.
			for i := range extra(h) {
				res.Instances = append(res.Instances, sim.InstanceRecord{ID: len(res.Instances) + i, Type: "m5.xlarge",
					Launch: sim.Time(h) * sim.Hour, Terminated: sim.Time(nextChange(h, hours, extra)) * sim.Hour,
					PurchaseOption: pricing.OptionOnDemand, VCPU: 4})
			}
		}
		res.Minutes = append(res.Minutes, sim.MinuteRow{Start: sim.Time(h) * sim.Hour, Arrivals: int64(n) * 3600 * 100,
			Completed: int64(n) * 3600 * 100, InService: n, Desired: n, CPUPercent: 50, P50: 20, P99: 120,
			InServiceMean: float64(n), InServiceMax: n + 1, DesiredMax: n + 1, CPUPercentMax: 60})
		res.Requests.Total += int64(n) * 3600 * 100
	}
	res.Requests.Completed = res.Requests.Total
	bill := pricing.Charge(pricing.Plan{Start: start, OnDemand: func(string) float64 { return 0.192 }, WhatIfDiscount: 0.28}, res)
	d := Build(Input{Name: "year", Description: "a year in fluid mode", CapsimVersion: "test", Result: res, Bill: bill, Start: start,
		RPSPerInstance: 200})
	if len(d.Summary.Months) != 12 || !d.Summary.Months[11].Partial || d.Summary.SavingsPlanCommitment == nil {
		t.Fatalf("the year document has %d months, commitment %v", len(d.Summary.Months), d.Summary.SavingsPlanCommitment)
	}
	return d
}

// nextChange is the first hour after h at which extra changes (or the end).
func nextChange(h, hours int, extra func(int) int) int {
	for k := h + 1; k < hours; k++ {
		if extra(k) != extra(h) {
			return k
		}
	}
	return hours
}
