package sim_test

import (
	"testing"

	"github.com/capsim/capsim/sim"
)

// scripted is a scaler that answers from a function of time.
type scripted struct {
	name string
	f    func(now sim.Time, g *sim.Group) sim.Proposal
}

func (s scripted) Name() string                                     { return s.name }
func (s scripted) Evaluate(now sim.Time, g *sim.Group) sim.Proposal { return s.f(now, g) }

func after(at sim.Time, p sim.Proposal) func(sim.Time, *sim.Group) sim.Proposal {
	return func(now sim.Time, _ *sim.Group) sim.Proposal {
		if now >= at {
			return p
		}
		return sim.Proposal{Want: sim.Hold, Consensus: p.Consensus}
	}
}

func intp(v int) *int { return &v }

// mergeRun runs a quiet fixed-rate fleet starting at 8 instances with the
// given scalers for 30 minutes and returns the desired capacity at the end
// and the activities.
func mergeRun(t *testing.T, scalers ...sim.Scaler) (int, []sim.Activity) {
	t.Helper()
	cfg := stepLoad(1)
	cfg.Traffic = &sim.ConstantRate{RPS: 10}
	cfg.Duration = 30 * sim.Minute
	cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = 1, 8, 20
	cfg.Fleet.Warmup = 0
	cfg.Scalers = scalers
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	return res.Minutes[len(res.Minutes)-1].Desired, res.Activities
}

// TestMergeRules holds the engine's merging of policies to AWS's rules.
func TestMergeRules(t *testing.T) {
	tt := func(name string, p sim.Proposal) sim.Scaler {
		p.Consensus = true
		return scripted{name, after(5*sim.Minute, p)}
	}
	cases := []struct {
		name    string
		scalers []sim.Scaler
		want    int
	}{
		// §1.5: target tracking scales in only if all its policies agree.
		{"tt in needs all: one holds", []sim.Scaler{
			tt("a", sim.Proposal{Want: sim.In, Desired: 2}), tt("b", sim.Proposal{Want: sim.Hold})}, 8},
		{"tt in needs all: both agree, largest wins", []sim.Scaler{
			tt("a", sim.Proposal{Want: sim.In, Desired: 2}), tt("b", sim.Proposal{Want: sim.In, Desired: 5})}, 5},
		{"tt with scale-in disabled has no vote", []sim.Scaler{
			tt("a", sim.Proposal{Want: sim.In, Desired: 3}), tt("b", sim.Proposal{Want: sim.Hold, NoScaleIn: true})}, 3},
		// §1.5: scale out if any policy wants to.
		{"out if any", []sim.Scaler{
			tt("a", sim.Proposal{Want: sim.Out, Desired: 12}), tt("b", sim.Proposal{Want: sim.In, Desired: 2})}, 12},
		// §1.3: a step scale-in is not blocked by target tracking.
		{"step scale-in fights target tracking", []sim.Scaler{
			tt("a", sim.Proposal{Want: sim.Hold}),
			scripted{"step", after(5*sim.Minute, sim.Proposal{Want: sim.In, Desired: 6})}}, 6},
		// §1.3: at 8 instances, −3 (→ 5) and −25 % (→ 6) both trigger: 6 wins.
		{"largest resulting capacity wins", []sim.Scaler{
			scripted{"minus3", after(5*sim.Minute, sim.Proposal{Want: sim.In, Desired: 5})},
			scripted{"minus25pct", after(5*sim.Minute, sim.Proposal{Want: sim.In, Desired: 6})}}, 6},
		// §1.1: max holds.
		{"max holds", []sim.Scaler{tt("a", sim.Proposal{Want: sim.Out, Desired: 99})}, 20},
		// §1.6: a predictive floor holds capacity up; dynamic scale-in stops at it.
		{"predictive floor", []sim.Scaler{
			scripted{"predictive", after(5*sim.Minute, sim.Proposal{Want: sim.Hold, Floor: intp(10)})},
			scripted{"step", after(10*sim.Minute, sim.Proposal{Want: sim.In, Desired: 3})}}, 10},
		// §1.7: a scheduled action sets min and desired.
		{"scheduled min", []sim.Scaler{
			scripted{"sched", func(now sim.Time, _ *sim.Group) sim.Proposal {
				if now == 10*sim.Minute {
					return sim.Proposal{Want: sim.Hold, SetMin: intp(9), SetDesired: intp(9)}
				}
				return sim.Proposal{Want: sim.Hold}
			}},
			scripted{"step", after(15*sim.Minute, sim.Proposal{Want: sim.In, Desired: 3})}}, 9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, acts := mergeRun(t, c.scalers...)
			if got != c.want {
				t.Errorf("desired %d, want %d; activities %+v", got, c.want, acts)
			}
		})
	}
}

// TestWarmupBlocksScaleIn: no policy scales in while an instance warms up
// (docs/aws-model.md §1.4), and the log says why.
func TestWarmupBlocksScaleIn(t *testing.T) {
	cfg := stepLoad(1)
	cfg.Traffic = &sim.ConstantRate{RPS: 10}
	cfg.Duration = 20 * sim.Minute
	cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = 1, 4, 20
	cfg.Fleet.Warmup = 10 * sim.Minute
	cfg.Scalers = []sim.Scaler{
		scripted{"out", func(now sim.Time, _ *sim.Group) sim.Proposal {
			if now == sim.Minute {
				return sim.Proposal{Want: sim.Out, Desired: 6}
			}
			return sim.Proposal{Want: sim.Hold}
		}},
		scripted{"in", after(2*sim.Minute, sim.Proposal{Want: sim.In, Desired: 2})},
	}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	blocked := false
	for _, a := range res.Activities {
		if a.Reason == "scale-in blocked by warm-up" {
			blocked = true
		}
		if a.To < a.From && a.Time < sim.Minute+2*sim.Minute+10*sim.Minute-sim.Minute {
			t.Errorf("scaled in at %v while instances launched at 1m were warming: %+v", a.Time, a)
		}
	}
	if !blocked {
		t.Errorf("no 'blocked by warm-up' note: %+v", res.Activities)
	}
	if d := res.Minutes[len(res.Minutes)-1].Desired; d != 2 {
		t.Errorf("desired %d at the end, want 2 once warm-up is over", d)
	}
}
