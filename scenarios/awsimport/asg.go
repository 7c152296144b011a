// Package awsimport reads a real EC2 Auto Scaling group and its CloudWatch
// metrics through aws-sdk-go-v2 and turns them into capsim inputs: a
// scenario file that reproduces the group (ASG), and a rate-csv trace of an
// Application Load Balancer's requests (RequestCountTrace).
//
// Credentials and region come from the SDK's default chain
// (config.LoadDefaultConfig); nothing secret is written anywhere. Every
// setting capsim cannot model yet is written into the scenario as a
// "# not modelled: ..." comment, never dropped silently (docs/aws-model.md
// §6.3).
package awsimport

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// Group is what AWS says about one Auto Scaling group.
type Group struct {
	Group     astypes.AutoScalingGroup
	Policies  []astypes.ScalingPolicy
	Alarms    map[string]cwtypes.MetricAlarm // by alarm name
	Scheduled []astypes.ScheduledUpdateGroupAction
	// LaunchConfigType is the instance type of the group's launch
	// configuration, when it has one.
	LaunchConfigType string
	Region           string
}

// ReadGroup calls DescribeAutoScalingGroups, DescribePolicies (every
// page), DescribeScheduledActions (every page), DescribeLaunchConfigurations
// (when the group uses one) and CloudWatch DescribeAlarms for the alarms of
// its policies.
func ReadGroup(ctx context.Context, asg *autoscaling.Client, cw *cloudwatch.Client, name string) (*Group, error) {
	out, err := asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	if err != nil {
		return nil, fmt.Errorf("DescribeAutoScalingGroups: %w", err)
	}
	var found *astypes.AutoScalingGroup
	for i := range out.AutoScalingGroups {
		if aws.ToString(out.AutoScalingGroups[i].AutoScalingGroupName) == name {
			found = &out.AutoScalingGroups[i]
		}
	}
	if found == nil {
		return nil, notFound("no Auto Scaling group named %q in this account and region", name)
	}
	g := &Group{Group: *found, Alarms: map[string]cwtypes.MetricAlarm{}, Region: asg.Options().Region}

	pp := autoscaling.NewDescribePoliciesPaginator(asg, &autoscaling.DescribePoliciesInput{AutoScalingGroupName: aws.String(name)})
	for pp.HasMorePages() {
		page, err := pp.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("DescribePolicies: %w", err)
		}
		g.Policies = append(g.Policies, page.ScalingPolicies...)
	}
	sp := autoscaling.NewDescribeScheduledActionsPaginator(asg, &autoscaling.DescribeScheduledActionsInput{AutoScalingGroupName: aws.String(name)})
	for sp.HasMorePages() {
		page, err := sp.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("DescribeScheduledActions: %w", err)
		}
		g.Scheduled = append(g.Scheduled, page.ScheduledUpdateGroupActions...)
	}
	if lc := aws.ToString(found.LaunchConfigurationName); lc != "" {
		lo, err := asg.DescribeLaunchConfigurations(ctx, &autoscaling.DescribeLaunchConfigurationsInput{LaunchConfigurationNames: []string{lc}})
		if err != nil {
			return nil, fmt.Errorf("DescribeLaunchConfigurations: %w", err)
		}
		for _, c := range lo.LaunchConfigurations {
			g.LaunchConfigType = aws.ToString(c.InstanceType)
		}
	}
	var names []string
	for _, p := range g.Policies {
		for _, a := range p.Alarms {
			if n := aws.ToString(a.AlarmName); n != "" {
				names = append(names, n)
			}
		}
	}
	// DescribeAlarms takes at most 100 names a call.
	for len(names) > 0 {
		batch := names[:min(100, len(names))]
		names = names[len(batch):]
		ap := cloudwatch.NewDescribeAlarmsPaginator(cw, &cloudwatch.DescribeAlarmsInput{AlarmNames: batch})
		for ap.HasMorePages() {
			page, err := ap.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("CloudWatch DescribeAlarms: %w", err)
			}
			for _, a := range page.MetricAlarms {
				g.Alarms[aws.ToString(a.AlarmName)] = a
			}
		}
	}
	return g, nil
}

// capsim's termination policies (the rest are comments).
var knownTermination = map[string]bool{"Default": true, "OldestInstance": true, "NewestInstance": true, "ClosestToNextInstanceHour": true}

