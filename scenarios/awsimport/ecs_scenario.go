package awsimport

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/capsim/capsim/policies"
)

// The scenario of an ECS service (docs/ecs.md's keys). As for a group,
// every setting capsim cannot model is a "# not modelled:" comment, and
// what no AWS API holds (a task's worker count, its start time, the
// traffic) is a placeholder saying so.

// fargate says the service runs on Fargate: its launch type, or a
// strategy of Fargate's providers only.
func (s *Service) fargate() bool {
	if s.Service.LaunchType == ecstypes.LaunchTypeFargate {
		return true
	}
	if len(s.Strategy) == 0 {
		return false
	}
	for _, it := range s.Strategy {
		if !isFargateProvider(aws.ToString(it.CapacityProvider)) {
			return false
		}
	}
	return true
}

// Scenario writes a scenario file reproducing the service: the fleet from
// the capacity provider's group, capacity_provider from its managed
// scaling, service from the service, its task definition and its
// Application Auto Scaling target and policies.
func (s *Service) Scenario() string {
	sv := s.Service
	name := aws.ToString(sv.ServiceName)
	var b strings.Builder
	writeHead(&b, fmt.Sprintf("import ecs from ECS service %q in cluster %q", name, s.Cluster), s.Region, name)

	cpu, mem, sizeWhy, shares := s.taskSize()
	fargate := s.fargate()
	switch {
	case fargate:
	case len(s.Groups) > 1:
		s.writeProviders(&b)
	default:
		s.writeCluster(&b, cpu, mem)
	}
	s.writeService(&b, fargate, cpu, mem, sizeWhy, shares)
	return b.String()
}

// writeCluster writes fleet: and capacity_provider: for an EC2 service.
func (s *Service) writeCluster(b *strings.Builder, cpu, mem int) {
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	if s.Group == nil {
		// Launch type EC2 names no group: the cluster's instances are
		// whatever registered with it.
		it := smallestFitting(cpu, mem)
		per := max(1, min(it.vcpu*1024/cpu, it.mib/mem))
		n := max(1, (int(s.Service.DesiredCount)+per-1)/per)
		fmt.Fprintf(b, "fleet:                            # SET THIS: launch type EC2 names no Auto Scaling group; a fixed cluster of %s holding the desired tasks\n", it.name)
		fmt.Fprintf(b, "  instance_type: %s\n  min: %d\n  max: %d\n  desired: %d\n", it.name, n, n, n)
		b.WriteString("  # (or import the cluster's group with capsim import asg, and keep its fleet: block)\n\n")
		return
	}
	p := s.Providers[s.Main]
	ap := p.AutoScalingGroupProvider
	mtp := ap.ManagedTerminationProtection == ecstypes.ManagedTerminationProtectionEnabled
	s.Group.writeFleet(b, fleetOptions{managedProtection: mtp})
	fmt.Fprintf(b, "  # the Auto Scaling group of capacity provider %s\n", s.Main)
	for _, gp := range s.Group.Policies {
		// ECS creates the group's target-tracking policy on
		// CapacityProviderReservation itself
		// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-auto-scaling.html):
		// capacity_provider is that policy.
		if n := aws.ToString(gp.PolicyName); strings.HasPrefix(n, "ECSManagedAutoScalingPolicy") {
			fmt.Fprintf(b, "  # policy %s is ECS's own managed scaling: capacity_provider below\n", n)
			continue
		}
		notes = append(notes, s.Group.describePolicy(gp)...)
	}
	for _, sa := range s.Group.Scheduled {
		notes = append(notes, describeScheduled(sa))
	}
	if len(notes) > 0 {
		notes = append([]string{"the group's own scaling (with a service, only the capacity provider scales the instances)"}, notes...)
	}
	writeNotes(b, "  ", notes)
	notes = nil
	b.WriteString("\n")

	ms := ap.ManagedScaling
	if ms == nil || ms.Status != ecstypes.ManagedScalingStatusEnabled {
		fmt.Fprintf(b, "# capacity provider %s: managed scaling off, so ECS does not scale the group: a fixed cluster of fleet.desired\n", s.Main)
		fmt.Fprintf(b, "# (managed termination protection %s)\n", orDash(string(ap.ManagedTerminationProtection)))
	} else {
		// Defaults of ManagedScaling
		// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html).
		def := func(v *int32, d int32) int32 {
			if v == nil {
				return d
			}
			return *v
		}
		fmt.Fprintf(b, "capacity_provider:                # from capacity provider %s (managed scaling ENABLED)\n", s.Main)
		fmt.Fprintf(b, "  target_capacity: %d\n", def(ms.TargetCapacity, 100))
		fmt.Fprintf(b, "  minimum_scaling_step_size: %d\n", def(ms.MinimumScalingStepSize, 1))
		fmt.Fprintf(b, "  maximum_scaling_step_size: %d\n", def(ms.MaximumScalingStepSize, 10000))
		fmt.Fprintf(b, "  instance_warmup_period: %ds\n", def(ms.InstanceWarmupPeriod, 300))
		fmt.Fprintf(b, "  managed_termination_protection: %v\n", mtp)
	}
	if ap.ManagedDraining == ecstypes.ManagedDrainingEnabled {
		note("managed draining ENABLED (tasks are moved off an instance before it terminates)")
	}
	for _, it := range s.Strategy {
		n := aws.ToString(it.CapacityProvider)
		if n == s.Main {
			continue
		}
		note("capacity provider %s in the strategy (base %d, weight %d): capsim runs one provider, %s", n, it.Base, it.Weight, s.Main)
	}
	writeNotes(b, "  ", notes)
	b.WriteString("\n")
}

