package sim_test

import (
	"strings"
	"testing"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// ecsStep is stepLoad as an ECS service: one-vCPU tasks (one worker
// each) on two-vCPU instances, two tasks to an instance, scaled by a
// capacity provider at target_capacity 100.
func ecsStep(seed uint64) *sim.Config {
	cfg := stepLoad(seed)
	cfg.Fleet.Type = sim.InstanceType{Name: "task", VCPU: 1, Speed: 1}
	cfg.Fleet.BootTime = sim.Constant{Value: 20} // start_time
	cfg.Fleet.Warmup = 0
	cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = 2, 2, 20
	tt := policies.NewTargetTracking("cpu50", sim.MetricCPU, 50)
	cfg.Scalers = []sim.Scaler{tt}
	cfg.ECS = &sim.ECSConfig{
		TaskCPU: 1024, TaskMemoryMiB: 2048,
		Placement: []sim.PlacementStrategy{{Type: sim.Spread, Field: sim.FieldZone}, {Type: sim.Binpack, Field: sim.FieldMemory}},
		Providers: []sim.CapacityProvider{{Hosts: sim.HostGroup{Type: sim.InstanceType{Name: "m.large", VCPU: 2, MemoryGiB: 4, Speed: 1, USDPerHour: 0.1},
			Min: 0, Max: 10, Desired: 1, BootTime: sim.Constant{Value: 90}, Zones: 3,
			UnitsPerInstance: 2048, MiBPerInstance: 4096},
			Scaling: &sim.ManagedScaling{TargetCapacity: 100, MinStep: 1, MaxStep: 10000, Warmup: 300 * sim.Second, TerminationProtection: true}}},
	}
	return cfg
}

// TestECSTwoLevelLag: the traffic step makes the service ask for tasks;
// they wait PENDING (the reservation metric goes above 100); the capacity
// provider launches instances; the tasks start; latency recovers.
func TestECSTwoLevelLag(t *testing.T) {
	res, err := sim.Run(ecsStep(3))
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	var askAt, cpAt sim.Time = -1, -1
	for _, a := range res.Activities {
		if a.Policy != "capacity_provider" && a.To > a.From && askAt < 0 && a.Time >= 30*sim.Minute {
			askAt = a.Time
		}
		if a.Policy == "capacity_provider" && a.To > a.From && cpAt < 0 && a.Time >= 30*sim.Minute {
			cpAt = a.Time
		}
	}
	if askAt < 0 || cpAt < askAt {
		t.Fatalf("service scale-out at %v, capacity provider scale-out at %v: want the second after the first", askAt, cpAt)
	}
	pendingSeen, startAt := false, sim.Time(-1)
	var worstLag float64
	for _, m := range res.Minutes {
		if m.Start < askAt {
			continue
		}
		if m.ECS.TasksPending > 0 && m.ECS.Reservation > 100 {
			pendingSeen = true
		}
		if pendingSeen && startAt < 0 && m.ECS.TasksPending == 0 && m.InService > 1 {
			startAt = m.Start
		}
		if startAt < 0 && m.P99 > worstLag {
			worstLag = m.P99
		}
	}
	if !pendingSeen || startAt < 0 {
		t.Fatalf("pending with reservation > 100 seen: %v; all tasks started at %v", pendingSeen, startAt)
	}
	// Latency recovers: ten minutes after the tasks start, still under the
	// step, p99 is far below its worst during the lag.
	for _, m := range res.Minutes {
		if m.Start >= startAt+10*sim.Minute && m.Start < 85*sim.Minute {
			if m.P99 > worstLag/2 || m.P99 > 100 {
				t.Errorf("minute %v: p99 %.1f ms, worst during the lag %.1f ms", m.Start, m.P99, worstLag)
			}
		}
	}
	if res.TaskSummary == nil || res.TaskSummary.PendingTaskSeconds <= 0 || res.TaskSummary.PeakRunning <= 2 {
		t.Errorf("task summary %+v", res.TaskSummary)
	}
	t.Logf("service asks at %v, provider scales out at %v, tasks all started by %v; worst p99 %.0f ms; %+v",
		askAt, cpAt, startAt, worstLag, *res.TaskSummary)
}

// TestECSSteadyBinpack: at target_capacity 100 with binpack on memory, the
// cluster settles at exactly as many instances as the running tasks need.
func TestECSSteadyBinpack(t *testing.T) {
	cfg := ecsStep(5)
	cfg.Traffic = &sim.ConstantRate{RPS: 250}
	cfg.Duration = 2 * sim.Hour
	cfg.ECS.Placement = []sim.PlacementStrategy{{Type: sim.Binpack, Field: sim.FieldMemory}}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range res.Minutes[90:] {
		need := (m.ECS.TasksRunning + 1) / 2 // two tasks to an instance
		if m.InService+m.Pending != need {
			t.Errorf("minute %v: %d instances (%d booting) for %d running tasks, want %d", m.Start, m.InService+m.Pending, m.Pending, m.ECS.TasksRunning, need)
		}
	}
}

// TestECSFixedClusterPending: on a fixed cluster without room, the tasks
// the service adds stay PENDING and are counted.
func TestECSFixedClusterPending(t *testing.T) {
	cfg := ecsStep(3)
	cfg.ECS.Providers[0].Scaling = nil
	cfg.Traffic = &sim.FuncRate{F: func(t sim.Time) float64 {
		switch {
		case t < 30*sim.Minute:
			return 100
		case t < 90*sim.Minute:
			return 360
		}
		return 40 // well below the target after the step: the service scales in
	}}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	for _, m := range res.Minutes {
		if m.InService != 1 || m.ECS.TasksRunning > 2 {
			t.Fatalf("minute %v: %d instances, %d tasks running on a fixed one-instance cluster", m.Start, m.InService, m.ECS.TasksRunning)
		}
	}
	if res.TaskSummary.PendingTaskSeconds < 600 {
		t.Errorf("pending task-seconds %.0f, want the step's extra tasks waiting", res.TaskSummary.PendingTaskSeconds)
	}
	// Tasks that never got room do not hold the service's scale-in: after
	// the step the waiting tasks are the first to go.
	if last := res.Minutes[len(res.Minutes)-1]; last.ECS.TasksPending != 0 {
		t.Errorf("at the end %d tasks still pending: the service did not scale back in", last.ECS.TasksPending)
	}
}

// fargateFixed is n one-vCPU Fargate tasks with w workers each, constant
// service time svc, provisioning and start instant.
func fargateFixed(n, w int, rps, svc float64, even bool) *sim.Config {
	cfg := stepLoad(1)
	cfg.Duration = 20 * sim.Minute
	cfg.Traffic = &sim.ConstantRate{RPS: rps}
	if even {
		cfg.Arrivals = sim.ArrivalProcess{Kind: sim.Even}
	}
	cfg.Service = sim.Constant{Value: svc}
	cfg.LBOverhead = 0
	cfg.Fleet.Type = sim.InstanceType{Name: "task", VCPU: w, Speed: 1}
	cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = n, n, n
	cfg.Fleet.Warmup = 0
	cfg.Scalers = nil
	cfg.ECS = &sim.ECSConfig{Fargate: true, TaskCPU: 1024, TaskMemoryMiB: 2048, Provisioning: sim.Constant{Value: 0}}
	return cfg
}

// TestTaskCPUShared: a task's requests share its task-level CPU, each at
// most one vCPU (docs/ecs.md, "Service speed"). Alone, a request runs at
// a whole vCPU; four at once on one vCPU take four times as long; the
// task serves at most one vCPU of work per second whatever its workers.
func TestTaskCPUShared(t *testing.T) {
	// One request at a time: 100 ms each, as on a whole vCPU.
	res, err := sim.Run(fargateFixed(1, 4, 1, 0.1, true))
	if err != nil {
		t.Fatal(err)
	}
	if p50, p99 := res.LatencyMs(50), res.LatencyMs(99); p50 < 99 || p50 > 101 || p99 > 101 {
		t.Errorf("alone: p50 %.1f ms, p99 %.1f ms; want 100 ms", p50, p99)
	}
	// 30 req/s of 50 ms work is 1.5 vCPUs: a one-vCPU task completes about
	// 20 per second, the rest are rejected.
	// A short queue keeps every wait under the timeout: served = completed.
	cfg := fargateFixed(1, 4, 30, 0.05, false)
	cfg.QueueLimit = 10
	res, err = sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	done := float64(res.Requests.Completed) / res.Duration.Seconds()
	if done < 19 || done > 20.5 {
		t.Errorf("saturated one-vCPU task served %.2f req/s, want ≈ 20 (1 vCPU ÷ 50 ms)", done)
	}
	if res.MeanCPU < 97 {
		t.Errorf("saturated task's CPU %.1f %%, want ≈ 100", res.MeanCPU)
	}
	// Two tasks of four workers at 10 req/s of 50 ms: 25 % CPU each (used ÷
	// reserved), not the share of busy workers.
	res, err = sim.Run(fargateFixed(2, 4, 10, 0.05, true))
	if err != nil {
		t.Fatal(err)
	}
	if res.MeanCPU < 24 || res.MeanCPU > 26 {
		t.Errorf("CPU %.2f %%, want 25 (0.5 vCPU used of 2 reserved)", res.MeanCPU)
	}
}

// TestTaskProcessorSharingMeanSojourn: a one-vCPU task with unbounded
// workers is an M/G/1 processor-sharing queue, whose mean sojourn time is
// S ÷ (1 − ρ) whatever the service distribution (Kleinrock, Queueing
// Systems Vol. 2, 1976, §4.4): 50 ms at ρ = 0.5 → 100 ms.
func TestTaskProcessorSharingMeanSojourn(t *testing.T) {
	cfg := fargateFixed(1, 10000, 10, 0, false)
	cfg.Service = sim.Exponential{MeanSeconds: 0.05}
	cfg.Duration = 4 * sim.Hour
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	if m := res.MeanLatencyMs(); m < 95 || m > 105 {
		t.Errorf("mean sojourn %.1f ms, want 100 ± 5 (S / (1 − ρ))", m)
	}
}

// ecsTwoProviders is ecsStep's service on two capacity providers: an
// on-demand group with base 2 and weight 1 and a spot group of weight 3
// (the strategy of the ECS issue's example), each scaled by its own
// managed scaling, under traffic that ramps from 100 to 1,300 requests/s
// (about 26 tasks at the 50 % CPU target).
func ecsTwoProviders(seed uint64) *sim.Config {
	cfg := ecsStep(seed)
	cfg.Duration = 3 * sim.Hour
	cfg.Traffic = &sim.FuncRate{F: func(t sim.Time) float64 {
		return 100 + 1200*min(1, max(0, (t-20*sim.Minute).Seconds()/(100*sim.Minute).Seconds()))
	}}
	cfg.Fleet.Max = 60
	od := cfg.ECS.Providers[0]
	od.Name, od.Base, od.Weight = "od", 2, 1
	od.Hosts.Max = 30
	spot := od
	spot.Name, spot.Base, spot.Weight = "spot", 0, 3
	spot.Hosts.OnDemandFor = func(int) int { return 0 } // every instance spot
	ms := *od.Scaling
	spot.Scaling = &ms
	cfg.ECS.Providers = []sim.CapacityProvider{od, spot}
	return cfg
}

// TestECSTwoProviders: with an on-demand and a spot capacity provider the
// service's tasks land on both groups in the strategy's ratio — the base
// of 2 on on-demand, then one on on-demand for three on spot
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html)
// — and each group is scaled out by its own CapacityProviderReservation,
// which its own waiting tasks raise above 100.
func TestECSTwoProviders(t *testing.T) {
	res, err := sim.Run(ecsTwoProviders(2))
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	peak := 0
	drivenBy := [2]bool{}
	for _, m := range res.Minutes {
		p := m.ECS.Providers
		if len(p) != 2 || p[0].Name != "od" || p[1].Name != "spot" {
			t.Fatalf("minute %v: providers %+v, want od and spot", m.Start, p)
		}
		od, spot := p[0].TasksRunning+p[0].TasksPending, p[1].TasksRunning+p[1].TasksPending
		n := od + spot
		peak = max(peak, n)
		// While the load only rises no task drains: every task counts.
		if m.Start < 2*sim.Hour && n >= 2 {
			rest := float64(n - 2)
			if od < 2 || float64(od-2) < rest/4-1 || float64(od-2) > rest/4+1 {
				t.Errorf("minute %v: %d tasks on od, %d on spot; want the base of 2 on od, the other %d split 1:3", m.Start, od, spot, n-2)
			}
		}
		for g := range p {
			if p[g].TasksPending > 0 && p[g].Reservation > 100 {
				drivenBy[g] = true
			}
			if p[g].InService+p[g].Pending > 0 && p[g].Desired == 0 {
				t.Errorf("minute %v: provider %s has instances but desired 0", m.Start, p[g].Name)
			}
		}
	}
	if peak < 20 {
		t.Fatalf("peak of %d tasks: the ramp should need about 26", peak)
	}
	if !drivenBy[0] || !drivenBy[1] {
		t.Errorf("a provider's waiting tasks raised its own reservation above 100: od %v, spot %v", drivenBy[0], drivenBy[1])
	}
	outs := map[string]int{}
	for _, a := range res.Activities {
		if a.Policy != "capacity_provider" || a.To <= a.From {
			continue
		}
		for _, name := range []string{"od", "spot"} {
			if strings.HasPrefix(a.Reason, "capacity provider "+name+": CapacityProviderReservation") {
				outs[name] += a.To - a.From
			}
		}
	}
	if outs["od"] == 0 || outs["spot"] < 2*outs["od"] {
		t.Errorf("instances added by scale-outs: %v; want both groups scaled, spot about three times od beyond the base", outs)
	}
	var odInst, spotInst int
	for _, in := range res.Instances {
		if in.PurchaseOption == "spot" {
			spotInst++
		} else {
			odInst++
		}
	}
	last := res.Minutes[len(res.Minutes)-1].ECS.Providers
	if spotInst == 0 || odInst == 0 || last[1].InService < 2*last[0].InService-2 {
		t.Errorf("instances: %d on-demand, %d spot launched; at the end od %d, spot %d in service", odInst, spotInst, last[0].InService, last[1].InService)
	}
	t.Logf("peak %d tasks; instances added od %d, spot %d; at the end %+v", peak, outs["od"], outs["spot"], last)
}

