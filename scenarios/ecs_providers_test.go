package scenarios

import (
	"os"
	"strings"
	"testing"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// validProviders is an ECS service on two capacity providers, an
// on-demand and a spot group; the cases below break one thing in it at a
// known line and column.
const validProviders = `duration: 1h
traffic:
  synthetic: {shape: constant, rps: 300}
workload:
  service_time: {dist: exponential, mean: 20ms}
capacity_providers:
  - name: od
    fleet: {instance_type: c5.large, min: 0, max: 10, desired: 2}
    managed_scaling: {target_capacity: 100}
  - name: spot
    fleet: {instance_type: c5.large, min: 0, max: 20, desired: 2, instances_distribution: {on_demand_percentage_above_base_capacity: 0}}
    managed_scaling: {target_capacity: 90, maximum_scaling_step_size: 5}
service:
  task: {cpu: 1024, memory_mib: 2048, workers: 2}
  min: 2
  max: 20
  desired: 6
  placement:
    - {type: binpack, field: memory}
  capacity_provider_strategy:
    - {capacity_provider: od, base: 2, weight: 1}
    - {capacity_provider: spot, weight: 3}
  scaling:
    policies:
      - {name: cpu50, type: target_tracking, metric: cpu, target: 50}
`

func editProviders(t *testing.T, old, new string) string {
	t.Helper()
	return editOnce(t, "the valid two-provider scenario", validProviders, old, new)
}

func TestProvidersParseAndBuild(t *testing.T) {
	_, cfg := mustBuild(t, "providers.yaml", validProviders)
	ps := cfg.ECS.Providers
	if len(ps) != 2 || ps[0].Name != "od" || ps[0].Base != 2 || ps[0].Weight != 1 || ps[1].Name != "spot" || ps[1].Base != 0 || ps[1].Weight != 3 {
		t.Fatalf("providers %+v: want od (base 2, weight 1) then spot (weight 3)", ps)
	}
	if ps[0].Scaling == nil || ps[0].Scaling.TargetCapacity != 100 || ps[1].Scaling.TargetCapacity != 90 || ps[1].Scaling.MaxStep != 5 ||
		ps[1].Scaling.Warmup != 300*sim.Second || !ps[1].Scaling.TerminationProtection {
		t.Errorf("managed scaling od %+v, spot %+v", ps[0].Scaling, ps[1].Scaling)
	}
	if h := ps[1].Hosts; h.Type.Name != "c5.large" || h.Max != 20 || h.Desired != 2 || h.UnitsPerInstance != 2048 || h.MiBPerInstance != 4096 ||
		h.OnDemandFor == nil || h.OnDemandFor(10) != 0 {
		t.Errorf("spot group %+v: want c5.large, all spot", h)
	}
	if ps[0].Hosts.OnDemandFor != nil {
		t.Errorf("od group has a purchase split")
	}
	if cfg.Fleet.Zones != 3 || cfg.Fleet.Desired != 6 {
		t.Errorf("tasks: zones %d, desired %d", cfg.Fleet.Zones, cfg.Fleet.Desired)
	}
	// The strategy's order, not capacity_providers', decides ties.
	s2, err := Parse("providers.yaml", []byte(editProviders(t, `    - {capacity_provider: od, base: 2, weight: 1}
    - {capacity_provider: spot, weight: 3}`, `    - {capacity_provider: spot, weight: 3}
    - {capacity_provider: od, base: 2, weight: 1}`)), "")
	if err != nil {
		t.Fatal(err)
	}
	cfg2, closer2, err := s2.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closer2.Close()
	if p := cfg2.ECS.Providers; p[0].Name != "spot" || p[1].Name != "od" || p[1].Base != 2 {
		t.Errorf("providers %+v: want the strategy's order", p)
	}
}

// TestProvidersCostLines: each provider's group is billed on the existing
// lines, the on-demand group on on_demand and the spot group on spot.
func TestProvidersCostLines(t *testing.T) {
	s, cfg := mustBuild(t, "providers.yaml", validProviders)
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	bill := pricing.Charge(s.PricingPlan(), res)
	od, spot := bill.ByLine[pricing.LineOnDemand], bill.ByLine[pricing.LineSpot]
	if od <= 0 || spot <= 0 {
		t.Fatalf("lines %v: want on_demand (the od group) and spot (the spot group)", bill.ByLine)
	}
	// Two c5.large on-demand for the hour at least, nothing else on-demand.
	it, _ := s.resolveType("c5.large")
	var odHours float64
	for _, in := range res.Instances {
		if in.PurchaseOption == "on_demand" {
			odHours += (in.Terminated - in.Launch).Seconds() / 3600
		}
	}
	if want := odHours * it.USDPerHour; od < want*0.999 || od > want*1.001+it.USDPerHour {
		t.Errorf("on_demand line $%.4f for %.2f instance-hours of c5.large at $%.4f", od, odHours, it.USDPerHour)
	}
}

func TestProvidersErrors(t *testing.T) {
	noStrategy := editProviders(t, `  capacity_provider_strategy:
    - {capacity_provider: od, base: 2, weight: 1}
    - {capacity_provider: spot, weight: 3}
`, "")
	cases := []struct {
		name string
		src  string
		want []want
	}{
		{"task larger than a provider's instance type",
			editProviders(t, "{instance_type: c5.large, min: 0, max: 20, desired: 2, instances", "{instance_type: t3.micro, min: 0, max: 20, desired: 2, instances"),
			[]want{{"14:33", "service.task.memory_mib", "does not fit t3.micro (1 GiB = 1024 MiB) of capacity provider spot"}}},
		{"task larger than every instance type",
			editProviders(t, "cpu: 1024, memory_mib: 2048", "cpu: 4096, memory_mib: 2048"),
			[]want{{"14:15", "service.task.cpu", "capacity provider od"}, {"14:15", "service.task.cpu", "capacity provider spot"}}},
		{"unknown placement field",
			editProviders(t, "field: memory}", "field: memroy}"),
			[]want{{"19:30", "service.placement[0].field", `unknown binpack field "memroy" (did you mean "memory"?`}}},
		{"all weights zero",
			strings.Replace(editProviders(t, "{capacity_provider: spot, weight: 3}", "{capacity_provider: spot}"), "base: 2, weight: 1}", "base: 2}", 1),
			[]want{{"20:3", "service.capacity_provider_strategy", "every weight is 0"}}},
		{"base on two providers",
			editProviders(t, "{capacity_provider: spot, weight: 3}", "{capacity_provider: spot, base: 1, weight: 3}"),
			[]want{{"22:39", "service.capacity_provider_strategy[1].base", "only one capacity provider"}}},
		{"unknown provider in the strategy",
			editProviders(t, "{capacity_provider: spot, weight: 3}", "{capacity_provider: spto, weight: 3}"),
			[]want{{"22:27", "service.capacity_provider_strategy[1].capacity_provider", `unknown capacity provider "spto" (did you mean "spot"?`}}},
		{"capacity_providers with fargate",
			editProviders(t, "service:\n  task:", "service:\n  launch_type: fargate\n  task:"),
			[]want{{"6:1", "capacity_providers", "launch_type fargate has no instances"},
				{"19:3", "service.placement", "Fargate places tasks itself"},
				{"22:27", "service.capacity_provider_strategy[0].capacity_provider", `unknown capacity provider "od" (known: FARGATE, FARGATE_SPOT)`},
				{"23:27", "service.capacity_provider_strategy[1].capacity_provider", `unknown capacity provider "spot"`}}},
		{"both forms",
			editProviders(t, "capacity_providers:\n", "capacity_provider: {target_capacity: 100}\ncapacity_providers:\n"),
			[]want{{"6:1", "capacity_provider", "not both"}}},
		{"a top-level fleet too",
			editProviders(t, "capacity_providers:\n", "fleet: {instance_type: c5.large, min: 1, max: 2}\ncapacity_providers:\n"),
			[]want{{"6:1", "fleet", "move this fleet under capacity_providers[].fleet"}}},
		{"several providers, no strategy",
			noStrategy,
			[]want{{"13:1", "service", "needs capacity_provider_strategy with several capacity_providers"}}},
		{"duplicate names",
			editProviders(t, "  - name: spot\n", "  - name: od\n"),
			[]want{{"10:11", "capacity_providers[1].name", `"od" is already the name of capacity_providers[0]`},
				{"22:27", "service.capacity_provider_strategy[1].capacity_provider", `unknown capacity provider "spot" (known: od)`}}},
		{"reserved name",
			editProviders(t, "  - name: od\n", "  - name: fargate-od\n"),
			[]want{{"7:11", "capacity_providers[0].name", "ECS reserves names beginning with aws, ecs or fargate"},
				{"21:27", "service.capacity_provider_strategy[0].capacity_provider", `unknown capacity provider "od"`}}},
		{"a provider's fleet without max",
			editProviders(t, "{instance_type: c5.large, min: 0, max: 10, desired: 2}", "{instance_type: c5.large, min: 0, desired: 2}"),
			[]want{{"8:5", "capacity_providers[0].fleet", "needs max"}}},
		{"an Auto Scaling group key that does not apply",
			editProviders(t, "{instance_type: c5.large, min: 0, max: 10, desired: 2}", "{instance_type: c5.large, min: 0, max: 10, warmup: 60s}"),
			[]want{{"8:55", "capacity_providers[0].fleet.warmup", `unknown key "warmup"`}}},
		{"spot draining without spot",
			editProviders(t, "min: 0, max: 10, desired: 2}", "min: 0, max: 10, desired: 2, spot_instance_draining: true}"),
			[]want{{"8:91", "capacity_providers[0].fleet.spot_instance_draining", "needs spot capacity"}}},
		{"managed scaling out of range",
			editProviders(t, "managed_scaling: {target_capacity: 90,", "managed_scaling: {target_capacity: 0,"),
			[]want{{"12:40", "capacity_providers[1].managed_scaling.target_capacity", "must be at least 1"}}},
		{"without a service",
			strings.Split(validProviders, "service:\n")[0],
			[]want{{"6:1", "capacity_providers", "needs a service"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblems(t, "", c.src, c.want)
		})
	}
}

// TestProvidersSingleStrategyError: with one capacity provider (fleet and
// capacity_provider) a strategy has nothing to split.
func TestProvidersSingleStrategyError(t *testing.T) {
	src := editECS(t, "  placement:\n", "  capacity_provider_strategy: [{capacity_provider: od, weight: 1}]\n  placement:\n")
	_, err := Parse("case.yaml", []byte(src), "")
	if err == nil || !strings.Contains(err.Error(), "case.yaml:18:3: service.capacity_provider_strategy: an ec2 service with one capacity provider") {
		t.Fatalf("error %v", err)
	}
}

// TestProvidersDocExample: the several-provider example of docs/ecs.md is
// a valid scenario (with a task and its bounds added), so the page cannot
// drift from the keys.
func TestProvidersDocExample(t *testing.T) {
	b, err := os.ReadFile("../docs/ecs.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i := strings.Index(doc, "Several EC2 capacity providers replace")
	if i < 0 {
		t.Fatal("docs/ecs.md lacks the several-provider example")
	}
	start := strings.Index(doc[i:], "```yaml\n") + i + len("```yaml\n")
	end := strings.Index(doc[start:], "```") + start
	src := "duration: 1h\ntraffic:\n  synthetic: {shape: constant, rps: 100}\nworkload:\n  service_time: {dist: exponential, mean: 20ms}\n" +
		doc[start:end] + "  task: {cpu: 1024, memory_mib: 2048}\n  min: 2\n  max: 20\n"
	s, err := Parse("docs/ecs.md", []byte(src), "")
	if err != nil {
		t.Fatalf("the example of docs/ecs.md does not parse:\n%v", err)
	}
	cfg, c, err := s.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if p := cfg.ECS.Providers; len(p) != 2 || p[1].Hosts.SpotInterruptionsPerHour != 0.02 || !p[1].Hosts.SpotDraining {
		t.Errorf("providers %+v", p)
	}
}
