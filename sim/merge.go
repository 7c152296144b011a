package sim

import (
	"fmt"
	"slices"
)

// groupLimits are the bounds on desired capacity: min and max (changed by
// scheduled actions), and predictive scaling's floor and raised max
// (docs/aws-model.md §1.1, §1.6, §1.7).
type groupLimits struct {
	Min, Max  int
	Floor     int    // predictive scaling's capacity floor
	FloorBy   string // who set the floor, and why
	RaisedMax int    // predictive IncreaseMaxCapacity; 0: none
}

// effectiveMax is max, or predictive scaling's raised max when higher.
func (l groupLimits) effectiveMax() int { return max(l.Max, l.RaisedMax) }

// proposed is one policy's answer, with its name.
type proposed struct {
	name string
	p    Proposal
}

// mergeInput is what merge decides from: the policies' answers at one
// evaluation, the group's limits and desired capacity, and how many
// launched instances have not finished their warm-up.
type mergeInput struct {
	Proposals []proposed
	Limits    groupLimits
	Desired   int
	Warming   int // in service and warming, or still launching
}

// stepKind is what the engine does with one step of a decision.
type stepKind uint8

const (
	// stepScheduled is a scheduled action: recorded and applied at once,
	// with no cooldown and no guard (docs/aws-model.md §1.2, §1.7).
	stepScheduled stepKind = iota
	// stepNote is a decision not taken, and why.
	stepNote
	// stepScale is the dynamic decision: the guards limit it, then it is
	// recorded and applied.
	stepScale
)

// mergeStep is one step of a decision. Limits are the group's limits once
// the step applies; From is the desired capacity before it.
type mergeStep struct {
	Kind     stepKind
	Policy   string
	From, To int
	Reason   string
	Limits   groupLimits
}

// decision is merge's answer: the steps, in the order the engine records
// and applies them, and the limits after the evaluation.
type decision struct {
	Steps  []mergeStep
	Limits groupLimits
}

// merge combines the policies' answers in AWS's order (docs/aws-model.md
// §1.3–§1.7). It is a pure function of its input:
//  1. scheduled actions set min, max and desired (no cooldown applies);
//  2. predictive scaling sets a capacity floor, and may raise max;
//  3. dynamic policies: target-tracking policies scale out if any wants to
//     and in only if all that may scale in agree; every other triggered
//     policy counts on its own; among all, the largest resulting capacity
//     wins, for scale-out and scale-in alike;
//  4. no scale-in while a launched instance has not finished its warm-up;
//     min and max always hold.
func merge(in mergeInput) decision {
	m := merger{lim: in.Limits, desired: in.Desired}
	m.scheduled(in.Proposals)
	m.predictive(in.Proposals)
	m.dynamic(in.Proposals, in.Warming)
	return decision{Steps: m.steps, Limits: m.lim}
}

// merger holds the state of one merge as its steps change it.
type merger struct {
	lim     groupLimits
	desired int
	steps   []mergeStep
}

func (m *merger) step(k stepKind, policy string, to int, reason string) {
	m.steps = append(m.steps, mergeStep{Kind: k, Policy: policy, From: m.desired, To: to, Reason: reason, Limits: m.lim})
}

func (m *merger) note(policy, reason string) { m.step(stepNote, policy, m.desired, reason) }

func (m *merger) scheduled(props []proposed) {
	for _, x := range props {
		p := x.p
		if p.SetMin == nil && p.SetMax == nil && p.SetDesired == nil {
			continue
		}
		if p.SetMin != nil {
			m.lim.Min = *p.SetMin
		}
		if p.SetMax != nil {
			m.lim.Max = *p.SetMax
		}
		if m.lim.Min > m.lim.Max { // AWS rejects such an action; keep the group valid
			m.lim.Max = m.lim.Min
		}
		to := m.desired
		if p.SetDesired != nil {
			to = *p.SetDesired
		}
		to = min(max(to, m.lim.Min), m.lim.effectiveMax())
		reason := p.Reason
		if reason == "" {
			reason = fmt.Sprintf("scheduled: min %d, max %d", m.lim.Min, m.lim.Max)
		}
		m.step(stepScheduled, x.name, to, reason)
		m.desired = to
	}
}

func (m *merger) predictive(props []proposed) {
	for _, x := range props {
		if x.p.Floor == nil {
			continue
		}
		m.lim.Floor, m.lim.FloorBy = *x.p.Floor, x.name+": "+x.p.Reason
		m.lim.RaisedMax = x.p.RaiseMax
	}
}

func (m *merger) dynamic(props []proposed, warming int) {
	out, outBy := -1, ""
	var ins []proposed
	consensusIn := true
	anyConsensusIn := false
	for _, x := range props {
		p := x.p
		switch p.Want {
		case Out:
			if p.Desired > out {
				out, outBy = p.Desired, x.name+": "+p.Reason
			}
		case In:
			if p.Consensus {
				anyConsensusIn = true
			}
			ins = append(ins, x)
		default:
			if p.Consensus && !p.NoScaleIn {
				consensusIn = false
			}
			if p.Want == NoData {
				m.note(x.name, "insufficient data: "+p.Reason)
			} else if p.Blocked != "" {
				m.note(x.name, p.Blocked)
			}
		}
	}
	// Target tracking scales in only when all its policies agree.
	if anyConsensusIn && !consensusIn {
		ins = slices.DeleteFunc(ins, func(x proposed) bool { return x.p.Consensus })
	}
	hi := m.lim.effectiveMax()
	switch {
	case out > m.desired:
		to := min(out, hi)
		if to == m.desired {
			m.note("group", "at max capacity")
			return
		}
		if to < out { // the reason's from → to asked for more than max allows
			outBy += fmt.Sprintf("; capped at max %d", hi)
		}
		m.step(stepScale, "group", to, outBy)
		return
	case len(ins) > 0:
		// The largest resulting capacity wins (docs/aws-model.md §1.3).
		best := ins[0]
		for _, x := range ins[1:] {
			if x.p.Desired > best.p.Desired {
				best = x
			}
		}
		if best.p.Desired < m.desired {
			if warming > 0 {
				m.note("group", "scale-in blocked by warm-up")
				break
			}
			to := max(best.p.Desired, m.lim.Min, m.lim.Floor)
			if to >= m.desired {
				if m.lim.Floor > best.p.Desired && m.lim.Floor >= m.desired {
					m.note("group", "scale-in held by the predictive floor")
				} else {
					m.note("group", "at min capacity")
				}
				break
			}
			reason := best.name + ": " + best.p.Reason
			switch {
			case to > best.p.Desired && to == m.lim.Floor && m.lim.Floor > m.lim.Min:
				reason += fmt.Sprintf("; held at the predictive floor %d", to)
			case to > best.p.Desired:
				reason += fmt.Sprintf("; held at min %d", to)
			}
			m.step(stepScale, "group", to, reason)
			return
		}
	}
	if m.lim.Floor > m.desired {
		m.step(stepScale, "group", min(m.lim.Floor, hi), m.lim.FloorBy)
	}
}
