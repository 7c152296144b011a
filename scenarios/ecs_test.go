package scenarios

import (
	"math"
	"strings"
	"testing"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// validECS is a small ECS service on EC2 with a capacity provider; the
// cases below break one thing in it at a known line and column.
const validECS = `duration: 1h
traffic:
  synthetic: {shape: constant, rps: 100}
workload:
  service_time: {dist: exponential, mean: 50ms}
fleet:
  instance_type: m5.large
  min: 0
  max: 10
  desired: 2
capacity_provider:
  target_capacity: 100
service:
  launch_type: ec2
  task: {cpu: 1024, memory_mib: 2048, workers: 2}
  min: 2
  max: 20
  placement:
    - {type: binpack, field: memory}
  scaling:
    policies:
      - {name: cpu50, type: target_tracking, metric: cpu, target: 50}
`

func editECS(t *testing.T, old, new string) string {
	t.Helper()
	return editOnce(t, "the valid ECS scenario", validECS, old, new)
}

func TestECSParsesAndBuilds(t *testing.T) {
	s, cfg := mustBuild(t, "ecs.yaml", validECS)
	e := cfg.ECS
	if e == nil || e.Fargate || len(e.Providers) != 1 {
		t.Fatalf("ECS config %+v: want one capacity provider", e)
	}
	if ms := e.Providers[0].Scaling; ms == nil || ms.TargetCapacity != 100 || ms.MinStep != 1 ||
		ms.MaxStep != 10000 || ms.Warmup != 300*sim.Second || !ms.TerminationProtection {
		t.Fatalf("managed scaling %+v: want the documented defaults", ms)
	}
	if h := e.Providers[0].Hosts; h.UnitsPerInstance != 2048 || h.MiBPerInstance != 8192 {
		t.Errorf("m5.large registers %d units, %d MiB; want 2048, 8192", h.UnitsPerInstance, h.MiBPerInstance)
	}
	// Two workers on one vCPU: the engine shares it (sim/ps.go); the
	// task runs at the instance type's speed.
	if cfg.Fleet.Type.VCPU != 2 || cfg.Fleet.Type.Speed != 1 || cfg.Fleet.Desired != 2 {
		t.Errorf("task as target: %+v, desired %d", cfg.Fleet.Type, cfg.Fleet.Desired)
	}
	if len(cfg.Guards) != 1 || s.Service.Scaling.Policies[0].ScaleInRatio != 0.9 {
		t.Errorf("service scaling: guards %d, scale-in ratio %g; want the AAS cooldown guard and 0.9", len(cfg.Guards), s.Service.Scaling.Policies[0].ScaleInRatio)
	}
}

func TestECSErrors(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []want
	}{
		{"task larger than the instance type",
			editECS(t, "cpu: 1024, memory_mib: 2048", "cpu: 4096, memory_mib: 2048"),
			[]want{{"15:15", "service.task.cpu", "does not fit m5.large"}}},
		{"unknown placement field",
			editECS(t, "field: memory}", "field: disk}"),
			[]want{{"19:30", "service.placement[0].field", `unknown binpack field "disk"`}}},
		{"capacity provider with fargate",
			editECS(t, "launch_type: ec2\n  task: {cpu: 1024, memory_mib: 2048, workers: 2}\n", "launch_type: fargate\n  task: {cpu: 1024, memory_mib: 2048, workers: 2}\n"),
			[]want{{"11:1", "capacity_provider", "launch_type fargate has no instances"},
				{"18:3", "service.placement", "Fargate places tasks itself"}}},
		{"all-zero strategy weights",
			strings.Replace(strings.Replace(validECS, "capacity_provider:\n  target_capacity: 100\n", "", 1),
				"launch_type: ec2\n", "launch_type: fargate\n  capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1}, {capacity_provider: FARGATE_SPOT}]\n", 1),
			[]want{{"13:3", "service.capacity_provider_strategy", "every weight is 0"},
				{"17:3", "service.placement", "Fargate places tasks itself"}}},
		{"base on two providers",
			strings.Replace(strings.Replace(validECS, "  placement:\n    - {type: binpack, field: memory}\n", "", 1),
				"launch_type: ec2\n", "launch_type: fargate\n  capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1, weight: 1}, {capacity_provider: FARGATE_SPOT, base: 2, weight: 1}]\n", 1),
			[]want{{"11:1", "capacity_provider", "launch_type fargate"},
				{"15:122", "service.capacity_provider_strategy[1].base", "only one capacity provider"}}},
		{"cpu shares on fargate",
			strings.Replace(strings.Replace(strings.Replace(validECS, "capacity_provider:\n  target_capacity: 100\n", "", 1),
				"  placement:\n    - {type: binpack, field: memory}\n", "", 1),
				"launch_type: ec2\n  task: {cpu: 1024, memory_mib: 2048, workers: 2}", "launch_type: fargate\n  task: {cpu: 1024, memory_mib: 2048, workers: 2, cpu_limit: shares}", 1),
			[]want{{"13:62", "service.task.cpu_limit", "Fargate tasks cannot burst"}}},
		{"memory metric without a memory model",
			editECS(t, "metric: cpu,", "metric: memory,"),
			[]want{{"22:54", "service.scaling.policies[0].metric", "memory is published only for an ECS service whose service.task.memory_used"}}},
		{"memory base above the task's memory",
			editECS(t, "workers: 2}", "workers: 2, memory_used: {base_mib: 4096, per_request_mib: 10}}"),
			[]want{{"15:75", "service.task.memory_used.base_mib", "above the task's memory_mib (2048)"}}},
		{"memory target above 100",
			strings.Replace(editECS(t, "workers: 2}", "workers: 2, memory_used: {base_mib: 600, per_request_mib: 20}}"), "metric: cpu, target: 50", "metric: memory, target: 120", 1),
			[]want{{"22:70", "service.scaling.policies[0].target", "a memory target is a percentage"}}},
		{"unknown cpu_limit",
			editECS(t, "workers: 2}", "workers: 2, cpu_limit: share}"),
			[]want{{"15:62", "service.task.cpu_limit", `unknown cpu_limit "share" (did you mean "shares"?`}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblems(t, "", c.src, c.want)
		})
	}
}