// TestECSSpotInterruptions: EC2 reclaims the spot group's instances (the
// same 2-minute notice as for an Auto Scaling group). With spot instance
// draining the instance goes DRAINING and the service replaces its tasks
// at once — on spot again, where they wait for the group's replacement
// instance — and no request is cut off; without it the tasks run until the
// instance goes and the requests still on them are cut off
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-spot.html).
func TestECSSpotInterruptions(t *testing.T) {
	run := func(draining bool) *sim.Result {
		cfg := ecsTwoProviders(4)
		cfg.Traffic = &sim.ConstantRate{RPS: 900}
		cfg.Duration = 90 * sim.Minute
		cfg.Fleet.Desired = 18
		cfg.Service = sim.Exponential{MeanSeconds: 0.010}
		for i := range cfg.ECS.Providers {
			cfg.ECS.Providers[i].Hosts.Desired = 5
		}
		spot := &cfg.ECS.Providers[1].Hosts
		spot.SpotInterruptionsPerHour = 2
		spot.SpotDraining = draining
		res, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, res)
		return res
	}
	on := run(true)
	notices := 0
	for _, a := range on.Activities {
		if a.Policy == "spot" {
			notices++
			if !strings.Contains(a.Reason, "capacity provider spot") {
				t.Errorf("spot notice %q does not name its provider", a.Reason)
			}
		}
	}
	interrupted := 0
	for _, in := range on.Instances {
		if in.Interrupted {
			interrupted++
			if in.PurchaseOption != "spot" {
				t.Errorf("instance %d interrupted but %s", in.ID, in.PurchaseOption)
			}
		}
	}
	if notices < 5 || interrupted < notices-1 {
		t.Fatalf("%d notices, %d instances reclaimed in 90 minutes of about 6 spot instances at 2 an hour", notices, interrupted)
	}
	// The replacements go back to spot: on-demand never holds more than
	// its share (a task beyond it) whatever the interruptions.
	for _, m := range on.Minutes {
		p := m.ECS.Providers
		od, n := p[0].TasksRunning+p[0].TasksPending, p[0].TasksRunning+p[0].TasksPending+p[1].TasksRunning+p[1].TasksPending
		if od < 2 || float64(od-2) > float64(n-2)/4+1 {
			t.Errorf("minute %v: %d of %d tasks on od; the interrupted spot tasks should be replaced on spot", m.Start, od, n)
		}
	}
	if on.Requests.Rejected != 0 {
		t.Errorf("with spot instance draining %d requests cut off, want 0", on.Requests.Rejected)
	}
	off := run(false)
	if off.Requests.Rejected == 0 {
		t.Errorf("without spot instance draining no request was cut off at %d reclaims", interrupted)
	}
	t.Logf("%d notices; rejected with draining %d, without %d; pending task-seconds %.0f / %.0f", notices,
		on.Requests.Rejected, off.Requests.Rejected, on.TaskSummary.PendingTaskSeconds, off.TaskSummary.PendingTaskSeconds)
}