// Scenario writes a scenario file reproducing the group. Traffic and
// workload are placeholders to replace (import metrics writes the
// traffic); every setting capsim does not model is a comment.
func (g *Group) Scenario() string {
	a := g.Group
	name := aws.ToString(a.AutoScalingGroupName)
	var b strings.Builder
	var notes []string
	writeHead(&b, fmt.Sprintf("import asg from Auto Scaling group %q", name), g.Region, name)

	g.writeFleet(&b, fleetOptions{})

	// Scaling policies: target tracking on CPU or request count per target
	// is built; everything else is described.
	var built []string
	for _, p := range g.Policies {
		if s, ok := g.targetTracking(p); ok {
			built = append(built, s)
			continue
		}
		notes = append(notes, g.describePolicy(p)...)
	}
	for _, s := range g.Scheduled {
		notes = append(notes, describeScheduled(s))
	}
	b.WriteString("\nscaling:\n")
	if len(built) == 0 {
		b.WriteString("  policies: []                     # none capsim can run: a fixed fleet at desired\n")
	} else {
		b.WriteString("  policies:\n")
		for _, s := range built {
			b.WriteString(s)
		}
	}
	writeNotes(&b, "  ", notes)
	return b.String()
}

// instanceType is the group's instance type and where it comes from: the
// launch configuration's, the mixed-instances policy's first override, or
// the running instances' most common; "" when none says. The
// mixed-instances policy and a launch template are noted.
func (g *Group) instanceType(note func(format string, args ...any), split bool) (itype, why string) {
	a := g.Group
	itype, why = g.LaunchConfigType, "launch configuration "+aws.ToString(a.LaunchConfigurationName)
	if mip := a.MixedInstancesPolicy; mip != nil {
		var types []string
		if mip.LaunchTemplate != nil {
			for _, o := range mip.LaunchTemplate.Overrides {
				t := aws.ToString(o.InstanceType)
				if w := aws.ToString(o.WeightedCapacity); w != "" {
					t += " (weight " + w + ")"
				}
				if t != "" {
					types = append(types, t)
				}
				if itype == "" && o.InstanceType != nil {
					itype, why = aws.ToString(o.InstanceType), "the mixed-instances policy's first override"
				}
			}
		}
		d := "mixed instances policy: types [" + strings.Join(types, ", ") + "]"
		if dist := mip.InstancesDistribution; dist != nil {
			d += fmt.Sprintf("; on-demand base %d, on-demand above base %d%%, spot allocation %s, on-demand allocation %s",
				aws.ToInt32(dist.OnDemandBaseCapacity), aws.ToInt32(dist.OnDemandPercentageAboveBaseCapacity),
				orDash(aws.ToString(dist.SpotAllocationStrategy)), orDash(aws.ToString(dist.OnDemandAllocationStrategy)))
			if dist.SpotMaxPrice != nil {
				d += ", spot max price " + aws.ToString(dist.SpotMaxPrice)
			}
		}
		if split {
			note("%s (capsim runs the single type %s, on demand and spot as instances_distribution says)", d, orDash(itype))
		} else {
			note("%s (capsim runs the single type %s, on demand)", d, orDash(itype))
		}
	}
	if itype == "" {
		seen := map[string]int{}
		for _, in := range a.Instances {
			seen[aws.ToString(in.InstanceType)]++
		}
		best := 0
		for t, n := range seen {
			if t != "" && (n > best || n == best && t < itype) {
				itype, best = t, n
			}
		}
		why = "the group's running instances"
	}
	if lt := a.LaunchTemplate; lt != nil {
		note("launch template %s version %s: capsim does not read launch templates (instance type from %s)",
			orDash(aws.ToString(lt.LaunchTemplateName)+aws.ToString(lt.LaunchTemplateId)), orDash(aws.ToString(lt.Version)), why)
	}
	return itype, why
}

