package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/stack"
)

const targetScenario = `name: cli target
seed: 2
duration: 6s
traffic:
  synthetic: {shape: constant, rps: 20}
workload:
  service_time: {dist: exponential, mean: 20ms}
  timeout: 5s
instance_types:
  - {name: sim.c4, vcpu: 4, memory_gib: 8, speed: 1.0, usd_per_hour: 0.2}
fleet: {instance_type: sim.c4, min: 1, max: 1, desired: 1, zones: 1}
load_balancer: {overhead: 0s}
`

// TestValidateTargetCLI: `capsim validate --target URL` replays the load
// against the named server (a local httptest server) and writes the
// report; the target flags without --target, a bad URL and a rate above
// --max-rate are input errors.
func TestValidateTargetCLI(t *testing.T) {
	b := stack.NewBackend(4)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		b.ServeHTTP(w, r)
	}))
	defer srv.Close()
	sc := writeScenario(t, targetScenario)
	js := filepath.Join(t.TempDir(), "v.json")
	code, stdout, stderr := capsim(t, "validate", sc, "--target", srv.URL, "--json", js)
	t.Logf("exit %d\n%s%s", code, stderr, stdout)
	if code != exitOK && code != exitFailed {
		t.Fatalf("exit %d", code)
	}
	raw, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var rep stack.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Mode != "target" || rep.Real.Requests < 90 || rep.Real.Requests != rep.Sim.Requests {
		t.Errorf("mode %q, real %d requests, sim %d", rep.Mode, rep.Real.Requests, rep.Sim.Requests)
	}
	served := hits.Load()
	for name, args := range map[string][]string{
		"asg without target": {"validate", sc, "--asg", "g"},
		"yes without target": {"validate", sc, "--yes"},
		"bad url":            {"validate", sc, "--target", "not a url"},
		"above max-rate":     {"validate", sc, "--target", srv.URL, "--max-rate", "5"},
		"with duration":      {"validate", sc, "--target", srv.URL, "--duration", "10s"},
	} {
		if code, _, stderr := capsim(t, args...); code != exitInput {
			t.Errorf("%s: exit %d, want %d\n%s", name, code, exitInput, stderr)
		}
	}
	if got := hits.Load(); got != served {
		t.Errorf("refused runs sent %d requests to the target", got-served)
	}
	if !strings.Contains(stderr, "target: ") {
		t.Errorf("stderr lacks the plan line")
	}
}

// groupXML is a DescribeAutoScalingGroups answer for one group whose
// instances are in the given lifecycle states.
func groupXML(name string, states ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<DescribeAutoScalingGroupsResult><AutoScalingGroups><member><AutoScalingGroupName>%s</AutoScalingGroupName>`, name)
	b.WriteString(`<MinSize>1</MinSize><MaxSize>4</MaxSize><DesiredCapacity>3</DesiredCapacity><Instances>`)
	for i, s := range states {
		fmt.Fprintf(&b, `<member><InstanceId>i-%d</InstanceId><LifecycleState>%s</LifecycleState><HealthStatus>Healthy</HealthStatus><AvailabilityZone>eu-west-1a</AvailabilityZone><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>`, i, s)
	}
	b.WriteString(`</Instances></member></AutoScalingGroups></DescribeAutoScalingGroupsResult>`)
	return b.String()
}

// TestValidateTargetASG: `validate --target URL --asg NAME` samples the
// group through the real SDK client (the default chain's region, key and
// endpoint, here a loopback server speaking the Auto Scaling query
// protocol) once per metric period, asks for the named group only, and
// counts its InService instances, not the pending, terminating or
// standby ones (LifecycleState, API reference: Instance).
func TestValidateTargetASG(t *testing.T) {
	var calls atomic.Int32
	asg := fakeAutoScaling(t, func(action string, form url.Values) string {
		if action != "DescribeAutoScalingGroups" || form.Get("AutoScalingGroupNames.member.1") != "web" {
			t.Errorf("called %s for %q: want DescribeAutoScalingGroups of web", action, form.Get("AutoScalingGroupNames.member.1"))
		}
		calls.Add(1)
		return groupXML("web", "InService", "Pending", "InService", "Terminating", "Standby")
	})
	awsEnv(t, asg.URL)
	srv := httptest.NewServer(stack.NewBackend(4))
	defer srv.Close()
	// 10 s at 20 req/s, one metric period: one sample, at 10 s.
	sc := writeScenario(t, strings.Replace(targetScenario, "duration: 6s", "duration: 10s\nmetrics: {period: 10s}", 1))
	dir := t.TempDir()
	js, page := filepath.Join(dir, "v.json"), filepath.Join(dir, "v.html")
	code, stdout, stderr := capsim(t, "validate", sc, "--target", srv.URL, "--asg", "web", "--json", js, "--html", page)
	t.Logf("exit %d\n%s%s", code, stderr, stdout)
	if code != exitOK && code != exitFailed {
		t.Fatalf("exit %d", code)
	}
	var rep stack.Report
	raw, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d DescribeAutoScalingGroups calls: want 1 (one metric period)", calls.Load())
	}
	want := []stack.TimelinePoint{{OffsetS: 0, SimInService: 1, RealInService: 1}, {OffsetS: 10, SimInService: 1, RealInService: 2}}
	if !reflect.DeepEqual(rep.Timeline, want) {
		t.Errorf("timeline %+v, want %+v (2 of the group's 5 instances are InService)", rep.Timeline, want)
	}
	// The page overlays both sides' curves: the instance timeline, the
	// latency percentiles and the per-minute latencies.
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cli target: instances in service", "cli target: latency percentiles (KS D = ", "cli target: latency per minute", "simulated", "real"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the --html page lacks %q", want)
		}
	}
	if strings.Contains(stdout+stderr+string(raw), "s3cr3t") {
		t.Error("the secret key leaked into the output")
	}
}

// TestASGCounter: the sampler's own answers through the SDK client — the
// InService count, and an error naming the group when the API knows no
// such group (it answers an empty list, not an error).
func TestASGCounter(t *testing.T) {
	replies := map[string]string{
		"web":  groupXML("web", "InService", "InService", "InService", "Pending"),
		"none": `<DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult>`,
	}
	asg := fakeAutoScaling(t, func(_ string, form url.Values) string { return replies[form.Get("AutoScalingGroupNames.member.1")] })
	awsEnv(t, asg.URL)
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	client := autoscaling.NewFromConfig(cfg)
	explain := pricing.DefaultCallPolicy.Explain
	n, err := asgCounter{client: client, name: "web", explain: explain}.InService(context.Background())
	if err != nil || n != 3 {
		t.Errorf("web: %d in service, err %v: want 3", n, err)
	}
	_, err = asgCounter{client: client, name: "none", explain: explain}.InService(context.Background())
	if err == nil || !strings.Contains(err.Error(), `no Auto Scaling group "none"`) {
		t.Errorf("an unknown group: err = %v, want one naming it", err)
	}
}
