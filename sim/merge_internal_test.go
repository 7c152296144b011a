package sim

import (
	"reflect"
	"testing"
)

// TestMerge holds merge, the pure function that combines the policies'
// answers, to the rules of the EC2 Auto Scaling user guide, row by row, in
// the manner of the Kubernetes replica calculator's table tests. Each row
// names the rule it checks (docs/aws-model.md §1.1–§1.7) and the user-guide
// page it comes from under
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/.
func TestMerge(t *testing.T) {
	ip := func(v int) *int { return &v }
	tt := func(name string, w Want, desired int) Proposed { // a target-tracking policy
		return Proposed{name, Proposal{Want: w, Desired: desired, Consensus: true, Reason: name}}
	}
	step := func(name string, w Want, desired int) Proposed { // a step or simple policy
		return Proposed{name, Proposal{Want: w, Desired: desired, Reason: name}}
	}
	lim := GroupLimits{Min: 2, Max: 20}
	scale := func(from, to int, reason string, l GroupLimits) MergeStep {
		return MergeStep{Kind: StepScale, Policy: "group", From: from, To: to, Reason: reason, Limits: l}
	}
	note := func(policy string, at int, reason string, l GroupLimits) MergeStep {
		return MergeStep{Kind: StepNote, Policy: policy, From: at, To: at, Reason: reason, Limits: l}
	}
	rows := []struct {
		rule    string
		in      MergeInput
		want    []MergeStep
		wantLim GroupLimits
	}{
		{
			rule: "§1.1 max holds: a scale-out stops at max (asg-capacity-limits.html)",
			in:   MergeInput{Proposals: []Proposed{tt("a", Out, 99)}, Limits: lim, Desired: 8},
			want: []MergeStep{scale(8, 20, "a: a; capped at max 20", lim)},
		},
		{
			rule: "§1.1 at max: a scale-out has nothing to do and says so (asg-capacity-limits.html)",
			in:   MergeInput{Proposals: []Proposed{tt("a", Out, 25)}, Limits: lim, Desired: 20},
			want: []MergeStep{note("group", 20, "at max capacity", lim)},
		},
		{
			rule: "§1.1 min holds: a scale-in stops at min (asg-capacity-limits.html)",
			in:   MergeInput{Proposals: []Proposed{step("s", In, 0)}, Limits: lim, Desired: 8},
			want: []MergeStep{scale(8, 2, "s: s; held at min 2", lim)},
		},
		{
			rule: "§1.1 at min: a scale-in has nothing to do and says so (asg-capacity-limits.html)",
			in:   MergeInput{Proposals: []Proposed{step("s", In, 1)}, Limits: lim, Desired: 2},
			want: []MergeStep{note("group", 2, "at min capacity", lim)},
		},
		{
			rule: "§1.3 largest resulting capacity wins on scale-in: at 8, −3 and −25 % → 6 (as-scale-based-on-demand.html)",
			in:   MergeInput{Proposals: []Proposed{step("minus3", In, 5), step("minus25pct", In, 6)}, Limits: lim, Desired: 8},
			want: []MergeStep{scale(8, 6, "minus25pct: minus25pct", lim)},
		},
		{
			rule: "§1.3 largest resulting capacity wins on scale-out (as-scale-based-on-demand.html)",
			in:   MergeInput{Proposals: []Proposed{step("plus2", Out, 10), step("plus50pct", Out, 12)}, Limits: lim, Desired: 8},
			want: []MergeStep{scale(8, 12, "plus50pct: plus50pct", lim)},
		},
		{
			rule: "§1.3 a step scale-in is not blocked by target tracking (as-scale-based-on-demand.html)",
			in:   MergeInput{Proposals: []Proposed{tt("a", Hold, 0), step("s", In, 6)}, Limits: lim, Desired: 8},
			want: []MergeStep{scale(8, 6, "s: s", lim)},
		},
		{
			rule: "§1.3 scale-out wins over scale-in (as-scale-based-on-demand.html)",
			in:   MergeInput{Proposals: []Proposed{tt("a", Out, 12), tt("b", In, 2)}, Limits: lim, Desired: 8},
			want: []MergeStep{scale(8, 12, "a: a", lim)},
		},
		{
			rule: "§1.4 scale-in is blocked while an instance warms up (ec2-auto-scaling-default-instance-warmup.html)",
			in:   MergeInput{Proposals: []Proposed{step("s", In, 4)}, Limits: lim, Desired: 8, Warming: 1},
			want: []MergeStep{note("group", 8, "scale-in blocked by warm-up", lim)},
		},
		{
			rule: "§1.4 warm-up does not block scale-out (ec2-auto-scaling-default-instance-warmup.html)",
			in:   MergeInput{Proposals: []Proposed{step("s", Out, 10)}, Limits: lim, Desired: 8, Warming: 3},
			want: []MergeStep{scale(8, 10, "s: s", lim)},
		},
		{
			rule: "§1.5 target tracking scales in only if all its policies agree: one holds (as-scaling-target-tracking.html)",
			in:   MergeInput{Proposals: []Proposed{tt("a", In, 2), tt("b", Hold, 0)}, Limits: lim, Desired: 8},
			want: nil,
		},
		{
			rule: "§1.5 all target-tracking policies agree: the largest capacity wins (as-scaling-target-tracking.html)",
			in:   MergeInput{Proposals: []Proposed{tt("a", In, 3), tt("b", In, 5)}, Limits: lim, Desired: 8},
			want: []MergeStep{scale(8, 5, "b: b", lim)},
		},
		{
			rule: "§1.5 a policy with scale-in disabled has no vote on scale-in (as-scaling-target-tracking.html)",
			in: MergeInput{Proposals: []Proposed{tt("a", In, 3), {"b", Proposal{Want: Hold, Consensus: true, NoScaleIn: true}}},
				Limits: lim, Desired: 8},
			want: []MergeStep{scale(8, 3, "a: a", lim)},
		},
		{
			rule: "§1.5 missing data: the policy cannot decide, blocks target-tracking scale-in and says so (as-scaling-target-tracking.html)",
			in: MergeInput{Proposals: []Proposed{tt("a", In, 3), {"b", Proposal{Want: NoData, Consensus: true, Reason: "no datapoints"}}},
				Limits: lim, Desired: 8},
			want: []MergeStep{note("b", 8, "insufficient data: no datapoints", lim)},
		},
		{
			rule: "§1.2 a policy in cooldown holds and the log says why (ec2-auto-scaling-scaling-cooldowns.html)",
			in:   MergeInput{Proposals: []Proposed{{"simple", Proposal{Want: Hold, Blocked: "in cooldown"}}}, Limits: lim, Desired: 8},
			want: []MergeStep{note("simple", 8, "in cooldown", lim)},
		},
		{
			rule:    "§1.6 predictive scaling scales out to its forecast (ec2-auto-scaling-predictive-scaling.html)",
			in:      MergeInput{Proposals: []Proposed{{"p", Proposal{Want: Hold, Floor: ip(10), Reason: "forecast"}}}, Limits: lim, Desired: 8},
			want:    []MergeStep{scale(8, 10, "p: forecast", GroupLimits{Min: 2, Max: 20, Floor: 10, FloorBy: "p: forecast"})},
			wantLim: GroupLimits{Min: 2, Max: 20, Floor: 10, FloorBy: "p: forecast"},
		},
		{
			rule:    "§1.6 predictive scaling never scales in (ec2-auto-scaling-predictive-scaling.html)",
			in:      MergeInput{Proposals: []Proposed{{"p", Proposal{Want: Hold, Floor: ip(3), Reason: "forecast"}}}, Limits: lim, Desired: 8},
			want:    nil,
			wantLim: GroupLimits{Min: 2, Max: 20, Floor: 3, FloorBy: "p: forecast"},
		},
		{
			rule: "§1.6 desired = max(predictive, dynamic): a scale-in stops at the floor (ec2-auto-scaling-predictive-scaling.html)",
			in: MergeInput{Proposals: []Proposed{{"p", Proposal{Want: Hold, Floor: ip(6), Reason: "forecast"}}, step("s", In, 3)},
				Limits: lim, Desired: 8},
			want:    []MergeStep{scale(8, 6, "s: s; held at the predictive floor 6", GroupLimits{Min: 2, Max: 20, Floor: 6, FloorBy: "p: forecast"})},
			wantLim: GroupLimits{Min: 2, Max: 20, Floor: 6, FloorBy: "p: forecast"},
		},
		{
			rule: "§1.6 a floor at desired holds a scale-in, and says so (ec2-auto-scaling-predictive-scaling.html)",
			in: MergeInput{Proposals: []Proposed{{"p", Proposal{Want: Hold, Floor: ip(8), Reason: "forecast"}}, step("s", In, 3)},
				Limits: lim, Desired: 8},
			want:    []MergeStep{note("group", 8, "scale-in held by the predictive floor", GroupLimits{Min: 2, Max: 20, Floor: 8, FloorBy: "p: forecast"})},
			wantLim: GroupLimits{Min: 2, Max: 20, Floor: 8, FloorBy: "p: forecast"},
		},
		{
			rule: "§1.6 HonorMaxCapacity: the forecast stops at max (ec2-auto-scaling-predictive-scaling.html)",
			in: MergeInput{Proposals: []Proposed{{"p", Proposal{Want: Hold, Floor: ip(50), Reason: "forecast"}}},
				Limits: GroupLimits{Min: 2, Max: 40}, Desired: 30},
			want:    []MergeStep{scale(30, 40, "p: forecast", GroupLimits{Min: 2, Max: 40, Floor: 50, FloorBy: "p: forecast"})},
			wantLim: GroupLimits{Min: 2, Max: 40, Floor: 50, FloorBy: "p: forecast"},
		},
		{
			rule: "§1.6 IncreaseMaxCapacity: forecast 50, max 40, buffer 10 % → max 55, capacity 50 (ec2-auto-scaling-predictive-scaling.html)",
			in: MergeInput{Proposals: []Proposed{{"p", Proposal{Want: Hold, Floor: ip(50), RaiseMax: 55, Reason: "forecast"}}},
				Limits: GroupLimits{Min: 2, Max: 40}, Desired: 30},
			want:    []MergeStep{scale(30, 50, "p: forecast", GroupLimits{Min: 2, Max: 40, Floor: 50, FloorBy: "p: forecast", RaisedMax: 55})},
			wantLim: GroupLimits{Min: 2, Max: 40, Floor: 50, FloorBy: "p: forecast", RaisedMax: 55},
		},
		{
			rule: "§1.7 a scheduled action sets min and desired (ec2-auto-scaling-scheduled-scaling.html)",
			in: MergeInput{Proposals: []Proposed{{"sched", Proposal{Want: Hold, SetMin: ip(9), SetDesired: ip(9)}}},
				Limits: lim, Desired: 8},
			want: []MergeStep{{Kind: StepScheduled, Policy: "sched", From: 8, To: 9, Reason: "scheduled: min 9, max 20",
				Limits: GroupLimits{Min: 9, Max: 20}}},
			wantLim: GroupLimits{Min: 9, Max: 20},
		},
		{
			rule: "§1.7 a scheduled min above desired raises desired; omitted limits stay (ec2-auto-scaling-scheduled-scaling.html)",
			in: MergeInput{Proposals: []Proposed{{"sched", Proposal{Want: Hold, SetMin: ip(10), Reason: "morning"}}},
				Limits: lim, Desired: 8},
			want:    []MergeStep{{Kind: StepScheduled, Policy: "sched", From: 8, To: 10, Reason: "morning", Limits: GroupLimits{Min: 10, Max: 20}}},
			wantLim: GroupLimits{Min: 10, Max: 20},
		},
		{
			rule: "§1.7 then §1.5: dynamic policies act on the scheduled capacity (ec2-auto-scaling-scheduled-scaling.html)",
			in: MergeInput{Proposals: []Proposed{{"sched", Proposal{Want: Hold, SetMax: ip(6)}}, tt("a", In, 1)},
				Limits: lim, Desired: 8},
			want: []MergeStep{
				{Kind: StepScheduled, Policy: "sched", From: 8, To: 6, Reason: "scheduled: min 2, max 6", Limits: GroupLimits{Min: 2, Max: 6}},
				scale(6, 2, "a: a; held at min 2", GroupLimits{Min: 2, Max: 6}),
			},
			wantLim: GroupLimits{Min: 2, Max: 6},
		},
		{
			rule: "§1.1 a scheduled max below min keeps the group valid: max = min (asg-capacity-limits.html)",
			in: MergeInput{Proposals: []Proposed{{"sched", Proposal{Want: Hold, SetMax: ip(1)}}},
				Limits: lim, Desired: 8},
			want:    []MergeStep{{Kind: StepScheduled, Policy: "sched", From: 8, To: 2, Reason: "scheduled: min 2, max 2", Limits: GroupLimits{Min: 2, Max: 2}}},
			wantLim: GroupLimits{Min: 2, Max: 2},
		},
	}
	for _, r := range rows {
		t.Run(r.rule, func(t *testing.T) {
			wantLim := r.wantLim
			if wantLim == (GroupLimits{}) {
				wantLim = r.in.Limits
			}
			got := Merge(r.in)
			if !reflect.DeepEqual(got.Steps, r.want) {
				t.Errorf("steps\n got %+v\nwant %+v", got.Steps, r.want)
			}
			if got.Limits != wantLim {
				t.Errorf("limits %+v, want %+v", got.Limits, wantLim)
			}
		})
	}
}
