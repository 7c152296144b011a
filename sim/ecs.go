package sim

import (
	"math/rand/v2"
	"slices"
)

// ECSConfig makes the run an Amazon ECS service (docs/ecs.md): Config.Fleet
// then describes the service's tasks — the load balancer's targets, with
// worker slots and a queue each, scaled by the service's policies
// (Config.Scalers) — and ECSConfig where they run: on the instances of an
// EC2 cluster (Hosts, scaled by a capacity provider's managed scaling or
// fixed), or on Fargate.
type ECSConfig struct {
	Fargate bool
	// The task definition's task-level reservation: CPU units (1024 = one
	// vCPU) and memory in MiB. Placement never overcommits either.
	TaskCPU, TaskMemoryMiB int
	// Placement strategies, in order, and the distinctInstance constraint
	// (EC2 only).
	Placement        []PlacementStrategy
	DistinctInstance bool

	// EC2: the cluster's instances (the capacity provider's Auto Scaling
	// group). Provider nil: a fixed cluster of Hosts.Desired instances.
	Hosts    HostGroup
	Provider *ManagedScaling

	// Fargate: the time Fargate takes to provision a task's capacity,
	// before the task's own start time.
	Provisioning Dist
}

// HostGroup is the Auto Scaling group whose instances host the tasks.
type HostGroup struct {
	Type             InstanceType
	Min, Max         int
	Desired          int
	BootTime         Dist // launch → registered with the cluster, seconds
	Zones            int
	UnitsPerInstance int // CPU units an instance registers (VCPU × 1024)
	MiBPerInstance   int // memory it registers, MiB
}

// host is one container instance.
type host struct {
	zone             int32
	cpuFree, memFree int
	tasks            int
	ready            bool // registered with the cluster: tasks can be placed
	gone             bool // terminated
	scaledOut        bool // launched by a scale-out (its warm-up counts)
	launch, end      Time
	busy             float64 // vCPU-seconds its tasks spent serving requests
}

// ecsState is the cluster side of an ECS run: instances, which task runs
// where, the tasks waiting for capacity, the capacity provider's metric.
type ecsState struct {
	cfg      *ECSConfig
	hosts    []host
	desired  int
	taskHost []int32  // by task id: its instance, -1 while none
	ranOn    []int32  // by task id: the instance it was placed on, -1 never
	placedAt []Time   // by task id: placed (Fargate: provisioned), -1 never
	started  []Time   // by task id: RUNNING, -1 never
	waiting  []int32  // tasks PENDING for lack of capacity, oldest first
	waitFrom []Time   // by task id: when it began waiting
	ps       []psTask // by task id: processor sharing of its CPU (sim/ps.go)
	// pendingSeconds is the task-seconds spent waiting for capacity.
	pendingSeconds float64
	zoneTasks      []int
	zoneHosts      []int // active instances per zone
	history        []float64
	rng            *rand.Rand
	cands          []slot // scratch
}

func newECS(cfg *Config) *ecsState {
	c := cfg.ECS
	zones := max(1, cfg.Fleet.Zones)
	return &ecsState{cfg: c, zoneTasks: make([]int, zones), zoneHosts: make([]int, zones),
		desired: c.Hosts.Desired, rng: NewRand(cfg.Seed, StreamPlacement)}
}

// ecsInit builds the cluster before t = 0: its instances registered, the
// service's initial tasks placed and running where they fit.
func (e *engine) ecsInit() {
	s := e.ecs
	if !s.cfg.Fargate {
		for i := 0; i < s.desired; i++ {
			h := e.launchHost(false)
			s.hosts[h].ready = true
		}
	}
	for i := 0; i < e.cfg.Fleet.Desired; i++ {
		id := e.launch()
		e.track(id)
		if s.cfg.Fargate || e.placeTask(id) {
			s.placedAt[id], s.started[id] = 0, 0
			e.enterService(id, false)
			continue
		}
		s.waiting = append(s.waiting, id)
		s.waitFrom[id] = 0
	}
}

// track grows the per-task slices to hold task id, and sets how the new
// task shares its CPU.
func (e *engine) track(id int32) {
	s := e.ecs
	in := &e.fleet.inst[id]
	in.cpuCap = float64(s.cfg.TaskCPU) / 1024
	in.ps = in.cpuCap < float64(in.slots)
	s.grow(id)
}

func (s *ecsState) grow(id int32) {
	for int(id) >= len(s.taskHost) {
		s.taskHost = append(s.taskHost, -1)
		s.ranOn = append(s.ranOn, -1)
		s.placedAt = append(s.placedAt, -1)
		s.started = append(s.started, -1)
		s.waitFrom = append(s.waitFrom, -1)
		s.ps = append(s.ps, psTask{next: -1})
	}
}

