package scenarios

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/traces"
	"github.com/goccy/go-yaml/ast"
)

// Every number a scenario file holds has a valid range, checked as it is
// decoded, at the value's line and column. A value outside it is reported
// once and its field marked broken, so the checks that read the field
// later stay quiet. The ranges are wide (far beyond any real system) but
// finite, so that no value a lint accepts can overflow a computation
// (1e308 dollars an hour is +Inf in the JSON) or make a run that never
// ends; the request budget (EstimateRequests, --max-requests) bounds what
// the ranges together allow. docs/reliability.md lists them; a test keeps
// that list, this table and the scenario's fields in step.
type fieldRange struct {
	paths    []string // normalised field paths: list indices as [], map keys as *
	min, max float64
	openMin  bool   // min itself is not allowed
	unit     string // for the message and the documentation
}

// maxRPS is the highest request rate any traffic source may have, the
// same for synthetic shapes and rate-csv traces (traces.MaxRate).
const maxRPS = traces.MaxRate

// maxCV bounds coefficients of variation: beyond about 10 a gamma's shape
// 1/cv² is so small that its samples underflow to 0 (arrivals pile up at
// one instant) and gonum's sampler fails outright near 1e155.
const maxCV = 10

// maxInstances bounds every instance count.
const maxInstances = 100_000

// maxUSD bounds prices in USD per hour (or per GB, per LCU-hour).
const maxUSD = 1e6

// distPaths are the places a duration distribution (DistSpec) sits.
var distPaths = []string{"workload.service_time", "fleet.boot_time", "fleet.warm_pool.boot_time",
	"fleet.lifecycle.launch_hook.duration", "fleet.lifecycle.terminate_hook.duration",
	"service.task.start_time", "service.fargate.provisioning_time", "capacity_providers[].fleet.boot_time",
	"service.deployments[].start_time"}

// andService adds, to scaling policy paths, the same paths under an ECS
// service's scaling (docs/ecs.md): the policies take the same ranges.
func andService(paths ...string) []string {
	out := append([]string(nil), paths...)
	for _, p := range paths {
		if strings.HasPrefix(p, "scaling.policies") {
			out = append(out, "service."+p)
		}
	}
	return out
}

func suffixed(prefixes []string, key string) []string {
	out := make([]string, len(prefixes))
	for i, p := range prefixes {
		out[i] = p + "." + key
	}
	return out
}

