package reports

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/sim"
)

// Deployment is one ECS rolling update in summary.deployments
// (docs/result.md; docs/ecs.md, "Deployments"): when it ran, what it
// cost in tasks and instances, and the latency of the requests that ended
// during it.
type Deployment struct {
	AtS        float64 `json:"at_s"`
	EndS       float64 `json:"end_s"`
	DurationS  float64 `json:"duration_s"`
	Outcome    string  `json:"outcome"` // completed | superseded | in_progress
	MinHealthy int     `json:"minimum_healthy_percent"`
	MaxPercent int     `json:"maximum_percent"`
	Desired    int     `json:"desired"`
	DesiredEnd int     `json:"desired_at_end"`
	// PeakTasks is the most tasks RUNNING or PENDING at once (draining ones
	// not counted: maximumPercent's bound); MinHealthyTasks the fewest in
	// service.
	PeakTasks       int `json:"peak_tasks"`
	MinHealthyTasks int `json:"min_healthy_tasks"`
	TasksStarted    int `json:"tasks_started"`
	TasksStopped    int `json:"tasks_stopped"`
	// TaskSeconds is the capacity the tasks held during it (placed or
	// provisioned → stopped); ExtraTaskSeconds what it held above the
	// desired count: the surge, what Fargate bills extra.
	TaskSeconds        float64 `json:"task_seconds"`
	DesiredTaskSeconds float64 `json:"desired_task_seconds"`
	ExtraTaskSeconds   float64 `json:"extra_task_seconds"`
	// EC2 only (null on Fargate): the cluster's instances at the peak and
	// launched during it.
	PeakInstances     *int `json:"peak_instances"`
	InstancesLaunched *int `json:"instances_launched"`
	// The requests that ended during it.
	Requests  DeploymentRequests `json:"requests"`
	LatencyMs DeploymentLatency  `json:"latency_ms"`
}

// DeploymentRequests are the outcomes of the requests that ended during a
// deployment.
type DeploymentRequests struct {
	Completed int64 `json:"completed"`
	Rejected  int64 `json:"rejected"`
	TimedOut  int64 `json:"timed_out"`
}

