package sim

import "sort"

// TaskRecord is one ECS task's life, for billing and reports. Placed is
// when it got capacity (Fargate: when its capacity was provisioned), the
// start of Fargate billing; Started when it was RUNNING; Stopped when it
// stopped (the run's end when still running). A time of -1: never.
type TaskRecord struct {
	ID              int
	Launch          Time // the service asked for it
	Placed, Started Time
	// InService is when it passed its health checks, Deregistered when it
	// left the load balancer (drained, or stopped while in service).
	InService, Deregistered Time
	Stopped                 Time
	Host                    int // the instance it ran on; -1 on Fargate or never placed
	CPU, MemoryMiB          int // its reservation: CPU units, MiB
	Fargate                 bool
	Spot                    bool // Fargate Spot
	BusyVCPUSeconds         float64
}

// TaskSummary is the run's tasks in three numbers (docs/ecs.md).
type TaskSummary struct {
	PeakRunning int
	MeanRunning float64
	// PendingTaskSeconds is the task-seconds spent PENDING for lack of
	// capacity (not counting image pull and start).
	PendingTaskSeconds float64
}

// ECSMinute is the cluster's side of a minute row.
type ECSMinute struct {
	TasksRunning int
	TasksPending int
	// Reservation is CapacityProviderReservation at the minute's end (EC2);
	// with several capacity providers, the highest of theirs.
	Reservation float64
	// CPU units and MiB reserved by tasks, and registered by the cluster's
	// instances, at the minute's end (EC2).
	ReservedCPU, RegisteredCPU int
	ReservedMiB, RegisteredMiB int
	// Providers is each capacity provider's minute, in strategy order,
	// when the service has several (nil with one: the row is its).
	Providers []ProviderMinute
}

// ProviderMinute is one capacity provider's side of a minute row.
type ProviderMinute struct {
	Name string
	// Reservation is its CapacityProviderReservation.
	Reservation float64
	// Its group's instances: registered (in service), booting, desired.
	InService, Pending, Desired int
	// The service's tasks on it: RUNNING, and PENDING (waiting for its
	// capacity or starting).
	TasksRunning, TasksPending int
}

// slotVCPU is the vCPUs behind one slot-second of a task's busyArea:
// accrue books the CPU used (sharedUse) as a share of the task's slots.
func (c *ECSConfig) slotVCPU(workers int) float64 {
	return float64(c.TaskCPU) / 1024 / float64(workers)
}

// ecsRow fills the minute row's task columns; the instance columns count
// the cluster's container instances (none on Fargate).
func (e *engine) ecsRow(row *MinuteRow) {
	s := e.ecs
	f := &e.fleet
	m := &ECSMinute{TasksRunning: f.count[registering] + f.count[inService] + f.count[draining], TasksPending: f.count[pending]}
	row.InService, row.Pending, row.Desired = 0, 0, 0
	if !s.cfg.Fargate {
		e.clusterRow(row, m)
	}
	row.ECS = m
	// CPU % is the service's: CPU used ÷ CPU reserved by its tasks in
	// service (the engine's busy slots count requests, not CPU).
	// Tasks that stopped during the minute count for the part they ran.
	busy := f.goneMinuteBusy
	f.goneMinuteBusy = 0
	for _, id := range f.live {
		in := &f.inst[id]
		in.accrue(e.now)
		busy += in.busyArea - in.minuteArea
		in.minuteArea = in.busyArea
	}
	row.CPUPercent = 0
	if c := e.meter.capArea - e.meter.minuteCap; c > 0 {
		row.CPUPercent = busy.Seconds() / c * 100
		if !s.cfg.CPUShares {
			row.CPUPercent = min(100, row.CPUPercent) // a task-level limit: used never exceeds reserved
		}
	}
}

// clusterRow fills the instance columns and the cluster's capacity, and
// with several capacity providers each provider's minute.
func (e *engine) clusterRow(row *MinuteRow, m *ECSMinute) {
	s := e.ecs
	several := len(s.groups) > 1
	if several {
		m.Providers = make([]ProviderMinute, len(s.groups))
		for g := range s.groups {
			m.Providers[g].Name = s.groups[g].cfg.Name
		}
	}
	for g := range s.groups {
		gs := &s.groups[g]
		row.Desired += gs.desired
		if n := len(gs.history); n > 0 {
			m.Reservation = max(m.Reservation, gs.history[n-1])
			if several {
				m.Providers[g].Reservation = gs.history[n-1]
			}
		}
		if several {
			m.Providers[g].Desired = gs.desired
		}
	}
	for i := range s.hosts {
		hs := &s.hosts[i]
		if hs.gone {
			continue
		}
		var p *ProviderMinute
		if several {
			p = &m.Providers[hs.group]
		}
		if !hs.ready {
			row.Pending++
			if p != nil {
				p.Pending++
			}
			continue
		}
		row.InService++
		if p != nil {
			p.InService++
		}
		g := &s.groups[hs.group].cfg.Hosts
		m.RegisteredCPU += g.UnitsPerInstance
		m.RegisteredMiB += g.MiBPerInstance
		m.ReservedCPU += g.UnitsPerInstance - hs.cpuFree
		m.ReservedMiB += g.MiBPerInstance - hs.memFree
	}
	if !several {
		return
	}
	f := &e.fleet
	for _, id := range f.live {
		p := &m.Providers[s.taskProv[id]]
		switch f.inst[id].state {
		case pending:
			p.TasksPending++
		case registering, inService, draining:
			p.TasksRunning++
		}
	}
}