// writeProviders writes capacity_providers: for a strategy of several
// Auto Scaling group providers, each with its group and managed scaling.
func (s *Service) writeProviders(b *strings.Builder) {
	b.WriteString("capacity_providers:                # the service's strategy's Auto Scaling group providers\n")
	for _, it := range s.Strategy {
		n := aws.ToString(it.CapacityProvider)
		g := s.Groups[n]
		if g == nil {
			continue
		}
		ap := s.Providers[n].AutoScalingGroupProvider
		mtp := ap.ManagedTerminationProtection == ecstypes.ManagedTerminationProtectionEnabled
		fmt.Fprintf(b, "  - name: %s\n", yamlString(n))
		g.writeHostFleet(b, "    ", mtp)
		var notes []string
		if ms := ap.ManagedScaling; ms != nil && ms.Status == ecstypes.ManagedScalingStatusEnabled {
			def := func(v *int32, d int32) int32 {
				if v == nil {
					return d
				}
				return *v
			}
			fmt.Fprintf(b, "    managed_scaling: {target_capacity: %d, minimum_scaling_step_size: %d, maximum_scaling_step_size: %d, instance_warmup_period: %ds, managed_termination_protection: %v}\n",
				def(ms.TargetCapacity, 100), def(ms.MinimumScalingStepSize, 1), def(ms.MaximumScalingStepSize, 10000), def(ms.InstanceWarmupPeriod, 300), mtp)
		} else {
			b.WriteString("    # managed scaling off: ECS does not scale this group (a fixed group of fleet.desired)\n")
		}
		if ap.ManagedDraining == ecstypes.ManagedDrainingEnabled {
			notes = append(notes, "managed draining ENABLED (tasks are moved off an instance before it terminates)")
		}
		var own []string
		for _, gp := range g.Policies {
			if pn := aws.ToString(gp.PolicyName); !strings.HasPrefix(pn, "ECSManagedAutoScalingPolicy") {
				own = append(own, g.describePolicy(gp)...)
			}
		}
		for _, sa := range g.Scheduled {
			own = append(own, describeScheduled(sa))
		}
		if len(own) > 0 {
			notes = append(append(notes, "the group's own scaling (with a service, only its capacity provider scales the instances)"), own...)
		}
		writeNotes(b, "    ", notes)
	}
	b.WriteString("\n")
}

