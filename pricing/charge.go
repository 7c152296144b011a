package pricing

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/capsim/capsim/sim"
)

// Operating systems, for the billing granularity (docs/aws-model.md §5.3):
// Linux and Windows bill per second with a 60-s minimum per launch; RHEL
// and SUSE bill per started hour.
const (
	OSLinux   = "linux"
	OSRHEL    = "rhel"
	OSSUSE    = "suse"
	OSWindows = "windows"
)

// HourlyOS says whether an operating system is billed per started hour.
func HourlyOS(os string) bool { return os == OSRHEL || os == OSSUSE }

// Documented default rates of the extra lines, USD, us-east-1, from AWS's
// public price pages (aws.amazon.com/ebs/pricing, /elasticloadbalancing/
// pricing, /ec2/pricing/on-demand "Data Transfer"), as of 2026. Every one
// can be overridden in the scenario.
const (
	DefaultEBSUSDPerGBMonth = 0.08   // gp3 storage
	DefaultALBUSDPerHour    = 0.0225 // Application Load Balancer hour
	DefaultALBUSDPerLCUHour = 0.008  // Load Balancer Capacity Unit hour
	DefaultTransferUSDPerGB = 0.09   // data out to the internet, first 10 TB a month
	// HoursPerMonth is AWS's month for GB-month and monthly projections.
	HoursPerMonth = 730
	// GB is the byte count of AWS's billing gigabyte (2^30).
	GB = 1 << 30
)

// ALB capacity-unit dimensions (ALB pricing page): one LCU is 25 new
// connections per second, or 1 GB processed per hour for EC2 targets
// (active connections and rule evaluations are not modelled).
const (
	lcuNewConnectionsPerSecond = 25
	lcuGBPerHour               = 1
)

// EBS is the storage line: GBPerInstance of volumes on every instance for
// as long as it runs.
type EBS struct {
	GBPerInstance float64
	USDPerGBMonth float64
}

// LoadBalancerCost is the ALB line: hours and capacity units.
type LoadBalancerCost struct {
	Enabled               bool
	USDPerHour            float64
	USDPerLCUHour         float64
	RequestsPerConnection float64 // requests carried by one new connection (default 1)
	ResponseBytes         float64 // processed bytes per request, for the LCU
}

// DataTransfer is the data-out line: ResponseBytes per completed request.
type DataTransfer struct {
	ResponseBytes float64
	USDPerGB      float64
}

// Plan is everything billing needs besides the run: prices, operating
// system, commitments, and the rates of the extra lines. A zero Plan with
// OnDemand set bills on-demand Linux instance time only.
type Plan struct {
	Start    time.Time // wall clock of t = 0: clock-hours are UTC hours
	OS       string    // linux (default) | rhel | suse | windows
	OnDemand PriceFunc // on-demand USD per hour of a type
	Spot     SpotPricer

	Reserved     []Reservation
	SavingsPlans []SavingsPlan

	CreditMode            string  // standard | unlimited; "" = AWS's default per type
	SurplusUSDPerVCPUHour float64 // 0 = DefaultSurplusUSDPerVCPUHour

	EBS          EBS
	LoadBalancer LoadBalancerCost
	DataTransfer DataTransfer

	// WhatIfDiscount, when > 0, adds a Compute Savings Plan what-if at this
	// discount off on-demand (WhatIfSource says where the rate comes from).
	WhatIfDiscount float64
	WhatIfSource   string

	// Fargate prices an ECS run's tasks (nil: no Fargate pricing).
	Fargate *FargateRates
}

