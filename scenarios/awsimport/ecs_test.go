package awsimport

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// The ECS and Application Auto Scaling fakes speak awsJson1_1: a POST to /
// with X-Amz-Target SERVICE.Operation and an application/x-amz-json-1.1
// body; the replies are the response shapes of the API references
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html,
// API_DescribeTaskDefinition, API_DescribeCapacityProviders, API_DescribeClusters;
// https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DescribeScalableTargets.html,
// API_DescribeScalingPolicies), ECS's members in camelCase, Application
// Auto Scaling's in PascalCase, timestamps as epoch seconds.
const (
	ecsTarget = "AmazonEC2ContainerServiceV20141113."
	aasTarget = "AnyScaleFrontendService."
)

// ecsFake answers ECS and AAS by their JSON protocol, and hands Auto
// Scaling and CloudWatch to fakeAWS (the group of import asg's test).
type ecsFake struct {
	fakeAWS
	// replies by operation; a function of the decoded request.
	ecs, aas map[string]func(in map[string]any) any
}

func (f *ecsFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		f.fakeAWS.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		f.t.Errorf("%s: %s %s, want POST /", target, r.Method, r.URL.Path)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		f.t.Errorf("%s: Content-Type %q, want application/x-amz-json-1.1", target, ct)
	}
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		f.t.Errorf("%s: body is not JSON: %v", target, err)
	}
	f.record(target)
	var h func(map[string]any) any
	if op, ok := strings.CutPrefix(target, ecsTarget); ok {
		h = f.ecs[op]
	} else if op, ok := strings.CutPrefix(target, aasTarget); ok {
		h = f.aas[op]
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if h == nil {
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"__type":"InvalidParameterException","message":"unexpected %s"}`, target)
		return
	}
	json.NewEncoder(w).Encode(h(in))
}

// want checks a request member.
func (f *ecsFake) want(in map[string]any, key string, v any) {
	got, _ := json.Marshal(in[key])
	exp, _ := json.Marshal(v)
	if string(got) != string(exp) {
		f.t.Errorf("request %s = %s, want %s", key, got, exp)
	}
}

const (
	clusterARN = "arn:aws:ecs:us-east-1:123456789012:cluster/prod"
	rid        = "service/prod/api"
)

// newECSFake is a service "api" in cluster "prod" on capacity provider
// "od" (group "web" of the import asg test) with a base, "spot" beside
// it, target tracking at 50 % CPU and a step policy on a CPU alarm.
func newECSFake(t *testing.T, withSpot bool) *ecsFake {
	f := &ecsFake{fakeAWS: fakeAWS{t: t, alarmBatches: []int{3, 1}, moreAlarms: cbor.List{cbor.Map{
		"AlarmName": cbor.String("api-cpu-high"), "Namespace": cbor.String("AWS/ECS"), "MetricName": cbor.String("CPUUtilization"),
		"Statistic": cbor.String("Average"), "Period": cbor.Uint(60), "EvaluationPeriods": cbor.Uint(3), "DatapointsToAlarm": cbor.Uint(2),
		"Threshold": cbor.Float64(70), "ComparisonOperator": cbor.String("GreaterThanOrEqualToThreshold"), "TreatMissingData": cbor.String("missing"),
		"Dimensions": cbor.List{cbor.Map{"Name": cbor.String("ClusterName"), "Value": cbor.String("prod")}, cbor.Map{"Name": cbor.String("ServiceName"), "Value": cbor.String("api")}},
	}}}}
	strategy := []any{map[string]any{"capacityProvider": "od", "base": 2, "weight": 1}}
	providers := []string{"od"}
	if withSpot {
		strategy = append(strategy, map[string]any{"capacityProvider": "spot", "base": 0, "weight": 3})
		providers = append(providers, "spot")
		f.moreGroups = map[string]string{"web-spot": `<member><AutoScalingGroupName>web-spot</AutoScalingGroupName>
<MixedInstancesPolicy><LaunchTemplate><LaunchTemplateSpecification><LaunchTemplateName>spot-lt</LaunchTemplateName></LaunchTemplateSpecification>
<Overrides><member><InstanceType>c5.large</InstanceType></member></Overrides></LaunchTemplate>
<InstancesDistribution><OnDemandBaseCapacity>0</OnDemandBaseCapacity><OnDemandPercentageAboveBaseCapacity>0</OnDemandPercentageAboveBaseCapacity><SpotAllocationStrategy>price-capacity-optimized</SpotAllocationStrategy></InstancesDistribution></MixedInstancesPolicy>
<MinSize>0</MinSize><MaxSize>30</MaxSize><DesiredCapacity>1</DesiredCapacity><AvailabilityZones><member>us-east-1a</member></AvailabilityZones>
<CapacityRebalance>true</CapacityRebalance><NewInstancesProtectedFromScaleIn>true</NewInstancesProtectedFromScaleIn></member>`}
		f.alarmBatches = []int{3, 3, 1}
	}
	f.ecs = map[string]func(map[string]any) any{
		"DescribeServices": func(in map[string]any) any {
			f.want(in, "cluster", "prod")
			if fmt.Sprint(in["services"]) != "[api]" {
				return map[string]any{"services": []any{}, "failures": []any{map[string]any{
					"arn": "arn:aws:ecs:us-east-1:123456789012:service/prod/" + fmt.Sprint(in["services"].([]any)[0]), "reason": "MISSING"}}}
			}
			return map[string]any{"failures": []any{}, "services": []any{map[string]any{
				"serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/prod/api", "serviceName": "api", "clusterArn": clusterARN,
				"status": "ACTIVE", "desiredCount": 6, "runningCount": 5, "pendingCount": 1,
				"capacityProviderStrategy":      strategy,
				"taskDefinition":                "arn:aws:ecs:us-east-1:123456789012:task-definition/api:7",
				"deploymentConfiguration":       map[string]any{"maximumPercent": 200, "minimumHealthyPercent": 100},
				"placementStrategy":             []any{map[string]any{"type": "spread", "field": "attribute:ecs.availability-zone"}, map[string]any{"type": "binpack", "field": "MEMORY"}, map[string]any{"type": "spread", "field": "attribute:ecs.instance-type"}},
				"placementConstraints":          []any{map[string]any{"type": "distinctInstance"}, map[string]any{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}},
				"loadBalancers":                 []any{map[string]any{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067", "containerName": "app", "containerPort": 8080}},
				"healthCheckGracePeriodSeconds": 60,
				"schedulingStrategy":            "REPLICA",
				"createdAt":                     1.7e9,
			}}}
		},
		"DescribeTaskDefinition": func(in map[string]any) any {
			f.want(in, "taskDefinition", "arn:aws:ecs:us-east-1:123456789012:task-definition/api:7")
			return map[string]any{"taskDefinition": map[string]any{
				"taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/api:7", "family": "api", "revision": 7,
				"cpu": "1024", "memory": "2048", "networkMode": "bridge", "status": "ACTIVE",
				"requiresCompatibilities": []any{"EC2"}, "compatibilities": []any{"EC2"},
				"containerDefinitions": []any{map[string]any{"name": "app", "image": "api:7", "cpu": 1024, "memory": 2048, "essential": true}},
			}}
		},
		"DescribeCapacityProviders": func(in map[string]any) any {
			f.want(in, "capacityProviders", providers)
			asg := func(name, group string, target int) map[string]any {
				return map[string]any{"name": name, "status": "ACTIVE", "capacityProviderArn": "arn:aws:ecs:us-east-1:123456789012:capacity-provider/" + name,
					"autoScalingGroupProvider": map[string]any{
						"autoScalingGroupArn":          "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/" + group,
						"managedScaling":               map[string]any{"status": "ENABLED", "targetCapacity": target, "minimumScalingStepSize": 2, "maximumScalingStepSize": 8, "instanceWarmupPeriod": 120},
						"managedTerminationProtection": "ENABLED", "managedDraining": "ENABLED"}}
			}
			out := []any{asg("od", "web", 90)}
			if withSpot {
				out = append(out, asg("spot", "web-spot", 100))
			}
			return map[string]any{"capacityProviders": out, "failures": []any{}}
		},
	}
	f.aas = map[string]func(map[string]any) any{
		"DescribeScalableTargets": func(in map[string]any) any {
			f.want(in, "ServiceNamespace", "ecs")
			f.want(in, "ResourceIds", []string{rid})
			f.want(in, "ScalableDimension", "ecs:service:DesiredCount")
			return map[string]any{"ScalableTargets": []any{map[string]any{
				"ServiceNamespace": "ecs", "ResourceId": rid, "ScalableDimension": "ecs:service:DesiredCount",
				"MinCapacity": 2, "MaxCapacity": 30, "CreationTime": 1.7e9,
				"RoleARN":        "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
				"SuspendedState": map[string]any{"DynamicScalingInSuspended": false, "DynamicScalingOutSuspended": false, "ScheduledScalingSuspended": true},
			}}}
		},
		"DescribeScalingPolicies": func(in map[string]any) any {
			f.want(in, "ResourceId", rid)
			f.want(in, "ScalableDimension", "ecs:service:DesiredCount")
			pol := func(name, typ string) map[string]any {
				return map[string]any{"PolicyName": name, "PolicyType": typ, "ServiceNamespace": "ecs", "ResourceId": rid,
					"ScalableDimension": "ecs:service:DesiredCount", "CreationTime": 1.7e9,
					"PolicyARN": "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/ecs/" + rid + ":policyName/" + name}
			}
			if in["NextToken"] == nil {
				p := pol("cpu50", "TargetTrackingScaling")
				p["TargetTrackingScalingPolicyConfiguration"] = map[string]any{"TargetValue": 50.0,
					"PredefinedMetricSpecification": map[string]any{"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
					"ScaleOutCooldown":              60, "ScaleInCooldown": 120}
				p["Alarms"] = []any{map[string]any{"AlarmName": "TargetTracking-service/prod/api-AlarmHigh-1", "AlarmARN": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:TargetTracking-service/prod/api-AlarmHigh-1"}}
				m := pol("mem70", "TargetTrackingScaling")
				m["TargetTrackingScalingPolicyConfiguration"] = map[string]any{"TargetValue": 70.0,
					"PredefinedMetricSpecification": map[string]any{"PredefinedMetricType": "ECSServiceAverageMemoryUtilization"}}
				return map[string]any{"ScalingPolicies": []any{p, m}, "NextToken": "p2"}
			}
			f.want(in, "NextToken", "p2")
			s := pol("cpu-high", "StepScaling")
			s["StepScalingPolicyConfiguration"] = map[string]any{"AdjustmentType": "ChangeInCapacity", "Cooldown": 60, "MetricAggregationType": "Average",
				"StepAdjustments": []any{map[string]any{"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 1},
					map[string]any{"MetricIntervalLowerBound": 10.0, "ScalingAdjustment": 3}}}
			s["Alarms"] = []any{map[string]any{"AlarmName": "api-cpu-high", "AlarmARN": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-cpu-high"}}
			return map[string]any{"ScalingPolicies": []any{s}}
		},
	}
	return f
}

func ecsClients(t *testing.T, h http.Handler) ECSClients {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "not-a-secret", "")),
		config.WithBaseEndpoint(srv.URL),
		config.WithRetryMaxAttempts(1),
	)
	if err != nil {
		t.Fatal(err)
	}
	return ECSClients{ECS: ecs.NewFromConfig(cfg), AAS: applicationautoscaling.NewFromConfig(cfg),
		ASG: autoscaling.NewFromConfig(cfg), CW: cloudwatch.NewFromConfig(cfg)}
}

func TestImportECSService(t *testing.T) {
	f := newECSFake(t, false)
	c := ecsClients(t, f)
	s, err := ReadService(context.Background(), c, "prod", "api")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ecsTarget + "DescribeServices", ecsTarget + "DescribeTaskDefinition", ecsTarget + "DescribeCapacityProviders",
		"DescribeAutoScalingGroups ", "DescribePolicies ", "DescribePolicies p2", "DescribeScheduledActions ", "DescribeScheduledActions s2", "DescribeAlarms ",
		aasTarget + "DescribeScalableTargets", aasTarget + "DescribeScalingPolicies", aasTarget + "DescribeScalingPolicies", "DescribeAlarms "}
	if strings.Join(f.calls, "|") != strings.Join(want, "|") {
		t.Errorf("calls %q\nwant  %q", f.calls, want)
	}
	if s.Main != "od" || s.Group == nil || len(s.Policies) != 3 || s.Target == nil {
		t.Fatalf("main %q, group %v, %d policies, target %v", s.Main, s.Group != nil, len(s.Policies), s.Target)
	}
	y := s.Scenario()
	for _, w := range []string{
		`from ECS service "api" in cluster "prod" in us-east-1`,
		"fleet:\n  instance_type: c5.large", "  # the Auto Scaling group of capacity provider od\n",
		"capacity_provider:                # from capacity provider od (managed scaling ENABLED)\n  target_capacity: 90\n  minimum_scaling_step_size: 2\n  maximum_scaling_step_size: 8\n  instance_warmup_period: 120s\n  managed_termination_protection: true\n",
		"# not modelled: managed draining ENABLED",
		"service:\n  launch_type: ec2\n  task:                            # task definition api:7\n    cpu: 1024",
		"    memory_mib: 2048\n", "    workers: 1 ",
		"  min: 2 ", "  max: 30\n  desired: 6\n", "# now: 5 running, 1 pending",
		"  placement: [{type: spread, field: \"attribute:ecs.availability-zone\"}, {type: binpack, field: memory}]\n",
		"# not modelled: placement strategy spread on attribute:ecs.instance-type",
		"  constraints: [{type: distinctInstance}]\n",
		`# not modelled: placement constraint memberOf "attribute:ecs.os-type == linux"`,
		"# not modelled: load balancer target group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067 (container app port 8080)",
		"# not modelled: health check grace period 60s",
		"    scale_out_cooldown: 60s ", "    scale_in_cooldown: 120s ",
		"      - name: cpu50\n        type: target_tracking\n        metric: cpu\n        target: 50\n",
		"      - name: cpu-high\n        type: step\n        alarm: {metric: cpu, statistic: Average, period: 60s, evaluation_periods: 3, datapoints_to_alarm: 2, comparison: GreaterThanOrEqualToThreshold, threshold: 70, treat_missing_data: missing}   # api-cpu-high\n",
		"          - {lower: 0, upper: 10, adjustment: 1}\n          - {lower: 10, adjustment: 3}\n",
		"# not modelled: policy mem70 (TargetTrackingScaling): target tracking of ECSServiceAverageMemoryUtilization at 70",
		"# not modelled: policy cpu-high's cooldown 60s",
		"# not modelled: scheduled scaling suspended",
		// The group's own policies are not the service's.
		"# not modelled: the group's own scaling", "  # not modelled: policy step-out (StepScaling)", "  # not modelled: policy cpu-50 (TargetTrackingScaling)",
	} {
		if !strings.Contains(y, w) {
			t.Errorf("the scenario lacks %q", w)
		}
	}
	for _, no := range []string{"new instances protected", "not-a-secret", "AKIDEXAMPLE", "\nscaling:"} {
		if strings.Contains(y, no) {
			t.Errorf("the scenario has %q", no)
		}
	}
	sc, err := scenarios.Parse("api.yaml", []byte(y), "")
	if err != nil {
		t.Fatalf("the imported scenario does not load: %v\n%s", err, y)
	}
	if sc.Service == nil || sc.CapacityProvider == nil || sc.Service.Max != 30 || len(sc.Service.Scaling.Policies) != 2 || sc.CapacityProvider.TargetCapacity != 90 {
		t.Errorf("loaded: service %+v, capacity provider %+v", sc.Service, sc.CapacityProvider)
	}
	if t.Failed() || testing.Verbose() {
		t.Log(y)
	}

	_, err = ReadService(context.Background(), c, "prod", "nope")
	if err == nil || !IsNotFound(err) || !strings.Contains(err.Error(), `no ECS service named "nope" in cluster "prod"`) || !strings.Contains(err.Error(), "MISSING") {
		t.Errorf("missing service: %v", err)
	}
}

