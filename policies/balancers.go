package policies

import (
	"fmt"
	"sort"
	"strings"

	"github.com/capsim/capsim/sim"
)

// Balancers lists the load-balancing algorithms by scenario name.
var Balancers = map[string]func() sim.Balancer{
	"round_robin":                func() sim.Balancer { return &RoundRobin{} },
	"least_outstanding_requests": func() sim.Balancer { return &LeastOutstanding{} },
	"random":                     func() sim.Balancer { return Random{} },
	"power_of_two":               func() sim.Balancer { return PowerOfTwo{} },
}

// BalancerNames returns the algorithm names, sorted, for error messages.
func BalancerNames() []string {
	var n []string
	for k := range Balancers {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// NewBalancer returns the algorithm with this scenario name.
func NewBalancer(name string) (sim.Balancer, error) {
	f, ok := Balancers[name]
	if !ok {
		return nil, fmt.Errorf("unknown load-balancing algorithm %q (known: %s)", name, strings.Join(BalancerNames(), ", "))
	}
	return f(), nil
}

var (
	_ sim.Balancer = (*RoundRobin)(nil)
	_ sim.Balancer = (*LeastOutstanding)(nil)
	_ sim.Balancer = Random{}
	_ sim.Balancer = PowerOfTwo{}
)

// RoundRobin sends each request to the next target in turn: the ALB default
// (AWS-SEMANTICS §4.1).
type RoundRobin struct{ next int }

func (r *RoundRobin) Pick(t *sim.Targets) int {
	if r.next >= t.Len() {
		r.next = 0
	}
	p := r.next
	r.next++
	return p
}

// LeastOutstanding sends each request to the target with the fewest
// requests in flight (ALB least_outstanding_requests). Ties go to the
// first such target after the previous pick, so equal targets share load
// evenly instead of the first one taking every tie.
type LeastOutstanding struct{ start int }

func (l *LeastOutstanding) Pick(t *sim.Targets) int {
	n := t.Len()
	if l.start >= n {
		l.start = 0
	}
	best, bestN := l.start, t.Outstanding(l.start)
	for k := 1; k < n && bestN > 0; k++ {
		i := l.start + k
		if i >= n {
			i -= n
		}
		if o := t.Outstanding(i); o < bestN {
			best, bestN = i, o
		}
	}
	l.start = best + 1
	return best
}

// Random picks a target uniformly at random.
type Random struct{}

func (Random) Pick(t *sim.Targets) int { return t.Rand().IntN(t.Len()) }

// PowerOfTwo samples two distinct targets at random and picks the one with
// fewer requests in flight: the "supermarket model" (Mitzenmacher), and
// HAProxy's random(2).
type PowerOfTwo struct{}

func (PowerOfTwo) Pick(t *sim.Targets) int {
	n := t.Len()
	a := t.Rand().IntN(n)
	b := t.Rand().IntN(n - 1)
	if b >= a {
		b++
	}
	if t.Outstanding(b) < t.Outstanding(a) {
		return b
	}
	return a
}