// BilledSeconds is how many seconds of one launch EC2 charges
// (docs/aws-model.md §5.3):
//
//   - spot interrupted by EC2 in its first hour: nothing; later: every
//     second, or for RHEL/SUSE the full hours only (no charge for the
//     partial hour);
//   - an instance still running at the end of the run: the simulated time
//     (the run ends, the instance does not);
//   - RHEL/SUSE: every started hour;
//   - Linux/Windows: every second, at least 60.
func BilledSeconds(os string, r sim.InstanceRecord) float64 {
	secs := max(0, (r.Terminated - r.Launch).Seconds())
	hourly := HourlyOS(os)
	switch {
	case r.PurchaseOption == OptionSpot && r.Interrupted:
		if secs < 3600 {
			return 0
		}
		if hourly {
			return math.Floor(secs/3600) * 3600
		}
		return secs
	case r.Running:
		return secs
	case hourly:
		return max(1, math.Ceil(secs/3600)) * 3600
	}
	return max(secs, MinimumBilledSeconds)
}

// clock maps simulated time to clock-hours of the wall clock.
type clock struct {
	offset sim.Time // t = 0 is this far past a UTC hour
	dur    sim.Time
}

func (c clock) hour(t sim.Time) int      { return int((t + c.offset) / sim.Hour) }
func (c clock) hourStart(h int) sim.Time { return sim.Time(h)*sim.Hour - c.offset }

// covered is the part of clock-hour h inside the run, 0–1.
func (c clock) covered(h int) float64 {
	lo, hi := max(0, c.hourStart(h)), min(c.dur, c.hourStart(h+1))
	if hi <= lo {
		return 0
	}
	return float64(hi-lo) / float64(sim.Hour)
}

// seg is a piece of an instance's life inside one minute and one hour.
type seg struct {
	at     sim.Time
	minute int
	hour   int
	secs   float64 // billed seconds (scaled to the billing rule)
	actual float64 // seconds it ran
}

// walk calls fn for each piece of r's life inside one minute and one
// clock-hour, billed seconds scaled by scale, then for the top-up (the
// rest of a 60-s minimum or a started hour) at its termination. Walking
// twice instead of storing the pieces keeps memory flat for long runs.
func walk(r sim.InstanceRecord, ck clock, scale, topUp float64, lastMinute func(sim.Time) int, fn func(seg)) {
	for t := r.Launch; t < r.Terminated; {
		next := min(r.Terminated, (t/sim.Minute+1)*sim.Minute, ck.hourStart(ck.hour(t)+1))
		a := (next - t).Seconds()
		fn(seg{at: t, minute: lastMinute(t), hour: ck.hour(t), secs: a * scale, actual: a})
		t = next
	}
	if topUp > 0 {
		end := max(r.Launch, r.Terminated-1)
		fn(seg{at: end, minute: lastMinute(end), hour: ck.hour(end), secs: topUp})
	}
}

// odUse is one on-demand instance's billed time, by clock-hour.
type odUse struct {
	typ  string
	fam  string
	nf   float64
	rate float64 // on-demand USD per hour
	// provider is the ECS capacity provider that launched it, if any.
	provider string
	segs     func(func(seg)) // walks its billed time
	hours    map[int]*hourUse
}

// typeKey is where Bill.ByInstanceType books the usage's Savings Plan
// dollars: its type, or the fargate line's name for Fargate usage.
func (u *odUse) typeKey() string {
	if IsFargateUsage(u.typ) {
		return LineFargate
	}
	return u.typ
}

type hourUse struct {
	secs, ri, sp float64
}