// ecsFinish records the tasks and the cluster's instances (what EC2
// bills), and the task summary.
func (e *engine) ecsFinish() {
	s := e.ecs
	r := e.meter.res
	cfg := s.cfg
	slotVCPU := cfg.slotVCPU(e.cfg.Fleet.Type.VCPU)
	for id := range e.fleet.inst {
		in := &e.fleet.inst[id]
		if in.state != terminated {
			in.accrue(e.end)
		}
		if w := s.waitFrom[id]; w >= 0 {
			s.pendingSeconds += (e.end - w).Seconds()
			s.waitFrom[id] = -1
		}
		stop := e.end
		if in.state == terminated {
			stop = min(in.terminatedAt, e.end)
		}
		busy := in.busyArea.Seconds() * slotVCPU
		served := Time(-1)
		if s.deregAt[id] >= 0 || in.state == inService {
			served = in.inServiceAt
		}
		rec := TaskRecord{ID: id, Launch: in.launch, Placed: s.placedAt[id], Started: s.started[id], InService: served,
			Deregistered: s.deregAt[id], Stopped: stop,
			Host: int(s.ranOn[id]), CPU: cfg.TaskCPU, MemoryMiB: cfg.TaskMemoryMiB, Fargate: cfg.Fargate, Spot: in.spot, BusyVCPUSeconds: busy}
		if rec.Placed > e.end {
			rec.Placed = -1 // provisioning still under way at the end
		}
		if rec.Host >= 0 {
			s.hosts[rec.Host].busy += busy
		}
		r.Tasks = append(r.Tasks, rec)
	}
	var busy float64
	for id := range e.fleet.inst {
		busy += e.fleet.inst[id].busyArea.Seconds()
	}
	if e.meter.capArea > 0 {
		r.MeanCPU = busy / e.meter.capArea * 100
	}
	if len(cfg.Deployments) > 0 {
		e.deployFinish()
	}
	r.TaskSummary = summarizeTasks(r.Tasks, e.end)
	r.TaskSummary.PendingTaskSeconds = s.pendingSeconds
	// The instance summary counts container instances.
	r.PeakInService, r.MeanInService = 0, 0
	var events []struct {
		at Time
		d  int
	}
	for i := range s.hosts {
		hs := &s.hosts[i]
		g := &s.groups[hs.group].cfg.Hosts
		end := e.end
		if hs.gone {
			end = hs.end
		}
		opt := "on_demand"
		if hs.spot {
			opt = "spot"
		}
		provider := ""
		if len(s.groups) > 1 {
			provider = s.groups[hs.group].cfg.Name
		}
		r.Instances = append(r.Instances, InstanceRecord{
			ID: i, Type: g.Type.Name, Zone: int(hs.zone), Launch: hs.launch, InService: hs.launch, Terminated: end,
			Running: !hs.gone, PurchaseOption: opt, Interrupted: hs.interrupted && hs.gone, VCPU: g.Type.VCPU, BusySeconds: hs.busy,
			Provider: provider,
		})
		events = append(events, struct {
			at Time
			d  int
		}{hs.launch, 1}, struct {
			at Time
			d  int
		}{end, -1})
		r.MeanInService += (end - hs.launch).Seconds() / e.end.Seconds()
	}
	r.PeakInService = peakOf(len(events), func(i int) (Time, int) { return events[i].at, events[i].d })
	r.Providers = e.providerSummaries()
}

// summarizeTasks is the peak and time-average of tasks RUNNING.
func summarizeTasks(tasks []TaskRecord, end Time) *TaskSummary {
	var ts []TaskRecord
	for _, t := range tasks {
		if t.Started >= 0 && t.Started < end {
			ts = append(ts, t)
		}
	}
	sum := &TaskSummary{}
	for _, t := range ts {
		sum.MeanRunning += (t.Stopped - t.Started).Seconds() / end.Seconds()
	}
	sum.PeakRunning = peakOf(2*len(ts), func(i int) (Time, int) {
		if i%2 == 0 {
			return ts[i/2].Started, 1
		}
		return ts[i/2].Stopped, -1
	})
	return sum
}

// peakOf is the most items alive at once, given n (time, +1 | -1) changes;
// at equal times the ends go first.
func peakOf(n int, at func(i int) (Time, int)) int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sortInts(idx, func(a, b int) bool {
		ta, da := at(a)
		tb, db := at(b)
		if ta != tb {
			return ta < tb
		}
		return da < db
	})
	cur, peak := 0, 0
	for _, i := range idx {
		_, d := at(i)
		cur += d
		peak = max(peak, cur)
	}
	return peak
}

func sortInts(a []int, less func(a, b int) bool) {
	sort.SliceStable(a, func(i, j int) bool { return less(a[i], a[j]) })
}