// ecsStart replaces scheduleBoot for a task: Fargate provisions it; on
// EC2 it is placed, or waits PENDING for capacity.
func (e *engine) ecsStart(id int32) {
	s := e.ecs
	e.track(id)
	if s.cfg.Fargate {
		prov := FromSeconds(s.cfg.Provisioning.Sample(e.bootRng))
		s.placedAt[id] = e.now + prov
		e.q.push(event{at: e.now + prov + FromSeconds(e.cfg.Fleet.BootTime.Sample(e.bootRng)), kind: evBooted, inst: id})
		return
	}
	if e.placeTask(id) {
		e.startTask(id)
		return
	}
	s.waiting = append(s.waiting, id)
	s.waitFrom[id] = e.now
}

// startTask: a placed task pulls its image and starts.
func (e *engine) startTask(id int32) {
	e.ecs.placedAt[id] = e.now
	e.q.push(event{at: e.now + FromSeconds(e.cfg.Fleet.BootTime.Sample(e.bootRng)), kind: evBooted, inst: id})
}

// placeTask places task id on an instance, if one fits.
func (e *engine) placeTask(id int32) bool {
	s := e.ecs
	s.cands = s.cands[:0]
	for h := range s.hosts {
		if hs := &s.hosts[h]; hs.ready && !hs.gone {
			s.cands = append(s.cands, slot{id: int32(h), zone: hs.zone, cpuFree: hs.cpuFree, memFree: hs.memFree, tasks: hs.tasks})
		}
	}
	i := placeTask(s.cands, s.cfg.TaskCPU, s.cfg.TaskMemoryMiB, s.cfg.DistinctInstance, s.cfg.Placement, s.zoneTasks, s.rng)
	if i < 0 {
		return false
	}
	h := s.cands[i].id
	hs := &s.hosts[h]
	hs.cpuFree -= s.cfg.TaskCPU
	hs.memFree -= s.cfg.TaskMemoryMiB
	hs.tasks++
	s.taskHost[id], s.ranOn[id] = h, h
	s.zoneTasks[hs.zone]++
	// The task lives in its instance's zone.
	in := &e.fleet.inst[id]
	e.fleet.zoneActive[in.zone]--
	in.zone = hs.zone
	e.fleet.zoneActive[in.zone]++
	return true
}

// placeWaiting places the tasks waiting for capacity, oldest first.
func (e *engine) placeWaiting() {
	s := e.ecs
	kept := s.waiting[:0]
	for _, id := range s.waiting {
		if e.placeTask(id) {
			s.pendingSeconds += (e.now - s.waitFrom[id]).Seconds()
			s.waitFrom[id] = -1
			e.startTask(id)
			continue
		}
		kept = append(kept, id)
	}
	s.waiting = kept
}

// ecsTaskGone frees what a stopping task held.
func (e *engine) ecsTaskGone(id int32) {
	s := e.ecs
	if s.waitFrom[id] >= 0 {
		s.pendingSeconds += (e.now - s.waitFrom[id]).Seconds()
		s.waitFrom[id] = -1
		s.waiting = slices.DeleteFunc(s.waiting, func(t int32) bool { return t == id })
	}
	s.ps[id] = psTask{next: -1}
	h := s.taskHost[id]
	if h < 0 {
		return
	}
	hs := &s.hosts[h]
	hs.cpuFree += s.cfg.TaskCPU
	hs.memFree += s.cfg.TaskMemoryMiB
	hs.tasks--
	s.zoneTasks[hs.zone]--
	s.taskHost[id] = -1
	if len(s.waiting) > 0 {
		e.placeWaiting()
	}
}

// ecsVictim chooses the task a service scale-in stops: one still waiting
// for capacity (the newest), else one still starting, else the running
// task the first placement strategy would stop.
func (e *engine) ecsVictim() int32 {
	s := e.ecs
	if n := len(s.waiting); n > 0 {
		return s.waiting[n-1]
	}
	var ids []int32
	var tasks []slot
	for _, id := range e.fleet.live {
		if in := &e.fleet.inst[id]; in.state == pending && !in.protected {
			return id
		}
	}
	for _, id := range e.fleet.live {
		in := &e.fleet.inst[id]
		if !in.state.active() || in.protected {
			continue
		}
		sl := slot{id: id, zone: in.zone}
		if h := s.taskHost[id]; h >= 0 {
			hs := &s.hosts[h]
			sl.cpuFree, sl.memFree, sl.tasks = hs.cpuFree+s.cfg.TaskCPU, hs.memFree+s.cfg.TaskMemoryMiB, hs.tasks
		}
		ids = append(ids, id)
		tasks = append(tasks, sl)
	}
	if len(ids) == 0 {
		return -1
	}
	strategies := s.cfg.Placement
	if s.cfg.Fargate {
		strategies = []PlacementStrategy{{Type: Spread, Field: FieldZone}}
	}
	return ids[stopChoice(tasks, strategies, s.zoneTasks, e.termRng)]
}