// oneHost is a fixed EC2 cluster of one instance of vcpu vCPUs running
// the service's tasks of cpu units and w workers each (one to start
// with), under rps requests/s of demand svc; shares makes the task's cpu
// container-level CPU shares instead of a task-level limit.
func oneHost(vcpu, cpu, w int, rps float64, svc sim.Dist, shares bool) *sim.Config {
	cfg := stepLoad(1)
	cfg.Duration = 20 * sim.Minute
	cfg.Traffic = &sim.ConstantRate{RPS: rps}
	cfg.Service = svc
	cfg.LBOverhead = 0
	cfg.Fleet.Type = sim.InstanceType{Name: "task", VCPU: w, Speed: 1}
	cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = 1, 1, 1
	cfg.Fleet.Warmup = 0
	cfg.Fleet.BootTime = sim.Constant{Value: 60}
	cfg.Scalers = nil
	cfg.ECS = &sim.ECSConfig{TaskCPU: cpu, TaskMemoryMiB: 512, CPUShares: shares,
		Placement: []sim.PlacementStrategy{{Type: sim.Binpack, Field: sim.FieldMemory}},
		Providers: []sim.CapacityProvider{{Hosts: sim.HostGroup{Type: sim.InstanceType{Name: "h", VCPU: vcpu, MemoryGiB: 8, Speed: 1, USDPerHour: 0.1},
			Min: 1, Max: 1, Desired: 1, BootTime: sim.Constant{Value: 90}, Zones: 1, UnitsPerInstance: vcpu * 1024, MiBPerInstance: 8192}}},
	}
	return cfg
}