// TestImportECSFargate: a Fargate service on the cluster's default
// strategy (neither launch type nor strategy on the service), an ARM
// task, no scalable target: a fixed service.
func TestImportECSFargate(t *testing.T) {
	f := &ecsFake{fakeAWS: fakeAWS{t: t}}
	f.ecs = map[string]func(map[string]any) any{
		"DescribeServices": func(in map[string]any) any {
			return map[string]any{"services": []any{map[string]any{"serviceName": "jobs", "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/batch",
				"status": "ACTIVE", "desiredCount": 3, "runningCount": 3, "taskDefinition": "jobs:2", "schedulingStrategy": "REPLICA",
				"networkConfiguration": map[string]any{"awsvpcConfiguration": map[string]any{"subnets": []any{"subnet-1"}}}}}}
		},
		"DescribeTaskDefinition": func(in map[string]any) any {
			return map[string]any{"taskDefinition": map[string]any{"family": "jobs", "revision": 2, "cpu": "0.5 vCPU", "memory": "1 GB",
				"networkMode": "awsvpc", "requiresCompatibilities": []any{"FARGATE"}, "runtimePlatform": map[string]any{"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
				"containerDefinitions": []any{map[string]any{"name": "w", "image": "jobs"}}}}
		},
		"DescribeClusters": func(in map[string]any) any {
			f.want(in, "clusters", []string{"batch"})
			return map[string]any{"clusters": []any{map[string]any{"clusterName": "batch", "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/batch",
				"defaultCapacityProviderStrategy": []any{map[string]any{"capacityProvider": "FARGATE", "base": 1, "weight": 1}, map[string]any{"capacityProvider": "FARGATE_SPOT", "weight": 4}}}}}
		},
	}
	f.aas = map[string]func(map[string]any) any{
		"DescribeScalableTargets": func(in map[string]any) any { return map[string]any{"ScalableTargets": []any{}} },
	}
	s, err := ReadService(context.Background(), ecsClients(t, f), "batch", "jobs")
	if err != nil {
		t.Fatal(err)
	}
	y := s.Scenario()
	for _, w := range []string{
		"service:\n  launch_type: fargate\n", "    cpu: 512 ", "    memory_mib: 1024\n",
		"  min: 3 ", "no Application Auto Scaling target", "  max: 3\n  desired: 3\n",
		"  fargate:\n    architecture: arm64\n",
		"  capacity_provider_strategy:       # the cluster's default\n    - {capacity_provider: FARGATE, base: 1, weight: 1}\n    - {capacity_provider: FARGATE_SPOT, weight: 4}\n",
		"    policies: []",
	} {
		if !strings.Contains(y, w) {
			t.Errorf("the scenario lacks %q", w)
		}
	}
	for _, no := range []string{"fleet:", "\ncapacity_provider:", "placement", "usd_per_vcpu_hour"} { // us-east-1: capsim's rates
		if strings.Contains(y, no) {
			t.Errorf("a Fargate scenario has %q", no)
		}
	}
	if _, err := scenarios.Parse("jobs.yaml", []byte(y), ""); err != nil {
		t.Errorf("the imported scenario does not load: %v\n%s", err, y)
	}
	if t.Failed() {
		t.Log(y)
	}
}

func TestTaskUnits(t *testing.T) {
	for _, c := range []struct {
		in   string
		unit string
		want int
		ok   bool
	}{
		// RegisterTaskDefinition takes cpu as units or vCPU, memory as MiB or GB
		// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html).
		{"1024", "vcpu", 1024, true}, {"1 vCPU", "vcpu", 1024, true}, {"0.25 vcpu", "vcpu", 256, true},
		{"2048", "gb", 2048, true}, {"2 GB", "gb", 2048, true}, {"0.5GB", "gb", 512, true},
		{"", "vcpu", 0, false}, {"lots", "vcpu", 0, false}, {"-1", "gb", 0, false},
	} {
		got, ok := units(c.in, 1024, c.unit)
		if got != c.want || ok != c.ok {
			t.Errorf("units(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestImportECSRefuses: what capsim cannot run is an error that says why
// (the command exits 2 on it), not a scenario that misleads.
func TestImportECSRefuses(t *testing.T) {
	for _, c := range []struct {
		service map[string]any
		want    string
	}{
		{map[string]any{"serviceName": "agent", "status": "ACTIVE", "schedulingStrategy": "DAEMON", "taskDefinition": "agent:1"}, "is a DAEMON service"},
		{map[string]any{"serviceName": "agent", "status": "ACTIVE", "launchType": "EXTERNAL", "taskDefinition": "agent:1"}, "EXTERNAL instances"},
		{map[string]any{"serviceName": "agent", "status": "INACTIVE", "taskDefinition": "agent:1"}, "is INACTIVE"},
	} {
		f := &ecsFake{fakeAWS: fakeAWS{t: t}}
		f.ecs = map[string]func(map[string]any) any{
			"DescribeServices": func(map[string]any) any { return map[string]any{"services": []any{c.service}} },
		}
		_, err := ReadService(context.Background(), ecsClients(t, f), "default", "agent")
		if !IsNotFound(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one saying %q", c.service, err, c.want)
		}
		if len(f.calls) != 1 {
			t.Errorf("%v: calls %q after the refusal", c.service, f.calls)
		}
	}
}

// TestImportECSLaunchTypeEC2: launch type EC2 names no Auto Scaling
// group, so the fleet is a placeholder marked SET THIS: the smallest m5
// that holds a task, enough of them for the desired tasks; the scenario
// still loads.
func TestImportECSLaunchTypeEC2(t *testing.T) {
	f := &ecsFake{fakeAWS: fakeAWS{t: t}}
	f.ecs = map[string]func(map[string]any) any{
		"DescribeServices": func(map[string]any) any {
			return map[string]any{"services": []any{map[string]any{"serviceName": "big", "status": "ACTIVE", "launchType": "EC2",
				"desiredCount": 5, "taskDefinition": "big:1", "schedulingStrategy": "REPLICA"}}}
		},
		"DescribeTaskDefinition": func(map[string]any) any {
			// No task-level size: the containers' sum, 3 vCPU and 10 GiB.
			return map[string]any{"taskDefinition": map[string]any{"family": "big", "revision": 1, "networkMode": "bridge",
				"containerDefinitions": []any{map[string]any{"name": "a", "cpu": 2048, "memory": 8192}, map[string]any{"name": "b", "cpu": 1024, "memoryReservation": 2048}}}}
		},
	}
	f.aas = map[string]func(map[string]any) any{
		"DescribeScalableTargets": func(map[string]any) any { return map[string]any{"ScalableTargets": []any{}} },
	}
	s, err := ReadService(context.Background(), ecsClients(t, f), "default", "big")
	if err != nil {
		t.Fatal(err)
	}
	y := s.Scenario()
	// m5.xlarge (4 vCPU, 16 GiB) holds one 3-vCPU task: five instances.
	for _, w := range []string{"SET THIS: launch type EC2 names no Auto Scaling group", "  instance_type: m5.xlarge\n  min: 5\n  max: 5\n  desired: 5\n",
		"    cpu: 3072   # the containers' sum", "    memory_mib: 10240\n", "    cpu_limit: shares ", "    workers: 3 "} {
		if !strings.Contains(y, w) {
			t.Errorf("the scenario lacks %q", w)
		}
	}
	if strings.Contains(y, "\ncapacity_provider:") {
		t.Error("a capacity provider without one")
	}
	if _, err := scenarios.Parse("big.yaml", []byte(y), ""); err != nil {
		t.Errorf("the imported scenario does not load: %v\n%s", err, y)
	}
	if t.Failed() {
		t.Log(y)
	}
}

// TestImportECSOneProviderWeightZero: ECS's default weight is 0, and one
// provider alone takes every task; the scenario gives it a weight, which
// capsim requires.
func TestImportECSOneProviderWeightZero(t *testing.T) {
	f := &ecsFake{fakeAWS: fakeAWS{t: t}}
	f.ecs = map[string]func(map[string]any) any{
		"DescribeServices": func(map[string]any) any {
			return map[string]any{"services": []any{map[string]any{"serviceName": "w", "status": "ACTIVE", "desiredCount": 2, "taskDefinition": "w:1",
				"capacityProviderStrategy": []any{map[string]any{"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 0}}}}}
		},
		"DescribeTaskDefinition": func(map[string]any) any {
			return map[string]any{"taskDefinition": map[string]any{"family": "w", "revision": 1, "cpu": "256", "memory": "512"}}
		},
	}
	f.aas = map[string]func(map[string]any) any{
		"DescribeScalableTargets": func(map[string]any) any { return map[string]any{"ScalableTargets": []any{}} },
	}
	s, err := ReadService(context.Background(), ecsClients(t, f), "default", "w")
	if err != nil {
		t.Fatal(err)
	}
	y := s.Scenario()
	if !strings.Contains(y, "    - {capacity_provider: FARGATE_SPOT, weight: 1}\n") {
		t.Errorf("strategy:\n%s", y)
	}
	if _, err := scenarios.Parse("w.yaml", []byte(y), ""); err != nil {
		t.Errorf("the imported scenario does not load: %v\n%s", err, y)
	}
}

// TestImportECSSeveralProviders: a strategy of two Auto Scaling group
// providers becomes capacity_providers, each with its group (an on-demand
// one and a spot one, from its instances distribution) and its managed
// scaling, and the strategy names them.
func TestImportECSSeveralProviders(t *testing.T) {
	f := newECSFake(t, true)
	s, err := ReadService(context.Background(), ecsClients(t, f), "prod", "api")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Groups) != 2 || s.Main != "od" {
		t.Fatalf("groups %v, main %q", s.Groups, s.Main)
	}
	y := s.Scenario()
	for _, w := range []string{
		"capacity_providers:", "  - name: od\n    fleet:                           # Auto Scaling group web\n      instance_type: c5.large",
		"    managed_scaling: {target_capacity: 90, minimum_scaling_step_size: 2, maximum_scaling_step_size: 8, instance_warmup_period: 120s, managed_termination_protection: true}\n",
		"  - name: spot\n    fleet:                           # Auto Scaling group web-spot\n",
		"      instances_distribution: {on_demand_base_capacity: 0, on_demand_percentage_above_base_capacity: 0}\n",
		"      capacity_rebalance: true\n",
		"  capacity_provider_strategy:\n    - {capacity_provider: od, base: 2, weight: 1}\n    - {capacity_provider: spot, weight: 3}\n",
		"    # not modelled: managed draining ENABLED",
	} {
		if !strings.Contains(y, w) {
			t.Errorf("the scenario lacks %q", w)
		}
	}
	for _, no := range []string{"\nfleet:", "\ncapacity_provider:", "new instances protected"} {
		if strings.Contains(y, no) {
			t.Errorf("the scenario has %q", no)
		}
	}
	sc, err := scenarios.Parse("api.yaml", []byte(y), "")
	if err != nil {
		t.Fatalf("the imported scenario does not load: %v\n%s", err, y)
	}
	if len(sc.CapacityProviders) != 2 || sc.CapacityProviders[1].Fleet.Max != 30 || len(sc.Service.Strategy) != 2 {
		t.Errorf("loaded: providers %+v, strategy %+v", sc.CapacityProviders, sc.Service.Strategy)
	}
	// And it runs (an hour of it): the engine takes the two providers.
	sc.Duration = scenarios.Duration(time.Hour)
	cfg, closer, err := sc.Build(nil)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	defer closer.Close()
	res, err := sim.Run(cfg)
	if err != nil || res.TaskSummary == nil || res.TaskSummary.PeakRunning < 2 {
		t.Errorf("run: %v, tasks %+v", err, res.TaskSummary)
	}
	if t.Failed() || testing.Verbose() {
		t.Log(y)
	}
}