// writeHostFleet writes the fleet: of one of several capacity providers
// (the keys of capacity_providers[].fleet, docs/ecs.md), indented.
func (g *Group) writeHostFleet(b *strings.Builder, indent string, managedProtection bool) {
	a := g.Group
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	itype, why := g.instanceType(note, true)
	fmt.Fprintf(b, "%sfleet:                           # Auto Scaling group %s\n", indent, aws.ToString(a.AutoScalingGroupName))
	in := indent + "  "
	if itype == "" {
		fmt.Fprintf(b, "%sinstance_type: m5.large          # SET THIS: the group's instance type could not be read (launch template, no running instances)\n", in)
	} else {
		fmt.Fprintf(b, "%sinstance_type: %s   # from %s\n", in, itype, why)
	}
	lo, hi := aws.ToInt32(a.MinSize), aws.ToInt32(a.MaxSize)
	fmt.Fprintf(b, "%smin: %d\n%smax: %d\n%sdesired: %d\n", in, lo, in, hi, in, max(lo, min(aws.ToInt32(a.DesiredCapacity), hi)))
	if n := len(a.AvailabilityZones); n > 0 {
		fmt.Fprintf(b, "%szones: %d                         # %s\n", in, min(n, 26), strings.Join(a.AvailabilityZones, ", "))
	}
	if mip := a.MixedInstancesPolicy; mip != nil && mip.InstancesDistribution != nil {
		d := mip.InstancesDistribution
		// The Auto Scaling defaults: base 0, 100 % on demand above it
		// (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html).
		above := int32(100)
		if d.OnDemandPercentageAboveBaseCapacity != nil {
			above = *d.OnDemandPercentageAboveBaseCapacity
		}
		fmt.Fprintf(b, "%sinstances_distribution: {on_demand_base_capacity: %d, on_demand_percentage_above_base_capacity: %d}\n", in, aws.ToInt32(d.OnDemandBaseCapacity), above)
	}
	if aws.ToBool(a.CapacityRebalance) {
		fmt.Fprintf(b, "%scapacity_rebalance: true\n", in)
	}
	if aws.ToBool(a.NewInstancesProtectedFromScaleIn) && !managedProtection {
		note("new instances protected from scale-in")
	}
	if v := aws.ToInt32(a.MaxInstanceLifetime); v > 0 {
		note("max instance lifetime %ds", v)
	}
	writeNotes(b, in, notes)
}

// fleetOptions change what writeFleet says for a group that is an ECS
// capacity provider's.
type fleetOptions struct {
	// managedProtection: ECS managed termination protection owns the
	// group's scale-in protection (capacity_provider models it), so the
	// protection settings are not "not modelled".
	managedProtection bool
}