// Charge bills a run under a plan: the one entry point reports use. The
// rules, with their sources (docs/aws-model.md §5.2, §5.3):
//
//  1. Instance time: BilledSeconds per launch, at the on-demand price, or
//     for spot records at the spot price in effect in each minute.
//  2. Reserved Instances, per clock-hour: each RI covers 3600
//     instance-seconds (× its normalization factor, in units, when size
//     flexible: smallest sizes first) of on-demand usage, all matching
//     instances at once; its fee is billed every clock-hour, used or not.
//  3. Savings Plans, per clock-hour, after RIs: EC2 Instance plans before
//     Compute plans (higher discount first within a kind); each plan
//     covers the usage with the highest savings percentage first (ties:
//     lower plan rate first), paying plan-rate dollars out of its
//     commitment; the commitment is billed in full.
//  4. What is left is on-demand.
//  5. Burstable surplus credits in unlimited mode (CreditAccount),
//     charged beyond the 24-h cap at the end of each clock-hour and the
//     rest at termination — or at the end of the run.
//  6. EBS GB-months for the time each instance runs (730-hour months),
//     ALB hours and LCUs per clock-hour, data out per completed request.
//
// Partial clock-hours at the ends of the run bill commitments and the
// ALB hour pro rata and give RIs and plans the same share of capacity.
func Charge(p Plan, res *sim.Result) Bill {
	dur := res.Duration
	minutes := int((dur + sim.Minute - 1) / sim.Minute)
	b := newBill(minutes)
	if dur <= 0 {
		return b
	}
	if p.OnDemand == nil {
		p.OnDemand = func(string) float64 { return 0 }
	}
	if p.Spot == nil {
		p.Spot = SpotDiscount{OnDemand: p.OnDemand}
	}
	if p.SurplusUSDPerVCPUHour <= 0 {
		p.SurplusUSDPerVCPUHour = DefaultSurplusUSDPerVCPUHour
	}
	ck := clock{offset: sim.Time(p.Start.Sub(p.Start.Truncate(time.Hour))), dur: dur}
	nHours := ck.hour(dur-1) + 1
	h0 := ck.hour(0)
	lastMinute := func(t sim.Time) int { return min(minutes-1, max(0, int(t/sim.Minute))) }

	var ods []*odUse
	for _, r := range res.Instances {
		if r.Terminated <= r.Launch && r.Running {
			continue
		}
		actual := max(0, (r.Terminated - r.Launch).Seconds())
		billed := BilledSeconds(p.OS, r)
		scale, topUp := 1.0, 0.0
		if billed >= actual {
			topUp = billed - actual
		} else if actual > 0 {
			scale = billed / actual
		}
		segs := func(fn func(seg)) { walk(r, ck, scale, topUp, lastMinute, fn) }
		b.PaidVCPUSeconds += float64(r.VCPU) * billed
		b.BusyVCPUSeconds += r.BusySeconds

		if p.EBS.GBPerInstance > 0 {
			perSec := p.EBS.GBPerInstance * p.EBS.USDPerGBMonth / (HoursPerMonth * 3600)
			segs(func(s seg) {
				usd := s.actual * perSec
				b.add(LineEBS, "", "", usd)
				b.PerMinute[s.minute] += usd
			})
		}
		b.credits(p, r, ck, lastMinute)

		if r.PurchaseOption == OptionSpot {
			segs(func(s seg) {
				usd := s.secs * p.Spot.SpotPrice(r.Type, r.Zone, s.at) / 3600
				b.add(LineSpot, OptionSpot, r.Type, usd)
				b.byProvider(r.Provider, usd)
				b.PerMinute[s.minute] += usd
			})
			continue
		}
		fam, _ := SplitType(r.Type)
		nf, _ := NormalizationFactor(r.Type)
		u := &odUse{typ: r.Type, fam: fam, nf: nf, rate: p.OnDemand(r.Type), provider: r.Provider, segs: segs, hours: map[int]*hourUse{}}
		segs(func(s seg) {
			hu := u.hours[s.hour]
			if hu == nil {
				hu = &hourUse{}
				u.hours[s.hour] = hu
			}
			hu.secs += s.secs
		})
		ods = append(ods, u)
	}

	// Commitments, clock-hour by clock-hour.
	plans := slices.Clone(p.SavingsPlans)
	slices.SortStableFunc(plans, func(a, c SavingsPlan) int {
		if a.Kind != c.Kind {
			if a.Kind == EC2InstanceSP {
				return -1
			}
			return 1
		}
		return cmp.Compare(c.Discount, a.Discount)
	})
	// On-demand Fargate usage, when a Compute plan or the what-if can
	// price it (docs/ecs.md "Fargate and Savings Plans").
	var fus []*odUse
	whatIfFG := p.WhatIfDiscount > 0 && p.WhatIfDiscount < 1 && whatIfFargate(p.Fargate)
	if p.Fargate != nil && (coversFargate(plans) || whatIfFG) {
		fus = fargateUses(*p.Fargate, res, ck, minutes)
	}
	var riCap, riUsed, spCap, spUsed float64
	whatIfUse := make([]float64, nHours) // on-demand USD after RIs, per hour
	var allOnDemand float64              // the same usage with no RI and no Savings Plan
	for h := h0; h < h0+nHours; h++ {
		f := ck.covered(h)
		var items []*odUse
		for _, u := range ods {
			if u.hours[h] != nil {
				items = append(items, u)
			}
		}
		riCap1, riUsed1 := b.reserve(p.Reserved, items, h, f, ck)
		riCap += riCap1
		riUsed += riUsed1
		for _, u := range items {
			hu := u.hours[h]
			whatIfUse[h-h0] += (hu.secs - hu.ri) * u.rate / 3600
			allOnDemand += hu.secs * u.rate / 3600
		}
		for _, u := range fus {
			if u.hours[h] != nil {
				items = append(items, u)
			}
		}
		for _, sp := range plans {
			c, used := b.savingsPlan(sp, items, h, f, ck)
			spCap += c
			spUsed += used
		}
	}
	for _, u := range ods {
		u.segs(func(s seg) {
			hu := u.hours[s.hour]
			if hu.secs <= 0 {
				return
			}
			left := max(0, hu.secs-hu.ri-hu.sp) / hu.secs
			usd := s.secs * left * u.rate / 3600
			b.add(LineOnDemand, OptionOnDemand, u.typ, usd)
			b.byProvider(u.provider, usd)
			b.PerMinute[s.minute] += usd
		})
	}
	if riCap > 0 {
		b.ReservedUsedShare = riUsed / riCap
	}
	if spCap > 0 {
		b.SavingsPlanUsedShare = spUsed / spCap
	}
	b.loadBalancer(p, res, ck, h0, nHours)
	if dt := p.DataTransfer; dt.ResponseBytes > 0 {
		for i, row := range res.Minutes {
			m, n := rowMinutes(res, i, minutes)
			if n == 0 {
				break
			}
			usd := float64(row.Completed) * dt.ResponseBytes / GB * dt.USDPerGB
			b.add(LineDataTransfer, "", "", usd)
			if n == 1 {
				b.PerMinute[m] += usd
				continue
			}
			// A row longer than a minute (sim.Config.Resolution): its
			// responses spread evenly over its minutes.
			for k := range n {
				b.PerMinute[m+k] += usd / float64(n)
			}
		}
	}
	b.fargate(p, res, minutes, ck, fus)
	for _, l := range []string{LineOnDemand, LineSpot, LineReserved, LineSavingsPlans} {
		b.InstancesUSD += b.ByLine[l]
	}
	if b.PaidVCPUSeconds > 0 {
		paid := b.InstancesUSD + b.ByLine[LineFargate] + b.ByLine[LineFargateSpot]
		b.IdleUSD = paid * max(0, b.PaidVCPUSeconds-b.BusyVCPUSeconds) / b.PaidVCPUSeconds
	}
	b.warn(p, ods, dur.Seconds()/3600)
	b.warnFargate(p, res)
	if p.WhatIfDiscount > 0 && p.WhatIfDiscount < 1 {
		var wfus []*odUse
		if whatIfFG {
			wfus = fus
		}
		b.WhatIf = whatIf(b, p, whatIfUse, allOnDemand, ck, h0, wfus)
		b.WhatIf.Fargate = whatIfFargateNote(p, res, wfus)
	}
	return b
}