// fixedFargate is a service of 3 Fargate tasks (0.5 vCPU, 2 GB) for 2 hours;
// its service mapping is last, so a test may add keys to it.
const fixedFargate = `duration: 2h
traffic:
  synthetic: {shape: constant, rps: 50}
workload:
  service_time: {dist: exponential, mean: 20ms}
service:
  launch_type: fargate
  task: {cpu: 512, memory_mib: 2048, workers: 1}
  min: 3
  max: 3
`

// TestFargateCostFixedService: on a fixed Fargate service the bill's
// fargate line is tasks × (vCPU rate × vCPUs + GB rate × GB) × time
// (https://aws.amazon.com/fargate/pricing/).
func TestFargateCostFixedService(t *testing.T) {
	s, cfg := mustBuild(t, "fargate.yaml", fixedFargate)
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Instances) != 0 {
		t.Errorf("%d instances on Fargate", len(res.Instances))
	}
	bill := pricing.Charge(s.PricingPlan(), res)
	r := pricing.DefaultFargateRates["x86_64"]
	want := 3 * (r.VCPUHour*0.5 + r.GBHour*2) * 2
	if got := bill.ByLine[pricing.LineFargate]; math.Abs(got-want) > 1e-9 {
		t.Errorf("fargate line $%.6f, want 3 × (%.5f × 0.5 + %.6f × 2) × 2 h = $%.6f", got, r.VCPUHour, r.GBHour, want)
	}
	if bill.ByLine[pricing.LineOnDemand] != 0 {
		t.Errorf("on-demand line $%g on Fargate", bill.ByLine[pricing.LineOnDemand])
	}
	if res.TaskSummary.PeakRunning != 3 || math.Abs(res.TaskSummary.MeanRunning-3) > 1e-9 {
		t.Errorf("tasks %+v, want 3 running throughout", *res.TaskSummary)
	}
}

// TestFargateSpotSplit: a capacity provider strategy puts its base on
// FARGATE, the rest by weight; Spot tasks bill on the fargate_spot line
// at the discount, and interrupted ones are replaced.
func TestFargateSpotSplit(t *testing.T) {
	od := ProviderStrategy{CapacityProvider: "FARGATE", Base: 2, Weight: 1}
	spot := ProviderStrategy{CapacityProvider: "FARGATE_SPOT", Weight: 3}
	for _, c := range []struct{ total, want int }{{1, 1}, {2, 2}, {6, 3}, {10, 4}} {
		if got := fargateSplit(c.total, od, spot); got != c.want {
			t.Errorf("%d tasks: %d on FARGATE, want %d (base 2, then 1 in 4)", c.total, got, c.want)
		}
	}
	src := `duration: 4h
traffic:
  synthetic: {shape: constant, rps: 50}
workload:
  service_time: {dist: exponential, mean: 20ms}
service:
  launch_type: fargate
  task: {cpu: 1024, memory_mib: 2048}
  min: 6
  max: 6
  fargate: {spot_interruptions_per_hour: 0.5}
  capacity_provider_strategy:
    - {capacity_provider: FARGATE, base: 2, weight: 1}
    - {capacity_provider: FARGATE_SPOT, weight: 3}
`
	s, cfg := mustBuild(t, "spot.yaml", src)
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	bill := pricing.Charge(s.PricingPlan(), res)
	if bill.ByLine[pricing.LineFargate] <= 0 || bill.ByLine[pricing.LineFargateSpot] <= 0 {
		t.Fatalf("lines %v: want both fargate and fargate_spot", bill.ByLine)
	}
	r := pricing.DefaultFargateRates["x86_64"]
	perTaskHour := r.VCPUHour + 2*r.GBHour
	// 3 of 6 on FARGATE for 4 h; Spot at 30 % of the price.
	if got, want := bill.ByLine[pricing.LineFargate], 3*perTaskHour*4; math.Abs(got-want) > 1e-6 {
		t.Errorf("fargate line $%.6f, want $%.6f", got, want)
	}
	spotTasks := 0
	for _, tk := range res.Tasks {
		if tk.Spot {
			spotTasks++
		}
	}
	if spotTasks <= 3 {
		t.Errorf("%d Spot tasks over 4 h at 0.5 interruptions per task-hour: none replaced", spotTasks)
	}
	if got := bill.ByLine[pricing.LineFargateSpot]; got > 3*perTaskHour*4*0.3*1.1 {
		t.Errorf("fargate_spot line $%.6f, want about 3 tasks × 4 h at 30 %%", got)
	}
}

