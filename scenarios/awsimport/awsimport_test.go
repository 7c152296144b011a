package awsimport

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/traces"
)

// fakeAWS answers the Auto Scaling query protocol (form POST, XML reply)
// and CloudWatch's Smithy RPC v2 CBOR on one loopback server, with the
// shapes of the AWS API references, and pages with NextToken.
type fakeAWS struct {
	t     *testing.T
	mu    sync.Mutex
	calls []string
	// GetMetricData pages, each a CBOR map.
	metricPages []cbor.Map
	// alarmBatches is how many names each DescribeAlarms call asks for
	// (default one call for the group's three policies' alarms);
	// moreAlarms are answered besides the group's two.
	alarmBatches []int
	moreAlarms   cbor.List
	// moreGroups are Auto Scaling groups answered besides "web", by name
	// (each a <member> of DescribeAutoScalingGroups).
	moreGroups map[string]string
}

func (f *fakeAWS) record(s string) {
	f.mu.Lock()
	f.calls = append(f.calls, s)
	f.mu.Unlock()
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/service/GraniteServiceVersion20100801/operation/") {
		f.cloudWatch(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	if r.Form.Get("Version") != "2011-01-01" {
		f.t.Errorf("Auto Scaling call without Version=2011-01-01: %v", r.Form)
	}
	action := r.Form.Get("Action")
	f.record(action + " " + r.Form.Get("NextToken"))
	body, ok := asgReplies[action+" "+r.Form.Get("NextToken")]
	if n := r.Form.Get("AutoScalingGroupNames.member.1"); action == "DescribeAutoScalingGroups" && n != "web" {
		body, ok = `<DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult>`, true
		if m, found := f.moreGroups[n]; found {
			body = `<DescribeAutoScalingGroupsResult><AutoScalingGroups>` + m + `</AutoScalingGroups></DescribeAutoScalingGroupsResult>`
		}
	}
	if !ok {
		w.WriteHeader(400)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>unexpected %s</Message></Error><RequestId>x</RequestId></ErrorResponse>`, action)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">%s<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></%sResponse>`, action, body, action)
}

func (f *fakeAWS) cloudWatch(w http.ResponseWriter, r *http.Request) {
	op := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
		f.t.Errorf("%s without Smithy-Protocol: rpc-v2-cbor", op)
	}
	raw, _ := io.ReadAll(r.Body)
	v, err := cbor.Decode(raw)
	if err != nil {
		f.t.Errorf("%s: request body is not CBOR: %v", op, err)
	}
	in, _ := v.(cbor.Map)
	token := ""
	if s, ok := in["NextToken"].(cbor.String); ok {
		token = string(s)
	}
	f.record(op + " " + token)
	var out cbor.Map
	switch op {
	case "DescribeAlarms":
		names, _ := in["AlarmNames"].(cbor.List)
		want := 3
		f.mu.Lock()
		if len(f.alarmBatches) > 0 {
			want, f.alarmBatches = f.alarmBatches[0], f.alarmBatches[1:]
		}
		f.mu.Unlock()
		if len(names) != want {
			f.t.Errorf("DescribeAlarms for %v, want %d alarms", names, want)
		}
		out = cbor.Map{"MetricAlarms": append(f.moreAlarms,
			cbor.Map{
				"AlarmName": cbor.String("web-cpu-high"), "Namespace": cbor.String("AWS/EC2"), "MetricName": cbor.String("CPUUtilization"),
				"Statistic": cbor.String("Average"), "Period": cbor.Uint(60), "EvaluationPeriods": cbor.Uint(3), "DatapointsToAlarm": cbor.Uint(2),
				"Threshold": cbor.Float64(70), "ComparisonOperator": cbor.String("GreaterThanOrEqualToThreshold"), "TreatMissingData": cbor.String("missing"),
				"Dimensions": cbor.List{cbor.Map{"Name": cbor.String("AutoScalingGroupName"), "Value": cbor.String("web")}},
			},
			cbor.Map{
				"AlarmName": cbor.String("web-cpu-low"), "Namespace": cbor.String("AWS/EC2"), "MetricName": cbor.String("CPUUtilization"),
				"Statistic": cbor.String("Average"), "Period": cbor.Uint(300), "EvaluationPeriods": cbor.Uint(2),
				"Threshold": cbor.Float64(20), "ComparisonOperator": cbor.String("LessThanThreshold"),
			},
		)}
	case "GetMetricData":
		i := 0
		if token != "" {
			fmt.Sscanf(token, "page-%d", &i)
		}
		if i >= len(f.metricPages) {
			http.Error(w, "bad token", 400)
			return
		}
		if s, _ := in["ScanBy"].(cbor.String); s != "TimestampAscending" {
			f.t.Errorf("GetMetricData ScanBy %q, want TimestampAscending", s)
		}
		out = f.metricPages[i]
	default:
		http.Error(w, "unexpected "+op, 400)
		return
	}
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Write(cbor.Encode(out))
}