// askFor is a service policy that asks for n tasks from time at on.
type askFor struct {
	at sim.Time
	n  int
}

func (a askFor) Name() string { return "ask" }
func (a askFor) Evaluate(now sim.Time, _ *sim.Group) sim.Proposal {
	if now < a.at {
		return sim.Proposal{Want: sim.Hold}
	}
	return sim.Proposal{Want: sim.Out, Desired: a.n, Reason: "the test asks"}
}

// TestECSSharesBurstIntoIdleCPU: a one-vCPU task alone on a two-vCPU
// instance, saturated. With a task-level limit it serves one vCPU of work
// a second at 100 % CPU; with CPU shares it uses the instance's idle vCPU
// too and reports 200 % (ECS's service CPU utilisation is used ÷ reserved
// and exceeds 100 % when a task bursts: the example of a 512-unit task
// alone on a 2,048-unit instance reporting 400 %,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_utilization.html).
func TestECSSharesBurstIntoIdleCPU(t *testing.T) {
	for _, c := range []struct {
		shares       bool
		rate, cpuPct float64
	}{{false, 20, 100}, {true, 40, 200}} {
		cfg := oneHost(2, 1024, 16, 60, sim.Constant{Value: 0.05}, c.shares)
		cfg.QueueLimit = 10 // every wait stays under the timeout: served = completed
		res, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, res)
		done := float64(res.Requests.Completed) / res.Duration.Seconds()
		if done < 0.97*c.rate || done > 1.02*c.rate {
			t.Errorf("shares %v: served %.2f req/s, want ≈ %.0f (vCPUs ÷ 50 ms)", c.shares, done, c.rate)
		}
		if res.MeanCPU < 0.97*c.cpuPct || res.MeanCPU > 1.01*c.cpuPct {
			t.Errorf("shares %v: CPU %.1f %%, want ≈ %.0f (used ÷ reserved)", c.shares, res.MeanCPU, c.cpuPct)
		}
		if m := res.Minutes[5]; m.CPUPercent < 0.97*c.cpuPct || m.CPUPercent > 1.01*c.cpuPct {
			t.Errorf("shares %v: minute 5 CPU %.1f %%, want ≈ %.0f", c.shares, m.CPUPercent, c.cpuPct)
		}
	}
}

