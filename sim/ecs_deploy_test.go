package sim_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// The deployment tests check ECS's rolling update (docs/ecs.md,
// "Deployments"): the scheduler keeps the tasks RUNNING or PENDING at or
// below maximumPercent of desired (rounded down) and the healthy ones at or
// above minimumHealthyPercent (rounded up), and an old task in service
// deregisters and drains before it stops
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html).

// fargateDeploy is a fixed Fargate service of n tasks with one deployment
// at 10 minutes: provisioning 10 s, start 20 s, health checks 2 × 10 s,
// deregistration delay 30 s.
func fargateDeploy(n, minPct, maxPct int) *sim.Config {
	cfg := fargateFixed(n, 2, 50, 0.02, false)
	cfg.Duration = 30 * sim.Minute
	cfg.Fleet.BootTime = sim.Constant{Value: 20}
	cfg.ECS.Provisioning = sim.Constant{Value: 10}
	cfg.ECS.Deployments = []sim.Deployment{{At: 10 * sim.Minute, MinHealthyPercent: minPct, MaxPercent: maxPct}}
	return cfg
}

// taskCurves are, from the tasks' records, the most tasks RUNNING or
// PENDING (launched, not yet deregistered or stopped) and the fewest in
// service at once within [from, to): an account of the run independent of
// the deployment's own counters.
func taskCurves(res *sim.Result, from, to sim.Time) (most, fewest int) {
	type change struct {
		at      sim.Time
		d       int
		healthy bool
	}
	var cs []change
	for _, t := range res.Tasks {
		leave := t.Stopped
		if t.Deregistered >= 0 {
			leave = t.Deregistered
		}
		cs = append(cs, change{t.Launch, 1, false}, change{leave, -1, false})
		if t.InService >= 0 {
			cs = append(cs, change{t.InService, 1, true}, change{leave, -1, true})
		}
	}
	// At equal times the ends go first, as in sim's peakOf.
	sort.SliceStable(cs, func(a, b int) bool {
		if cs[a].at != cs[b].at {
			return cs[a].at < cs[b].at
		}
		return cs[a].d < cs[b].d
	})
	active, healthy := 0, 0
	most, fewest = 0, 1<<30
	for i, c := range cs {
		if c.healthy {
			healthy += c.d
		} else {
			active += c.d
		}
		if i+1 < len(cs) && cs[i+1].at == c.at {
			continue // the level holds only once every change at c.at is in
		}
		if c.at >= from && c.at < to {
			most = max(most, active)
			fewest = min(fewest, healthy)
		}
	}
	return most, fewest
}

func oneDeployment(t *testing.T, res *sim.Result) sim.DeploymentRecord {
	t.Helper()
	checkInvariants(t, res)
	if len(res.Deployments) != 1 {
		t.Fatalf("%d deployment records, want 1", len(res.Deployments))
	}
	return res.Deployments[0]
}

