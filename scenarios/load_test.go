package scenarios

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// run builds s cut to d and runs it, checking request conservation.
func run(t *testing.T, s *Scenario, d time.Duration, seed *uint64) *sim.Result {
	t.Helper()
	s.Duration = Duration(d)
	cfg, closer, err := s.Build(seed)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	defer func() {
		if err := closer.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	r, err := sim.Run(cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !r.Requests.Conserved() {
		t.Errorf("requests not conserved: %+v", r.Requests)
	}
	if r.Requests.Total == 0 {
		t.Errorf("no requests in %v", d)
	}
	return r
}

func TestDefault(t *testing.T) {
	s, y := Default()
	if s.Name != "default-diurnal-web" {
		t.Errorf("name %q", s.Name)
	}
	if !bytes.Contains(y, []byte("name: default-diurnal-web")) {
		t.Error("Default's YAML is not the default scenario")
	}
	if s.Duration.D() != 24*time.Hour || s.Traffic.Synthetic == nil || s.Traffic.Synthetic.Shape != "diurnal" {
		t.Errorf("not a diurnal day: %v %+v", s.Duration, s.Traffic.Synthetic)
	}
	it := s.InstanceType()
	want, _ := pricing.Lookup("m5.large")
	if it != want {
		t.Errorf("InstanceType() = %+v, want %+v", it, want)
	}
	if s.LoadBalancer.Algorithm != "least_outstanding_requests" || len(s.Scaling.Policies) != 1 || s.Scaling.Policies[0].Target != 50 {
		t.Errorf("balancer %q, policies %+v", s.LoadBalancer.Algorithm, s.Scaling.Policies)
	}
	if s.Fleet.Min != 2 || s.Fleet.Max != 30 || s.Fleet.Desired != 4 {
		t.Errorf("fleet %+v", s.Fleet)
	}
	// Default hands out a fresh copy each time.
	s.Name = "changed"
	y[0] = '!'
	if s2, y2 := Default(); s2.Name != "default-diurnal-web" || y2[0] == '!' {
		t.Error("Default shares state between calls")
	}
	r := run(t, s, 10*time.Minute, nil)
	// About 100–160 req/s in the first ten minutes after midnight.
	if n := r.Requests.Total; n < 40_000 || n > 120_000 {
		t.Errorf("%d requests in the first 10 minutes", n)
	}
}

func TestExamples(t *testing.T) {
	files, err := filepath.Glob("examples/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s, err := Load(f)
			if err != nil {
				t.Fatalf("Load:\n%v", err)
			}
			run(t, s, 10*time.Minute, nil)
		})
	}
}