// TestECSSharesTwoTasks: two one-vCPU tasks with equal shares on one
// two-vCPU instance, both saturated. While the second is placed but still
// starting (idle), the first has both vCPUs; once both serve, one each
// (the ContainerDefinition cpu example:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
func TestECSSharesTwoTasks(t *testing.T) {
	cfg := oneHost(2, 1024, 16, 100, sim.Constant{Value: 0.05}, true)
	cfg.Duration = 30 * sim.Minute
	cfg.QueueLimit = 10
	cfg.Fleet.Max = 2
	cfg.Scalers = []sim.Scaler{askFor{at: 5 * sim.Minute, n: 2}}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	if len(res.Tasks) != 2 || res.Tasks[0].Host != 0 || res.Tasks[1].Host != 0 {
		t.Fatalf("want two tasks on instance 0, got %+v", res.Tasks)
	}
	end := res.Duration.Seconds()
	first, second := res.Tasks[0], res.Tasks[1]
	started := second.Started.Seconds()
	// The instance is saturated throughout: two vCPUs of work a second,
	// whoever has them.
	if total := first.BusyVCPUSeconds + second.BusyVCPUSeconds; total < 0.99*2*end || total > 2*end+1 {
		t.Errorf("busy vCPU-seconds %.0f, want ≈ %.0f (two vCPUs throughout)", total, 2*end)
	}
	// The second serves at one vCPU from its health checks (two at 10 s)
	// to the end; before, the first had both.
	if b := second.BusyVCPUSeconds; b < end-started-40 || b > end-started {
		t.Errorf("second task: %.0f busy vCPU-seconds, want one vCPU from about %.0f s to %.0f s", b, started, end)
	}
	if started < 5*60 || started > 8*60 {
		t.Errorf("second task RUNNING at %.0f s, want a minute after the 5-minute ask", started)
	}
	cpu := func(minute int) float64 { return res.Minutes[minute].CPUPercent }
	if cpu(3) < 195 || cpu(3) > 201 || cpu(25) < 97 || cpu(25) > 101 {
		t.Errorf("CPU: minute 3 %.1f %% (want 200: one task, two vCPUs), minute 25 %.1f %% (want 100: one each)", cpu(3), cpu(25))
	}
}