var fieldRanges = []fieldRange{
	{paths: []string{"seed"}, min: 0, max: math.MaxUint64},

	{paths: []string{"traffic.scale", "traffic.speedup"}, min: 0, openMin: true, max: 1e6, unit: "×"},
	{paths: []string{"traffic.synthetic.rps", "traffic.synthetic.from_rps", "traffic.synthetic.to_rps", "traffic.synthetic.mean_rps"}, min: 0, max: maxRPS, unit: "requests/s"},
	{paths: []string{"traffic.synthetic.spikes[].rps"}, min: 0, openMin: true, max: maxRPS, unit: "requests/s"},
	{paths: []string{"traffic.synthetic.peak_to_trough"}, min: 1, max: 1e6, unit: "×"},
	{paths: []string{"traffic.synthetic.weekend_factor"}, min: 0, max: 100, unit: "×"},
	{paths: []string{"traffic.synthetic.noise"}, min: 0, max: 10, unit: "relative standard deviation"},
	{paths: []string{"traffic.synthetic.yearly_peak_to_trough"}, min: 1, max: 1e6, unit: "×"},
	{paths: []string{"traffic.synthetic.yearly_peak_day"}, min: 1, max: 366, unit: "day of the year"},
	{paths: []string{"traffic.synthetic.holidays[].factor"}, min: 0, max: 1e6, unit: "×"},
	{paths: []string{"traffic.arrivals.cv"}, min: 0, openMin: true, max: maxCV},
	{paths: []string{"traffic.trace.demand.seconds_per_unit"}, min: 0, max: 1e6, unit: "CPU s per unit"},
	{paths: []string{"traffic.trace.max_bad_lines"}, min: 0, max: 1e9, unit: "lines"},

	{paths: suffixed(distPaths, "cv"), min: 0, openMin: true, max: maxCV},
	{paths: suffixed(distPaths, "k"), min: 1, max: 1000},
	{paths: []string{"workload.queue_limit"}, min: 0, max: 1e7, unit: "requests per instance"},

	{paths: []string{"instance_types[].vcpu"}, min: 1, max: 4096},
	{paths: []string{"instance_types[].memory_gib"}, min: 0, max: 1e6, unit: "GiB"},
	{paths: []string{"instance_types[].speed"}, min: 0, openMin: true, max: 1000, unit: "× a reference vCPU"},
	{paths: []string{"instance_types[].usd_per_hour"}, min: 0, max: maxUSD, unit: "USD/h"},

	{paths: []string{"fleet.min", "fleet.desired", "fleet.warm_pool.min_size", "fleet.warm_pool.max_prepared",
		"fleet.instances_distribution.on_demand_base_capacity"}, min: 0, max: maxInstances, unit: "instances"},
	{paths: []string{"fleet.max"}, min: 1, max: maxInstances, unit: "instances"},
	{paths: []string{"fleet.zones"}, min: 1, max: 26},
	{paths: []string{"fleet.instances_distribution.on_demand_percentage_above_base_capacity"}, min: 0, max: 100, unit: "%"},
	{paths: []string{"fleet.failures_per_instance_hour", "fleet.spot_interruptions_per_hour"}, min: 0, max: 3600, unit: "per instance-hour"},
	{paths: []string{"load_balancer.health_check.healthy_threshold", "load_balancer.health_check.unhealthy_threshold"}, min: 1, max: 100, unit: "checks"},

	{paths: andService("scaling.policies[].target", "scaling.policies[].alarm.threshold",
		"scaling.policies[].steps[].lower", "scaling.policies[].steps[].upper"), min: -1e12, max: 1e12},
	{paths: andService("scaling.policies[].scale_out_datapoints", "scaling.policies[].scale_in_datapoints",
		"scaling.policies[].alarm.evaluation_periods", "scaling.policies[].alarm.datapoints_to_alarm"), min: 1, max: 10_000, unit: "datapoints"},
	{paths: andService("scaling.policies[].scale_in_ratio", "scaling.policies[].tolerance"), min: 0, max: 1000, unit: "×"},
	{paths: andService("scaling.policies[].adjustment", "scaling.policies[].steps[].adjustment"), min: -1e6, max: 1e6},
	{paths: andService("scaling.policies[].min_adjustment_magnitude", "scaling.policies[].min", "scaling.policies[].max",
		"scaling.policies[].desired", "scaling.guards.max_step"), min: 0, max: maxInstances, unit: "instances"},
	{paths: andService("scaling.policies[].max_capacity_buffer"), min: 0, max: 100, unit: "%"},
	{paths: andService("scaling.policies[].behavior.scale_up.policies[].value", "scaling.policies[].behavior.scale_down.policies[].value"), min: 0, max: 1e6},
	{paths: []string{"scaling.guards.budget_usd_per_hour"}, min: 0, max: 1e9, unit: "USD/h"},

	{paths: []string{"pricing.spot.discount", "pricing.reserved[].discount", "pricing.savings_plans[].discount",
		"pricing.savings_plan_what_if.discount"}, min: 0, max: 1, unit: "a fraction"},
	{paths: []string{"pricing.reserved[].count"}, min: 1, max: maxInstances, unit: "instances"},
	{paths: []string{"pricing.reserved[].usd_per_hour", "pricing.savings_plans[].usd_per_hour", "pricing.savings_plans[].rates.*",
		"pricing.burstable.usd_per_vcpu_hour", "pricing.load_balancer.usd_per_hour", "pricing.load_balancer.usd_per_lcu_hour"}, min: 0, max: maxUSD, unit: "USD/h"},
	{paths: []string{"pricing.ebs.gb_per_instance"}, min: 0, max: 1e6, unit: "GB"},
	{paths: []string{"pricing.ebs.usd_per_gb_month", "pricing.data_transfer.usd_per_gb"}, min: 0, max: maxUSD, unit: "USD/GB"},
	{paths: []string{"pricing.load_balancer.requests_per_connection"}, min: 0, max: 1e9, unit: "requests"},
	{paths: []string{"pricing.data_transfer.response_bytes"}, min: 0, max: 1e12, unit: "bytes"},
	{paths: []string{"slo.error_rate"}, min: 0, max: 1, unit: "a fraction"},

	// ECS (docs/ecs.md); the semantic checks say more below the ranges.
	{paths: []string{"service.task.cpu"}, min: 0, max: 196608, unit: "CPU units"},
	{paths: []string{"service.task.memory_mib"}, min: 0, max: 1e7, unit: "MiB"},
	{paths: []string{"service.task.memory_used.base_mib", "service.task.memory_used.per_request_mib"}, min: 0, max: 1e7, unit: "MiB"},
	{paths: []string{"service.task.workers"}, min: 0, max: 10000, unit: "requests"},
	{paths: []string{"service.min", "service.desired", "service.capacity_provider_strategy[].base"}, min: 0, max: maxInstances, unit: "tasks"},
	{paths: []string{"service.max"}, min: 1, max: maxInstances, unit: "tasks"},
	{paths: []string{"service.capacity_provider_strategy[].weight"}, min: 0, max: 1000},
	{paths: []string{"service.fargate.spot_interruptions_per_hour"}, min: 0, max: 3600, unit: "per task-hour"},
	{paths: []string{"service.fargate.usd_per_vcpu_hour", "service.fargate.usd_per_gb_hour",
		"service.fargate.savings_plan_usd_per_vcpu_hour", "service.fargate.savings_plan_usd_per_gb_hour"}, min: 0, max: maxUSD, unit: "USD/h"},
	{paths: []string{"service.fargate.spot_discount"}, min: 0, max: 1, unit: "a fraction"},
	{paths: []string{"service.deployments[].minimum_healthy_percent"}, min: 0, max: 100, unit: "%"},
	{paths: []string{"service.deployments[].maximum_percent"}, min: 0, max: 1e6, unit: "%"},
	{paths: []string{"capacity_provider.target_capacity"}, min: 0, max: 100, unit: "%"},
	{paths: []string{"capacity_provider.minimum_scaling_step_size", "capacity_provider.maximum_scaling_step_size"}, min: 0, max: 10000, unit: "instances"},
	{paths: []string{"capacity_providers[].fleet.min", "capacity_providers[].fleet.desired",
		"capacity_providers[].fleet.instances_distribution.on_demand_base_capacity"}, min: 0, max: maxInstances, unit: "instances"},
	{paths: []string{"capacity_providers[].fleet.max"}, min: 1, max: maxInstances, unit: "instances"},
	{paths: []string{"capacity_providers[].fleet.zones"}, min: 1, max: 26},
	{paths: []string{"capacity_providers[].fleet.instances_distribution.on_demand_percentage_above_base_capacity"}, min: 0, max: 100, unit: "%"},
	{paths: []string{"capacity_providers[].fleet.spot_interruptions_per_hour"}, min: 0, max: 3600, unit: "per instance-hour"},
	{paths: []string{"capacity_providers[].managed_scaling.target_capacity"}, min: 0, max: 100, unit: "%"},
	{paths: []string{"capacity_providers[].managed_scaling.minimum_scaling_step_size", "capacity_providers[].managed_scaling.maximum_scaling_step_size"}, min: 0, max: 10000, unit: "instances"},
}

