package awsimport

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// ECSClients are the four APIs an ECS service's import reads: ECS
// (awsJson1_1), Application Auto Scaling (awsJson1_1), Auto Scaling (query)
// for the capacity provider's group, and CloudWatch for the alarms of step
// policies.
type ECSClients struct {
	ECS *ecs.Client
	AAS *applicationautoscaling.Client
	ASG *autoscaling.Client
	CW  *cloudwatch.Client
}

// Service is what AWS says about one ECS service and what it runs on.
type Service struct {
	Cluster string // the cluster's name
	Service ecstypes.Service
	TaskDef *ecstypes.TaskDefinition
	// Strategy is the service's capacity provider strategy, or the
	// cluster's default when the service has neither a strategy nor a
	// launch type (StrategyFromCluster).
	Strategy            []ecstypes.CapacityProviderStrategyItem
	StrategyFromCluster bool
	// Providers are the strategy's Auto Scaling group providers, by name
	// (FARGATE and FARGATE_SPOT are not described).
	Providers map[string]ecstypes.CapacityProvider
	// Main is the provider with a base, else the first of the largest
	// weight ("" on Fargate or without one); Group is its Auto Scaling
	// group, read as import asg reads one, and Groups every provider's.
	Main   string
	Group  *Group
	Groups map[string]*Group
	// Target is the service's Application Auto Scaling scalable target
	// (nil: the service does not auto scale), Policies its policies.
	Target   *aastypes.ScalableTarget
	Policies []aastypes.ScalingPolicy
	Alarms   map[string]cwtypes.MetricAlarm // of the step policies, by name
	Region   string
}

// NotFoundError says the named service or what it runs on does not exist
// or cannot be imported: the user's input, not a failed call.
type NotFoundError struct{ msg string }

func (e *NotFoundError) Error() string { return e.msg }

func notFound(format string, args ...any) error { return &NotFoundError{fmt.Sprintf(format, args...)} }

// IsNotFound says err is a NotFoundError.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}

// The Application Auto Scaling names of an ECS service's desired count
// (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
const (
	ecsNamespace = aastypes.ServiceNamespaceEcs
	ecsDimension = aastypes.ScalableDimensionECSServiceDesiredCount
)

// ResourceID is the service's Application Auto Scaling resource id,
// service/CLUSTER/SERVICE (names, not ARNs).
func ResourceID(cluster, service string) string { return "service/" + cluster + "/" + service }