// TestDeploymentSurge: min 100 / max 200 on a fixed Fargate service of 4
// starts 4 new tasks at once (8 RUNNING or PENDING), never has fewer than 4
// healthy, and completes when the new tasks are healthy and the old ones
// have drained: provisioning + start + health checks, plus at most the
// deregistration delay (a drained task stops early once nothing is in
// flight, docs/aws-model.md §4.1).
func TestDeploymentSurge(t *testing.T) {
	res, err := sim.Run(fargateDeploy(4, 100, 200))
	if err != nil {
		t.Fatal(err)
	}
	d := oneDeployment(t, res)
	if d.Outcome != sim.DeploymentCompleted || d.PeakTasks != 8 || d.MinHealthy != 4 || d.TasksStarted != 4 || d.TasksStopped != 4 {
		t.Errorf("deployment %+v: want completed, peak 8, at least 4 healthy, 4 started and 4 stopped", d)
	}
	most, fewest := taskCurves(res, d.At, d.End)
	if most != 8 || fewest != 4 {
		t.Errorf("from the task records: at most %d running or pending, at least %d healthy; want 8 and 4", most, fewest)
	}
	ready := 10*sim.Second + 20*sim.Second + 2*10*sim.Second
	if got := d.Duration(); got < ready || got > ready+30*sim.Second {
		t.Errorf("took %v, want between %v (new tasks healthy) and %v (+ the deregistration delay)", got.Duration(), ready.Duration(), (ready + 30*sim.Second).Duration())
	}
	// Afterwards the service is back to 4 tasks, all of the new revision.
	if last := res.Minutes[len(res.Minutes)-1]; last.ECS.TasksRunning != 4 {
		t.Errorf("at the end %d tasks running, want 4", last.ECS.TasksRunning)
	}
	// The surge costs Fargate task-seconds: 4 more tasks from provisioning
	// until the old ones stop.
	if extra := d.TaskSeconds - d.DesiredTaskSeconds; extra < 4*20 || extra > 4*(d.Duration().Seconds()) {
		t.Errorf("extra task-seconds %.0f, want about 4 × the %.0f s the new tasks ran beside the old", extra, d.Duration().Seconds())
	}
	if d.Completed == 0 || d.Rejected != 0 || d.P99Ms <= 0 {
		t.Errorf("requests during the deployment: %d completed, %d rejected, p99 %.1f ms; want served, none rejected", d.Completed, d.Rejected, d.P99Ms)
	}
	var started, done bool
	for _, a := range res.Activities {
		if a.Policy == "deployment" {
			started = started || strings.Contains(a.Reason, "started")
			done = done || strings.Contains(a.Reason, "completed in")
		}
	}
	if !started || !done {
		t.Errorf("activities: deployment started %v, completed %v", started, done)
	}
	t.Logf("%+v", d)
}

// TestDeploymentNoSurge: min 50 / max 100 never runs more than the desired
// 4 tasks and never has fewer than 2 healthy: the scheduler stops two old
// tasks, starts two new ones in their place, then the other two.
func TestDeploymentNoSurge(t *testing.T) {
	res, err := sim.Run(fargateDeploy(4, 50, 100))
	if err != nil {
		t.Fatal(err)
	}
	d := oneDeployment(t, res)
	if d.Outcome != sim.DeploymentCompleted || d.PeakTasks != 4 || d.MinHealthy != 2 {
		t.Errorf("deployment %+v: want completed, peak 4, at least 2 healthy", d)
	}
	most, fewest := taskCurves(res, d.At, d.End)
	if most > 4 || fewest < 2 {
		t.Errorf("from the task records: at most %d running or pending, at least %d healthy; want ≤ 4 and ≥ 2", most, fewest)
	}
	// Two batches, each provisioning + start + health checks.
	if batch := 50 * sim.Second; d.Duration() < 2*batch || d.Duration() > 2*batch+30*sim.Second {
		t.Errorf("took %v, want about two batches of %v", d.Duration().Duration(), batch.Duration())
	}
	if extra := d.TaskSeconds - d.DesiredTaskSeconds; extra > 0 {
		t.Errorf("extra task-seconds %.1f, want none above desired", extra)
	}
}

// TestDeploymentBoundsRound: maximumPercent rounds down and
// minimumHealthyPercent up: with 3 tasks, 150 % allows 4 running or
// pending and 34 % keeps 2 healthy.
func TestDeploymentBoundsRound(t *testing.T) {
	res, err := sim.Run(fargateDeploy(3, 34, 150))
	if err != nil {
		t.Fatal(err)
	}
	d := oneDeployment(t, res)
	most, fewest := taskCurves(res, d.At, d.End)
	if d.Outcome != sim.DeploymentCompleted || most != 4 || fewest != 2 {
		t.Errorf("deployment %+v; from the records at most %d, at least %d healthy; want 4 and 2", d, most, fewest)
	}
}