// rangeOf is fieldRanges by path.
var rangeOf = func() map[string]*fieldRange {
	m := map[string]*fieldRange{}
	for i := range fieldRanges {
		for _, p := range fieldRanges[i].paths {
			if m[p] != nil {
				panic("scenarios: two ranges for " + p)
			}
			m[p] = &fieldRanges[i]
		}
	}
	return m
}()

var listIndex = regexp.MustCompile(`\[[0-9]+\]`)

// rangeFor finds the range of a decoded field path.
func rangeFor(path string) *fieldRange {
	norm := listIndex.ReplaceAllString(path, "[]")
	if r := rangeOf[norm]; r != nil {
		return r
	}
	if parent := strictyaml.ParentPath(norm); parent != "" {
		return rangeOf[parent+".*"]
	}
	return nil
}

func (r *fieldRange) contains(x float64) bool {
	if r.openMin && x <= r.min || x < r.min {
		return false
	}
	return x <= r.max
}

// String is the range as the documentation and messages write it.
func (r *fieldRange) String() string {
	lo := "≥ " + num(r.min)
	if r.openMin {
		lo = "> " + num(r.min)
	}
	s := lo + " and ≤ " + num(r.max)
	if r.unit != "" && r.unit != "×" {
		s += " (" + r.unit + ")"
	}
	return s
}

func num(x float64) string {
	if x == math.MaxUint64 {
		return "18446744073709551615"
	}
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if m, e, ok := strings.Cut(s, "e"); ok {
		sign := ""
		if e[0] == '-' {
			sign = "-"
		}
		s = m + "e" + sign + strings.TrimLeft(e[1:], "0")
	}
	return s
}

// numberAt is a decoded number and where it sits.
type numberAt struct {
	path string
	node ast.Node
	x    float64
	r    *fieldRange
}

// rangeCheck checks decoded numbers against their fields' ranges.
type rangeCheck struct {
	d       *strictyaml.Decoder
	numbers []numberAt // decoded numbers within their upper bound: see checkLowerBounds
}

// newRangeCheck hooks a range check into d.
func newRangeCheck(d *strictyaml.Decoder) *rangeCheck {
	rc := &rangeCheck{d: d}
	d.Number = rc.checkRange
	return rc
}

// checkRange reports a decoded number above its field's range at once,
// so that no later check computes with it (speedup 1e308 would surface as
// a duration problem), and keeps the number for checkLowerBounds.
func (rc *rangeCheck) checkRange(path string, n ast.Node, x float64) {
	r := rangeFor(path)
	if r == nil {
		return
	}
	if x > r.max {
		rc.d.Fail(path, n, "%s is out of range: it must be %s (docs/reliability.md lists every field's range)", num(x), r)
		return
	}
	rc.numbers = append(rc.numbers, numberAt{path, n, x, r})
}

// checkLowerBounds reports numbers below their range that the semantic
// checks (which say more: "a commitment cannot be negative") left alone.
func (rc *rangeCheck) checkLowerBounds() {
	d := rc.d
	flagged := map[string]bool{}
	for _, e := range d.Errs {
		flagged[e.Field] = true
	}
	for _, v := range rc.numbers {
		if !v.r.contains(v.x) && !flagged[v.path] && !d.IsBroken(v.path) {
			d.Fail(v.path, v.node, "%s is out of range: it must be %s (docs/reliability.md lists every field's range)", num(v.x), v.r)
		}
	}
}