// writeService writes service:.
func (s *Service) writeService(b *strings.Builder, fargate bool, cpu, mem int, sizeWhy string, shares bool) {
	sv := s.Service
	td := s.TaskDef
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	b.WriteString("service:\n")
	if fargate {
		b.WriteString("  launch_type: fargate\n")
	} else {
		b.WriteString("  launch_type: ec2\n")
	}
	fmt.Fprintf(b, "  task:                            # task definition %s:%d\n", aws.ToString(td.Family), td.Revision)
	fmt.Fprintf(b, "    cpu: %d%s\n    memory_mib: %d%s\n", cpu, sizeWhy, mem, "")
	if shares && !fargate {
		b.WriteString("    cpu_limit: shares               # no task-level cpu: the containers' cpu are CPU shares that burst (docs/ecs.md, Service speed)\n")
	}
	workers := max(1, (cpu+1023)/1024)
	fmt.Fprintf(b, "    workers: %d   # SET THIS: requests one task serves at once (threads, processes) is in no AWS API; here one per vCPU\n", workers)
	b.WriteString("    # start_time: placed → RUNNING is in no AWS API; capsim's default is lognormal, median 20s, p99 60s\n")

	lo, hi := int(sv.DesiredCount), int(sv.DesiredCount)
	if t := s.Target; t != nil {
		lo, hi = int(aws.ToInt32(t.MinCapacity)), int(aws.ToInt32(t.MaxCapacity))
		fmt.Fprintf(b, "  min: %d                           # Application Auto Scaling scalable target %s\n", lo, aws.ToString(t.ResourceId))
	} else {
		fmt.Fprintf(b, "  min: %d                           # no Application Auto Scaling target: the service does not scale\n", lo)
	}
	hi = max(hi, lo, 1)
	desired := max(lo, min(int(sv.DesiredCount), hi))
	fmt.Fprintf(b, "  max: %d\n  desired: %d\n", hi, desired)
	if rc := sv.RunningCount; int(rc) != desired || sv.PendingCount > 0 {
		fmt.Fprintf(b, "  # now: %d running, %d pending\n", sv.RunningCount, sv.PendingCount)
	}

	if fargate {
		if a := td.RuntimePlatform; a != nil && a.CpuArchitecture == ecstypes.CPUArchitectureArm64 {
			b.WriteString("  fargate:\n    architecture: arm64\n")
		}
		if s.Region != "" && s.Region != "us-east-1" {
			fmt.Fprintf(b, "  # SET THIS: capsim's Fargate rates are us-east-1's; set service.fargate.usd_per_vcpu_hour and usd_per_gb_hour for %s (https://aws.amazon.com/fargate/pricing/)\n", s.Region)
		}
		var items []string
		for _, it := range s.Strategy {
			item := "{capacity_provider: " + aws.ToString(it.CapacityProvider)
			if it.Base > 0 {
				item += fmt.Sprintf(", base: %d", it.Base)
			}
			w := it.Weight
			if len(s.Strategy) == 1 && w == 0 {
				// ECS's default weight is 0, and a strategy of one
				// provider puts every task on it; capsim wants a weight
				// (API_CapacityProviderStrategyItem.html).
				w = 1
			}
			items = append(items, item+fmt.Sprintf(", weight: %d}", w))
		}
		if len(items) > 0 {
			from := "the service's"
			if s.StrategyFromCluster {
				from = "the cluster's default"
			}
			fmt.Fprintf(b, "  capacity_provider_strategy:       # %s\n", from)
			for _, it := range items {
				fmt.Fprintf(b, "    - %s\n", it)
			}
		}
	} else {
		if len(s.Groups) > 1 {
			b.WriteString("  capacity_provider_strategy:\n")
			for _, it := range s.Strategy {
				if n := aws.ToString(it.CapacityProvider); s.Groups[n] != nil {
					item := "{capacity_provider: " + n
					if it.Base > 0 {
						item += fmt.Sprintf(", base: %d", it.Base)
					}
					fmt.Fprintf(b, "    - %s, weight: %d}\n", item, it.Weight)
				} else {
					note("capacity provider %s in the strategy (base %d, weight %d): capsim does not mix Fargate and EC2 providers", n, it.Base, it.Weight)
				}
			}
		}
		var strategies []string
		for _, p := range sv.PlacementStrategy {
			if st, ok := placementStrategy(p); ok {
				strategies = append(strategies, st)
			} else {
				note("placement strategy %s on %s", p.Type, orDash(aws.ToString(p.Field)))
			}
		}
		if len(strategies) > 0 {
			fmt.Fprintf(b, "  placement: [%s]\n", strings.Join(strategies, ", "))
		}
		var constraints []string
		for _, k := range append(sv.PlacementConstraints, taskConstraints(td)...) {
			if k.Type == ecstypes.PlacementConstraintTypeDistinctInstance {
				constraints = append(constraints, "{type: distinctInstance}")
			} else {
				note("placement constraint %s %q", k.Type, aws.ToString(k.Expression))
			}
		}
		if len(constraints) > 0 {
			fmt.Fprintf(b, "  constraints: [%s]\n", constraints[0])
		}
		if td.NetworkMode == ecstypes.NetworkModeAwsvpc {
			note("network mode awsvpc: each task takes one of the instance's network interfaces (the tasks an instance holds are limited by its ENIs unless ENI trunking is on)")
		}
	}
	for _, lb := range sv.LoadBalancers {
		tg := aws.ToString(lb.TargetGroupArn)
		if tg == "" {
			tg = "Classic Load Balancer " + aws.ToString(lb.LoadBalancerName)
		}
		note("load balancer target group %s (container %s port %d); its deregistration delay (the target group's deregistration_delay.timeout_seconds) is not read: set service.deregistration_delay, default load_balancer.deregistration_delay",
			tg, orDash(aws.ToString(lb.ContainerName)), aws.ToInt32(lb.ContainerPort))
	}
	if g := sv.HealthCheckGracePeriodSeconds; g != nil && *g > 0 {
		note("health check grace period %ds", *g)
	}
	if d := sv.DeploymentConfiguration; d != nil {
		// A deployment is an event the scenario places in time, not a
		// setting of the service: the comment gives the entry to add.
		note("deployment configuration: min healthy %d %%, max %d %%; to simulate a rolling deployment add service.deployments: [{at: 1h, minimum_healthy_percent: %d, maximum_percent: %d}] (docs/ecs.md, Deployments)",
			aws.ToInt32(d.MinimumHealthyPercent), aws.ToInt32(d.MaximumPercent), aws.ToInt32(d.MinimumHealthyPercent), aws.ToInt32(d.MaximumPercent))
	}
	if len(sv.ServiceRegistries) > 0 {
		note("%d service discovery registr(y/ies)", len(sv.ServiceRegistries))
	}
	writeNotes(b, "  ", notes)
	s.writeScaling(b)
}