var asgReplies = map[string]string{
	"DescribeAutoScalingGroups ": `<DescribeAutoScalingGroupsResult><AutoScalingGroups><member>
  <AutoScalingGroupName>web</AutoScalingGroupName>
  <AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web</AutoScalingGroupARN>
  <MixedInstancesPolicy>
    <LaunchTemplate>
      <LaunchTemplateSpecification><LaunchTemplateName>web-lt</LaunchTemplateName><Version>$Latest</Version></LaunchTemplateSpecification>
      <Overrides>
        <member><InstanceType>c5.large</InstanceType><WeightedCapacity>1</WeightedCapacity></member>
        <member><InstanceType>c5.xlarge</InstanceType><WeightedCapacity>2</WeightedCapacity></member>
      </Overrides>
    </LaunchTemplate>
    <InstancesDistribution>
      <OnDemandAllocationStrategy>prioritized</OnDemandAllocationStrategy>
      <OnDemandBaseCapacity>2</OnDemandBaseCapacity>
      <OnDemandPercentageAboveBaseCapacity>25</OnDemandPercentageAboveBaseCapacity>
      <SpotAllocationStrategy>price-capacity-optimized</SpotAllocationStrategy>
    </InstancesDistribution>
  </MixedInstancesPolicy>
  <MinSize>2</MinSize><MaxSize>12</MaxSize><DesiredCapacity>4</DesiredCapacity>
  <DefaultCooldown>300</DefaultCooldown><DefaultInstanceWarmup>180</DefaultInstanceWarmup>
  <AvailabilityZones><member>us-east-1a</member><member>us-east-1b</member></AvailabilityZones>
  <LoadBalancerNames/>
  <TargetGroupARNs><member>arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067</member></TargetGroupARNs>
  <HealthCheckType>ELB</HealthCheckType><HealthCheckGracePeriod>120</HealthCheckGracePeriod>
  <Instances>
    <member><InstanceId>i-1</InstanceId><InstanceType>c5.large</InstanceType><AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>true</ProtectedFromScaleIn></member>
  </Instances>
  <CreatedTime>2024-01-02T03:04:05.000Z</CreatedTime>
  <SuspendedProcesses><member><ProcessName>AZRebalance</ProcessName><SuspensionReason>User suspended</SuspensionReason></member></SuspendedProcesses>
  <TerminationPolicies><member>Default</member><member>OldestLaunchTemplate</member><member>OldestInstance</member></TerminationPolicies>
  <MaxInstanceLifetime>604800</MaxInstanceLifetime>
  <CapacityRebalance>true</CapacityRebalance>
</member></AutoScalingGroups></DescribeAutoScalingGroupsResult>`,
	"DescribePolicies ": `<DescribePoliciesResult><ScalingPolicies>
  <member>
    <AutoScalingGroupName>web</AutoScalingGroupName><PolicyName>cpu-50</PolicyName><PolicyType>TargetTrackingScaling</PolicyType>
    <TargetTrackingConfiguration>
      <PredefinedMetricSpecification><PredefinedMetricType>ASGAverageCPUUtilization</PredefinedMetricType></PredefinedMetricSpecification>
      <TargetValue>50.0</TargetValue><DisableScaleIn>false</DisableScaleIn>
    </TargetTrackingConfiguration>
    <Alarms>
      <member><AlarmName>TargetTracking-web-AlarmHigh-1</AlarmName><AlarmARN>arn:aws:cloudwatch:us-east-1:123456789012:alarm:TargetTracking-web-AlarmHigh-1</AlarmARN></member>
    </Alarms>
    <Enabled>true</Enabled>
  </member>
</ScalingPolicies><NextToken>p2</NextToken></DescribePoliciesResult>`,
	"DescribePolicies p2": `<DescribePoliciesResult><ScalingPolicies>
  <member>
    <AutoScalingGroupName>web</AutoScalingGroupName><PolicyName>rps-1000</PolicyName><PolicyType>TargetTrackingScaling</PolicyType>
    <TargetTrackingConfiguration>
      <PredefinedMetricSpecification><PredefinedMetricType>ALBRequestCountPerTarget</PredefinedMetricType><ResourceLabel>app/web/50dc6c495c0c9188/targetgroup/web/73e2d6bc24d8a067</ResourceLabel></PredefinedMetricSpecification>
      <TargetValue>1000</TargetValue><DisableScaleIn>true</DisableScaleIn>
    </TargetTrackingConfiguration>
    <Enabled>true</Enabled>
  </member>
  <member>
    <AutoScalingGroupName>web</AutoScalingGroupName><PolicyName>step-out</PolicyName><PolicyType>StepScaling</PolicyType>
    <AdjustmentType>ChangeInCapacity</AdjustmentType><MetricAggregationType>Average</MetricAggregationType><EstimatedInstanceWarmup>120</EstimatedInstanceWarmup>
    <StepAdjustments>
      <member><MetricIntervalLowerBound>0</MetricIntervalLowerBound><MetricIntervalUpperBound>10</MetricIntervalUpperBound><ScalingAdjustment>1</ScalingAdjustment></member>
      <member><MetricIntervalLowerBound>10</MetricIntervalLowerBound><ScalingAdjustment>3</ScalingAdjustment></member>
    </StepAdjustments>
    <Alarms><member><AlarmName>web-cpu-high</AlarmName><AlarmARN>arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-cpu-high</AlarmARN></member></Alarms>
    <Enabled>true</Enabled>
  </member>
  <member>
    <AutoScalingGroupName>web</AutoScalingGroupName><PolicyName>simple-in</PolicyName>
    <AdjustmentType>ChangeInCapacity</AdjustmentType><ScalingAdjustment>-1</ScalingAdjustment><Cooldown>600</Cooldown>
    <Alarms><member><AlarmName>web-cpu-low</AlarmName><AlarmARN>arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-cpu-low</AlarmARN></member></Alarms>
  </member>
</ScalingPolicies></DescribePoliciesResult>`,
	"DescribeScheduledActions ": `<DescribeScheduledActionsResult><ScheduledUpdateGroupActions>
  <member><AutoScalingGroupName>web</AutoScalingGroupName><ScheduledActionName>morning</ScheduledActionName><Recurrence>0 8 * * MON-FRI</Recurrence><TimeZone>America/New_York</TimeZone><MinSize>4</MinSize><DesiredCapacity>6</DesiredCapacity><StartTime>2024-01-01T13:00:00Z</StartTime></member>
</ScheduledUpdateGroupActions><NextToken>s2</NextToken></DescribeScheduledActionsResult>`,
	"DescribeScheduledActions s2": `<DescribeScheduledActionsResult><ScheduledUpdateGroupActions>
  <member><AutoScalingGroupName>web</AutoScalingGroupName><ScheduledActionName>evening</ScheduledActionName><Recurrence>0 20 * * *</Recurrence><MinSize>2</MinSize><MaxSize>12</MaxSize></member>
</ScheduledUpdateGroupActions></DescribeScheduledActionsResult>`,
}

