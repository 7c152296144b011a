package reports

import (
	"fmt"
	"strconv"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/internal/safetext"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// Tasks summarises an ECS service's tasks (docs/ecs.md): the most and the
// time-average RUNNING, the task-seconds spent PENDING for lack of
// capacity, and what the same tasks cost, or would cost, on Fargate.
type Tasks struct {
	PeakRunning          int     `json:"peak_running"`
	MeanRunning          float64 `json:"mean_running"`
	PendingTaskSeconds   float64 `json:"pending_task_seconds"`
	FargateEquivalentUSD float64 `json:"fargate_equivalent_usd"`
}

// RowECS holds a minute's task and cluster columns; a Row embeds it only
// in an ECS run, so other runs' JSON is unchanged.
type RowECS struct {
	TasksRunning int `json:"tasks_running"`
	TasksPending int `json:"tasks_pending"`
	// CapacityProviderReservation is null on Fargate.
	CapacityProviderReservation *float64 `json:"capacity_provider_reservation"`
	ReservedCPUUnits            int      `json:"reserved_cpu_units"`
	RegisteredCPUUnits          int      `json:"registered_cpu_units"`
	ReservedMemoryMiB           int      `json:"reserved_memory_mib"`
	RegisteredMemoryMiB         int      `json:"registered_memory_mib"`
	// CapacityProviders is each provider's minute when the service has
	// several (docs/ecs.md, "Several capacity providers"); the CSV has them
	// as cp_<name>_… columns at the end (providerCSVHeader).
	CapacityProviders []ProviderRow `json:"capacity_providers,omitempty"`
}

// ProviderRow is one capacity provider's minute.
type ProviderRow struct {
	Name                        string  `json:"name"`
	CapacityProviderReservation float64 `json:"capacity_provider_reservation"`
	InService                   int     `json:"in_service"`
	Pending                     int     `json:"pending"`
	Desired                     int     `json:"desired"`
	TasksRunning                int     `json:"tasks_running"`
	TasksPending                int     `json:"tasks_pending"`
}

// ecsCSVHeader are the columns an ECS run's CSV adds after CSVHeader.
var ecsCSVHeader = []string{"tasks_running", "tasks_pending", "capacity_provider_reservation",
	"reserved_cpu_units", "registered_cpu_units", "reserved_memory_mib", "registered_memory_mib"}

// providerCSVColumns are the columns each capacity provider adds at the
// end of the CSV of a run with several, as cp_<name>_<column>, in strategy
// order; csv writes a provider's values in this order.
var providerCSVColumns = []string{"reservation", "in_service", "pending", "desired", "tasks_running", "tasks_pending"}

// providerCSVHeader names the columns of the providers in row.
func providerCSVHeader(row *RowECS) []string {
	var out []string
	for _, p := range row.CapacityProviders {
		for _, c := range providerCSVColumns {
			out = append(out, "cp_"+p.Name+"_"+c)
		}
	}
	return out
}

func (p *ProviderRow) csv() []string {
	a := strconv.Itoa
	return []string{strconv.FormatFloat(p.CapacityProviderReservation, 'f', -1, 64), a(p.InService), a(p.Pending), a(p.Desired),
		a(p.TasksRunning), a(p.TasksPending)}
}

func buildTasks(in Input, r *sim.Result) *Tasks {
	t := r.TaskSummary
	if t == nil {
		return nil
	}
	return &Tasks{PeakRunning: t.PeakRunning, MeanRunning: round(t.MeanRunning, 3),
		PendingTaskSeconds: round(t.PendingTaskSeconds, 3), FargateEquivalentUSD: round(in.Bill.FargateEquivalentUSD, 6)}
}

// rowECS is a minute's ECS columns; fargate says there is no cluster.
func rowECS(m *sim.ECSMinute, fargate bool) *RowECS {
	if m == nil {
		return nil
	}
	out := &RowECS{TasksRunning: m.TasksRunning, TasksPending: m.TasksPending,
		ReservedCPUUnits: m.ReservedCPU, RegisteredCPUUnits: m.RegisteredCPU,
		ReservedMemoryMiB: m.ReservedMiB, RegisteredMemoryMiB: m.RegisteredMiB}
	if !fargate {
		v := round(m.Reservation, 3)
		out.CapacityProviderReservation = &v
	}
	for _, p := range m.Providers {
		out.CapacityProviders = append(out.CapacityProviders, ProviderRow{Name: p.Name, CapacityProviderReservation: round(p.Reservation, 3),
			InService: p.InService, Pending: p.Pending, Desired: p.Desired, TasksRunning: p.TasksRunning, TasksPending: p.TasksPending})
	}
	return out
}

func (e *RowECS) csv() []string {
	res := ""
	if e.CapacityProviderReservation != nil {
		res = strconv.FormatFloat(*e.CapacityProviderReservation, 'f', -1, 64)
	}
	a := strconv.Itoa
	return []string{a(e.TasksRunning), a(e.TasksPending), res, a(e.ReservedCPUUnits), a(e.RegisteredCPUUnits),
		a(e.ReservedMemoryMiB), a(e.RegisteredMemoryMiB)}
}

// The Fargate cost lines take their place after the instance lines (kept
// here, beside the rest of the ECS report, rather than in html_charts.go).
func init() {
	lineOrder = append(lineOrder, pricing.LineFargate, pricing.LineFargateSpot)
	lineLabels[pricing.LineFargate] = "Fargate"
	lineLabels[pricing.LineFargateSpot] = "Fargate Spot"
}

// ECSRow is an ECS run's extra comparison numbers: why one way of running
// the service costs what it does — tasks waiting for instances, and paid
// capacity nobody used.
type ECSRow struct {
	MeanRunning          float64 `json:"mean_running"`
	PendingTaskSeconds   float64 `json:"pending_task_seconds"`
	IdleShare            float64 `json:"idle_share"`
	FargateEquivalentUSD float64 `json:"fargate_equivalent_usd"`
}

func ecsRowOf(s Summary) *ECSRow {
	if s.Tasks == nil {
		return nil
	}
	return &ECSRow{MeanRunning: s.Tasks.MeanRunning, PendingTaskSeconds: s.Tasks.PendingTaskSeconds,
		IdleShare: s.Cost.Idle.IdleShare, FargateEquivalentUSD: s.Tasks.FargateEquivalentUSD}
}

// ecsNotes are the lines a comparison of ECS runs adds under its table,
// one a run, in words (none when no run is an ECS service).
func ecsNotes(c *Comparison) []string {
	var out []string
	for _, r := range c.Table {
		e := r.ECS
		if e == nil {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %s tasks running on average, %s task-seconds pending for capacity, %s of paid vCPU time idle; the same tasks on Fargate %s",
			safetext.Line(r.Name), humanize.Sig(e.MeanRunning), humanize.Sig(e.PendingTaskSeconds), humanize.Percent(e.IdleShare), humanize.USD(e.FargateEquivalentUSD)))
	}
	return out
}
