package main

import (
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
}