// TestECSSharesTaskLeaves: when one of two saturated tasks sharing an
// instance stops, the other has both vCPUs again at once: the instance
// completes 40 req/s of 50 ms before (one vCPU each) and after (both on
// one task), and the remaining task's CPU goes from 100 % to 200 %.
func TestECSSharesTaskLeaves(t *testing.T) {
	cfg := oneHost(2, 1024, 16, 100, sim.Constant{Value: 0.05}, true)
	cfg.QueueLimit = 10
	cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = 1, 2, 2
	cfg.Scalers = []sim.Scaler{stopAt{at: 8 * sim.Minute}}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	for _, m := range res.Minutes {
		if (m.Start >= 2*sim.Minute && m.Start < 8*sim.Minute) || m.Start >= 12*sim.Minute {
			if m.Completed < 2370 || m.Completed > 2410 {
				t.Errorf("minute %v: %d completed, want ≈ 2,400 (two vCPUs ÷ 50 ms)", m.Start, m.Completed)
			}
		}
	}
	if a, b := res.Minutes[5].CPUPercent, res.Minutes[15].CPUPercent; a < 97 || a > 101 || b < 195 || b > 201 {
		t.Errorf("CPU %.1f %% with two tasks (want 100), %.1f %% with one left (want 200)", a, b)
	}
}

// stopAt is a service policy that asks for one task from time at on.
type stopAt struct{ at sim.Time }

func (s stopAt) Name() string { return "stop" }
func (s stopAt) Evaluate(now sim.Time, _ *sim.Group) sim.Proposal {
	if now < s.at {
		return sim.Proposal{Want: sim.Hold}
	}
	return sim.Proposal{Want: sim.In, Desired: 1, Reason: "the test asks"}
}