// TestECSCPUSharesBuilds: cpu_limit shares reaches the engine; the default
// is the task-level limit.
func TestECSCPUSharesBuilds(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{{validECS, false}, {editECS(t, "workers: 2}", "workers: 2, cpu_limit: task}"), false}, {editECS(t, "workers: 2}", "workers: 2, cpu_limit: shares}"), true}} {
		s, err := Parse("ecs.yaml", []byte(c.src), "")
		if err != nil {
			t.Fatal(err)
		}
		cfg, closer, err := s.Build(nil)
		if err != nil {
			t.Fatal(err)
		}
		closer.Close()
		if cfg.ECS.CPUShares != c.want {
			t.Errorf("CPUShares %v, want %v for:\n%s", cfg.ECS.CPUShares, c.want, c.src)
		}
	}
}

// TestECSMemoryModelBuilds: memory_used reaches the engine and target
// tracking on memory reads the engine's memory metric.
func TestECSMemoryModelBuilds(t *testing.T) {
	src := strings.Replace(editECS(t, "workers: 2}", "workers: 2, memory_used: {base_mib: 600, per_request_mib: 20}}"), "metric: cpu,", "metric: memory,", 1)
	_, cfg := mustBuild(t, "ecs.yaml", src)
	if m := cfg.ECS.MemoryUse; m == nil || m.BaseMiB != 600 || m.PerRequestMiB != 20 {
		t.Fatalf("memory use %+v, want base 600, 20 a request", m)
	}
	mu, ok := cfg.Scalers[0].(sim.MetricUser)
	if !ok || len(mu.Metrics()) == 0 || mu.Metrics()[0] != sim.MetricMemory {
		t.Errorf("the policy reads %v, want the memory metric", cfg.Scalers[0])
	}
}

// TestFargateComputeSavingsPlan: service.fargate's Compute Savings Plan
// rates reach the scenario's compute plan, which covers the service's
// Fargate usage, vCPU first (the higher savings percentage:
// https://docs.aws.amazon.com/savingsplans/latest/userguide/sp-applying.html);
// the rates here are synthetic (no AWS page read states them).
func TestFargateComputeSavingsPlan(t *testing.T) {
	src := fixedFargate + `  fargate: {savings_plan_usd_per_vcpu_hour: 0.03, savings_plan_usd_per_gb_hour: 0.0033}
pricing:
  savings_plans:
    - {kind: compute, usd_per_hour: 0.02, discount: 0.2}
`
	s, cfg := mustBuild(t, "fargate-sp.yaml", src)
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	bill := pricing.Charge(s.PricingPlan(), res)
	r := pricing.DefaultFargateRates["x86_64"]
	// Per hour: 1.5 vCPU-hours and 6 GB-hours; $0.02 covers 2/3 vCPU-hour.
	want := 2 * ((1.5-0.02/0.03)*r.VCPUHour + 6*r.GBHour)
	if got := bill.ByLine[pricing.LineFargate]; math.Abs(got-want) > 1e-9 || math.Abs(bill.ByLine[pricing.LineSavingsPlans]-0.04) > 1e-12 {
		t.Errorf("fargate line $%.6f (want $%.6f), savings_plans $%g (want $0.04)", got, want, bill.ByLine[pricing.LineSavingsPlans])
	}
	if w := bill.WhatIf; w == nil || !strings.HasPrefix(w.Fargate, "included") || math.Abs(w.BestUSDPerHour-(1.5*0.03+6*0.0033)) > 1e-9 {
		t.Errorf("what-if %+v", w)
	}
	if len(bill.Warnings) != 0 {
		t.Errorf("warnings %v", bill.Warnings)
	}
}

// TestFargateRatesOnlyOnComputePlans: an EC2 Instance plan's rates may not
// name Fargate usage, which only Compute plans cover
// (https://docs.aws.amazon.com/savingsplans/latest/userguide/what-is-savings-plans.html).
func TestFargateRatesOnlyOnComputePlans(t *testing.T) {
	src := valid + `pricing:
  savings_plans:
    - {kind: ec2_instance, family: m5, usd_per_hour: 0.1, rates: {Fargate-GB-Hours: 0.003}}
`
	wantProblems(t, "", src, []want{{"12:85", "pricing.savings_plans[0].rates.Fargate-GB-Hours", "only compute plans cover Fargate"}})
}
