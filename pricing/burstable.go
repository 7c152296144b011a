package pricing

import (
	"strings"
)

// CreditSpec is a burstable type's CPU-credit figures (docs/aws-model.md §5.2,
// from EC2-UG burstable-credits-baseline-concepts.md). One credit is one
// vCPU at 100 % for one minute.
type CreditSpec struct {
	PerHour  float64 // credits earned per hour = baseline × vCPUs × 60
	Max      float64 // most credits that can accrue = 24 h of earnings
	VCPU     int
	Baseline float64 // per vCPU, 0–1
	// LaunchCredits is given at each launch in standard mode (T2 only:
	// 30 per vCPU); they are spent first and do not count toward Max.
	LaunchCredits float64
}

// creditTable is the table of §5.2. T3, T3a and T4g share their figures.
var creditTable = map[string]CreditSpec{
	"t2.nano":    {3, 72, 1, 0.05, 30},
	"t2.micro":   {6, 144, 1, 0.10, 30},
	"t2.small":   {12, 288, 1, 0.20, 30},
	"t2.medium":  {24, 576, 2, 0.20, 60},
	"t2.large":   {36, 864, 2, 0.30, 60},
	"t2.xlarge":  {54, 1296, 4, 0.225, 120},
	"t2.2xlarge": {81.6, 1958.4, 8, 0.17, 240},
}

var t3Sizes = map[string]CreditSpec{
	"nano":    {6, 144, 2, 0.05, 0},
	"micro":   {12, 288, 2, 0.10, 0},
	"small":   {24, 576, 2, 0.20, 0},
	"medium":  {24, 576, 2, 0.20, 0},
	"large":   {36, 864, 2, 0.30, 0},
	"xlarge":  {96, 2304, 4, 0.40, 0},
	"2xlarge": {192, 4608, 8, 0.40, 0},
}

// Credits returns the credit figures of a burstable type (t2, t3, t3a,
// t4g); ok is false for any other type.
func Credits(instanceType string) (CreditSpec, bool) {
	if s, ok := creditTable[instanceType]; ok {
		return s, true
	}
	fam, size := SplitType(instanceType)
	switch fam {
	case "t3", "t3a", "t4g":
		s, ok := t3Sizes[size]
		return s, ok
	}
	return CreditSpec{}, false
}

// Burstable says whether a type earns and spends CPU credits.
func Burstable(instanceType string) bool {
	_, ok := Credits(instanceType)
	return ok
}

// Credit modes (docs/aws-model.md §5.2).
const (
	Standard  = "standard"
	Unlimited = "unlimited"
)

// DefaultCreditMode is AWS's default: standard for T2, unlimited for T3,
// T3a and T4g.
func DefaultCreditMode(instanceType string) string {
	if strings.HasPrefix(instanceType, "t2.") {
		return Standard
	}
	return Unlimited
}

// DefaultSurplusUSDPerVCPUHour is what unlimited mode charges for surplus
// credits on Linux: $0.05 per vCPU-hour (docs/aws-model.md §5.2, the EC2 user
// guide's t3.large example), i.e. $0.05/60 per credit.
const DefaultSurplusUSDPerVCPUHour = 0.05

// CreditAccount follows one instance's CPU credits minute by minute
// (docs/aws-model.md §5.2): it earns PerHour/60 credits a minute, spends
// vCPUs × utilisation, holds at most Max accrued credits (plus T2 launch
// credits, spent first, in standard mode). In standard mode the balance
// never goes below zero: the instance is held to its baseline instead —
// Step reports it. In unlimited mode the shortfall becomes surplus
// credits, paid back from later earnings; surplus beyond Max is charged
// at the end of each clock-hour, and the rest when the instance stops.
//
// The engine calls Step once per simulated minute per burstable instance
// (with the CPU the instance's requests want) to know whether it runs at
// full speed or at its baseline; billing replays InstanceRecord.CPUByMinute
// through the same account (UnlimitedSurplus).
type CreditAccount struct {
	Spec    CreditSpec
	Mode    string
	Balance float64 // accrued credits, 0 ≤ Balance ≤ Max
	Launch  float64 // T2 standard launch credits left
	Surplus float64 // unlimited: credits spent beyond the balance, not yet paid back or charged
	Charged float64 // unlimited: surplus credits charged so far
}

// NewCreditAccount opens an account at launch: zero accrued credits, and
// launch credits for T2 in standard mode.
func NewCreditAccount(spec CreditSpec, mode string) *CreditAccount {
	a := &CreditAccount{Spec: spec, Mode: mode}
	if mode == Standard {
		a.Launch = spec.LaunchCredits
	}
	return a
}

// Step accounts for a span of frac minutes (0 < frac ≤ 1) at utilisation
// util (0–100 % of all vCPUs). It returns the utilisation the instance
// could actually deliver: util, or in standard mode, once the credits are
// gone, no more than what the earnings cover (the baseline).
func (a *CreditAccount) Step(util, frac float64) float64 {
	if frac <= 0 {
		return util
	}
	util = max(0, min(100, util))
	earn := a.Spec.PerHour / 60 * frac
	spend := float64(a.Spec.VCPU) * util / 100 * frac
	if spend <= earn {
		net := earn - spend
		pay := min(a.Surplus, net)
		a.Surplus -= pay
		a.Balance = min(a.Spec.Max, a.Balance+net-pay)
		return util
	}
	need := spend - earn
	if use := min(a.Launch, need); use > 0 {
		a.Launch -= use
		need -= use
	}
	use := min(a.Balance, need)
	a.Balance -= use
	need -= use
	if need <= 0 {
		return util
	}
	if a.Mode == Unlimited {
		a.Surplus += need
		return util
	}
	// Standard: what the credits could not pay for is not delivered.
	delivered := spend - need
	return delivered / (float64(a.Spec.VCPU) * frac) * 100
}

// EndHour charges surplus beyond Max (unlimited mode), as AWS does at the
// end of each clock-hour.
func (a *CreditAccount) EndHour() {
	if a.Surplus > a.Spec.Max {
		a.Charged += a.Surplus - a.Spec.Max
		a.Surplus = a.Spec.Max
	}
}

// Stop charges the outstanding surplus, as AWS does when the instance
// stops or terminates.
func (a *CreditAccount) Stop() {
	a.Charged += a.Surplus
	a.Surplus = 0
}

// Exhausted says the instance has no credits left: in standard mode it is
// running at its baseline.
func (a *CreditAccount) Exhausted() bool { return a.Balance <= 0 && a.Launch <= 0 }
