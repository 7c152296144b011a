package policies

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestRateLimit: THROTTLE, a maximum step and a minimum interval between
// actions (docs/architecture.md).
func TestRateLimit(t *testing.T) {
	s := time.Second
	r := RateLimit{MaxStep: 3, MinInterval: 120 * s}
	cases := []struct {
		name              string
		now, last         time.Duration
		current, proposed int
		want              int
		throttled         bool
	}{
		{"no change", 1000 * s, 990 * s, 5, 5, 5, false},
		{"first action, small step", 10 * s, NoActivity, 5, 7, 7, false},
		{"step limited out", 1000 * s, 0, 5, 12, 8, true},
		{"step limited in", 1000 * s, 0, 10, 2, 7, true},
		{"exactly the max step", 1000 * s, 0, 5, 8, 8, false},
		{"too soon after the last action", 1000 * s, 900 * s, 5, 6, 5, true},
		{"the minimum interval has passed", 1020 * s, 900 * s, 5, 6, 6, false},
	}
	for _, c := range cases {
		got, reason := r.Filter(c.now, c.last, c.current, c.proposed)
		if got != c.want || (reason != "") != c.throttled {
			t.Errorf("%s: got %d %q, want %d (throttled %v)", c.name, got, reason, c.want, c.throttled)
		}
	}
	if got, _ := (RateLimit{}).Filter(0, 0, 1, 100); got != 100 {
		t.Errorf("no limits: got %d, want 100", got)
	}
	if err := (RateLimit{MaxStep: -1}).Validate(); err == nil || !strings.Contains(err.Error(), "max_step -1") {
		t.Errorf("Validate: %v", err)
	}
}

// TestBudget: PRICE, an hourly budget cap that limits scale-out, and a
// spot-price threshold (docs/architecture.md).
func TestBudget(t *testing.T) {
	within := []struct {
		budget, price float64
		want          int
	}{
		{0.96, 0.096, 10}, // m5.large: 0.96/0.096 is 9.999… in floating point
		{1.00, 0.096, 10},
		{0.95, 0.096, 9},
		{0.05, 0.096, 0},
		{10, 0, math.MaxInt},
		{-1, 0.1, 0},
	}
	for _, c := range within {
		if got := MaxInstancesWithin(c.budget, c.price); got != c.want {
			t.Errorf("MaxInstancesWithin(%g, %g) = %d, want %d", c.budget, c.price, got, c.want)
		}
	}
	b := BudgetCap{USDPerHour: 0.96}
	cases := []struct {
		name              string
		current, proposed int
		price             float64
		want              int
		capped            bool
	}{
		{"within budget", 4, 8, 0.096, 8, false},
		{"capped at 10", 4, 15, 0.096, 10, true},
		{"spot price halves the cost", 4, 15, 0.048, 15, false},
		{"already above the cap: keep, never scale in", 12, 15, 0.096, 12, true},
		{"scale-in passes", 12, 9, 0.096, 9, false},
	}
	for _, c := range cases {
		got, reason := b.Filter(c.current, c.proposed, c.price)
		if got != c.want || (reason != "") != c.capped {
			t.Errorf("%s: got %d %q, want %d (capped %v)", c.name, got, reason, c.want, c.capped)
		}
	}
	if err := (BudgetCap{}).Validate(); err == nil {
		t.Error("a zero budget validates")
	}
	g := SpotPriceGuard{MaxUSDPerHour: 0.05}
	if got, _ := g.Filter(4, 8, 0.04); got != 8 {
		t.Errorf("cheap spot: got %d, want 8", got)
	}
	if got, reason := g.Filter(4, 8, 0.07); got != 4 || reason == "" {
		t.Errorf("dear spot: got %d %q, want 4 held", got, reason)
	}
	if got, _ := g.Filter(8, 4, 0.07); got != 4 {
		t.Errorf("scale-in while dear: got %d, want 4", got)
	}
}
