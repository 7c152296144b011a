package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportASGCommand runs import asg end to end: the SDK's default chain
// reads region, credentials and endpoint from the environment, and the
// loopback server answers in the Auto Scaling query protocol.
func TestImportASGCommand(t *testing.T) {
	replies := map[string]string{
		"DescribeAutoScalingGroups": `<DescribeAutoScalingGroupsResult><AutoScalingGroups><member><AutoScalingGroupName>api</AutoScalingGroupName>
<LaunchConfigurationName>api-lc</LaunchConfigurationName><MinSize>1</MinSize><MaxSize>5</MaxSize><DesiredCapacity>2</DesiredCapacity>
<DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>eu-west-1a</member></AvailabilityZones><HealthCheckType>EC2</HealthCheckType>
<TerminationPolicies><member>Default</member></TerminationPolicies></member></AutoScalingGroups></DescribeAutoScalingGroupsResult>`,
		"DescribeLaunchConfigurations": `<DescribeLaunchConfigurationsResult><LaunchConfigurations><member><LaunchConfigurationName>api-lc</LaunchConfigurationName><InstanceType>m5.large</InstanceType><ImageId>ami-1</ImageId></member></LaunchConfigurations></DescribeLaunchConfigurationsResult>`,
		"DescribePolicies":             `<DescribePoliciesResult><ScalingPolicies/></DescribePoliciesResult>`,
		"DescribeScheduledActions":     `<DescribeScheduledActionsResult><ScheduledUpdateGroupActions/></DescribeScheduledActionsResult>`,
	}
	srv := fakeAutoScaling(t, func(action string, _ url.Values) string { return replies[action] })
	awsEnv(t, srv.URL)
	dir := t.TempDir()
	out := filepath.Join(dir, "api.yaml")
	code, stdout, errs := capsim(t, "import", "asg", "api", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(out)
	for _, s := range []string{`from Auto Scaling group "api" in eu-west-1`, "instance_type: m5.large   # from launch configuration api-lc", "min: 1", "max: 5", "desired: 2", "policies: []"} {
		if !strings.Contains(string(b), s) {
			t.Errorf("scenario lacks %q:\n%s", s, b)
		}
	}
	if strings.Contains(string(b)+stdout+errs, "s3cr3t") {
		t.Error("the secret key leaked into the output")
	}
	if code, _, errs := capsim(t, "lint", out); code != 0 {
		t.Errorf("the imported scenario does not lint: %s", errs)
	}
	// A group that does not exist is a wrong name: bad input, exit 2.
	replies["DescribeAutoScalingGroups"] = `<DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult>`
	if code, _, errs := capsim(t, "import", "asg", "nope"); code != 2 || !strings.Contains(errs, "nope") {
		t.Errorf("missing group: exit %d, %s", code, errs)
	}
}

// TestMissingRequiredFlagExits2: a Required flag left out is a usage
// mistake (docs/cli.md: exit 2), though urfave/cli returns it as a plain
// error; missingRequiredFlag recognises it by its type's name.
func TestMissingRequiredFlagExits2(t *testing.T) {
	code, _, errs := capsim(t, "import", "metrics", "--start", "2026-03-01T00:00:00Z", "--end", "2026-03-02T00:00:00Z", "--region", "eu-west-1")
	if code != 2 || !strings.Contains(errs, "load-balancer") {
		t.Errorf("import metrics without --load-balancer: exit %d, %s", code, errs)
	}
}

// TestImportECSCommand runs import ecs end to end against a loopback
// server speaking ECS's and Application Auto Scaling's awsJson1_1 (POST /,
// X-Amz-Target) and Auto Scaling's query protocol, then runs the scenario
// it wrote: the round trip import → lint → run.
func TestImportECSCommand(t *testing.T) {
	var calls []string
	json11 := map[string]string{
		"AmazonEC2ContainerServiceV20141113.DescribeServices": `{"services":[{"serviceName":"api","serviceArn":"arn:aws:ecs:eu-west-1:123456789012:service/prod/api",
"clusterArn":"arn:aws:ecs:eu-west-1:123456789012:cluster/prod","status":"ACTIVE","desiredCount":4,"runningCount":4,"pendingCount":0,
"capacityProviderStrategy":[{"capacityProvider":"cp","base":0,"weight":1}],"taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/api:3",
"placementStrategy":[{"type":"binpack","field":"memory"}],"schedulingStrategy":"REPLICA"}],"failures":[]}`,
		"AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition": `{"taskDefinition":{"family":"api","revision":3,"cpu":"1024","memory":"2048","networkMode":"bridge",
"containerDefinitions":[{"name":"app","image":"api","cpu":1024,"memory":2048}]}}`,
		"AmazonEC2ContainerServiceV20141113.DescribeCapacityProviders": `{"capacityProviders":[{"name":"cp","status":"ACTIVE","autoScalingGroupProvider":{
"autoScalingGroupArn":"arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:9:autoScalingGroupName/ecs-api",
"managedScaling":{"status":"ENABLED","targetCapacity":100,"minimumScalingStepSize":1,"maximumScalingStepSize":10,"instanceWarmupPeriod":300},
"managedTerminationProtection":"ENABLED"}}],"failures":[]}`,
		"AnyScaleFrontendService.DescribeScalableTargets": `{"ScalableTargets":[{"ServiceNamespace":"ecs","ResourceId":"service/prod/api","ScalableDimension":"ecs:service:DesiredCount","MinCapacity":2,"MaxCapacity":20}]}`,
		"AnyScaleFrontendService.DescribeScalingPolicies": `{"ScalingPolicies":[{"PolicyName":"cpu60","PolicyType":"TargetTrackingScaling","ServiceNamespace":"ecs","ResourceId":"service/prod/api",
"ScalableDimension":"ecs:service:DesiredCount","TargetTrackingScalingPolicyConfiguration":{"TargetValue":60,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}}]}`,
	}
	query := map[string]string{
		"DescribeAutoScalingGroups": `<DescribeAutoScalingGroupsResult><AutoScalingGroups><member><AutoScalingGroupName>ecs-api</AutoScalingGroupName>
<LaunchConfigurationName>ecs-lc</LaunchConfigurationName><MinSize>0</MinSize><MaxSize>20</MaxSize><DesiredCapacity>2</DesiredCapacity>
<AvailabilityZones><member>eu-west-1a</member><member>eu-west-1b</member></AvailabilityZones><NewInstancesProtectedFromScaleIn>true</NewInstancesProtectedFromScaleIn></member></AutoScalingGroups></DescribeAutoScalingGroupsResult>`,
		"DescribeLaunchConfigurations": `<DescribeLaunchConfigurationsResult><LaunchConfigurations><member><LaunchConfigurationName>ecs-lc</LaunchConfigurationName><InstanceType>c5.large</InstanceType></member></LaunchConfigurations></DescribeLaunchConfigurationsResult>`,
		"DescribePolicies": `<DescribePoliciesResult><ScalingPolicies><member><AutoScalingGroupName>ecs-api</AutoScalingGroupName>
<PolicyName>ECSManagedAutoScalingPolicy-5b4e7c1d</PolicyName><PolicyType>TargetTrackingScaling</PolicyType>
<TargetTrackingConfiguration><CustomizedMetricSpecification><MetricName>CapacityProviderReservation</MetricName><Namespace>AWS/ECS/ManagedScaling</Namespace><Statistic>Average</Statistic></CustomizedMetricSpecification><TargetValue>100</TargetValue></TargetTrackingConfiguration>
</member></ScalingPolicies></DescribePoliciesResult>`,
		"DescribeScheduledActions": `<DescribeScheduledActionsResult><ScheduledUpdateGroupActions/></DescribeScheduledActionsResult>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if target := r.Header.Get("X-Amz-Target"); target != "" {
			calls = append(calls, target)
			body, ok := json11[target]
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			if !ok {
				w.WriteHeader(400)
				fmt.Fprintf(w, `{"__type":"InvalidParameterException","message":"unexpected %s"}`, target)
				return
			}
			io.Copy(io.Discard, r.Body)
			fmt.Fprint(w, body)
			return
		}
		r.ParseForm()
		a := r.Form.Get("Action")
		calls = append(calls, a)
		fmt.Fprintf(w, `<%sResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">%s<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></%sResponse>`, a, query[a], a)
	}))
	defer srv.Close()
	awsEnv(t, srv.URL)
	dir := t.TempDir()
	out := filepath.Join(dir, "api.yaml")
	code, stdout, errs := capsim(t, "import", "ecs", "--ecs-cluster", "prod", "--ecs-service", "api", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(out)
	y := string(b)
	for _, s := range []string{"# policy ECSManagedAutoScalingPolicy-5b4e7c1d is ECS's own managed scaling", "capacity_provider:", "managed_termination_protection: true",
		"instance_type: c5.large", "service:\n  launch_type: ec2", "metric: cpu\n        target: 60"} {
		if !strings.Contains(y, s) {
			t.Errorf("scenario lacks %q:\n%s", s, y)
		}
	}
	if strings.Contains(y+stdout+errs, "s3cr3t") {
		t.Error("the secret key leaked into the output")
	}
	if code, _, errs := capsim(t, "lint", out); code != 0 {
		t.Errorf("the imported scenario does not lint: %s", errs)
	}
	// The round trip: capsim run takes the file as written.
	js := filepath.Join(dir, "result.json")
	if code, _, errs := capsim(t, "run", out, "--json", js, "--quiet"); code != 0 {
		t.Fatalf("capsim run of the imported scenario: exit %d: %s\n%s", code, errs, y)
	}
	var res struct {
		Summary struct {
			Tasks *struct {
				PeakRunning int `json:"peak_running"`
			} `json:"tasks"`
		} `json:"summary"`
	}
	rb, _ := os.ReadFile(js)
	if err := json.Unmarshal(rb, &res); err != nil || res.Summary.Tasks == nil || res.Summary.Tasks.PeakRunning < 2 {
		t.Errorf("the run is not an ECS run with at least min tasks: %v, %s", err, rb[:min(len(rb), 300)])
	}

	// Bad input exits 2 with the reason: no such service, no --service.
	json11["AmazonEC2ContainerServiceV20141113.DescribeServices"] = `{"services":[],"failures":[{"arn":"arn:aws:ecs:eu-west-1:123456789012:service/prod/nope","reason":"MISSING"}]}`
	if code, _, errs := capsim(t, "import", "ecs", "--cluster", "prod", "--service", "nope"); code != 2 || !strings.Contains(errs, `no ECS service named "nope" in cluster "prod"`) {
		t.Errorf("missing service: exit %d, %s", code, errs)
	}
	if code, _, errs := capsim(t, "import", "ecs", "--cluster", "prod"); code != 2 || !strings.Contains(errs, "service") {
		t.Errorf("no --service: exit %d, %s", code, errs)
	}
	// A failing call exits 1 and names the call and the policy.
	delete(json11, "AmazonEC2ContainerServiceV20141113.DescribeServices")
	if code, _, errs := capsim(t, "import", "ecs", "--cluster", "prod", "--service", "api", "--aws-attempts", "1"); code != 1 || !strings.Contains(errs, "DescribeServices") {
		t.Errorf("failing call: exit %d, %s", code, errs)
	}
}