// TestDeploymentCapacityProvider: on an EC2 capacity provider at
// target_capacity 100 the 4 surge tasks find no room: they wait PENDING,
// the reservation metric goes above 100, the provider launches instances,
// the tasks start there; once the old tasks have stopped their instances
// are empty, and managed scaling takes them away (15 minutes below target,
// then the empty instances terminate).
func TestDeploymentCapacityProvider(t *testing.T) {
	cfg := ecsStep(3)
	cfg.Traffic = &sim.ConstantRate{RPS: 150}
	cfg.Duration = 90 * sim.Minute
	cfg.Scalers = nil
	cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = 4, 4, 4
	cfg.ECS.Placement = []sim.PlacementStrategy{{Type: sim.Binpack, Field: sim.FieldMemory}}
	cfg.ECS.Providers[0].Hosts.Desired = 2
	cfg.ECS.Deployments = []sim.Deployment{{At: 20 * sim.Minute, MinHealthyPercent: 100, MaxPercent: 200}}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := oneDeployment(t, res)
	if d.Outcome != sim.DeploymentCompleted || d.PeakTasks != 8 || d.MinHealthy != 4 {
		t.Errorf("deployment %+v: want completed, peak 8 tasks, at least 4 healthy", d)
	}
	if d.InstancesLaunched != 2 || d.PeakInstances != 4 {
		t.Errorf("%d instances launched, %d at the peak; want 2 and 4 (two tasks to an instance)", d.InstancesLaunched, d.PeakInstances)
	}
	var reserved float64
	for _, m := range res.Minutes {
		if m.Start >= d.At && m.Start < d.End {
			reserved = max(reserved, m.ECS.Reservation)
		}
		if m.Start < d.At && m.InService != 2 {
			t.Fatalf("minute %v: %d instances before the deployment, want 2", m.Start, m.InService)
		}
	}
	if reserved <= 100 {
		t.Errorf("reservation at most %.0f during the deployment, want above 100 (surge tasks waiting for capacity)", reserved)
	}
	if last := res.Minutes[len(res.Minutes)-1]; last.InService != 2 || last.ECS.TasksRunning != 4 {
		t.Errorf("at the end %d instances, %d tasks; want the cluster back to 2 instances for 4 tasks", last.InService, last.ECS.TasksRunning)
	}
	var scaledIn bool
	for _, a := range res.Activities {
		if a.Policy == "capacity_provider" && a.Time > d.End && a.To < a.From {
			scaledIn = true
		}
	}
	if !scaledIn {
		t.Error("the capacity provider never scaled in after the deployment")
	}
	if res.TaskSummary.PendingTaskSeconds <= 0 {
		t.Error("no task waited for capacity")
	}
	t.Logf("%+v; peak reservation %.0f", d, reserved)
}

// TestDeploymentSuspendsScaleIn: Application Auto Scaling turns off
// scale-in while a deployment is in progress and resumes it after
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshoot-service-auto-scaling.html).
// A service of 6 with little load wants fewer tasks; a deployment whose new
// revision takes 20 minutes to start holds it at 6 until it completes.
func TestDeploymentSuspendsScaleIn(t *testing.T) {
	cfg := fargateDeploy(6, 100, 200)
	cfg.Duration = 60 * sim.Minute
	cfg.Traffic = &sim.ConstantRate{RPS: 10}
	cfg.Fleet.Min, cfg.Fleet.Max = 1, 10
	cfg.Scalers = []sim.Scaler{policies.NewTargetTracking("cpu50", sim.MetricCPU, 50)}
	cfg.ECS.Deployments[0].At = 2 * sim.Minute
	cfg.ECS.Deployments[0].StartTime = sim.Constant{Value: 1200}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := oneDeployment(t, res)
	if d.Outcome != sim.DeploymentCompleted || d.Duration() < 20*sim.Minute {
		t.Fatalf("deployment %+v: want it to complete after the new revision's 20-minute start", d)
	}
	var suspended bool
	scaleInAt := sim.Time(-1)
	for _, a := range res.Activities {
		if a.Policy == "deployment" {
			continue
		}
		if a.To < a.From && scaleInAt < 0 {
			scaleInAt = a.Time
		}
		suspended = suspended || strings.Contains(a.Reason, "scale-in suspended")
	}
	if !suspended || scaleInAt < d.End {
		t.Errorf("scale-in suspended noted: %v; first scale-in at %v, deployment %v–%v: want none before its end", suspended, scaleInAt, d.At, d.End)
	}
	if d.DesiredEnd != 6 {
		t.Errorf("desired %d at the deployment's end, want 6", d.DesiredEnd)
	}
}