// DeploymentLatency is the latency of the requests completed during a
// deployment, in ms (0 when none completed).
type DeploymentLatency struct {
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func buildDeployments(r *sim.Result, fargate bool) []Deployment {
	var out []Deployment
	for _, d := range r.Deployments {
		row := Deployment{AtS: round(d.At.Seconds(), 3), EndS: round(d.End.Seconds(), 3), DurationS: round(d.Duration().Seconds(), 3),
			Outcome: d.Outcome, MinHealthy: d.MinHealthyPercent, MaxPercent: d.MaxPercent, Desired: d.Desired, DesiredEnd: d.DesiredEnd,
			PeakTasks: d.PeakTasks, MinHealthyTasks: d.MinHealthy, TasksStarted: d.TasksStarted, TasksStopped: d.TasksStopped,
			TaskSeconds: round(d.TaskSeconds, 3), DesiredTaskSeconds: round(d.DesiredTaskSeconds, 3),
			ExtraTaskSeconds: round(d.TaskSeconds-d.DesiredTaskSeconds, 3),
			Requests:         DeploymentRequests{Completed: d.Completed, Rejected: d.Rejected, TimedOut: d.TimedOut},
			LatencyMs:        DeploymentLatency{P50: round(d.P50Ms, 3), P99: round(d.P99Ms, 3), Max: round(d.MaxMs, 3)}}
		if !fargate {
			peak, launched := d.PeakInstances, d.InstancesLaunched
			row.PeakInstances, row.InstancesLaunched = &peak, &launched
		}
		out = append(out, row)
	}
	return out
}

// deploymentsLine is the terminal summary's line of a run's deployments.
func deploymentsLine(ds []Deployment) string {
	var parts []string
	for _, d := range ds {
		took := "took " + humanize.Sig(d.DurationS) + " s"
		switch d.Outcome {
		case sim.DeploymentSuperseded:
			took = "superseded after " + humanize.Sig(d.DurationS) + " s"
		case sim.DeploymentInProgress:
			took = "still in progress at the end"
		}
		at := humanize.Duration(time.Duration(d.AtS * float64(time.Second)))
		desired := fmt.Sprint(d.Desired)
		if d.DesiredEnd != d.Desired {
			desired += "→" + fmt.Sprint(d.DesiredEnd)
		}
		s := fmt.Sprintf("at %s %s, peak %d tasks (desired %s), %s extra task-seconds", at, took, d.PeakTasks, desired, humanize.Sig(d.ExtraTaskSeconds))
		if d.InstancesLaunched != nil && *d.InstancesLaunched > 0 {
			s += fmt.Sprintf(", %d instances launched", *d.InstancesLaunched)
		}
		s += ", p99 " + humanize.Millis(d.LatencyMs.P99)
		if errs := d.Requests.Rejected + d.Requests.TimedOut; errs > 0 {
			s += ", " + humanize.Int(errs) + " errors"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// deploymentRow is one deployment's line of the report's deployment table.
type deploymentRow struct {
	Name, At, Outcome, Config, Tasks, Instances, Extra, P99, Errors string
}

// deploymentsView is the deployment table of the runs among docs (nil:
// none has a deployment).
func deploymentsView(docs []*Document) []deploymentRow {
	var out []deploymentRow
	for _, d := range docs {
		for _, x := range d.Summary.Deployments {
			outcome := humanize.Sig(x.DurationS) + " s"
			switch x.Outcome {
			case sim.DeploymentSuperseded:
				outcome = "superseded after " + outcome
			case sim.DeploymentInProgress:
				outcome = "in progress at the end"
			}
			inst := "—"
			if x.InstancesLaunched != nil {
				inst = strconv.Itoa(*x.InstancesLaunched) + " launched, " + strconv.Itoa(*x.PeakInstances) + " at the peak"
			}
			out = append(out, deploymentRow{Name: pageTitle(d), At: humanize.Duration(time.Duration(x.AtS * float64(time.Second))), Outcome: outcome,
				Config:    strconv.Itoa(x.MinHealthy) + " % / " + strconv.Itoa(x.MaxPercent) + " %",
				Tasks:     strconv.Itoa(x.PeakTasks) + " / " + strconv.Itoa(x.MinHealthyTasks) + " (desired " + strconv.Itoa(x.Desired) + ")",
				Instances: inst, Extra: humanize.Sig(x.ExtraTaskSeconds), P99: humanize.Millis(x.LatencyMs.P99),
				Errors: humanize.Int(x.Requests.Rejected + x.Requests.TimedOut)})
		}
	}
	return out
}

// The deployment table's template, under the task table; nothing without
// a deployment.
func init() {
	template.Must(reportTemplates.New("deploy-templates").Parse(`
{{- define "deployments" -}}
{{- if . }}
<h3>ECS deployments</h3>
<table class="tasks">
<thead><tr><th>run</th><th>at</th><th>took</th><th title="minimumHealthyPercent / maximumPercent">min healthy / max</th><th title="most tasks running or pending / fewest healthy">peak / fewest healthy tasks</th><th>instances</th><th title="task-seconds the tasks held above the desired count during it">extra task-s</th><th title="of the requests completed during it">p99</th><th title="requests rejected or timed out during it">errors</th></tr></thead>
<tbody>
{{- range .}}
<tr><td class="name">{{.Name}}</td><td>{{.At}}</td><td>{{.Outcome}}</td><td>{{.Config}}</td><td>{{.Tasks}}</td><td>{{.Instances}}</td><td>{{.Extra}}</td><td>{{.P99}}</td><td>{{.Errors}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- end}}
`))
}