// writeScaling writes service.scaling from the Application Auto Scaling
// policies: target tracking on CPU or request count per target and step
// policies on those metrics are built; the rest are comments.
func (s *Service) writeScaling(b *strings.Builder) {
	var built, notes []string
	var out, in *int32
	cooldownFrom := ""
	for _, p := range s.Policies {
		switch p.PolicyType {
		case aastypes.PolicyTypeTargetTrackingScaling:
			y, ok := aasTargetTracking(p)
			if !ok {
				notes = append(notes, describeAASPolicy(p, s.Alarms))
				continue
			}
			built = append(built, y)
			tt := p.TargetTrackingScalingPolicyConfiguration
			if cooldownFrom == "" {
				out, in, cooldownFrom = tt.ScaleOutCooldown, tt.ScaleInCooldown, aws.ToString(p.PolicyName)
			} else if aws.ToInt32(tt.ScaleOutCooldown) != aws.ToInt32(out) || aws.ToInt32(tt.ScaleInCooldown) != aws.ToInt32(in) {
				notes = append(notes, fmt.Sprintf("policy %s's own cooldowns (out %ds, in %ds): capsim keeps one pair per service, %s's", aws.ToString(p.PolicyName),
					aws.ToInt32(tt.ScaleOutCooldown), aws.ToInt32(tt.ScaleInCooldown), cooldownFrom))
			}
		case aastypes.PolicyTypeStepScaling:
			y, ok := aasStep(p, s.Alarms)
			if !ok {
				notes = append(notes, describeAASPolicy(p, s.Alarms))
				continue
			}
			built = append(built, y)
			if c := p.StepScalingPolicyConfiguration.Cooldown; c != nil {
				notes = append(notes, fmt.Sprintf("policy %s's cooldown %ds (capsim's service cooldowns are scale_out_cooldown and scale_in_cooldown)", aws.ToString(p.PolicyName), *c))
			}
		default:
			notes = append(notes, describeAASPolicy(p, s.Alarms))
		}
	}
	if t := s.Target; t != nil && t.SuspendedState != nil {
		ss := t.SuspendedState
		for _, f := range []struct {
			on   *bool
			what string
		}{{ss.DynamicScalingInSuspended, "dynamic scale-in suspended"}, {ss.DynamicScalingOutSuspended, "dynamic scale-out suspended"}, {ss.ScheduledScalingSuspended, "scheduled scaling suspended"}} {
			if aws.ToBool(f.on) {
				notes = append(notes, f.what)
			}
		}
	}
	b.WriteString("  scaling:\n")
	if cooldownFrom != "" {
		// Unset, AAS's cooldowns for an ECS service are 300 s (docs/ecs.md).
		for _, c := range []struct {
			key string
			v   *int32
		}{{"scale_out_cooldown", out}, {"scale_in_cooldown", in}} {
			if c.v != nil {
				fmt.Fprintf(b, "    %s: %ds             # policy %s\n", c.key, *c.v, cooldownFrom)
			}
		}
	}
	if len(built) == 0 {
		b.WriteString("    policies: []                   # none capsim can run: the service stays at desired\n")
	} else {
		b.WriteString("    policies:\n")
		for _, y := range built {
			b.WriteString(y)
		}
	}
	writeNotes(b, "    ", notes)
}

