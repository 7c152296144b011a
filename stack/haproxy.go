package stack

import (
	"fmt"
	"strings"
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// Balance maps a scenario's load_balancer.algorithm to HAProxy's balance
// directive (HAProxy 2.6 configuration.txt, "balance"):
//
//	round_robin, weighted_round_robin       → roundrobin (smooth weighted RR)
//	least_outstanding_requests,
//	least_connections                       → leastconn (fewest active connections)
//	random, weighted_random                 → random(1) (one weighted random draw)
//	power_of_two                            → random(2) (best of two random draws)
//
// A bare "random" is random(2) in HAProxy (its number of draws defaults to
// 2), hence random(1) for the scenario's random. In a fixed fleet of one
// instance type every weight is equal, so the weighted variants are their
// unweighted selves. HAProxy's random(2) is not quite the simulator's
// power_of_two: SimBalancer says how the simulated side matches it.
func Balance(algorithm string) (string, error) {
	switch algorithm {
	case "round_robin", "weighted_round_robin":
		return "roundrobin", nil
	case "least_outstanding_requests", "least_connections":
		return "leastconn", nil
	case "random", "weighted_random":
		return "random(1)", nil
	case "power_of_two":
		return "random(2)", nil
	}
	return "", fmt.Errorf("load_balancer.algorithm %q has no HAProxy equivalent in validate", algorithm)
}

// SimBalancer is the balancer the simulated side of a validation on
// HAProxy runs for algorithm, and a note for the plan; nil when it is the
// scenario's own. HAProxy's random(2) draws its two servers independently,
// so both may be the same one (src/backend.c, get_server_rnd, in 2.6), where
// the scenario's power_of_two draws two distinct targets; with four
// servers one request in four then has a single choice, which lengthens
// the queues (docs/validation-scaling.md measures by how much). The
// simulation of the validation makes HAProxy's choice, so that both sides
// run the same algorithm and what differs is the stack.
func SimBalancer(algorithm string) (sim.Balancer, string) {
	if algorithm == "power_of_two" {
		return policies.HAProxyRandom{Draws: 2}, "power_of_two simulated as HAProxy's random(2) makes it: two independent draws (the same server possible), the less busy wins"
	}
	return nil, ""
}

// ServerWeight is every server's weight: the largest HAProxy takes. Equal
// weights route as no weights for roundrobin and leastconn; for random
// they size the consistent-hash ring the draws land on (16 points per unit
// of weight, src/lb_chash.c), and with 4,096 points each every server's
// share of the ring is within about a percent of equal, where the default
// weight of 1 (16 points) leaves shares uneven (TestHAProxyRandomShares
// measures both).
const ServerWeight = 256

// Server is one backend as HAProxy sees it.
type Server struct {
	Name    string // made a valid HAProxy identifier by Ident
	Addr    string // host:port
	MaxConn int    // the instance's slots: more requests wait in HAProxy's queue
}

// HAProxyConfig is everything the generated configuration depends on.
type HAProxyConfig struct {
	Name    string // the scenario's name: the backend is called after it
	Balance string // from Balance
	// Bind is the frontend's address: "fd@3" for a listening socket the
	// parent passes in (no port race), or host:port.
	Bind string
	// Socket is the admin socket's path (the runtime API, ECOSYSTEM §1.3).
	Socket string
	// Queue is how long a request may wait in HAProxy's queue for a free
	// server slot: the scenario's client timeout. (HAProxy's default is
	// timeout connect, which would turn queueing into early 503s.)
	Queue   time.Duration
	Servers []Server
}

// Ident makes s a valid HAProxy proxy or server name: letters, digits and
// '-', '_', '.', ':' are kept, anything else becomes '_'; an empty name
// becomes "_".
func Ident(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '-', r == '_', r == '.', r == ':':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// quote writes s as one HAProxy configuration word in single quotes, where
// nothing is expanded or escaped; a single quote itself closes the quotes,
// is written escaped outside them, and reopens them.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ms writes d as HAProxy milliseconds, at least 1.
func ms(d time.Duration) string {
	return fmt.Sprintf("%dms", max(1, d.Milliseconds()))
}

// Render writes the configuration. It checks what HAProxy would reject
// later with a less useful message.
func (c HAProxyConfig) Render() (string, error) {
	if c.Balance == "" {
		return "", fmt.Errorf("haproxy config: no balance algorithm")
	}
	if len(c.Servers) == 0 {
		return "", fmt.Errorf("haproxy config: no servers")
	}
	if c.Queue <= 0 {
		return "", fmt.Errorf("haproxy config: timeout queue must be > 0")
	}
	if strings.ContainsAny(c.Socket+c.Bind, "\n\r\x00") {
		return "", fmt.Errorf("haproxy config: a path contains a line break or NUL")
	}
	for _, s := range c.Servers {
		if s.MaxConn < 1 {
			return "", fmt.Errorf("haproxy config: server %s: maxconn must be >= 1", s.Name)
		}
	}
	// The client and server timeouts only guard against a stuck peer: the
	// client's own timeout (Queue) is what ends a slow request, so both
	// are longer than it.
	long := c.Queue + 5*time.Second
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	w("# generated by capsim validate for scenario %s", Ident(c.Name))
	w("global")
	w("    maxconn 8000")
	// A soft stop (SIGUSR1) waits for open connections; bound it.
	w("    hard-stop-after 2s")
	w("    stats socket %s mode 600 level admin", quote(c.Socket))
	w("defaults")
	w("    mode http")
	w("    timeout connect 2s")
	w("    timeout client %s", ms(long))
	w("    timeout server %s", ms(long))
	w("    timeout queue %s", ms(c.Queue))
	w("    retries 0")
	// Reuse idle connections to the backends for any request: a new
	// connection per request would hold a slot longer than the service.
	w("    http-reuse always")
	w("frontend fe")
	w("    bind %s", quote(c.Bind))
	w("    maxconn 8000")
	w("    default_backend %s", "be_"+Ident(c.Name))
	w("backend %s", "be_"+Ident(c.Name))
	w("    balance %s", c.Balance)
	seen := map[string]bool{}
	for _, s := range c.Servers {
		name := Ident(s.Name)
		if seen[name] {
			return "", fmt.Errorf("haproxy config: two servers are named %s", name)
		}
		seen[name] = true
		w("    server %s %s maxconn %d weight %d", name, quote(s.Addr), s.MaxConn, ServerWeight)
	}
	return b.String(), nil
}
