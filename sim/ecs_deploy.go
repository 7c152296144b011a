package sim

import (
	"fmt"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Rolling-update deployments of an ECS service (docs/ecs.md,
// "Deployments"; AWS:
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html).
// At a deployment every task of the service belongs to the old revision;
// the scheduler starts tasks of the new one while the service's RUNNING
// and PENDING tasks stay under maximumPercent of desired (rounded down) and
// stops old ones while the healthy tasks stay at or above
// minimumHealthyPercent of desired (rounded up). A stopped task that was in
// service deregisters and drains for the deregistration delay first.

// Deployment is one rolling update of the service: a new revision of its
// task definition (or a forced new deployment of the same one).
type Deployment struct {
	At                Time // when it starts, from the run's start
	MinHealthyPercent int  // deploymentConfiguration.minimumHealthyPercent (0–100)
	MaxPercent        int  // deploymentConfiguration.maximumPercent (> 100 when the minimum is 100)
	// StartTime is placed → RUNNING for the new revision's tasks; nil:
	// the revision before it's.
	StartTime Dist
}

// The outcomes of a deployment.
const (
	DeploymentCompleted  = "completed"   // no old task left, desired tasks of the new revision in service
	DeploymentSuperseded = "superseded"  // a later deployment began before it completed
	DeploymentInProgress = "in_progress" // still under way at the run's end
)

// DeploymentRecord is what one deployment did (docs/result.md,
// summary.deployments).
type DeploymentRecord struct {
	At, End                       Time   // End: when it completed or was superseded; the run's end when still in progress
	Outcome                       string // DeploymentCompleted, DeploymentSuperseded or DeploymentInProgress
	MinHealthyPercent, MaxPercent int
	// Desired is the service's desired count when it began, DesiredEnd when
	// it ended.
	Desired, DesiredEnd int
	// PeakTasks is the most tasks RUNNING or PENDING at once (what
	// maximumPercent bounds; draining tasks not counted), MinHealthy the
	// fewest in service (what minimumHealthyPercent bounds).
	PeakTasks, MinHealthy int
	// TasksStarted counts the tasks the service started during it (the new
	// revision's, replacements included); TasksStopped the old revision's
	// tasks that stopped.
	TasksStarted, TasksStopped int
	// TaskSeconds is the task-seconds of capacity the service's tasks held
	// (placed or provisioned → stopped) within [At, End];
	// DesiredTaskSeconds is the desired count integrated over the same span.
	TaskSeconds, DesiredTaskSeconds float64
	// EC2: the cluster's instances, the most at once (launched and not
	// terminated) and how many launched during it.
	PeakInstances, InstancesLaunched int
	// The requests that ended during it, and the latency of those completed.
	Completed, Rejected, TimedOut int64
	P50Ms, P99Ms, MaxMs           float64
}

// Duration is how long the deployment ran.
func (d *DeploymentRecord) Duration() Time { return d.End - d.At }

// deployRun is the deployment in progress.
type deployRun struct {
	cfg *Deployment
	rec int // its index in Result.Deployments
	// old counts the tasks of earlier revisions not yet stopped (draining
	// ones included).
	old int
	// desiredFrom is when the desired count last changed, for
	// DesiredTaskSeconds.
	desiredFrom Time
}

// revFilter picks the service's tasks by revision.
type revFilter uint8

const (
	allTasks revFilter = iota
	oldTasks           // of a revision before the current deployment's
	newTasks           // of the current revision
)

// is says task id passes filter f.
func (s *ecsState) is(id int32, f revFilter) bool {
	switch f {
	case oldTasks:
		return s.taskRev[id] < s.rev
	case newTasks:
		return s.taskRev[id] == s.rev
	}
	return true
}

// deployMeter collects the outcomes of the requests that end during a
// deployment (meter.outcome).
type deployMeter struct {
	hist                          *hdrhistogram.Histogram
	completed, rejected, timedOut int64
}

func (d *deployMeter) add(k outcome, n int64, lat Time) {
	switch k {
	case completed:
		d.completed += n
		recordMicrosN(d.hist, lat, n)
	case timedOut:
		d.timedOut += n
	case rejected:
		d.rejected += n
	}
}

// scheduleDeployments queues the start of every deployment within the
// run. One at or after its end never starts (package scenarios refuses it
// in a scenario file; a caller that shortens a run's duration keeps the
// deployments inside it).
func (e *engine) scheduleDeployments() {
	for i, d := range e.ecs.cfg.Deployments {
		if d.At < e.end {
			e.q.push(event{at: d.At, kind: evDeploy, inst: int32(i)})
		}
	}
}

// startDeployment begins deployment i: every task the service has is now
// of the old revision. A deployment still in progress is superseded (ECS
// then replaces the tasks of both older revisions).
func (e *engine) startDeployment(i int) {
	s := e.ecs
	if s.dep != nil {
		e.endDeployment(DeploymentSuperseded)
	}
	d := &s.cfg.Deployments[i]
	s.rev++
	delete(e.asg.lastReason, "deployment") // a stall of this one is news
	f := &e.fleet
	r := e.meter.res
	r.Deployments = append(r.Deployments, DeploymentRecord{At: e.now, End: -1, MinHealthyPercent: d.MinHealthyPercent,
		MaxPercent: d.MaxPercent, Desired: e.asg.desired, PeakTasks: f.active(), MinHealthy: f.count[inService],
		PeakInstances: s.liveHosts()})
	s.dep = &deployRun{cfg: d, rec: len(r.Deployments) - 1, old: len(f.live), desiredFrom: e.now}
	if s.deployHist == nil {
		s.deployHist = newMinuteHistogram()
	}
	s.deployHist.Reset()
	e.fluidFlush() // the requests of earlier steps ended before it
	e.meter.deploy = &deployMeter{hist: s.deployHist}
	most, least := deployBounds(d, e.asg.desired)
	r.Activities = append(r.Activities, Activity{Time: e.now, Policy: "deployment", From: e.asg.desired, To: e.asg.desired,
		Reason: fmt.Sprintf("rolling update %d started: minimumHealthyPercent %d, maximumPercent %d: at most %d tasks running or pending, at least %d healthy",
			i+1, d.MinHealthyPercent, d.MaxPercent, most, least)})
	e.deployStep()
	e.deployCheck()
}

// deployBounds are the most tasks RUNNING or PENDING (maximumPercent of
// desired, rounded down) and the fewest healthy (minimumHealthyPercent,
// rounded up) a deployment allows.
func deployBounds(d *Deployment, desired int) (most, least int) {
	return desired * d.MaxPercent / 100, (desired*d.MinHealthyPercent + 99) / 100
}

// deployStep is the service scheduler's move in a deployment: stop old
// tasks while the healthy ones stay at or above the minimum (a task not
// yet healthy stops freely, the old revision's waiting and starting tasks
// first, then the one the service's scale-in would choose: ecsVictimOf),
// then start new ones up to desired while the running and pending tasks
// stay at or below the maximum. A scheduled action that lowers desired
// meanwhile stops new tasks beyond it.
func (e *engine) deployStep() {
	s := e.ecs
	run := s.dep
	if run == nil {
		return
	}
	f := &e.fleet
	rec := &e.meter.res.Deployments[run.rec]
	want := e.asg.desired
	most, least := deployBounds(run.cfg, want)
	for {
		v := e.ecsVictimOf(oldTasks)
		if v < 0 || f.inst[v].state == inService && f.count[inService]-1 < least {
			break
		}
		e.scaleIn(v)
		if s.dep != run {
			return // that was the last old task: the deployment completed
		}
	}
	rec.MinHealthy = min(rec.MinHealthy, f.count[inService])
	n := s.revTasks(e, newTasks)
	for ; n < want && f.active() < most; n++ {
		e.scheduleBoot(e.launch())
	}
	for ; n > want; n-- {
		v := e.ecsVictimOf(newTasks)
		if v < 0 {
			break
		}
		e.scaleIn(v)
		if s.dep != run {
			return
		}
	}
	if f.launching() == 0 && f.active() >= most && f.count[inService]-1 < least && s.revTasks(e, oldTasks) > 0 {
		e.note("deployment", fmt.Sprintf("rolling update cannot proceed at desired %d: maximumPercent %d allows no task above %d running or pending, minimumHealthyPercent %d no stop below %d healthy",
			want, run.cfg.MaxPercent, most, run.cfg.MinHealthyPercent, least))
	}
}

// revTasks counts the service's active tasks (pending or running, not
// draining) that pass f.
func (s *ecsState) revTasks(e *engine, f revFilter) int {
	n := 0
	for _, id := range e.fleet.live {
		if e.fleet.inst[id].state.active() && s.is(id, f) {
			n++
		}
	}
	return n
}

// deploySetDesired: service auto scaling (or a scheduled action) changes
// the desired count during a deployment; the deployment's bounds follow it.
func (e *engine) deploySetDesired(d int) {
	s := e.ecs
	rec := &e.meter.res.Deployments[s.dep.rec]
	rec.DesiredTaskSeconds += float64(e.asg.desired) * (e.now - s.dep.desiredFrom).Seconds()
	s.dep.desiredFrom = e.now
	e.asg.desired = d
	e.deployStep()
}

// deployCheck completes the deployment once no old task is left and the
// new revision has the desired count in service.
func (e *engine) deployCheck() {
	s := e.ecs
	if s.dep != nil && s.dep.old == 0 && e.fleet.count[inService] >= e.asg.desired {
		e.endDeployment(DeploymentCompleted)
	}
}

// deployTick is the deployment's part of the 5-second tick: the scheduler
// acts on what changed since (a task lost, capacity freed), and the
// healthy count is sampled.
func (e *engine) deployTick() {
	e.deployStep()
	if s := e.ecs; s.dep != nil {
		rec := &e.meter.res.Deployments[s.dep.rec]
		rec.MinHealthy = min(rec.MinHealthy, e.fleet.count[inService])
		e.deployCheck()
	}
}

// deployTaskStarted and deployTaskGone keep the counts of a deployment in
// progress as tasks start and stop.
func (e *engine) deployTaskStarted() {
	rec := &e.meter.res.Deployments[e.ecs.dep.rec]
	rec.TasksStarted++
	rec.PeakTasks = max(rec.PeakTasks, e.fleet.active())
}

func (e *engine) deployTaskGone(id int32) {
	s := e.ecs
	if s.taskRev[id] < s.rev {
		s.dep.old--
		e.meter.res.Deployments[s.dep.rec].TasksStopped++
	}
}

func (e *engine) deployHostLaunched() {
	rec := &e.meter.res.Deployments[e.ecs.dep.rec]
	rec.InstancesLaunched++
	rec.PeakInstances = max(rec.PeakInstances, e.ecs.liveHosts())
}

// liveHosts counts the cluster's instances launched and not terminated.
func (s *ecsState) liveHosts() int {
	n := 0
	for i := range s.hosts {
		if !s.hosts[i].gone {
			n++
		}
	}
	return n
}

// endDeployment closes the deployment in progress with outcome.
func (e *engine) endDeployment(outcome string) {
	s := e.ecs
	run := s.dep
	rec := &e.meter.res.Deployments[run.rec]
	rec.End, rec.Outcome, rec.DesiredEnd = e.now, outcome, e.asg.desired
	rec.DesiredTaskSeconds += float64(e.asg.desired) * (e.now - run.desiredFrom).Seconds()
	e.fluidFlush()
	m := e.meter.deploy
	rec.Completed, rec.Rejected, rec.TimedOut = m.completed, m.rejected, m.timedOut
	if m.hist.TotalCount() > 0 {
		rec.P50Ms, rec.P99Ms, rec.MaxMs = quantileMs(m.hist, 50), quantileMs(m.hist, 99), quantileMs(m.hist, 100)
	}
	e.meter.deploy = nil
	s.dep = nil
	if outcome == DeploymentInProgress {
		return
	}
	what := fmt.Sprintf("completed in %s", rec.Duration().Duration())
	if outcome == DeploymentSuperseded {
		what = fmt.Sprintf("superseded after %s", rec.Duration().Duration())
	}
	e.meter.res.Activities = append(e.meter.res.Activities, Activity{Time: e.now, Policy: "deployment", From: e.asg.desired, To: e.asg.desired,
		Reason: fmt.Sprintf("rolling update %d %s: peak %d tasks running or pending, at least %d healthy, %d started, %d old stopped",
			run.rec+1, what, rec.PeakTasks, rec.MinHealthy, rec.TasksStarted, rec.TasksStopped)})
}

// deployFinish closes the books of the deployments at the run's end: one
// still in progress ends there, and each deployment's task-seconds are
// counted from the tasks' records.
func (e *engine) deployFinish() {
	r := e.meter.res
	if e.ecs.dep != nil {
		e.endDeployment(DeploymentInProgress)
	}
	for i := range r.Deployments {
		d := &r.Deployments[i]
		for _, t := range r.Tasks {
			if t.Placed < 0 {
				continue
			}
			if lo, hi := max(t.Placed, d.At), min(t.Stopped, d.End); hi > lo {
				d.TaskSeconds += (hi - lo).Seconds()
			}
		}
	}
}

// fluidFlush records the latencies of fluid mode's steps so far (it
// otherwise records them once a minute, sim/fluid.go), so that a
// deployment counts the requests of the steps within it.
func (e *engine) fluidFlush() {
	if e.fluid != nil {
		e.fluidRecord()
		e.fluid.groups = e.fluid.groups[:0]
	}
}

// taskStartTime is placed → RUNNING for task id: its revision's start
// time, the latest a deployment up to it set, else the service's.
func (e *engine) taskStartTime(id int32) Dist {
	s := e.ecs
	for r := s.taskRev[id]; r > 0; r-- {
		if st := s.cfg.Deployments[r-1].StartTime; st != nil {
			return st
		}
	}
	return e.cfg.Fleet.BootTime
}

// validateDeployments checks what the deployments need: bounds as the
// DeploymentConfiguration API takes them, starts in order from t = 0.
func (c *ECSConfig) validateDeployments(cfg *Config) []error {
	var errs []error
	for i, d := range c.Deployments {
		bad := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("ecs: deployment %d: "+format, append([]any{i}, a...)...))
		}
		if d.MinHealthyPercent < 0 || d.MinHealthyPercent > 100 {
			bad("minimum healthy percent must be 0–100, got %d", d.MinHealthyPercent)
		}
		if d.MaxPercent < 100 || d.MaxPercent <= d.MinHealthyPercent {
			bad("maximum percent must be at least 100 and above the minimum healthy percent, got %d", d.MaxPercent)
		}
		if d.At < 0 {
			bad("starts at %v, before the run", d.At.Duration())
		}
		if i > 0 && d.At <= c.Deployments[i-1].At {
			bad("starts at %v, not after the deployment before it", d.At.Duration())
		}
	}
	return errs
}
