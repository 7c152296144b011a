package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The hostile inputs of issue 9 ("Hostile input and hostile paths"), each
// run through the built CLI in a child process so that its peak memory
// (the child's max RSS) and its time are measured, not guessed. Every row
// must exit with its code, print its fragment (with the position), stay
// under the memory ceiling and finish within the time bound. The max RSS
// errs high: Linux carries the parent's high-water mark at fork across
// exec, so it includes this test process's own 30–40 MiB.
const (
	hostileMaxRSS  = 150 << 20 // bytes; the bound is 300 MB
	hostileTimeout = 10 * time.Second
)

// A scenario that lints clean; rows change one line of it.
const hostileBase = `name: hostile
duration: 60s
traffic:
  synthetic: {shape: constant, rps: 10}
workload:
  service_time: {dist: exponential, mean: 10ms}
fleet: {instance_type: m5.large, min: 1, max: 4}
`

// with replaces old by new in the base scenario (old must be there).
func with(old, new string) string {
	if !strings.Contains(hostileBase, old) {
		panic("hostile test: " + old + " is not in the base scenario")
	}
	return strings.Replace(hostileBase, old, new, 1)
}

// ecsBase is an ECS service on an on-demand and a spot capacity provider
// that lints clean; the ECS rows change one line of it.
const ecsBase = `name: hostile-ecs
duration: 60s
traffic:
  synthetic: {shape: constant, rps: 10}
workload:
  service_time: {dist: exponential, mean: 10ms}
capacity_providers:
  - {name: od, fleet: {instance_type: c5.large, min: 0, max: 4, desired: 1}, managed_scaling: {target_capacity: 100}}
  - {name: spot, fleet: {instance_type: c5.large, min: 0, max: 8, instances_distribution: {on_demand_percentage_above_base_capacity: 0}}}
service:
  task: {cpu: 1024, memory_mib: 2048}
  min: 1
  max: 4
  placement: [{type: binpack, field: memory}]
  capacity_provider_strategy: [{capacity_provider: od, base: 1, weight: 1}, {capacity_provider: spot, weight: 3}]
`

// withECS replaces old by new in the ECS base scenario (old must be there).
func withECS(old, new string) string {
	if !strings.Contains(ecsBase, old) {
		panic("hostile test: " + old + " is not in the ECS base scenario")
	}
	return strings.Replace(ecsBase, old, new, 1)
}

// traceScenario is the base scenario on a trace file.
func traceScenario(trace string) string {
	return with("  synthetic: {shape: constant, rps: 10}\n", "  trace: "+trace+"\n")
}

// mergeBomb is a 546-byte-class merge-key bomb: each level merges five
// copies of the one before, under a real key so the decoder walks it.
func mergeBomb() string {
	var b strings.Builder
	b.WriteString("x0: &a {")
	for i := range 40 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("k" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ": 1")
	}
	b.WriteString("}\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h"} {
		b.WriteString("x" + n + ": &" + n + " {<<: [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]}\n")
		prev = n
	}
	// Under a map field, so that every merged key is a valid one.
	b.WriteString("pricing: {savings_plans: [{usd_per_hour: 1, rates: {<<: [*h,*h,*h,*h]}}]}\n")
	return b.String()
}

type hostileCase struct {
	name  string
	files map[string]string // written into the case's directory
	args  []string          // run in that directory
	env   []string          // added to the environment
	code  int
	want  []string // fragments of stderr+stdout, positions included
	never []string // fragments that must not appear
}

