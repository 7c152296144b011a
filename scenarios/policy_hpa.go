package scenarios

import (
	"fmt"
	"math"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// hpaKind is the Kubernetes Horizontal Pod Autoscaler (docs/hpa.md).
var hpaKind = policyKind{
	name:  "hpa",
	keys:  []string{"metric", "target", "tolerance", "behavior"},
	check: (*checker).hpa,
	build: buildHPA,
}

func (c *checker) hpa(p string, pol *Policy) {
	if !c.given(p + ".metric") {
		pol.Metric = "cpu"
	} else if pol.Metric != "cpu" {
		c.bad(p+".metric", "the HPA here scales on cpu utilisation only, got %q", pol.Metric)
	}
	c.target(p, pol)
	if !c.has(p + ".tolerance") {
		pol.Tolerance = 0.1
	} else if pol.Tolerance < 0 || pol.Tolerance >= 1 {
		c.bad(p+".tolerance", "must be in [0, 1), got %g", pol.Tolerance)
	}
	if !c.has(p + ".name") {
		pol.Name = fmt.Sprintf("hpa-cpu-%g", pol.Target)
	}
	if b, err := pol.hpaBehavior(); err != nil {
		c.bad(p+".behavior", "%v", err)
	} else if err := b.Validate(); err != nil && !c.brokenUnder(p+".behavior") {
		c.badEach(p+".behavior", err, nil)
	}
}

// buildHPA makes an HPA scaler: the replica calculator and the controller (legacy or behavior path).
func buildHPA(pol Policy) (sim.Scaler, error) {
	b, err := pol.hpaBehavior()
	if err != nil {
		return nil, err
	}
	calc := policies.NewReplicaCalculator()
	calc.Tolerance = pol.Tolerance
	// No behavior key: the controller's legacy path; a behavior key,
	// even empty: the behavior path with the API server's defaults
	// filled in (docs/hpa.md).
	ctl := policies.NewLegacyHPA(1, 1)
	if pol.Behavior != nil {
		ctl = policies.NewHPA(1, 1)
		ctl.Behavior = b
	}
	return &policies.HPAScaler{PolicyName: pol.Name, TargetCPU: int64(math.Round(pol.Target)), Calc: calc, Controller: ctl}, nil
}

// hpaBehavior is the behavior with the API server's defaults filled in
// (the defaults alone when the key is absent; build then takes the legacy
// path instead).
func (pol Policy) hpaBehavior() (policies.HPABehavior, error) {
	b := policies.DefaultHPABehavior()
	if pol.Behavior == nil {
		return b, nil
	}
	rules := func(r *HPARules, into *policies.HPARules) error {
		if r == nil {
			return nil
		}
		if r.StabilizationWindow != nil {
			into.StabilizationWindow = r.StabilizationWindow.D()
		}
		switch r.SelectPolicy {
		case "", "Max":
			into.SelectPolicy = policies.SelectMax
		case "Min":
			into.SelectPolicy = policies.SelectMin
		case "Disabled":
			into.SelectPolicy = policies.SelectDisabled
		default:
			return fmt.Errorf("unknown select_policy %q (Max, Min, Disabled)", r.SelectPolicy)
		}
		if len(r.Policies) > 0 {
			into.Policies = nil
			for _, p := range r.Policies {
				t := policies.HPAPods
				switch p.Type {
				case "Pods":
				case "Percent":
					t = policies.HPAPercent
				default:
					return fmt.Errorf("unknown policy type %q (Pods, Percent)", p.Type)
				}
				into.Policies = append(into.Policies, policies.HPAPolicy{Type: t, Value: p.Value, Period: p.Period.D()})
			}
		}
		return nil
	}
	if err := rules(pol.Behavior.ScaleUp, &b.ScaleUp); err != nil {
		return b, fmt.Errorf("scale_up: %w", err)
	}
	if err := rules(pol.Behavior.ScaleDown, &b.ScaleDown); err != nil {
		return b, fmt.Errorf("scale_down: %w", err)
	}
	return b, nil
}