// aasMetrics are the predefined metrics a service's target tracking runs
// on in capsim (docs/ecs.md).
var aasMetrics = map[aastypes.MetricType]string{
	aastypes.MetricTypeECSServiceAverageCPUUtilization: "cpu",
	aastypes.MetricTypeALBRequestCountPerTarget:        "request_count_per_target",
}

func aasTargetTracking(p aastypes.ScalingPolicy) (string, bool) {
	tt := p.TargetTrackingScalingPolicyConfiguration
	if tt == nil || tt.PredefinedMetricSpecification == nil || tt.TargetValue == nil {
		return "", false
	}
	metric, ok := aasMetrics[tt.PredefinedMetricSpecification.PredefinedMetricType]
	if !ok {
		return "", false
	}
	var b strings.Builder
	writeTargetTracking(&b, "      ", aws.ToString(p.PolicyName), metric, aws.ToFloat64(tt.TargetValue),
		aws.ToBool(tt.DisableScaleIn), aws.ToString(tt.PredefinedMetricSpecification.ResourceLabel))
	return b.String(), true
}

// alarmMetrics are the CloudWatch metrics of a service's step alarm
// capsim simulates: the service's CPU (used ÷ reserved, AWS/ECS) and the
// target group's requests per target.
var alarmMetrics = map[[2]string]string{
	{"AWS/ECS", "CPUUtilization"}:                   "cpu",
	{"AWS/ApplicationELB", "RequestCountPerTarget"}: "request_count_per_target",
}