func clients(t *testing.T, f *fakeAWS) (*autoscaling.Client, *cloudwatch.Client) {
	srv := httptest.NewServer(f)
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
	return autoscaling.NewFromConfig(cfg), cloudwatch.NewFromConfig(cfg)
}

func TestImportASG(t *testing.T) {
	f := &fakeAWS{t: t}
	asg, cw := clients(t, f)
	g, err := ReadGroup(context.Background(), asg, cw, "web")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"DescribeAutoScalingGroups ", "DescribePolicies ", "DescribePolicies p2", "DescribeScheduledActions ", "DescribeScheduledActions s2", "DescribeAlarms "}
	if strings.Join(f.calls, "|") != strings.Join(want, "|") {
		t.Errorf("calls %q\nwant  %q", f.calls, want)
	}
	if len(g.Policies) != 4 || len(g.Scheduled) != 2 || len(g.Alarms) != 2 {
		t.Fatalf("%d policies, %d scheduled actions, %d alarms", len(g.Policies), len(g.Scheduled), len(g.Alarms))
	}
	y := g.Scenario()
	for _, s := range []string{
		"instance_type: c5.large", "min: 2\n", "max: 12\n", "desired: 4\n", "warmup: 180s", "health_check_grace: 120s", "zones: 2",
		"termination_policies: [OldestInstance, Default]",
		"name: cpu-50\n      type: target_tracking\n      metric: cpu\n      target: 50\n",
		"name: rps-1000\n      type: target_tracking\n      metric: request_count_per_target\n      target: 1000\n      disable_scale_in: true\n",
		"# not modelled: mixed instances policy: types [c5.large (weight 1), c5.xlarge (weight 2)]; on-demand base 2, on-demand above base 25%, spot allocation price-capacity-optimized",
		"# not modelled: termination policies OldestLaunchTemplate",
		"# not modelled: max instance lifetime 604800s",
		"# not modelled: capacity rebalance on",
		"# not modelled: suspended process AZRebalance",
		"# not modelled: 1 running instance(s) protected from scale-in",
		"# not modelled: health check type ELB",
		"# not modelled: policy step-out (StepScaling): adjustment type ChangeInCapacity, metric aggregation Average, estimated instance warm-up 120s",
		"#   step [0, 10) above the alarm threshold: +1",
		"#   step [10, +∞) above the alarm threshold: +3",
		"#   alarm web-cpu-high: Average AWS/EC2/CPUUtilization {AutoScalingGroupName=web} >= 70 for 2 of 3 periods of 60s, missing data missing",
		"# not modelled: policy simple-in (SimpleScaling): ChangeInCapacity -1, cooldown 600s",
		"#   alarm web-cpu-low: Average AWS/EC2/CPUUtilization < 20 for 2 of 2 periods of 300s",
		`# not modelled: scheduled action morning: cron "0 8 * * MON-FRI" in America/New_York from 2024-01-01T13:00:00Z min 4 desired 6`,
		`# not modelled: scheduled action evening: cron "0 20 * * *" min 2 max 12`,
	} {
		if !strings.Contains(y, s) {
			t.Errorf("the scenario lacks %q", s)
		}
	}
	if strings.Contains(y, "not-a-secret") || strings.Contains(y, "AKIDEXAMPLE") {
		t.Error("credentials in the output")
	}
	// The scenario loads as it is.
	if _, err := scenarios.Parse("web.yaml", []byte(y), ""); err != nil {
		t.Errorf("the imported scenario does not load: %v\n%s", err, y)
	}
	if t.Failed() {
		t.Log(y)
	}

	if _, err := ReadGroup(context.Background(), asg, cw, "nope"); err == nil || !strings.Contains(err.Error(), `no Auto Scaling group named "nope"`) {
		t.Errorf("missing group: %v", err)
	}
}