// rowMinutes is the first minute and the number of minutes (within the
// bill's minutes) of time-series row i: one for a per-minute series.
func rowMinutes(res *sim.Result, i, minutes int) (first, n int) {
	row := res.Minutes[i]
	first = int(row.Start / sim.Minute)
	if first >= minutes {
		return first, 0
	}
	span := res.RowSpan(i)
	n = max(1, int((span+sim.Minute-1)/sim.Minute))
	return first, min(n, minutes-first)
}

// spreadHour books a fixed hourly amount over the minutes of clock-hour h
// that lie inside the run.
func (b *Bill) spreadHour(ck clock, h int, usd float64) {
	lo, hi := max(0, ck.hourStart(h)), min(ck.dur, ck.hourStart(h+1))
	if hi <= lo || usd == 0 {
		return
	}
	span := float64(hi - lo)
	for t := lo; t < hi; {
		next := min(hi, (t/sim.Minute+1)*sim.Minute)
		if m := int(t / sim.Minute); m < len(b.PerMinute) {
			b.PerMinute[m] += usd * float64(next-t) / span
		}
		t = next
	}
}

// reserve applies the RIs to clock-hour h (docs/aws-model.md §5.3) and bills
// their fees. It returns the hour's capacity and use in normalized
// instance-seconds.
func (b *Bill) reserve(rs []Reservation, items []*odUse, h int, f float64, ck clock) (capacity, used float64) {
	exact := map[string]float64{} // type → instance-seconds
	flex := map[string]float64{}  // family → unit-seconds
	for _, r := range rs {
		fee := float64(r.Count) * r.USDPerHour * f
		b.add(LineReserved, OptionReserved, r.Type, fee)
		b.spreadHour(ck, h, fee)
		nf, ok := NormalizationFactor(r.Type)
		if r.Flexible && ok {
			fam, _ := SplitType(r.Type)
			flex[fam] += float64(r.Count) * nf * 3600 * f
			capacity += float64(r.Count) * nf * 3600 * f
		} else {
			exact[r.Type] += float64(r.Count) * 3600 * f
			capacity += float64(r.Count) * max(nf, 1) * 3600 * f
		}
	}
	if len(rs) == 0 {
		return 0, 0
	}
	for _, u := range items {
		hu := u.hours[h]
		if c := min(exact[u.typ], hu.secs-hu.ri); c > 0 {
			hu.ri += c
			exact[u.typ] -= c
			used += c * max(u.nf, 1)
		}
	}
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, c *odUse) int { return cmp.Compare(a.nf, c.nf) })
	for _, u := range sorted {
		pool := flex[u.fam]
		hu := u.hours[h]
		if pool <= 0 || u.nf <= 0 {
			continue
		}
		if c := min(pool/u.nf, hu.secs-hu.ri); c > 0 {
			hu.ri += c
			flex[u.fam] -= c * u.nf
			used += c * u.nf
		}
	}
	return capacity, used
}