// TestDeploymentSupersededAndStuck: a second deployment that starts while
// the first is in progress supersedes it; one that can neither start nor
// stop a task (desired 1, minimum 50 % → 1 healthy, maximum 150 % → 1)
// stays in progress, and the activities say why.
func TestDeploymentSupersededAndStuck(t *testing.T) {
	cfg := fargateDeploy(2, 100, 200)
	cfg.ECS.Deployments = append(cfg.ECS.Deployments, sim.Deployment{At: 10*sim.Minute + 20*sim.Second, MinHealthyPercent: 100, MaxPercent: 200})
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	if len(res.Deployments) != 2 || res.Deployments[0].Outcome != sim.DeploymentSuperseded || res.Deployments[0].End != res.Deployments[1].At ||
		res.Deployments[1].Outcome != sim.DeploymentCompleted {
		t.Errorf("deployments %+v: want the first superseded at the second's start, the second completed", res.Deployments)
	}
	res, err = sim.Run(fargateDeploy(1, 50, 150))
	if err != nil {
		t.Fatal(err)
	}
	d := oneDeployment(t, res)
	if d.Outcome != sim.DeploymentInProgress || d.End != res.Duration || d.TasksStarted != 0 {
		t.Errorf("deployment %+v: want still in progress at the end, nothing started", d)
	}
	var why bool
	for _, a := range res.Activities {
		why = why || a.Policy == "deployment" && strings.Contains(a.Reason, "cannot proceed")
	}
	if !why {
		t.Error("no activity says why the deployment cannot proceed")
	}
}

// TestDeploymentValidate: the engine refuses bounds the
// DeploymentConfiguration API refuses, a start before the run and starts
// out of order; a deployment at or after the run's end never starts.
func TestDeploymentValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		d    []sim.Deployment
		want string
	}{
		{"minimum above 100", []sim.Deployment{{At: sim.Minute, MinHealthyPercent: 101, MaxPercent: 200}}, "minimum healthy percent"},
		{"maximum below 100", []sim.Deployment{{At: sim.Minute, MinHealthyPercent: 50, MaxPercent: 90}}, "maximum percent"},
		{"maximum 100 with minimum 100", []sim.Deployment{{At: sim.Minute, MinHealthyPercent: 100, MaxPercent: 100}}, "maximum percent"},
		{"before the run", []sim.Deployment{{At: -sim.Minute, MinHealthyPercent: 100, MaxPercent: 200}}, "before the run"},
		{"out of order", []sim.Deployment{{At: 5 * sim.Minute, MinHealthyPercent: 100, MaxPercent: 200}, {At: sim.Minute, MinHealthyPercent: 100, MaxPercent: 200}}, "not after"},
	} {
		cfg := fargateDeploy(2, 100, 200)
		cfg.ECS.Deployments = c.d
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one about %q", c.name, err, c.want)
		}
	}
	cfg := fargateDeploy(2, 100, 200)
	cfg.ECS.Deployments[0].At = cfg.Duration
	res, err := sim.Run(cfg)
	if err != nil || len(res.Deployments) != 0 {
		t.Errorf("a deployment at the run's end: error %v, records %+v; want it never started", err, res.Deployments)
	}
}

