package reports

import (
	"strings"

	"github.com/capsim/capsim/internal/humanize"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// CostRates are the bill as rates, projected from the simulated period
// (a month is 730 hours, a year 8,760).
type CostRates struct {
	PerHourUSD  float64 `json:"per_hour_usd"`
	PerDayUSD   float64 `json:"per_day_usd"`
	PerMonthUSD float64 `json:"per_month_usd"`
	PerYearUSD  float64 `json:"per_year_usd"`
}

// IdleCost is paid capacity nobody used: billed vCPU-seconds minus the
// vCPU-seconds spent serving requests, priced at the instances' cost.
type IdleCost struct {
	PaidVCPUHours float64 `json:"paid_vcpu_hours"`
	BusyVCPUHours float64 `json:"busy_vcpu_hours"`
	IdleShare     float64 `json:"idle_share"`
	IdleUSD       float64 `json:"idle_usd"`
}

// PriceList says where the prices come from.
type PriceList struct {
	Source string `json:"source"`
	Date   string `json:"date"`
	Region string `json:"region"`
	OS     string `json:"os"`
}

// Commitments says how much of the RIs and Savings Plans was used.
type Commitments struct {
	ReservedUsedShare    float64 `json:"reserved_used_share"`
	SavingsPlanUsedShare float64 `json:"savings_plan_used_share"`
	SurplusCredits       float64 `json:"surplus_credits"`
}

// buildCost fills the cost summary from the bill.
func buildCost(in Input, r *sim.Result) Cost {
	b := in.Bill
	c := Cost{
		TotalUSD:         round(b.TotalUSD, 6),
		ByPurchaseOption: roundMap(b.ByPurchaseOption),
		ByInstanceType:   roundMap(b.ByInstanceType),
		ByLine:           roundMap(b.ByLine),
		InstancesUSD:     round(b.InstancesUSD, 6),
		PriceSource:      in.PriceSource,
		Warnings:         append([]string{}, b.Warnings...),
		Commitments: Commitments{
			ReservedUsedShare:    round(b.ReservedUsedShare, 4),
			SavingsPlanUsedShare: round(b.SavingsPlanUsedShare, 4),
			SurplusCredits:       round(b.SurplusCredits, 3),
		},
	}
	if l := in.PriceList; l != nil {
		c.PriceList = PriceList{Source: l.Source, Date: l.Date, Region: l.Region, OS: l.OS}
	}
	if r.Requests.Total > 0 {
		c.PerMillionRequestsUSD = round(b.TotalUSD/float64(r.Requests.Total)*1e6, 6)
	}
	if h := r.Duration.Seconds() / 3600; h > 0 {
		perHour := b.TotalUSD / h
		c.MonthlyProjectionUSD = round(perHour*pricing.HoursPerMonth, 2)
		c.Rates = CostRates{
			PerHourUSD: round(perHour, 6), PerDayUSD: round(perHour*24, 4),
			PerMonthUSD: round(perHour*pricing.HoursPerMonth, 2), PerYearUSD: round(perHour*24*365, 2),
		}
	}
	c.Idle = IdleCost{
		PaidVCPUHours: round(b.PaidVCPUSeconds/3600, 4),
		BusyVCPUHours: round(b.BusyVCPUSeconds/3600, 4),
		IdleUSD:       round(b.IdleUSD, 6),
	}
	if b.PaidVCPUSeconds > 0 {
		c.Idle.IdleShare = round(max(0, 1-b.BusyVCPUSeconds/b.PaidVCPUSeconds), 4)
	}
	if w := b.WhatIf; w != nil {
		out := *w
		out.NoPlanUSD, out.BestUSD, out.Discount = round(w.NoPlanUSD, 6), round(w.BestUSD, 6), round(w.Discount, 6)
		out.AllOnDemandUSD = round(w.AllOnDemandUSD, 6)
		out.BestUSDPerHour, out.BreakEvenUSDPerHour = round(w.BestUSDPerHour, 6), round(w.BreakEvenUSDPerHour, 6)
		out.Points = make([]pricing.WhatIfPoint, len(w.Points))
		for i, p := range w.Points {
			out.Points[i] = pricing.WhatIfPoint{USDPerHour: round(p.USDPerHour, 6), TotalUSD: round(p.TotalUSD, 6)}
		}
		c.SavingsPlanWhatIf = &out
	}
	return c
}

// financeRows are the terminal summary's short finance table: the cost
// lines, idle capacity, the Savings Plan what-if and any warning.
func financeRows(c Cost) [][2]string {
	var rows [][2]string
	var lines []string
	for _, l := range lineOrder {
		if v, ok := c.ByLine[l]; ok && v != 0 {
			lines = append(lines, lineLabel(l)+" "+humanize.USD(v))
		}
	}
	if len(lines) > 0 {
		rows = append(rows, [2]string{"cost lines", strings.Join(lines, " · ")})
	}
	if c.Idle.PaidVCPUHours > 0 {
		rows = append(rows, [2]string{"idle capacity", humanize.USD(c.Idle.IdleUSD) + " (" + humanize.Percent(c.Idle.IdleShare) + " of paid vCPU time)"})
	}
	if w := c.SavingsPlanWhatIf; w != nil && w.BestUSDPerHour > 0 {
		rows = append(rows,
			[2]string{"savings plan what-if", whatIfCommit(w)},
			[2]string{"", whatIfSaving(w, c.TotalUSD)},
			[2]string{"", whatIfBreakEven(w)})
	}
	if c.PriceList.Source != "" {
		src := c.PriceList.Source
		for _, s := range []string{c.PriceList.Region, c.PriceList.Date} {
			if s != "" && !strings.Contains(src, s) {
				src += ", " + s
			}
		}
		rows = append(rows, [2]string{"prices", src + ", " + c.PriceList.OS})
	}
	for _, w := range c.Warnings {
		rows = append(rows, [2]string{"warning", w})
	}
	return rows
}