// savingsPlan applies one plan to clock-hour h and bills its commitment.
// It returns the hour's commitment and the dollars of it used.
func (b *Bill) savingsPlan(sp SavingsPlan, items []*odUse, h int, f float64, ck clock) (commit, used float64) {
	commit = sp.USDPerHour * f
	b.add(LineSavingsPlans, OptionSavingsPlan, "", commit)
	b.spreadHour(ck, h, commit)
	var elig []*odUse
	for _, u := range items {
		if hu := u.hours[h]; sp.covers(u.typ) && u.rate > 0 && hu.secs-hu.ri-hu.sp > 0 {
			elig = append(elig, u)
		}
	}
	slices.SortStableFunc(elig, func(a, c *odUse) int {
		ra, rc := sp.rate(a.typ, a.rate), sp.rate(c.typ, c.rate)
		if x := cmp.Compare(1-rc/c.rate, 1-ra/a.rate); x != 0 {
			return x
		}
		return cmp.Compare(ra, rc)
	})
	left := commit
	for _, u := range elig {
		if left <= 0 {
			break
		}
		hu := u.hours[h]
		rate := sp.rate(u.typ, u.rate) / 3600
		if rate <= 0 {
			continue
		}
		rem := hu.secs - hu.ri - hu.sp
		use := min(rem*rate, left)
		hu.sp += use / rate
		left -= use
		b.ByInstanceType[u.typeKey()] += use
		b.byProvider(u.provider, use)
		used += use
	}
	if left > 0 {
		b.ByInstanceType[UnusedSavingsPlan] += left
	}
	return commit, used
}

