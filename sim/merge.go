package sim

import (
	"fmt"
	"slices"
)

// GroupLimits are the bounds on desired capacity: min and max (changed by
// scheduled actions), and predictive scaling's floor and raised max
// (docs/aws-model.md §1.1, §1.6, §1.7).
type GroupLimits struct {
	Min, Max  int
	Floor     int    // predictive scaling's capacity floor
	FloorBy   string // who set the floor, and why
	RaisedMax int    // predictive IncreaseMaxCapacity; 0: none
}

// EffectiveMax is max, or predictive scaling's raised max when higher.
func (l GroupLimits) EffectiveMax() int { return max(l.Max, l.RaisedMax) }

// Proposed is one policy's answer, with its name.
type Proposed struct {
	Name     string
	Proposal Proposal
}

// MergeInput is what Merge decides from: the policies' answers at one
// evaluation, the group's limits and desired capacity, and how many
// launched instances have not finished their warm-up.
type MergeInput struct {
	Proposals []Proposed
	Limits    GroupLimits
	Desired   int
	Warming   int // in service and warming, or still launching
}

// StepKind is what the engine does with one step of a decision.
type StepKind uint8

const (
	// StepScheduled is a scheduled action: recorded and applied at once,
	// with no cooldown and no guard (docs/aws-model.md §1.2, §1.7).
	StepScheduled StepKind = iota
	// StepNote is a decision not taken, and why.
	StepNote
	// StepScale is the dynamic decision: the guards limit it, then it is
	// recorded and applied.
	StepScale
)

// MergeStep is one step of a decision. Limits are the group's limits once
// the step applies; From is the desired capacity before it.
type MergeStep struct {
	Kind     StepKind
	Policy   string
	From, To int
	Reason   string
	Limits   GroupLimits
}

// Decision is Merge's answer: the steps, in the order the engine records
// and applies them, and the limits after the evaluation.
type Decision struct {
	Steps  []MergeStep
	Limits GroupLimits
}

// Merge combines the policies' answers in AWS's order (docs/aws-model.md
// §1.3–§1.7). It is a pure function of its input, so the engine
// (scaling.go) and the live autoscaler of capsim validate (package stack)
// merge by the same code:
//  1. scheduled actions set min, max and desired (no cooldown applies);
//  2. predictive scaling sets a capacity floor, and may raise max;
//  3. dynamic policies: target-tracking policies scale out if any wants to
//     and in only if all that may scale in agree; every other triggered
//     policy counts on its own; among all, the largest resulting capacity
//     wins, for scale-out and scale-in alike;
//  4. no scale-in while a launched instance has not finished its warm-up;
//     min and max always hold.
func Merge(in MergeInput) Decision {
	m := merger{lim: in.Limits, desired: in.Desired}
	m.scheduled(in.Proposals)
	m.predictive(in.Proposals)
	m.dynamic(in.Proposals, in.Warming)
	return Decision{Steps: m.steps, Limits: m.lim}
}

// merger holds the state of one merge as its steps change it.
type merger struct {
	lim     GroupLimits
	desired int
	steps   []MergeStep
}

func (m *merger) step(k StepKind, policy string, to int, reason string) {
	m.steps = append(m.steps, MergeStep{Kind: k, Policy: policy, From: m.desired, To: to, Reason: reason, Limits: m.lim})
}

func (m *merger) note(policy, reason string) { m.step(StepNote, policy, m.desired, reason) }

func (m *merger) scheduled(props []Proposed) {
	for _, x := range props {
		p := x.Proposal
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
		to = min(max(to, m.lim.Min), m.lim.EffectiveMax())
		reason := p.Reason
		if reason == "" {
			reason = fmt.Sprintf("scheduled: min %d, max %d", m.lim.Min, m.lim.Max)
		}
		m.step(StepScheduled, x.Name, to, reason)
		m.desired = to
	}
}

func (m *merger) predictive(props []Proposed) {
	for _, x := range props {
		if x.Proposal.Floor == nil {
			continue
		}
		m.lim.Floor, m.lim.FloorBy = *x.Proposal.Floor, x.Name+": "+x.Proposal.Reason
		m.lim.RaisedMax = x.Proposal.RaiseMax
	}
}

func (m *merger) dynamic(props []Proposed, warming int) {
	out, outBy := -1, ""
	var ins []Proposed
	consensusIn := true
	anyConsensusIn := false
	for _, x := range props {
		p := x.Proposal
		switch p.Want {
		case Out:
			if p.Desired > out {
				out, outBy = p.Desired, x.Name+": "+p.Reason
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
				m.note(x.Name, "insufficient data: "+p.Reason)
			} else if p.Blocked != "" {
				m.note(x.Name, p.Blocked)
			}
		}
	}
	// Target tracking scales in only when all its policies agree.
	if anyConsensusIn && !consensusIn {
		ins = slices.DeleteFunc(ins, func(x Proposed) bool { return x.Proposal.Consensus })
	}
	hi := m.lim.EffectiveMax()
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
		m.step(StepScale, "group", to, outBy)
		return
	case len(ins) > 0:
		// The largest resulting capacity wins (docs/aws-model.md §1.3).
		best := ins[0]
		for _, x := range ins[1:] {
			if x.Proposal.Desired > best.Proposal.Desired {
				best = x
			}
		}
		if best.Proposal.Desired < m.desired {
			if warming > 0 {
				m.note("group", "scale-in blocked by warm-up")
				break
			}
			to := max(best.Proposal.Desired, m.lim.Min, m.lim.Floor)
			if to >= m.desired {
				if m.lim.Floor > best.Proposal.Desired && m.lim.Floor >= m.desired {
					m.note("group", "scale-in held by the predictive floor")
				} else {
					m.note("group", "at min capacity")
				}
				break
			}
			reason := best.Name + ": " + best.Proposal.Reason
			switch {
			case to > best.Proposal.Desired && to == m.lim.Floor && m.lim.Floor > m.lim.Min:
				reason += fmt.Sprintf("; held at the predictive floor %d", to)
			case to > best.Proposal.Desired:
				reason += fmt.Sprintf("; held at min %d", to)
			}
			m.step(StepScale, "group", to, reason)
			return
		}
	}
	if m.lim.Floor > m.desired {
		m.step(StepScale, "group", min(m.lim.Floor, hi), m.lim.FloorBy)
	}
}