// writeFleet writes the fleet: block of the group, with its notes.
func (g *Group) writeFleet(b *strings.Builder, o fleetOptions) {
	a := g.Group
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	itype, why := g.instanceType(note, false)
	b.WriteString("fleet:\n")
	if itype == "" {
		b.WriteString("  instance_type: m5.large          # SET THIS: the group's instance type could not be read (launch template, no running instances)\n")
	} else {
		fmt.Fprintf(b, "  instance_type: %s   # from %s\n", itype, why)
	}
	fmt.Fprintf(b, "  min: %d\n  max: %d\n", aws.ToInt32(a.MinSize), aws.ToInt32(a.MaxSize))
	desired := aws.ToInt32(a.DesiredCapacity)
	desired = max(aws.ToInt32(a.MinSize), min(desired, aws.ToInt32(a.MaxSize)))
	fmt.Fprintf(b, "  desired: %d\n", desired)
	warm, warmWhy := int32(0), ""
	switch {
	case aws.ToInt32(a.DefaultInstanceWarmup) > 0:
		warm, warmWhy = aws.ToInt32(a.DefaultInstanceWarmup), "DefaultInstanceWarmup"
	default:
		for _, p := range g.Policies {
			if aws.ToString(p.PolicyType) == "TargetTrackingScaling" && p.EstimatedInstanceWarmup != nil {
				warm, warmWhy = aws.ToInt32(p.EstimatedInstanceWarmup), "policy "+aws.ToString(p.PolicyName)+"'s EstimatedInstanceWarmup"
				break
			}
		}
		if warmWhy == "" && a.DefaultCooldown != nil {
			warm, warmWhy = aws.ToInt32(a.DefaultCooldown), "DefaultCooldown (no DefaultInstanceWarmup: AWS falls back to it)"
		}
	}
	if warmWhy != "" {
		fmt.Fprintf(b, "  warmup: %ds                     # %s\n", warm, warmWhy)
	}
	if a.HealthCheckGracePeriod != nil {
		fmt.Fprintf(b, "  health_check_grace: %ds\n", aws.ToInt32(a.HealthCheckGracePeriod))
	}
	if n := len(a.AvailabilityZones); n > 0 {
		fmt.Fprintf(b, "  zones: %d                         # %s\n", min(n, 26), strings.Join(a.AvailabilityZones, ", "))
	}
	var tps, unknownTP []string
	for _, t := range a.TerminationPolicies {
		if knownTermination[t] {
			tps = append(tps, t)
		} else {
			unknownTP = append(unknownTP, t)
		}
	}
	if len(tps) > 0 {
		// capsim, like AWS, wants Default last.
		sort.SliceStable(tps, func(i, j int) bool { return tps[j] == "Default" && tps[i] != "Default" })
		fmt.Fprintf(b, "  termination_policies: [%s]\n", strings.Join(tps, ", "))
	}
	if len(unknownTP) > 0 {
		note("termination policies %s", strings.Join(unknownTP, ", "))
	}
	if a.DefaultCooldown != nil {
		note("DefaultCooldown %ds (applies to simple scaling policies)", aws.ToInt32(a.DefaultCooldown))
	}
	if t := aws.ToString(a.HealthCheckType); t != "" && t != "EC2" {
		note("health check type %s (capsim's instances never fail health checks yet)", t)
	}
	if v := aws.ToInt32(a.MaxInstanceLifetime); v > 0 {
		note("max instance lifetime %ds", v)
	}
	if aws.ToBool(a.CapacityRebalance) {
		note("capacity rebalance on")
	}
	if aws.ToBool(a.NewInstancesProtectedFromScaleIn) && !o.managedProtection {
		note("new instances protected from scale-in")
	}
	if wp := a.WarmPoolConfiguration; wp != nil {
		note("warm pool: state %s, min size %d, max prepared capacity %d", orDash(string(wp.PoolState)), aws.ToInt32(wp.MinSize), aws.ToInt32(wp.MaxGroupPreparedCapacity))
	}
	for _, sp := range a.SuspendedProcesses {
		note("suspended process %s", aws.ToString(sp.ProcessName))
	}
	protected := 0
	for _, in := range a.Instances {
		if aws.ToBool(in.ProtectedFromScaleIn) {
			protected++
		}
	}
	if protected > 0 && !o.managedProtection {
		note("%d running instance(s) protected from scale-in", protected)
	}
	if len(a.TargetGroupARNs) > 0 {
		note("target groups %s (capsim models one load balancer in front of the group)", strings.Join(a.TargetGroupARNs, ", "))
	}
	if len(a.LoadBalancerNames) > 0 {
		note("Classic Load Balancers %s", strings.Join(a.LoadBalancerNames, ", "))
	}
	writeNotes(b, "  ", notes)
}

func writeNotes(b *strings.Builder, indent string, notes []string) {
	for _, n := range notes {
		for i, line := range strings.Split(n, "\n") {
			if i == 0 {
				fmt.Fprintf(b, "%s# not modelled: %s\n", indent, line)
			} else {
				fmt.Fprintf(b, "%s#   %s\n", indent, line)
			}
		}
	}
}

// targetTracking renders a target-tracking policy capsim can run.
func (g *Group) targetTracking(p astypes.ScalingPolicy) (string, bool) {
	tt := p.TargetTrackingConfiguration
	if aws.ToString(p.PolicyType) != "TargetTrackingScaling" || tt == nil || tt.PredefinedMetricSpecification == nil || tt.TargetValue == nil {
		return "", false
	}
	if p.Enabled != nil && !aws.ToBool(p.Enabled) {
		return "", false
	}
	var metric string
	switch tt.PredefinedMetricSpecification.PredefinedMetricType {
	case astypes.MetricTypeASGAverageCPUUtilization:
		metric = "cpu"
	case astypes.MetricTypeALBRequestCountPerTarget:
		metric = "request_count_per_target"
	default:
		return "", false
	}
	var b strings.Builder
	writeTargetTracking(&b, "    ", aws.ToString(p.PolicyName), metric, aws.ToFloat64(tt.TargetValue),
		aws.ToBool(tt.DisableScaleIn), aws.ToString(tt.PredefinedMetricSpecification.ResourceLabel))
	if w := p.EstimatedInstanceWarmup; w != nil {
		fmt.Fprintf(&b, "      # not modelled: EstimatedInstanceWarmup %ds per policy (capsim uses fleet.warmup)\n", aws.ToInt32(w))
	}
	return b.String(), true
}