// TestECSSharesProcessorSharing: a task with CPU shares alone on an
// instance shares the instance's vCPUs among its requests, each at most
// one. On one vCPU (a half-vCPU task, which under a limit would be
// saturated at this load) it is an M/G/1 processor-sharing queue: mean
// sojourn S ÷ (1 − ρ), 50 ms at ρ = 0.5 → 100 ms (Kleinrock, Queueing
// Systems Vol. 2, 1976, §4.4). On two vCPUs with exponential demand the
// number in the system is the M/M/2 queue's (departures at min(k, 2) μ),
// so by Little's law the mean sojourn is M/M/2's, S + C(2, a) ÷ (2μ − λ):
// at λ = 30/s, S = 50 ms, Erlang C(2, 1.5) = 9/14, 114.3 ms. Two tasks of
// equal shares on those two vCPUs serve at min(K, 2) μ together with K
// requests in flight on both (a busy task alone has both vCPUs, two busy
// ones one each), so however the load balancer splits the requests the
// total is the same M/M/2 chain and the mean sojourn the same 114.3 ms —
// only if every share change reschedules the other task's departures.
func TestECSSharesProcessorSharing(t *testing.T) {
	for _, c := range []struct {
		vcpu, cpu, tasks int
		rps              float64
		svc              sim.Dist
		want             float64
	}{
		{1, 512, 1, 10, sim.Gamma{Alpha: 0.5, Beta: 10}, 100}, // mean 50 ms, coefficient of variation 1.4: PS is insensitive to it
		{2, 1024, 1, 30, sim.Exponential{MeanSeconds: 0.05}, 50 + 9.0/14/(40-30)*1000},
		{2, 1024, 2, 30, sim.Exponential{MeanSeconds: 0.05}, 50 + 9.0/14/(40-30)*1000},
	} {
		cfg := oneHost(c.vcpu, c.cpu, 10000, c.rps, c.svc, true)
		cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = c.tasks, c.tasks, c.tasks
		cfg.Duration = 4 * sim.Hour
		res, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, res)
		want := c.want
		if m := res.MeanLatencyMs(); m < 0.95*want || m > 1.05*want {
			t.Errorf("%d vCPU, %d tasks: mean sojourn %.1f ms, want %.1f ± 5 %%", c.vcpu, c.tasks, m, want)
		}
	}
}

// TestECSTargetTrackingOnMemory: a service on target tracking of
// MemoryUtilization (ECSServiceAverageMemoryUtilization, used ÷ reserved,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_utilization.html)
// scales out when more requests in flight make its tasks use more memory.
// Tasks of 4 vCPUs and 8,192 MiB using 1,024 MiB plus 1,024 per request in
// flight: at 10 req/s of 200 ms on two tasks (ρ = 0.25, about one request
// in flight each) they use about 25 %; at 30 req/s (ρ = 0.75, four or five
// in flight) about 60–70 %, above the 50 % target, so the service scales
// out. With no memory per request (flat 12.5 %) it never does.
func TestECSTargetTrackingOnMemory(t *testing.T) {
	for _, per := range []float64{1024, 0} {
		cfg := fargateFixed(2, 100, 0, 0, false)
		cfg.Duration = 90 * sim.Minute
		cfg.Traffic = &sim.FuncRate{F: func(t sim.Time) float64 {
			if t >= 30*sim.Minute {
				return 30
			}
			return 10
		}}
		cfg.Service = sim.Exponential{MeanSeconds: 0.2}
		cfg.Fleet.Max = 20
		cfg.ECS.TaskCPU, cfg.ECS.TaskMemoryMiB = 4096, 8192
		cfg.ECS.MemoryUse = &sim.MemoryUse{BaseMiB: 1024, PerRequestMiB: per}
		cfg.Scalers = []sim.Scaler{policies.NewTargetTracking("memory50", sim.MetricMemory, 50)}
		res, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, res)
		var outAt sim.Time = -1
		for _, a := range res.Activities {
			if a.To > a.From && outAt < 0 {
				outAt = a.Time
			}
		}
		switch {
		case per == 0 && outAt >= 0:
			t.Errorf("flat memory use: scaled out at %v, want never", outAt)
		case per > 0 && (outAt < 30*sim.Minute || outAt > 40*sim.Minute):
			t.Errorf("memory per request: first scale-out at %v, want within minutes after the step at 30m (activities %+v)", outAt, res.Activities)
		}
		last := res.Minutes[len(res.Minutes)-1]
		if per > 0 && last.ECS.TasksRunning < 3 {
			t.Errorf("memory per request: %d tasks at the end, want more than 2", last.ECS.TasksRunning)
		}
		t.Logf("%.0f MiB a request: first scale-out at %v, %d tasks at the end, CPU %.0f %%", per, outAt, last.ECS.TasksRunning, last.CPUPercent)
	}
}
