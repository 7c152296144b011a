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
	"weighted_random":            func() sim.Balancer { return WeightedRandom{} },
	"least_connections":          func() sim.Balancer { return &LeastConnections{} },
	"weighted_round_robin":       func() sim.Balancer { return &WeightedRoundRobin{} },
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
	_ sim.Balancer = WeightedRandom{}
	_ sim.Balancer = (*LeastConnections)(nil)
	_ sim.Balancer = (*WeightedRoundRobin)(nil)
)

// RoundRobin sends each request to the next target in turn: the ALB default
// (docs/aws-model.md §4.1).
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
// fewer requests in flight: the "supermarket model" (Mitzenmacher) without
// drawing the same target twice. Mitzenmacher's d choices and HAProxy's
// random(2) are independent draws, which may coincide (HAProxyRandom); the
// two agree as the fleet grows, and differ on a small one (one request in
// four has a single choice among four targets).
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

// WeightedRandom picks a target with probability proportional to its
// weight (ALB weighted_random, docs/aws-model.md §4.1; without anomaly
// mitigation, which capsim does not model). Weight is capacity (vCPU ×
// speed) times the slow-start ramp.
type WeightedRandom struct{}

func (WeightedRandom) Pick(t *sim.Targets) int {
	n := t.Len()
	var total float64
	for i := range n {
		total += t.Weight(i)
	}
	x := t.Rand().Float64() * total
	for i := range n {
		x -= t.Weight(i)
		if x < 0 {
			return i
		}
	}
	return n - 1
}

// LeastConnections picks the target with the fewest open connections per
// unit of weight (weighted least connections, as HAProxy's leastconn and
// nginx's least_conn do with server weights). On a fleet of one instance
// type it routes like least outstanding requests; on a mixed fleet it
// loads big instances in proportion to their size.
type LeastConnections struct{ start int }

func (l *LeastConnections) Pick(t *sim.Targets) int {
	n := t.Len()
	if l.start >= n {
		l.start = 0
	}
	best, bestV := -1, 0.0
	for k := range n {
		i := l.start + k
		if i >= n {
			i -= n
		}
		w := t.Weight(i)
		if w <= 0 {
			continue
		}
		if v := float64(t.Connections(i)+1) / w; best < 0 || v < bestV {
			best, bestV = i, v
		}
	}
	if best < 0 {
		best = l.start
	}
	l.start = best + 1
	return best
}

// WeightedRoundRobin is smooth weighted round robin (the nginx algorithm):
// each pick adds every target's weight to its running score, takes the
// highest score and subtracts the total from it. Over a cycle each target
// gets its share of picks, spread evenly rather than in bursts.
type WeightedRoundRobin struct{ score []float64 }

func (w *WeightedRoundRobin) Pick(t *sim.Targets) int {
	n := t.Len()
	if len(w.score) != n {
		// The target set changed: start a fresh cycle.
		w.score = append(w.score[:0], make([]float64, n)...)
	}
	best, total := 0, 0.0
	for i := range n {
		wt := t.Weight(i)
		w.score[i] += wt
		total += wt
		if w.score[i] > w.score[best] {
			best = i
		}
	}
	w.score[best] -= total
	return best
}

// UsesWeights tells the engine these algorithms apply target weights (and
// so the slow-start ramp) themselves.
func (WeightedRandom) UsesWeights() bool      { return true }
func (*LeastConnections) UsesWeights() bool   { return true }
func (*WeightedRoundRobin) UsesWeights() bool { return true }

func (r *RoundRobin) String() string         { return "round_robin" }
func (l *LeastOutstanding) String() string   { return "least_outstanding_requests" }
func (Random) String() string                { return "random" }
func (PowerOfTwo) String() string            { return "power_of_two" }
func (WeightedRandom) String() string        { return "weighted_random" }
func (l *LeastConnections) String() string   { return "least_connections" }
func (w *WeightedRoundRobin) String() string { return "weighted_round_robin" }