// aasStep renders a step policy whose one alarm capsim can simulate.
func aasStep(p aastypes.ScalingPolicy, alarms map[string]cwtypes.MetricAlarm) (string, bool) {
	cfg := p.StepScalingPolicyConfiguration
	if cfg == nil || len(p.Alarms) != 1 || len(cfg.StepAdjustments) == 0 {
		return "", false
	}
	a, ok := alarms[aws.ToString(p.Alarms[0].AlarmName)]
	if !ok || len(a.Metrics) > 0 {
		return "", false
	}
	metric, ok := alarmMetrics[[2]string{aws.ToString(a.Namespace), aws.ToString(a.MetricName)}]
	period := aws.ToInt32(a.Period)
	if !ok || a.Statistic == "" || period <= 0 || period%60 != 0 {
		return "", false
	}
	if _, err := policies.ParseStat(string(a.Statistic)); err != nil {
		return "", false
	}
	if _, err := policies.ParseComparison(string(a.ComparisonOperator)); err != nil {
		return "", false
	}
	missing := aws.ToString(a.TreatMissingData)
	if missing == "" {
		missing = "missing"
	}
	if _, err := policies.ParseMissingData(missing); err != nil {
		return "", false
	}
	adj := string(cfg.AdjustmentType)
	if adj == "" {
		adj = "ChangeInCapacity"
	}
	if _, err := policies.ParseAdjustmentType(adj); err != nil {
		return "", false
	}
	agg := string(cfg.MetricAggregationType)
	if agg == "" {
		agg = "Average"
	}
	if _, err := policies.ParseAggregation(agg); err != nil {
		return "", false
	}
	n := aws.ToInt32(a.EvaluationPeriods)
	m := aws.ToInt32(a.DatapointsToAlarm)
	if m == 0 {
		m = n
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	var b strings.Builder
	fmt.Fprintf(&b, "      - name: %s\n        type: step\n", yamlString(aws.ToString(p.PolicyName)))
	fmt.Fprintf(&b, "        alarm: {metric: %s, statistic: %s, period: %ds, evaluation_periods: %d, datapoints_to_alarm: %d, comparison: %s, threshold: %s, treat_missing_data: %s}   # %s\n",
		metric, a.Statistic, period, n, m, a.ComparisonOperator, num(aws.ToFloat64(a.Threshold)), missing, aws.ToString(a.AlarmName))
	fmt.Fprintf(&b, "        adjustment_type: %s\n        metric_aggregation_type: %s\n", adj, agg)
	if v := aws.ToInt32(cfg.MinAdjustmentMagnitude); v > 0 && adj == "PercentChangeInCapacity" {
		fmt.Fprintf(&b, "        min_adjustment_magnitude: %d\n", v)
	}
	b.WriteString("        steps:\n")
	for _, st := range cfg.StepAdjustments {
		var parts []string
		if st.MetricIntervalLowerBound != nil {
			parts = append(parts, "lower: "+num(*st.MetricIntervalLowerBound))
		}
		if st.MetricIntervalUpperBound != nil {
			parts = append(parts, "upper: "+num(*st.MetricIntervalUpperBound))
		}
		parts = append(parts, fmt.Sprintf("adjustment: %d", aws.ToInt32(st.ScalingAdjustment)))
		fmt.Fprintf(&b, "          - {%s}\n", strings.Join(parts, ", "))
	}
	return b.String(), true
}

// describeAASPolicy writes a policy capsim cannot run as comment lines.
func describeAASPolicy(p aastypes.ScalingPolicy, alarms map[string]cwtypes.MetricAlarm) string {
	var b strings.Builder
	fmt.Fprintf(&b, "policy %s (%s)", aws.ToString(p.PolicyName), orDash(string(p.PolicyType)))
	if tt := p.TargetTrackingScalingPolicyConfiguration; tt != nil {
		m := "a customized metric"
		if tt.PredefinedMetricSpecification != nil {
			m = string(tt.PredefinedMetricSpecification.PredefinedMetricType)
		} else if c := tt.CustomizedMetricSpecification; c != nil && c.MetricName != nil {
			m = fmt.Sprintf("custom metric %s/%s %s", aws.ToString(c.Namespace), aws.ToString(c.MetricName), c.Statistic)
		}
		fmt.Fprintf(&b, ": target tracking of %s at %g, disable scale-in %v", m, aws.ToFloat64(tt.TargetValue), aws.ToBool(tt.DisableScaleIn))
	}
	if st := p.StepScalingPolicyConfiguration; st != nil {
		fmt.Fprintf(&b, ": adjustment type %s, metric aggregation %s", orDash(string(st.AdjustmentType)), orDash(string(st.MetricAggregationType)))
		for _, s := range st.StepAdjustments {
			lo, hi := "-∞", "+∞"
			if s.MetricIntervalLowerBound != nil {
				lo = strconv.FormatFloat(*s.MetricIntervalLowerBound, 'f', -1, 64)
			}
			if s.MetricIntervalUpperBound != nil {
				hi = strconv.FormatFloat(*s.MetricIntervalUpperBound, 'f', -1, 64)
			}
			fmt.Fprintf(&b, "\nstep [%s, %s) above the alarm threshold: %+d", lo, hi, aws.ToInt32(s.ScalingAdjustment))
		}
	}
	if pr := p.PredictiveScalingPolicyConfiguration; pr != nil {
		fmt.Fprintf(&b, ": mode %s", orDash(string(pr.Mode)))
	}
	for _, al := range p.Alarms {
		n := aws.ToString(al.AlarmName)
		if a, ok := alarms[n]; ok {
			b.WriteString("\n" + describeAlarm(a))
		} else if p.PolicyType == aastypes.PolicyTypeStepScaling {
			fmt.Fprintf(&b, "\nalarm %s (not returned by DescribeAlarms)", n)
		}
	}
	return b.String()
}

// placementStrategy renders a strategy capsim places by (docs/ecs.md
// "Placement"); ECS's fields are case-insensitive for binpack (CPU,
// MEMORY in some SDK examples).
func placementStrategy(p ecstypes.PlacementStrategy) (string, bool) {
	f := aws.ToString(p.Field)
	switch p.Type {
	case ecstypes.PlacementStrategyTypeRandom:
		return "{type: random}", true
	case ecstypes.PlacementStrategyTypeBinpack:
		if l := strings.ToLower(f); l == "cpu" || l == "memory" {
			return "{type: binpack, field: " + l + "}", true
		}
	case ecstypes.PlacementStrategyTypeSpread:
		switch f {
		case "attribute:ecs.availability-zone", "instanceId", "host":
			return "{type: spread, field: " + yamlString(f) + "}", true
		}
	}
	return "", false
}

// taskConstraints are the task definition's own placement constraints
// (memberOf only, in ECS).
func taskConstraints(td *ecstypes.TaskDefinition) []ecstypes.PlacementConstraint {
	var out []ecstypes.PlacementConstraint
	for _, k := range td.PlacementConstraints {
		out = append(out, ecstypes.PlacementConstraint{Type: ecstypes.PlacementConstraintType(k.Type), Expression: k.Expression})
	}
	return out
}

// taskSize is the task's CPU units and MiB: the task-level size, else the
// sum of its containers' (memory: the hard limit, else the reservation),
// else a placeholder; why is the comment that goes with cpu. shares says
// the CPU units are the containers' alone, with no task-level cpu: CPU
// shares that may burst ("Best practices for Amazon ECS task sizes",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/capacity-tasksize.html).
func (s *Service) taskSize() (cpu, mem int, why string, shares bool) {
	td := s.TaskDef
	cpu, okC := units(aws.ToString(td.Cpu), 1024, "vcpu")
	mem, okM := units(aws.ToString(td.Memory), 1024, "gb")
	if okC && okM {
		return cpu, mem, "   # task-level size: a hard limit", false
	}
	var cc, mm int
	for _, c := range td.ContainerDefinitions {
		cc += int(c.Cpu)
		if c.Memory != nil {
			mm += int(*c.Memory)
		} else {
			mm += int(aws.ToInt32(c.MemoryReservation))
		}
	}
	why = "   # the containers' sum (no task-level size)"
	if !okC {
		cpu, shares = cc, true
	}
	if !okM {
		mem = mm
	}
	if cpu < 128 {
		cpu, why, shares = 1024, "   # SET THIS: the task definition reserves no CPU (containers share the instance's); 1024 = one vCPU", true
	}
	if mem < 6 {
		mem = 2048
		why += "; SET memory_mib: none reserved"
	}
	return cpu, mem, why, shares
}

// units reads a task definition's cpu or memory: a number of units (1024,
// 2048) or, as RegisterTaskDefinition also takes, a number of vCPU or GB
// ("1 vCPU", "0.5 GB") times per.
func units(s string, per float64, unit string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	scale := 1.0
	if strings.HasSuffix(s, unit) {
		s, scale = strings.TrimSpace(strings.TrimSuffix(s, unit)), per
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 {
		return 0, false
	}
	return int(math.Round(v * scale)), true
}

// m5 sizes for a fixed cluster's placeholder (vCPU, MiB), from the EC2
// instance type pages; the embedded catalogue has them too.
var m5Sizes = []struct {
	name      string
	vcpu, mib int
}{
	{"m5.large", 2, 8192}, {"m5.xlarge", 4, 16384}, {"m5.2xlarge", 8, 32768}, {"m5.4xlarge", 16, 65536},
	{"m5.8xlarge", 32, 131072}, {"m5.12xlarge", 48, 196608}, {"m5.16xlarge", 64, 262144}, {"m5.24xlarge", 96, 393216},
}

// smallestFitting is the smallest m5 that holds one task.
func smallestFitting(cpu, mem int) struct {
	name      string
	vcpu, mib int
} {
	for _, t := range m5Sizes {
		if t.vcpu*1024 >= cpu && t.mib >= mem {
			return t
		}
	}
	return m5Sizes[len(m5Sizes)-1]
}