func hostileCases(silentAWS string) []hostileCase {
	long := strings.Repeat("1", 1<<20) // a 1 MiB line
	creds := "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
	clf := func(date string) string {
		return `1.2.3.4 - - [` + date + ` +0000] "GET / HTTP/1.0" 200 100` + "\n"
	}
	return []hostileCase{
		// Item 2: memory without bound.
		{name: "nested block lists", files: map[string]string{"s.yaml": strings.Repeat("- ", 100_000)},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:1:", "nested more than 128 levels deep"}},
		{name: "nested flow lists", files: map[string]string{"s.yaml": "a: " + strings.Repeat("[", 100_000)},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:1:", "nested more than 128 levels deep"}},
		{name: "merge-key bomb", files: map[string]string{"s.yaml": mergeBomb()},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:1:8: pricing.savings_plans[0].rates: the document expands to more than 200000 values"}},
		{name: "many aliases", files: map[string]string{"s.yaml": "a: &a 1\nb: [" + strings.Repeat("*a,", 2000) + "]\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:2:", "more than 1000 aliases and merge keys"}},
		{name: "lint /dev/zero", args: []string{"lint", "/dev/zero"}, code: 2,
			want: []string{"/dev/zero:1:1: the file is larger than 1 MiB"}},
		{name: "scenario over 1 MiB", files: map[string]string{"s.yaml": hostileBase + "# " + long + "\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:1:1: the file is larger than 1 MiB"}},
		{name: "rate-csv trace /dev/zero", files: map[string]string{"s.yaml": traceScenario("{file: /dev/zero, format: rate-csv}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:17: traffic.trace.file: cannot open trace /dev/zero: it is a device"}},
		{name: "requests-csv trace /dev/zero", files: map[string]string{"s.yaml": traceScenario("{file: /dev/zero, format: requests-csv}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:17: traffic.trace.file:", "it is a device"}},
		{name: "rate-csv long line", files: map[string]string{"s.yaml": traceScenario("{file: t.csv, format: rate-csv}"), "t.csv": "t,v\n0,1\n" + long + ",3\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:17: traffic.trace.file: t.csv:3: the line is longer than 64 KiB"}},
		{name: "requests-csv long line", files: map[string]string{"s.yaml": traceScenario("{file: t.csv, format: requests-csv}"), "t.csv": "t\n" + long + "\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"t.csv:2: the line is longer than 64 KiB"}},
		{name: "clf long line", files: map[string]string{"s.yaml": traceScenario("{file: t.log, format: clf, max_bad_lines: 5}"), "t.log": clf("01/Jul/1995:00:00:01") + long + "\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"t.log:2: the line is longer than 64 KiB"}},
		{name: "alb long line", files: map[string]string{"s.yaml": traceScenario("{file: t.log, format: alb}"), "t.log": long},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"t.log:1: the line is longer than 64 KiB"}},
		{name: "empirical durations long line", files: map[string]string{"s.yaml": with("{dist: exponential, mean: 10ms}", "{dist: empirical, file: d.txt}"), "d.txt": "0.1\n" + long},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:6:", "d.txt:2: the line is longer than 64 KiB"}},
		{name: "price file long line", files: map[string]string{"s.yaml": hostileBase + "pricing: {catalogue: p.csv}\n", "p.csv": "instance_type,vcpu,memory_gib,ondemand_usd_per_hour\n" + long + "\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:8:", "line 2 is longer than 64 KiB"}},
		{name: "trace inspect /dev/zero", args: []string{"trace", "inspect", "/dev/zero"}, code: 2, want: []string{"/dev/zero: it is a device"}},
		{name: "trace inspect clf /dev/zero", args: []string{"trace", "inspect", "--format", "clf", "/dev/zero"}, code: 2, want: []string{"it is a device"}},
		{name: "trace inspect long line", files: map[string]string{"t.csv": "t,v\n" + long + "\n"},
			args: []string{"trace", "inspect", "t.csv"}, code: 2, want: []string{"t.csv:2: the line is longer than 64 KiB"}},
		{name: "50 MB line quoted short", files: map[string]string{"s.yaml": traceScenario("{file: t.csv, format: rate-csv}"), "t.csv": "t,v\n0," + strings.Repeat("x", 60_000) + "\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"t.csv:2: column \"v\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\" is not a number"},
			never: []string{strings.Repeat("x", 33)}},

		// Item 3: values lint accepted that broke the run.
		{name: "gamma cv 1e155", files: map[string]string{"s.yaml": with("{dist: exponential, mean: 10ms}", "{dist: gamma, mean: 10ms, cv: 1e155}")},
			args: []string{"run", "--json", "-", "s.yaml"}, code: 2, want: []string{"s.yaml:6:47: workload.service_time.cv: 1e155 is out of range: it must be > 0 and ≤ 10"}},
		{name: "gamma arrivals cv 1e4", files: map[string]string{"s.yaml": with("  synthetic: {shape: constant, rps: 10}\n", "  synthetic: {shape: constant, rps: 10}\n  arrivals: {process: gamma, cv: 1e4}\n")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:5:34: traffic.arrivals.cv: 10000 is out of range"}},
		{name: "boot time cv", files: map[string]string{"s.yaml": with("max: 4}", "max: 4, boot_time: {dist: gamma, mean: 60s, cv: 1e6}}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:7:", "fleet.boot_time.cv: 1e6 is out of range"}},
		{name: "speed and price 1e308", files: map[string]string{"s.yaml": hostileBase + "instance_types:\n  - {name: m5.large, speed: 1e308, usd_per_hour: 1e308}\n"},
			args: []string{"run", "--json", "-", "s.yaml"}, code: 2, want: []string{"s.yaml:9:29: instance_types[0].speed: 1e308 is out of range", "s.yaml:9:50: instance_types[0].usd_per_hour: 1e308 is out of range"}},
		{name: "pricing field 1e308", files: map[string]string{"s.yaml": hostileBase + "pricing: {ebs: {gb_per_instance: 8, usd_per_gb_month: 1e308}}\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:8:", "pricing.ebs.usd_per_gb_month: 1e308 is out of range"}},
		{name: "rps 1e13", files: map[string]string{"s.yaml": with("rps: 10}", "rps: 1e13}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:37: traffic.synthetic.rps: 1e13 is out of range"}},
		{name: "mean_rps 1e13", files: map[string]string{"s.yaml": with("{shape: constant, rps: 10}", "{shape: diurnal, mean_rps: 1e13, peak_to_trough: 2}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:", "traffic.synthetic.mean_rps: 1e13 is out of range"}},
		{name: "spike rps 1e13", files: map[string]string{"s.yaml": with("{shape: constant, rps: 10}", "{shape: spike, rps: 1, spikes: [{at: 1s, rps: 1e13, for: 1s}]}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:", "traffic.synthetic.spikes[0].rps: 1e13 is out of range"}},
		{name: "scale 1e9", files: map[string]string{"s.yaml": with("  synthetic:", "  scale: 1e9\n  synthetic:")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:10: traffic.scale: 1e9 is out of range"}},
		{name: "noise 1e9", files: map[string]string{"s.yaml": with("rps: 10}", "rps: 10, noise: 1e9}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:", "traffic.synthetic.noise: 1e9 is out of range"}},
		{name: "rate after scale", files: map[string]string{"s.yaml": with("  synthetic: {shape: constant, rps: 10}", "  scale: 1e6\n  synthetic: {shape: constant, rps: 1e7}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:", "traffic.scale: the traffic peaks at 1e13 requests per simulated second"}},
		{name: "lognormal mean overflows", files: map[string]string{"s.yaml": with("{dist: exponential, mean: 10ms}", "{dist: lognormal, median: 1ms, p99: 2000000h}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:6:", "workload.service_time: the distribution's mean is"}},
		{name: "request budget", files: map[string]string{"s.yaml": with("rps: 10}", "rps: 1e9}")},
			args: []string{"run", "--json", "-", "s.yaml"}, code: 2, want: []string{"would send about 6e10 requests, more than the budget of 2e9", "--max-requests 1e11"}},
		{name: "request budget lowered", files: map[string]string{"s.yaml": hostileBase},
			args: []string{"check", "--max-requests", "100", "s.yaml"}, code: 2, want: []string{"would send about 600 requests, more than the budget of 100"}},
		{name: "request budget sweep", files: map[string]string{"s.yaml": with("rps: 10}", "rps: 1e8}") + "sweep: {duration: [1s, 60s]}\n"},
			args: []string{"sweep", "--out", "o", "s.yaml"}, code: 2, want: []string{"would send about 6e9 requests"}},

		// ECS (issue 12): bad service and capacity provider input.
		{name: "ECS base lints clean", files: map[string]string{"s.yaml": ecsBase}, args: []string{"lint", "s.yaml"}, code: 0, want: []string{"s.yaml: ok"}},
		{name: "ECS task larger than every instance type", files: map[string]string{"s.yaml": withECS("cpu: 1024, memory_mib: 2048", "cpu: 4096, memory_mib: 2048")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:11:15: service.task.cpu: a task of 4096 CPU units does not fit c5.large", "of capacity provider od", "of capacity provider spot"}},
		{name: "ECS unknown placement field", files: map[string]string{"s.yaml": withECS("field: memory}", "field: disk}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:14:38: service.placement[0].field: unknown binpack field \"disk\""}},
		{name: "ECS strategy weights all zero", files: map[string]string{"s.yaml": withECS("base: 1, weight: 1}, {capacity_provider: spot, weight: 3}", "base: 1}, {capacity_provider: spot}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:15:3: service.capacity_provider_strategy: every weight is 0"}},
		{name: "ECS capacity_providers on fargate", files: map[string]string{"s.yaml": withECS("service:\n", "service:\n  launch_type: fargate\n")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:7:1: capacity_providers: launch_type fargate has no instances to scale"}},
		{name: "ECS capacity_provider on fargate", files: map[string]string{"s.yaml": strings.Replace(hostileBase, "fleet: {instance_type: m5.large, min: 1, max: 4}\n",
			"capacity_provider: {target_capacity: 100}\nservice: {launch_type: fargate, task: {cpu: 1024, memory_mib: 2048}, min: 1, max: 2}\n", 1)},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:7:1: capacity_provider: launch_type fargate has no instances to scale"}},
		{name: "ECS cpu shares on fargate", files: map[string]string{"s.yaml": strings.Replace(hostileBase, "fleet: {instance_type: m5.large, min: 1, max: 4}\n",
			"service: {launch_type: fargate, task: {cpu: 1024, memory_mib: 2048, cpu_limit: shares}, min: 1, max: 2}\n", 1)},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:7:80: service.task.cpu_limit: Fargate tasks cannot burst"}},
		{name: "ECS base on two providers", files: map[string]string{"s.yaml": withECS("{capacity_provider: spot, weight: 3}", "{capacity_provider: spot, base: 2, weight: 3}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:15:", "service.capacity_provider_strategy[1].base: only one capacity provider of a strategy may have a base"}},
		{name: "ECS deployment after the run", files: map[string]string{"s.yaml": ecsBase + "  deployments: [{at: 2m}]\n"},
			args: []string{"run", "s.yaml"}, code: 2, want: []string{"s.yaml:16:22: service.deployments[0].at: 2m is not within the run (duration 1m)"}},
		{name: "ECS deployment that cannot move", files: map[string]string{"s.yaml": ecsBase + "  deployments: [{at: 30s, maximum_percent: 100}]\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:16:", "service.deployments[0].maximum_percent: must be above minimum_healthy_percent (100)"}},
		{name: "ECS strategy names an unknown provider", files: map[string]string{"s.yaml": withECS("{capacity_provider: spot, weight: 3}", "{capacity_provider: sopt, weight: 3}")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:15:", "service.capacity_provider_strategy[1].capacity_provider: unknown capacity provider \"sopt\" (did you mean \"spot\"?"}},

		// Item 5: hangs.
		{name: "trace FIFO", files: map[string]string{"s.yaml": traceScenario("{file: fifo.csv, format: rate-csv}"), "fifo.csv": "\x00fifo"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:17: traffic.trace.file: cannot open trace fifo.csv: it is a FIFO"}},
		{name: "durations FIFO", files: map[string]string{"s.yaml": with("{dist: exponential, mean: 10ms}", "{dist: empirical, file: fifo.txt}"), "fifo.txt": "\x00fifo"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:6:", "fifo.txt", "it is a FIFO"}},
		{name: "price file FIFO", files: map[string]string{"s.yaml": hostileBase + "pricing: {catalogue: fifo.csv}\n", "fifo.csv": "\x00fifo"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:8:", "it is a FIFO"}},
		{name: "trace inspect FIFO", files: map[string]string{"fifo.csv": "\x00fifo"},
			args: []string{"trace", "inspect", "fifo.csv"}, code: 2, want: []string{"fifo.csv: it is a FIFO"}},
		{name: "pricing update silent endpoint", args: []string{"pricing", "update", "--region", "us-east-1", "--endpoint-url", silentAWS, "--aws-timeout", "300ms", "--aws-attempts", "2", "--out", "p.csv"},
			code: 1, want: []string{"GetProducts", "at most 2 attempt(s) of 300ms each"}},

		{name: "import asg silent endpoint", args: []string{"import", "asg", "--region", "us-east-1", "--aws-timeout", "300ms", "--aws-attempts", "2", "my-group"},
			env: []string{"AWS_ENDPOINT_URL=" + silentAWS}, code: 1, want: []string{"import asg:", "at most 2 attempt(s) of 300ms each"}},

		// Item 8: secrets in messages.
		{name: "credentials as a trace", files: map[string]string{"s.yaml": traceScenario("{file: credentials, format: requests-csv}"), "credentials": creds},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"credentials:2: column \"[default]\":"},
			never: []string{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "aws_secret_access_key"}},

		// Item 9: smaller faults.
		{name: "BOM", files: map[string]string{"s.yaml": "\uFEFF" + hostileBase}, args: []string{"lint", "s.yaml"}, code: 0, want: []string{"s.yaml: ok"}},
		{name: "no follow-on errors", files: map[string]string{"s.yaml": hostileBase + "scaling:\n  policies:\n    - type: step\n      alarm: {metric: cpu, comparison: GreaterThanThreshold, threshold: 70}\n      steps:\n        - {lower: abc, upper: 10, adjustment: 1}\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:13:19: scaling.policies[0].steps[0].lower: expected a number, got \"abc\""},
			never: []string{"lower bound 0", "upper bound 0"}},
		{name: "scheduled min and max", files: map[string]string{"s.yaml": hostileBase + "scaling:\n  policies:\n    - {type: scheduled, recurrence: \"0 8 * * *\", min: 5, max: 2}\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:10:", "scaling.policies[0].min: min 5 > max 2"}, never: []string{"recurrence: min"}},
		{name: "every line has a position", files: map[string]string{"s.yaml": hostileBase + "scaling:\n  policies:\n    - {type: scheduled, recurrence: \"0 8 * * *\", min: 5, max: 2, desired: 9}\n"},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:10:", "scaling.policies[0].min: min 5 > max 2\ns.yaml:10:", "scaling.policies[0].desired: desired 9"}},
		{name: "speedup 1e308", files: map[string]string{"s.yaml": with("  synthetic:", "  speedup: 1e308\n  synthetic:")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:4:12: traffic.speedup: 1e308 is out of range"}, never: []string{": duration:"}},
		{name: "clf line dated 2100", files: map[string]string{"s.yaml": strings.Replace(traceScenario("{file: t.log, format: clf}"), "duration: 60s\n", "", 1), "t.log": clf("01/Jul/1995:00:00:01") + clf("01/Jul/2100:00:00:01")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:3:17: traffic.trace.file: t.log:2: time 2100-07-01T00:00:01Z is more than 100 years"}, never: []string{"1:1: duration"}},
		{name: "trace inspect a directory", files: map[string]string{"d/x": ""}, args: []string{"trace", "inspect", "d"}, code: 2, want: []string{"d: it is a directory"}, never: []string{"empty"}},
		{name: "invalid UTF-8 in name", files: map[string]string{"s.yaml": with("name: hostile", "name: ho\xffstile")},
			args: []string{"lint", "s.yaml"}, code: 2, want: []string{"s.yaml:1:9: the file is not valid UTF-8"}},
	}
}

// TestHostileInputs runs every row in a child process. It takes a few
// seconds: each row is refused early, which is the point.
func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CLI in child processes")
	}
	quit := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // accept, never answer
		case <-r.Context().Done():
		case <-quit:
		}
	}))
	defer silent.Close()
	defer close(quit)
	for _, c := range hostileCases(silent.URL) {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range c.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if body == "\x00fifo" {
					if err := syscall.Mkfifo(p, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], c.args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), childCLI+"=1", "AWS_ACCESS_KEY_ID=AKID", "AWS_SECRET_ACCESS_KEY=SECRET",
				"AWS_CONFIG_FILE="+filepath.Join(dir, "no-aws-config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "no-aws-credentials"))
			cmd.Env = append(cmd.Env, c.env...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			t0 := time.Now()
			err := cmd.Run()
			took := time.Since(t0)
			if ctx.Err() != nil {
				t.Fatalf("still running after %v (killed):\n%s", hostileTimeout, clipOut(out.String()))
			}
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
			text := out.String()
			if code != c.code {
				t.Errorf("exit %d, want %d:\n%s", code, c.code, clipOut(text))
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q:\n%s", w, clipOut(text))
				}
			}
			for _, n := range c.never {
				if strings.Contains(text, n) {
					t.Errorf("output has %q:\n%s", n, clipOut(text))
				}
			}
			if rss > hostileMaxRSS {
				t.Errorf("max RSS %d MiB, over the ceiling of %d MiB", rss>>20, hostileMaxRSS>>20)
			}
			if len(text) > 64<<10 {
				t.Errorf("%d bytes of output: messages must quote short values", len(text))
			}
			t.Logf("exit %d, %v, max RSS %d MiB", code, took.Round(time.Millisecond), rss>>20)
		})
	}
}

func clipOut(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