// lastName is the part of an ARN after its last "/" (a name stays a name):
// arn:aws:ecs:us-east-1:123456789012:cluster/prod → prod.
func lastName(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// groupName is the Auto Scaling group of a provider's autoScalingGroupArn,
// which is an ARN (…:autoScalingGroupName/NAME) or the name itself.
func groupName(arn string) string {
	if i := strings.Index(arn, "autoScalingGroupName/"); i >= 0 {
		return arn[i+len("autoScalingGroupName/"):]
	}
	return arn
}

// isFargateProvider says name is one of Fargate's own providers.
func isFargateProvider(name string) bool { return name == "FARGATE" || name == "FARGATE_SPOT" }

// ReadService calls ECS DescribeServices, DescribeTaskDefinition,
// DescribeClusters (only when the service names neither a launch type nor
// a strategy: the cluster's default strategy applies), DescribeCapacityProviders
// for the strategy's Auto Scaling group providers, import asg's calls for
// the group capsim runs, Application Auto Scaling DescribeScalableTargets
// and DescribeScalingPolicies (every page) for service/CLUSTER/SERVICE, and
// CloudWatch DescribeAlarms for the step policies' alarms.
func ReadService(ctx context.Context, c ECSClients, cluster, service string) (*Service, error) {
	out, err := c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{service}})
	if err != nil {
		return nil, fmt.Errorf("ECS DescribeServices: %w", err)
	}
	var found *ecstypes.Service
	for i := range out.Services {
		sv := &out.Services[i]
		if aws.ToString(sv.ServiceName) == lastName(service) || aws.ToString(sv.ServiceArn) == service {
			found = sv
		}
	}
	if found == nil {
		why := ""
		for _, f := range out.Failures {
			why = fmt.Sprintf(" (%s)", strings.TrimSpace(aws.ToString(f.Reason)+" "+aws.ToString(f.Detail)))
		}
		return nil, notFound("no ECS service named %q in cluster %q in this account and region%s", service, cluster, why)
	}
	if st := aws.ToString(found.Status); st == "INACTIVE" {
		return nil, notFound("ECS service %q in cluster %q is INACTIVE (deleted)", service, cluster)
	}
	if found.SchedulingStrategy == ecstypes.SchedulingStrategyDaemon {
		return nil, notFound("ECS service %q is a DAEMON service (one task on every instance): capsim models REPLICA services only", service)
	}
	s := &Service{Service: *found, Providers: map[string]ecstypes.CapacityProvider{}, Alarms: map[string]cwtypes.MetricAlarm{}, Region: c.ECS.Options().Region}
	s.Cluster = lastName(cluster)
	if arn := aws.ToString(found.ClusterArn); arn != "" {
		s.Cluster = lastName(arn)
	}
	if found.LaunchType == ecstypes.LaunchTypeExternal {
		return nil, notFound("ECS service %q runs on EXTERNAL instances (ECS Anywhere): capsim models EC2 and Fargate", service)
	}

	td, err := c.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: found.TaskDefinition})
	if err != nil {
		return nil, fmt.Errorf("ECS DescribeTaskDefinition %s: %w", aws.ToString(found.TaskDefinition), err)
	}
	s.TaskDef = td.TaskDefinition
	if s.TaskDef == nil {
		return nil, fmt.Errorf("ECS DescribeTaskDefinition %s returned no task definition", aws.ToString(found.TaskDefinition))
	}

	s.Strategy = found.CapacityProviderStrategy
	if len(s.Strategy) == 0 && found.LaunchType == "" {
		// CreateService: with neither, the cluster's default capacity
		// provider strategy is used
		// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html).
		cl, err := c.ECS.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{s.Cluster}})
		if err != nil {
			return nil, fmt.Errorf("ECS DescribeClusters: %w", err)
		}
		for _, k := range cl.Clusters {
			s.Strategy, s.StrategyFromCluster = k.DefaultCapacityProviderStrategy, true
		}
	}
	var names []string
	for _, it := range s.Strategy {
		if n := aws.ToString(it.CapacityProvider); !isFargateProvider(n) {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		cp, err := c.ECS.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{CapacityProviders: names})
		if err != nil {
			return nil, fmt.Errorf("ECS DescribeCapacityProviders: %w", err)
		}
		for _, p := range cp.CapacityProviders {
			s.Providers[aws.ToString(p.Name)] = p
		}
		s.Main = mainProvider(s.Strategy)
		s.Groups = map[string]*Group{}
		for _, n := range names {
			p, ok := s.Providers[n]
			if !ok {
				return nil, notFound("capacity provider %q of the service's strategy was not returned by DescribeCapacityProviders", n)
			}
			if p.AutoScalingGroupProvider == nil || aws.ToString(p.AutoScalingGroupProvider.AutoScalingGroupArn) == "" {
				return nil, notFound("capacity provider %q has no Auto Scaling group (ECS Managed Instances are not modelled)", n)
			}
			g, err := ReadGroup(ctx, c.ASG, c.CW, groupName(aws.ToString(p.AutoScalingGroupProvider.AutoScalingGroupArn)))
			if IsNotFound(err) {
				return nil, notFound("capacity provider %q: %v", n, err)
			}
			if err != nil {
				return nil, err
			}
			s.Groups[n] = g
		}
		s.Group = s.Groups[s.Main]
	}

	rid := ResourceID(s.Cluster, aws.ToString(found.ServiceName))
	tp := applicationautoscaling.NewDescribeScalableTargetsPaginator(c.AAS, &applicationautoscaling.DescribeScalableTargetsInput{
		ServiceNamespace: ecsNamespace, ResourceIds: []string{rid}, ScalableDimension: ecsDimension})
	for tp.HasMorePages() {
		page, err := tp.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("Application Auto Scaling DescribeScalableTargets: %w", err)
		}
		for i := range page.ScalableTargets {
			if aws.ToString(page.ScalableTargets[i].ResourceId) == rid {
				t := page.ScalableTargets[i]
				s.Target = &t
			}
		}
	}
	if s.Target != nil {
		pp := applicationautoscaling.NewDescribeScalingPoliciesPaginator(c.AAS, &applicationautoscaling.DescribeScalingPoliciesInput{
			ServiceNamespace: ecsNamespace, ResourceId: aws.String(rid), ScalableDimension: ecsDimension})
		for pp.HasMorePages() {
			page, err := pp.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("Application Auto Scaling DescribeScalingPolicies: %w", err)
			}
			s.Policies = append(s.Policies, page.ScalingPolicies...)
		}
	}
	// Target tracking's alarms are AWS's own (capsim models them); a step
	// policy's alarm is the user's and carries the policy's metric.
	var alarms []string
	for _, p := range s.Policies {
		if p.PolicyType == aastypes.PolicyTypeStepScaling {
			for _, a := range p.Alarms {
				alarms = append(alarms, aws.ToString(a.AlarmName))
			}
		}
	}
	for len(alarms) > 0 {
		batch := alarms[:min(100, len(alarms))]
		alarms = alarms[len(batch):]
		ap := cloudwatch.NewDescribeAlarmsPaginator(c.CW, &cloudwatch.DescribeAlarmsInput{AlarmNames: batch})
		for ap.HasMorePages() {
			page, err := ap.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("CloudWatch DescribeAlarms: %w", err)
			}
			for _, a := range page.MetricAlarms {
				s.Alarms[aws.ToString(a.AlarmName)] = a
			}
		}
	}
	return s, nil
}

// mainProvider is the Auto Scaling group provider capsim runs when the
// strategy has several: the one with a base (ECS places the base first),
// else the first of the largest weight.
func mainProvider(st []ecstypes.CapacityProviderStrategyItem) string {
	best, bestW := "", int32(-1)
	for _, it := range st {
		n := aws.ToString(it.CapacityProvider)
		if isFargateProvider(n) {
			continue
		}
		if it.Base > 0 {
			return n
		}
		if it.Weight > bestW {
			best, bestW = n, it.Weight
		}
	}
	return best
}
