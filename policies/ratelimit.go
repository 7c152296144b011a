package policies

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Guards that filter a proposed capacity after the scaling policies have
// merged: the THROTTLE and PRICE trigger kinds of the original brief
// (docs/architecture.md). Each is a pure function of the proposal and the state
// the caller passes in; the reason says why a proposal was cut, "" if it
// was not.

// RateLimit (THROTTLE) limits scaling actions: at most MaxStep instances
// added or removed per action (0 = no limit), and at least MinInterval
// between the start of one action and the next (0 = none).
type RateLimit struct {
	MaxStep     int
	MinInterval time.Duration
}

func (r RateLimit) String() string {
	step := "any step"
	if r.MaxStep > 0 {
		step = fmt.Sprintf("±%d per action", r.MaxStep)
	}
	return fmt.Sprintf("RateLimit{%s, ≥ %v apart}", step, r.MinInterval)
}

// Validate checks the limits.
func (r RateLimit) Validate() error {
	var errs []error
	if r.MaxStep < 0 {
		errs = append(errs, fmt.Errorf("max_step %d: must be ≥ 0 (0 = no limit)", r.MaxStep))
	}
	if r.MinInterval < 0 {
		errs = append(errs, fmt.Errorf("min_interval %v: must be ≥ 0", r.MinInterval))
	}
	return errors.Join(errs...)
}

// Filter returns the capacity allowed at now for a proposal, given the
// time of the last scaling action (NoActivity if none) and the current
// capacity:
//
//	now − last < MinInterval → current (throttled)
//	|proposed − current| > MaxStep → current ± MaxStep
//	otherwise → proposed
func (r RateLimit) Filter(now, lastAction time.Duration, current, proposed int) (allowed int, reason string) {
	if proposed == current {
		return current, ""
	}
	if lastAction != NoActivity && r.MinInterval > 0 && now-lastAction < r.MinInterval {
		return current, fmt.Sprintf("throttled: last scaling action %v ago, minimum interval %v", now-lastAction, r.MinInterval)
	}
	if r.MaxStep > 0 && absInt(proposed-current) > r.MaxStep {
		allowed = current + r.MaxStep*signInt(proposed-current)
		return allowed, fmt.Sprintf("throttled: step %+d limited to %+d (max step %d)", proposed-current, allowed-current, r.MaxStep)
	}
	return proposed, ""
}

// MaxInstancesWithin is how many instances an hourly budget pays for:
// floor(budget / price) (a tolerance of 1e-9 absorbs float error, so
// $0.96 at $0.096 is 10). A price ≤ 0 is no limit (math.MaxInt); a negative
// budget is 0.
func MaxInstancesWithin(budgetUSDPerHour, pricePerInstanceHour float64) int {
	if pricePerInstanceHour <= 0 {
		return math.MaxInt
	}
	if budgetUSDPerHour <= 0 {
		return 0
	}
	n := math.Floor(budgetUSDPerHour/pricePerInstanceHour + 1e-9)
	if n >= math.MaxInt {
		return math.MaxInt
	}
	return int(n)
}

// BudgetCap (PRICE) caps scale-out at what an hourly budget pays for at the
// current per-instance price (on-demand, or the spot price in effect). It
// never causes a scale-in: above the cap, the group keeps what it has.
type BudgetCap struct {
	USDPerHour float64
}

func (b BudgetCap) String() string { return fmt.Sprintf("BudgetCap{$%g/h}", b.USDPerHour) }

// Validate checks the budget.
func (b BudgetCap) Validate() error {
	if !(b.USDPerHour > 0) {
		return fmt.Errorf("budget_usd_per_hour %g: must be > 0", b.USDPerHour)
	}
	return nil
}

// Filter returns the capacity allowed for a proposal at the given
// per-instance hourly price:
//
//	proposed ≤ current → proposed (scale-in is never blocked)
//	otherwise → max(current, min(proposed, MaxInstancesWithin(budget, price)))
func (b BudgetCap) Filter(current, proposed int, pricePerInstanceHour float64) (allowed int, reason string) {
	if proposed <= current {
		return proposed, ""
	}
	limit := MaxInstancesWithin(b.USDPerHour, pricePerInstanceHour)
	if proposed <= limit {
		return proposed, ""
	}
	allowed = max(current, limit)
	return allowed, fmt.Sprintf("budget: $%g/h pays for %d instances at $%g/h; %d wanted", b.USDPerHour, limit, pricePerInstanceHour, proposed)
}

// SpotPriceGuard (PRICE) holds scale-out while the spot price is above a
// threshold. Scale-in is never blocked.
type SpotPriceGuard struct {
	MaxUSDPerHour float64
}

func (g SpotPriceGuard) String() string {
	return fmt.Sprintf("SpotPriceGuard{scale out only at ≤ $%g/h}", g.MaxUSDPerHour)
}

// Filter returns current instead of a scale-out while spotPrice exceeds
// the threshold.
func (g SpotPriceGuard) Filter(current, proposed int, spotPrice float64) (allowed int, reason string) {
	if proposed <= current || spotPrice <= g.MaxUSDPerHour {
		return proposed, ""
	}
	return current, fmt.Sprintf("spot price $%g/h above the $%g/h threshold: scale-out held", spotPrice, g.MaxUSDPerHour)
}