// launchHost starts a new container instance in the zone with the fewest.
func (e *engine) launchHost(scaledOut bool) int32 {
	s := e.ecs
	zone := 0
	for z := 1; z < len(s.zoneHosts); z++ {
		if s.zoneHosts[z] < s.zoneHosts[zone] {
			zone = z
		}
	}
	s.zoneHosts[zone]++
	g := s.cfg.Hosts
	s.hosts = append(s.hosts, host{zone: int32(zone), cpuFree: g.UnitsPerInstance, memFree: g.MiBPerInstance,
		launch: e.now, scaledOut: scaledOut})
	e.meter.res.Launches++
	return int32(len(s.hosts) - 1)
}

// hostReady: an instance registered with the cluster; waiting tasks go on it.
func (e *engine) hostReady(h int32) {
	hs := &e.ecs.hosts[h]
	if hs.gone {
		return
	}
	hs.ready = true
	e.placeWaiting()
}

// terminateHost ends an instance; the tasks still on it stop, and the
// service replaces them.
func (e *engine) terminateHost(h int32) {
	s := e.ecs
	hs := &s.hosts[h]
	hs.gone, hs.ready, hs.end = true, false, e.now
	s.zoneHosts[hs.zone]--
	e.meter.res.Terminations++
	if hs.tasks == 0 {
		return
	}
	for _, id := range slices.Clone(e.fleet.live) {
		if s.taskHost[id] == h {
			e.terminate(id)
		}
	}
	for n := e.fleet.active(); n < e.asg.desired; n++ {
		e.scheduleBoot(e.launch())
	}
}

// ecsMinute is the capacity provider's minute: the reservation metric and,
// with managed scaling, the group's desired capacity.
func (e *engine) ecsMinute() {
	s := e.ecs
	if s.cfg.Fargate {
		return
	}
	var n, nonEmpty int
	warming := false
	for i := range s.hosts {
		hs := &s.hosts[i]
		if hs.gone {
			continue
		}
		if s.cfg.Provider != nil && hs.scaledOut && e.now < hs.launch+s.cfg.Provider.Warmup {
			warming = true
		}
		if !hs.ready {
			continue
		}
		n++
		if hs.tasks > 0 {
			nonEmpty++
		}
	}
	need := make([][2]int, len(s.waiting))
	for i := range need {
		need[i] = [2]int{s.cfg.TaskCPU, s.cfg.TaskMemoryMiB}
	}
	g := s.cfg.Hosts
	m := instancesNeeded(n, nonEmpty, need, g.UnitsPerInstance, g.MiBPerInstance, s.cfg.DistinctInstance)
	s.history = append(s.history, reservation(m, n))
	if s.cfg.Provider == nil {
		return
	}
	want, reason := managedDesired(*s.cfg.Provider, s.history, n, s.desired, warming)
	want = min(max(want, g.Min), g.Max)
	if want == s.desired {
		e.setHosts() // instances protected at the last scale-in may be empty now
		return
	}
	e.meter.res.Activities = append(e.meter.res.Activities, Activity{Time: e.now, Policy: "capacity_provider",
		From: s.desired, To: want, Reason: reason + " (instances)"})
	s.desired = want
	e.setHosts()
}

// setHosts launches or terminates instances to match the group's desired
// capacity. With managed termination protection only instances without
// tasks terminate (booting ones first); without it, the emptiest do.
func (e *engine) setHosts() {
	s := e.ecs
	live := 0
	for i := range s.hosts {
		if !s.hosts[i].gone {
			live++
		}
	}
	for ; live < s.desired; live++ {
		h := e.launchHost(true)
		e.q.push(event{at: e.now + FromSeconds(s.cfg.Hosts.BootTime.Sample(e.bootRng)), kind: evHostReady, inst: h})
	}
	protect := s.cfg.Provider != nil && s.cfg.Provider.TerminationProtection
	for ; live > s.desired; live-- {
		v := int32(-1)
		for i := len(s.hosts) - 1; i >= 0; i-- {
			hs := &s.hosts[i]
			if hs.gone || (protect && hs.tasks > 0) {
				continue
			}
			if v < 0 || !hs.ready && s.hosts[v].ready || hs.tasks < s.hosts[v].tasks {
				v = int32(i)
			}
		}
		if v < 0 {
			break
		}
		e.terminateHost(v)
	}
}