// describePolicy writes a policy capsim cannot run as comment lines,
// with each of its alarms.
func (g *Group) describePolicy(p astypes.ScalingPolicy) []string {
	typ := aws.ToString(p.PolicyType)
	if typ == "" {
		typ = "SimpleScaling"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "policy %s (%s", aws.ToString(p.PolicyName), typ)
	if p.Enabled != nil && !aws.ToBool(p.Enabled) {
		b.WriteString(", disabled")
	}
	b.WriteString(")")
	switch typ {
	case "TargetTrackingScaling":
		if tt := p.TargetTrackingConfiguration; tt != nil {
			m := "a customized metric"
			if tt.PredefinedMetricSpecification != nil {
				m = string(tt.PredefinedMetricSpecification.PredefinedMetricType)
			} else if c := tt.CustomizedMetricSpecification; c != nil && c.MetricName != nil {
				m = fmt.Sprintf("custom metric %s/%s %s", aws.ToString(c.Namespace), aws.ToString(c.MetricName), c.Statistic)
			}
			fmt.Fprintf(&b, ": target tracking of %s at %g, disable scale-in %v", m, aws.ToFloat64(tt.TargetValue), aws.ToBool(tt.DisableScaleIn))
		}
	case "StepScaling":
		fmt.Fprintf(&b, ": adjustment type %s, metric aggregation %s", orDash(aws.ToString(p.AdjustmentType)), orDash(aws.ToString(p.MetricAggregationType)))
		if p.EstimatedInstanceWarmup != nil {
			fmt.Fprintf(&b, ", estimated instance warm-up %ds", aws.ToInt32(p.EstimatedInstanceWarmup))
		}
		for _, s := range p.StepAdjustments {
			lo, hi := "-∞", "+∞"
			if s.MetricIntervalLowerBound != nil {
				lo = strconv.FormatFloat(*s.MetricIntervalLowerBound, 'f', -1, 64)
			}
			if s.MetricIntervalUpperBound != nil {
				hi = strconv.FormatFloat(*s.MetricIntervalUpperBound, 'f', -1, 64)
			}
			fmt.Fprintf(&b, "\nstep [%s, %s) above the alarm threshold: %+d", lo, hi, aws.ToInt32(s.ScalingAdjustment))
		}
	case "SimpleScaling":
		fmt.Fprintf(&b, ": %s %+d", orDash(aws.ToString(p.AdjustmentType)), aws.ToInt32(p.ScalingAdjustment))
		if p.Cooldown != nil {
			fmt.Fprintf(&b, ", cooldown %ds", aws.ToInt32(p.Cooldown))
		}
	case "PredictiveScaling":
		if c := p.PredictiveScalingConfiguration; c != nil {
			fmt.Fprintf(&b, ": mode %s, scheduling buffer %ds, max capacity breach %s", orDash(string(c.Mode)), aws.ToInt32(c.SchedulingBufferTime), orDash(string(c.MaxCapacityBreachBehavior)))
			for _, m := range c.MetricSpecifications {
				fmt.Fprintf(&b, "\ntarget %g", aws.ToFloat64(m.TargetValue))
				if m.PredefinedMetricPairSpecification != nil {
					fmt.Fprintf(&b, " on %s", m.PredefinedMetricPairSpecification.PredefinedMetricType)
				}
			}
		}
	}
	if v := aws.ToInt32(p.MinAdjustmentMagnitude); v > 0 {
		fmt.Fprintf(&b, ", min adjustment magnitude %d", v)
	}
	for _, al := range p.Alarms {
		n := aws.ToString(al.AlarmName)
		a, ok := g.Alarms[n]
		if !ok {
			fmt.Fprintf(&b, "\nalarm %s (not returned by DescribeAlarms)", n)
			continue
		}
		b.WriteString("\n" + describeAlarm(a))
	}
	return []string{b.String()}
}

// comparisons in words.
var comparisons = map[cwtypes.ComparisonOperator]string{
	cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold: ">=",
	cwtypes.ComparisonOperatorGreaterThanThreshold:          ">",
	cwtypes.ComparisonOperatorLessThanThreshold:             "<",
	cwtypes.ComparisonOperatorLessThanOrEqualToThreshold:    "<=",
}