func epoch(t time.Time) cbor.Value { return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(t.Unix()))} }

func TestImportMetrics(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	at := func(m int) cbor.Value { return epoch(start.Add(time.Duration(m) * time.Minute)) }
	f := &fakeAWS{t: t, metricPages: []cbor.Map{
		{"MetricDataResults": cbor.List{
			cbor.Map{"Id": cbor.String("requests"), "Label": cbor.String("RequestCount"), "StatusCode": cbor.String("PartialData"),
				"Timestamps": cbor.List{at(0), at(1)}, "Values": cbor.List{cbor.Float64(120), cbor.Float64(90)}},
			cbor.Map{"Id": cbor.String("latency"), "Label": cbor.String("TargetResponseTime"), "StatusCode": cbor.String("PartialData"),
				"Timestamps": cbor.List{at(0)}, "Values": cbor.List{cbor.Float64(0.042)}},
		}, "NextToken": cbor.String("page-1")},
		{"MetricDataResults": cbor.List{
			// Minute 2 has no datapoint: no requests flowed.
			cbor.Map{"Id": cbor.String("requests"), "StatusCode": cbor.String("Complete"),
				"Timestamps": cbor.List{at(3), at(4)}, "Values": cbor.List{cbor.Float64(30), cbor.Float64(6)}},
			cbor.Map{"Id": cbor.String("latency"), "StatusCode": cbor.String("Complete"),
				"Timestamps": cbor.List{at(1), at(3), at(4)}, "Values": cbor.List{cbor.Float64(0.05), cbor.Float64(0.03), cbor.Float64(0.02)}},
		}},
	}}
	_, cw := clients(t, f)
	var out bytes.Buffer
	st, err := RequestCountTrace(context.Background(), cw, TraceRequest{LoadBalancer: "app/web/50dc6c495c0c9188", Start: start, End: start.Add(5 * time.Minute)}, &out)
	if err != nil {
		t.Fatal(err)
	}
	want := `time_utc,unix_ts,requests,target_response_time_s
2026-03-02T10:00:00Z,1772445600,120,0.042
2026-03-02T10:01:00Z,1772445660,90,0.05
2026-03-02T10:02:00Z,1772445720,0,
2026-03-02T10:03:00Z,1772445780,30,0.03
2026-03-02T10:04:00Z,1772445840,6,0.02
`
	if out.String() != want {
		t.Errorf("trace:\n%s\nwant:\n%s", out.String(), want)
	}
	if st.Rows != 5 || st.Missing != 1 || st.Requests != 246 || st.Pages != 2 {
		t.Errorf("stats %+v", st)
	}
	// The trace reads back as a rate-csv with the same total.
	info, err := traces.ScanRateCSV(strings.NewReader(out.String()), "alb.csv", traces.RateCSVOptions{TimeColumn: "unix_ts", ValueColumn: "requests"})
	if err != nil || info.Requests != 246 || info.Rows != 5 {
		t.Errorf("read back: %+v, %v", info, err)
	}
	rows, _ := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if len(rows) != 6 {
		t.Errorf("%d rows", len(rows))
	}

	for _, q := range []TraceRequest{
		{LoadBalancer: "web", Start: start, End: start.Add(time.Hour)},
		{LoadBalancer: "app/web/1", TargetGroup: "tg", Start: start, End: start.Add(time.Hour)},
		{LoadBalancer: "app/web/1", Start: start, End: start},
		{LoadBalancer: "app/web/1", Start: start, End: start.Add(time.Hour), Period: 90 * time.Second},
	} {
		if _, err := RequestCountTrace(context.Background(), cw, q, io.Discard); err == nil {
			t.Errorf("%+v: no error", q)
		}
	}
	_ = aws.String
}