func TestNASAExample(t *testing.T) {
	// The trace path in the example is relative to the example's own
	// directory, so it loads from any working directory.
	abs, err := filepath.Abs("examples/nasa-rate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(abs)
	if err != nil {
		t.Fatal(err)
	}
	info, ok := s.Trace()
	if !ok || info.Rows != 84334 || info.Interval != time.Minute {
		t.Fatalf("trace info %+v", info)
	}
	if got := s.Start.Format(time.RFC3339); got != "1995-07-13T04:00:00Z" {
		t.Errorf("start %s", got)
	}
	r := run(t, s, time.Hour, nil)
	// 04:00–05:00 UTC on July 13, 1995 had 3,350 requests (the sum of
	// those 60 rows); scaled 100×, a Poisson replay lands within 5σ ≈ 2,900.
	if n := float64(r.Requests.Total); n < 332_100 || n > 337_900 {
		t.Errorf("%v requests in the first hour, want about 335,000", n)
	}
}

func TestDesignExampleParses(t *testing.T) {
	s, err := Load("testdata/design_example.yaml")
	if err != nil {
		t.Fatalf("the docs/scenario.md example does not load:\n%v", err)
	}
	if len(s.Variants) != 2 || s.Variants[0].Set[0].Path != "scaling.policies[0].target" || s.Variants[0].Set[0].Value != int64(70) {
		t.Errorf("variants %+v", s.Variants)
	}
	if len(s.Sweep) != 2 || s.Sweep[0].Path != "scaling.policies[0].target" || s.Sweep.Runs() != 8 {
		t.Errorf("sweep %+v", s.Sweep)
	}
	if it := s.InstanceType(); it.Name != "m5.large" {
		t.Errorf("type %+v", it)
	}
	// The inline type is known too.
	s.Fleet.InstanceType = "sim.c7"
	if it := s.InstanceType(); it.VCPU != 7 || it.USDPerHour != 0.3 || it.PriceSource != "scenario instance_types" {
		t.Errorf("inline type %+v", it)
	}
	run(t, s, 5*time.Minute, nil)
}

// TestResolvedDefaults checks the defaults docs/scenario.md and the brief
// name, as they appear in the JSON of the resolved scenario.
func TestResolvedDefaults(t *testing.T) {
	s, err := Parse("checkout.yaml", []byte(valid), "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	get := func(path string) any {
		var v any = m
		for _, k := range strings.Split(path, ".") {
			mm, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = mm[k]
		}
		return v
	}
	want := map[string]any{
		"name":                                "checkout",
		"seed":                                1.0,
		"start":                               "1970-01-01T00:00:00Z",
		"duration":                            "1h",
		"traffic.scale":                       1.0,
		"traffic.speedup":                     1.0,
		"traffic.arrivals.process":            "poisson",
		"workload.timeout":                    "30s",
		"workload.queue_limit":                1000.0,
		"fleet.desired":                       2.0,
		"fleet.boot_time.dist":                "lognormal",
		"fleet.boot_time.median":              "1m30s",
		"fleet.boot_time.p99":                 "3m",
		"fleet.warmup":                        "5m",
		"fleet.health_check_grace":            "5m",
		"fleet.zones":                         3.0,
		"load_balancer.algorithm":             "round_robin",
		"load_balancer.overhead":              "1ms",
		"load_balancer.health_check.interval": "30s",
		"load_balancer.health_check.healthy_threshold":   5.0,
		"load_balancer.health_check.unhealthy_threshold": 2.0,
		"load_balancer.deregistration_delay":             "5m",
		"load_balancer.slow_start":                       "0s",
		"metrics.period":                                 "1m",
		"metrics.publish_delay":                          "1m",
		"pricing.region":                                 "us-east-1",
	}
	for k, w := range want {
		if got := get(k); got != w {
			t.Errorf("%s = %#v, want %#v", k, got, w)
		}
	}
	if tp, _ := get("fleet.termination_policies").([]any); len(tp) != 1 || tp[0] != "Default" {
		t.Errorf("termination_policies = %v", get("fleet.termination_policies"))
	}
	// The resolved scenario parses back to the same scenario.
	back, err := Parse("checkout.json", b, "")
	if err != nil {
		t.Fatalf("the resolved scenario does not parse back:\n%v\n%s", err, b)
	}
	b2, _ := json.Marshal(back)
	if !bytes.Equal(b, b2) {
		t.Errorf("round trip changed the scenario:\n%s\n%s", b, b2)
	}
}

func TestPolicyDefaults(t *testing.T) {
	src := valid + "scaling:\n  policies:\n    - {type: target_tracking, metric: request_count_per_target, target: 1000, disable_scale_in: true, scale_in_datapoints: 10}\n"
	s, err := Parse("p.yaml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	tt, ok := cfg.Scalers[0].(*policies.TargetTracking)
	if !ok {
		t.Fatalf("scaler %T", cfg.Scalers[0])
	}
	want := policies.TargetTracking{PolicyName: "request_count_per_target-1000", Metric: sim.MetricRequestCountPerTarget, Target: 1000,
		OutPoints: 3, OutPeriods: 3, InPoints: 10, InPeriods: 10, InRatio: 0.7, DisableScaleIn: true}
	if *tt != want {
		t.Errorf("policy %+v, want %+v", *tt, want)
	}
}

func TestBuild(t *testing.T) {
	s, _ := Default()
	seed := uint64(99)
	a, _, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := s.Build(&seed)
	if err != nil {
		t.Fatal(err)
	}
	if a.Seed != 1 || b.Seed != 99 {
		t.Errorf("seeds %d, %d", a.Seed, b.Seed)
	}
	if a.Balancer == b.Balancer || a.Scalers[0] == b.Scalers[0] || a.Traffic == b.Traffic {
		t.Error("two Builds share balancer, policy or traffic state")
	}
	if err := a.Validate(); err != nil {
		t.Errorf("config does not validate: %v", err)
	}
	f := a.Fleet
	if f.Min != 2 || f.Max != 30 || f.Desired != 4 || f.Zones != 3 || f.Warmup != 300*sim.Second || f.Type.Name != "m5.large" {
		t.Errorf("fleet %+v", f)
	}
	if a.EvalInterval != 60*sim.Second || a.MetricPeriod != 60*sim.Second || a.PublishDelay != 60*sim.Second || a.LBOverhead != sim.Millisecond {
		t.Errorf("timing %v %v %v %v", a.EvalInterval, a.MetricPeriod, a.PublishDelay, a.LBOverhead)
	}
	if ln, _ := sim.LogNormalMedianP99(0.040, 0.250); a.Service != ln {
		t.Errorf("service %v, want %v", a.Service, ln)
	}
	// Same seed, same run; another seed, another run.
	r1 := run(t, s, 5*time.Minute, nil)
	r2 := run(t, s, 5*time.Minute, nil)
	r3 := run(t, s, 5*time.Minute, &seed)
	if r1.Requests != r2.Requests {
		t.Errorf("same seed, different runs: %+v vs %+v", r1.Requests, r2.Requests)
	}
	if r1.Requests == r3.Requests {
		t.Errorf("seed override had no effect: %+v", r1.Requests)
	}
}

func TestDistributions(t *testing.T) {
	cases := map[string]string{
		"{dist: exponential, mean: 50ms}":     "exponential{mean 0.05s}",
		"{dist: constant, value: 20ms}":       "constant{0.02s}",
		"{dist: gamma, mean: 100ms, cv: 0.5}": "gamma{mean 0.1s, cv 0.5}",
		"{dist: erlang, k: 4, mean: 100ms}":   "gamma{mean 0.1s, cv 0.5}",
	}
	for spec, want := range cases {
		src := strings.Replace(valid, "{dist: exponential, mean: 50ms}", spec, 1)
		s, err := Parse("d.yaml", []byte(src), "")
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		cfg, _, err := s.Build(nil)
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		if got := cfg.Service.String(); got != want {
			t.Errorf("%s → %s, want %s", spec, got, want)
		}
	}
	// lognormal from mean and cv keeps the mean.
	src := strings.Replace(valid, "{dist: exponential, mean: 50ms}", "{dist: lognormal, mean: 50ms, cv: 1.5}", 1)
	s, err := Parse("d.yaml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, _ := s.Build(nil)
	if m := cfg.Service.Mean(); m < 0.0499999 || m > 0.0500001 {
		t.Errorf("lognormal mean %g, want 0.05", m)
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	src := `duration: 1h
traffic:
  synthetic: {shape: constant, rps: 100}
workload:
  service_time: &svc {dist: exponential, mean: 50ms}
fleet:
  <<: &size {min: 2, max: 10}
  instance_type: m5.large
  boot_time: *svc
  max: 12
`
	s, err := Parse("a.yaml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Fleet.Min != 2 || s.Fleet.Max != 12 || s.Fleet.BootTime.Dist != "exponential" {
		t.Errorf("fleet %+v", s.Fleet)
	}
}

func TestYAMLRoundTrip(t *testing.T) {
	// The resolved scenario written back as YAML parses to the same scenario.
	for _, f := range []string{"testdata/design_example.yaml", "examples/default.yaml"} {
		s, err := Load(f)
		if err != nil {
			t.Fatal(err)
		}
		y, err := yaml.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse("back.yaml", y, "")
		if err != nil {
			t.Fatalf("%s written as YAML does not parse:\n%v\n%s", f, err, y)
		}
		a, _ := json.Marshal(s)
		b, _ := json.Marshal(back)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: YAML round trip changed it:\n%s\n%s", f, a, b)
		}
	}
}