func describeAlarm(a cwtypes.MetricAlarm) string {
	stat := string(a.Statistic)
	if stat == "" {
		stat = aws.ToString(a.ExtendedStatistic)
	}
	metric := aws.ToString(a.Namespace) + "/" + aws.ToString(a.MetricName)
	if len(a.Metrics) > 0 {
		metric = fmt.Sprintf("metric math (%d queries)", len(a.Metrics))
	}
	var dims []string
	for _, d := range a.Dimensions {
		dims = append(dims, aws.ToString(d.Name)+"="+aws.ToString(d.Value))
	}
	cmp := comparisons[a.ComparisonOperator]
	if cmp == "" {
		cmp = string(a.ComparisonOperator)
	}
	m := aws.ToInt32(a.DatapointsToAlarm)
	if m == 0 {
		m = aws.ToInt32(a.EvaluationPeriods)
	}
	s := fmt.Sprintf("alarm %s: %s %s", aws.ToString(a.AlarmName), stat, metric)
	if len(dims) > 0 {
		s += " {" + strings.Join(dims, ", ") + "}"
	}
	s += fmt.Sprintf(" %s %s for %d of %d periods of %ds", cmp, strconv.FormatFloat(aws.ToFloat64(a.Threshold), 'f', -1, 64), m, aws.ToInt32(a.EvaluationPeriods), aws.ToInt32(a.Period))
	if t := aws.ToString(a.TreatMissingData); t != "" {
		s += ", missing data " + t
	}
	return s
}

func describeScheduled(s astypes.ScheduledUpdateGroupAction) string {
	var b strings.Builder
	fmt.Fprintf(&b, "scheduled action %s:", aws.ToString(s.ScheduledActionName))
	if r := aws.ToString(s.Recurrence); r != "" {
		fmt.Fprintf(&b, " cron %q", r)
	}
	if z := aws.ToString(s.TimeZone); z != "" {
		fmt.Fprintf(&b, " in %s", z)
	}
	if s.StartTime != nil {
		fmt.Fprintf(&b, " from %s", s.StartTime.UTC().Format(time.RFC3339))
	}
	if s.EndTime != nil {
		fmt.Fprintf(&b, " until %s", s.EndTime.UTC().Format(time.RFC3339))
	}
	for _, f := range []struct {
		n string
		v *int32
	}{{"min", s.MinSize}, {"max", s.MaxSize}, {"desired", s.DesiredCapacity}} {
		if f.v != nil {
			fmt.Fprintf(&b, " %s %d", f.n, *f.v)
		}
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// yamlString quotes s when plain YAML would misread it.
func yamlString(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			plain = false
		}
	}
	if plain && !strings.ContainsAny(s[:1], "-.0123456789") && s != "true" && s != "false" && s != "null" {
		return s
	}
	return strconv.Quote(s)
}

// writeHead writes what every imported scenario begins with: where it
// came from, its name, and the traffic and workload placeholders that the
// user replaces (capsim import metrics and fit-workload give real ones).
func writeHead(b *strings.Builder, from, region, name string) {
	fmt.Fprintf(b, "# Imported by capsim %s", from)
	if region != "" {
		fmt.Fprintf(b, " in %s", region)
	}
	b.WriteString(".\n# Settings capsim cannot model yet are listed as \"# not modelled:\" comments.\n")
	fmt.Fprintf(b, "name: %s\n", yamlString(name))
	b.WriteString("duration: 24h\n\n")
	b.WriteString("traffic:                          # replace with your traffic, e.g. the trace of capsim import metrics\n")
	b.WriteString("  synthetic: {shape: constant, rps: 100}\n")
	b.WriteString("workload:                         # replace with your service time (capsim fit-workload fits one from an ALB log)\n")
	b.WriteString("  service_time: {dist: lognormal, median: 40ms, p99: 250ms}\n\n")
}

// writeTargetTracking writes one target-tracking policy item at indent,
// as import asg and import ecs both read them from AWS.
func writeTargetTracking(b *strings.Builder, indent, name, metric string, target float64, disableScaleIn bool, label string) {
	fmt.Fprintf(b, "%s- name: %s\n%s  type: target_tracking\n%s  metric: %s\n%s  target: %s\n",
		indent, yamlString(name), indent, indent, metric, indent, strconv.FormatFloat(target, 'f', -1, 64))
	if disableScaleIn {
		fmt.Fprintf(b, "%s  disable_scale_in: true\n", indent)
	}
	if label != "" {
		fmt.Fprintf(b, "%s  # resource label %s\n", indent, label)
	}
}