// credits bills one burstable instance's surplus credits (unlimited mode).
func (b *Bill) credits(p Plan, r sim.InstanceRecord, ck clock, lastMinute func(sim.Time) int) {
	spec, ok := Credits(r.Type)
	if !ok {
		return
	}
	mode := p.CreditMode
	if mode == "" {
		mode = DefaultCreditMode(r.Type)
	}
	if mode != Unlimited {
		return
	}
	perCredit := p.SurplusUSDPerVCPUHour / 60
	acct := NewCreditAccount(spec, Unlimited)
	book := func(before float64, t sim.Time) {
		if d := acct.Charged - before; d > 0 {
			usd := d * perCredit
			b.SurplusCredits += d
			b.add(LineCPUCredits, "", "", usd)
			b.PerMinute[lastMinute(t)] += usd
		}
	}
	m0 := int(r.Launch / sim.Minute)
	for k, util := range r.CPUByMinute {
		ms := sim.Time(m0+k) * sim.Minute
		lo, hi := max(ms, r.Launch), min(ms+sim.Minute, r.Terminated)
		if hi <= lo {
			continue
		}
		acct.Step(float64(util), float64(hi-lo)/float64(sim.Minute))
		if ck.hour(hi) != ck.hour(hi-1) {
			before := acct.Charged
			acct.EndHour()
			book(before, hi-1)
		}
	}
	before := acct.Charged
	acct.Stop()
	book(before, r.Terminated-1)
}

// loadBalancer bills the ALB: an hourly fee and capacity units per hour.
func (b *Bill) loadBalancer(p Plan, res *sim.Result, ck clock, h0, nHours int) {
	lb := p.LoadBalancer
	if !lb.Enabled {
		return
	}
	perConn := lb.RequestsPerConnection
	if perConn <= 0 {
		perConn = 1
	}
	arrivals := make([]float64, nHours)
	completed := make([]float64, nHours)
	for _, row := range res.Minutes {
		// A row longer than a minute counts in the clock-hour it starts
		// in: hourly rows of a run that starts on the hour are the clock
		// hours themselves.
		h := ck.hour(row.Start) - h0
		if h >= 0 && h < nHours {
			arrivals[h] += float64(row.Arrivals)
			completed[h] += float64(row.Completed)
		}
	}
	for i := range nHours {
		h := h0 + i
		f := ck.covered(h)
		if f <= 0 {
			continue
		}
		secs := f * 3600
		conns := arrivals[i] / perConn / secs / lcuNewConnectionsPerSecond
		gb := completed[i] * lb.ResponseBytes / GB / f / lcuGBPerHour
		usd := lb.USDPerHour*f + max(conns, gb)*lb.USDPerLCUHour*f
		b.add(LineLoadBalancer, "", "", usd)
		b.spreadHour(ck, h, usd)
	}
}

// warn notes commitments that nothing in the run could use.
func (b *Bill) warn(p Plan, ods []*odUse, hours float64) {
	types, fams := map[string]bool{}, map[string]bool{}
	for _, u := range ods {
		types[u.typ], fams[u.fam] = true, true
	}
	for _, r := range p.Reserved {
		fam, _ := SplitType(r.Type)
		if (r.Flexible && !fams[fam]) || (!r.Flexible && !types[r.Type]) {
			scope := "type " + r.Type
			if r.Flexible {
				scope = "family " + fam
			}
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s: the fleet never ran the %s on demand, so these RIs cover nothing (billed $%.2f)",
				r, scope, float64(r.Count)*r.USDPerHour*hours))
		}
	}
	for _, sp := range p.SavingsPlans {
		if sp.Kind == EC2InstanceSP && !fams[sp.Family] {
			b.Warnings = append(b.Warnings, fmt.Sprintf("EC2 Instance Savings Plan for family %s: the fleet never ran that family on demand", sp.Family))
		}
	}
}
