package scenarios

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/capsim/capsim/sim"
)

// policyKind is one type of scaling policy: the keys it takes (besides
// name and type), its checks (which fill its defaults) and how it is built
// into the engine's scaler.
type policyKind struct {
	name  string
	keys  []string
	check func(c *checker, p string, pol *Policy)
	build func(pol Policy) (sim.Scaler, error)
}

// policyKinds is every policy type, one file each (policy_*.go). A new
// type is its file, a line here and its keys in Policy (scenario.go).
var policyKinds = []*policyKind{&targetTrackingKind, &stepKind, &simpleKind, &scheduledKind, &predictiveKind, &hpaKind}

// policyKindOf finds a policy type by name.
func policyKindOf(name string) (*policyKind, bool) {
	i := slices.IndexFunc(policyKinds, func(k *policyKind) bool { return k.name == name })
	if i < 0 {
		return nil, false
	}
	return policyKinds[i], true
}

// allPolicyKeys is every type's keys, sorted.
var allPolicyKeys = func() []string {
	var all []string
	for _, k := range policyKinds {
		for _, key := range k.keys {
			if !slices.Contains(all, key) {
				all = append(all, key)
			}
		}
	}
	sort.Strings(all)
	return all
}()

// policyTypeNames lists the type names in the table's order.
func policyTypeNames() []string {
	var t []string
	for _, k := range policyKinds {
		t = append(t, k.name)
	}
	return t
}

// policyTypes lists the type names, sorted.
func policyTypes() []string {
	t := policyTypeNames()
	sort.Strings(t)
	return t
}

// policy checks one scaling policy and fills its defaults.
func (c *checker) policy(p string, pol *Policy) {
	if !c.given(p) {
		c.bad(p, "is empty: a policy needs a type, e.g. {type: target_tracking, metric: cpu, target: 50}")
		return
	}
	if !c.given(p + ".type") {
		c.bad(p, "needs a type: %s", strings.Join(policyTypes(), ", "))
		return
	}
	kind, ok := policyKindOf(pol.Type)
	if !ok {
		c.bad(p+".type", "unknown policy type %q%s", pol.Type, choices(pol.Type, policyTypes()))
		return
	}
	for _, k := range allPolicyKeys {
		if c.given(p+"."+k) && !slices.Contains(kind.keys, k) {
			c.bad(p+"."+k, "does not apply to a %s policy (it takes %s)", pol.Type, strings.Join(kind.keys, ", "))
		}
	}
	kind.check(c, p, pol)
}

// build makes the engine's scaler for this policy.
func (pol Policy) build() (sim.Scaler, error) {
	if kind, ok := policyKindOf(pol.Type); ok {
		return kind.build(pol)
	}
	return nil, fmt.Errorf("unknown policy type %q", pol.Type)
}