// TestDeploymentFluid: fluid mode runs deployments through the same
// scheduler (only the serving of requests differs, docs/fluid.md): the
// surge, the healthy floor and the duration are request mode's.
func TestDeploymentFluid(t *testing.T) {
	req, err := sim.Run(fargateDeploy(4, 100, 200))
	if err != nil {
		t.Fatal(err)
	}
	cfg := fargateDeploy(4, 100, 200)
	cfg.Mode = sim.FluidMode
	flu, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, f := oneDeployment(t, req), oneDeployment(t, flu)
	if f.Outcome != r.Outcome || f.PeakTasks != r.PeakTasks || f.MinHealthy != r.MinHealthy {
		t.Errorf("fluid %+v, request %+v: want the same outcome, peak and healthy floor", f, r)
	}
	// The old tasks drain at a fluid step's end rather than when their
	// last request leaves: within a step (5 s) of request mode.
	if d := f.Duration() - r.Duration(); d < -5*sim.Second || d > 5*sim.Second {
		t.Errorf("fluid took %v, request mode %v", f.Duration().Duration(), r.Duration().Duration())
	}
	if f.Completed == 0 || f.P99Ms <= 0 {
		t.Errorf("fluid deployment saw %d requests completed, p99 %.1f ms", f.Completed, f.P99Ms)
	}
}

// TestDeploymentTwoProviders: with an on-demand (base 2, weight 1) and a
// spot (weight 3) capacity provider, the strategy splits the new
// revision's tasks by themselves (docs/ecs.md, "Deployments"): 10 new
// tasks go 4 on od and 6 on spot, as the 10 old ones did, and the split is
// the same after the deployment; counted across revisions the base would
// already be met and only 2 would land on od.
func TestDeploymentTwoProviders(t *testing.T) {
	cfg := ecsTwoProviders(2)
	cfg.Duration = 60 * sim.Minute
	cfg.Traffic = &sim.ConstantRate{RPS: 300}
	cfg.Scalers = nil
	cfg.Fleet.Min, cfg.Fleet.Desired, cfg.Fleet.Max = 10, 10, 10
	cfg.ECS.Providers[0].Hosts.Desired, cfg.ECS.Providers[1].Hosts.Desired = 2, 3
	cfg.ECS.Deployments = []sim.Deployment{{At: 20 * sim.Minute, MinHealthyPercent: 100, MaxPercent: 200}}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := oneDeployment(t, res)
	if d.Outcome != sim.DeploymentCompleted || d.PeakTasks != 20 {
		t.Fatalf("deployment %+v: want completed with 20 tasks at the peak", d)
	}
	split := func(at sim.Time) (od, spot int) {
		for _, m := range res.Minutes {
			if m.Start == at {
				p := m.ECS.Providers
				return p[0].TasksRunning + p[0].TasksPending, p[1].TasksRunning + p[1].TasksPending
			}
		}
		t.Fatalf("no minute at %v", at)
		return
	}
	if od, spot := split(10 * sim.Minute); od != 4 || spot != 6 {
		t.Errorf("before: %d on od, %d on spot; want 4 and 6", od, spot)
	}
	if od, spot := split(d.End/sim.Minute*sim.Minute + 10*sim.Minute); od != 4 || spot != 6 {
		t.Errorf("after: %d on od, %d on spot; want 4 and 6", od, spot)
	}
}

// TestDeploymentMinuteCPULevel: a fixed load on a fixed service keeps the
// service's CPU level through a deployment. The minute in which the old
// tasks stop still counts the CPU they used in it; before that was booked,
// the row read about a sixth of its neighbours.
func TestDeploymentMinuteCPULevel(t *testing.T) {
	res, err := sim.Run(fargateDeploy(4, 100, 200))
	if err != nil {
		t.Fatal(err)
	}
	d := oneDeployment(t, res)
	var steady float64
	for _, m := range res.Minutes[2:10] {
		steady += m.CPUPercent / 8
	}
	for i := int(d.At / sim.Minute); i <= int(d.End/sim.Minute)+1; i++ {
		if got := res.Minutes[i].CPUPercent; got < 0.7*steady || got > 1.3*steady {
			t.Errorf("minute %d: service CPU %.2f %%, want within 30 %% of the steady %.2f %%", i, got, steady)
		}
	}
}
