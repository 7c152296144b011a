package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// ECSConfig makes the run an Amazon ECS service (docs/ecs.md): Config.Fleet
// then describes the service's tasks — the load balancer's targets, with
// worker slots and a queue each, scaled by the service's policies
// (Config.Scalers) — and ECSConfig where they run: on the instances of an
// EC2 cluster (the Auto Scaling groups of its capacity providers, each
// scaled by its managed scaling or fixed), or on Fargate.
type ECSConfig struct {
	Fargate bool
	// The task definition's task-level reservation: CPU units (1024 = one
	// vCPU) and memory in MiB. Placement never overcommits either.
	TaskCPU, TaskMemoryMiB int
	// CPUShares makes TaskCPU container-level CPU shares rather than a
	// task-level limit (EC2 only): the task's requests may use its
	// instance's idle CPU, shared with the other tasks there in
	// proportion to their CPU units (sim/shares.go; docs/ecs.md, "Service
	// speed").
	CPUShares bool
	// MemoryUse, when set, is how much memory a task uses: the service
	// then publishes MetricMemory (sim/ecs_memory.go).
	MemoryUse *MemoryUse
	// Placement strategies, in order, and the distinctInstance constraint
	// (EC2 only).
	Placement        []PlacementStrategy
	DistinctInstance bool

	// EC2: the cluster's capacity providers, in the order of the
	// service's capacity provider strategy (sim/strategy.go). With one,
	// every task runs on its group and its strategy item does not matter.
	Providers []CapacityProvider

	// Fargate: the time Fargate takes to provision a task's capacity,
	// before the task's own start time.
	Provisioning Dist

	// Deployments are the service's rolling updates, in time order
	// (sim/ecs_deploy.go).
	Deployments []Deployment
}

// CapacityProvider is one Auto Scaling group capacity provider: its
// group, its managed scaling, and its item of the service's capacity
// provider strategy.
type CapacityProvider struct {
	Name  string // in activity reasons; "" for the single capacity_provider form
	Hosts HostGroup
	// Scaling is its managed scaling (ECS cluster auto scaling); nil: a
	// fixed group of Hosts.Desired instances.
	Scaling *ManagedScaling
	// Base and Weight are its capacityProviderStrategy item.
	Base, Weight int
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

	// Purchase options, as for an Auto Scaling group (FleetConfig):
	// OnDemandFor (nil: every instance on-demand) splits the group's
	// instances between on-demand and spot; EC2 reclaims each spot
	// instance at SpotInterruptionsPerHour with a 2-minute notice.
	OnDemandFor              func(total int) int
	SpotInterruptionsPerHour float64
	// CapacityRebalance launches the group's replacement at the notice.
	CapacityRebalance bool
	// SpotDraining is the agent's ECS_ENABLE_SPOT_INSTANCE_DRAINING (off by
	// default): at the notice the instance goes DRAINING, takes no new
	// tasks, and the service replaces its tasks at once; off, they run
	// until EC2 reclaims the instance (docs/ecs.md, "Spot instances").
	SpotDraining bool
}

// host is one container instance.
type host struct {
	zone             int32
	group            int32 // its capacity provider
	cpuFree, memFree int
	tasks            int
	ready            bool // registered with the cluster: tasks can be placed
	gone             bool // terminated
	scaledOut        bool // launched by a scale-out (its warm-up counts)
	spot             bool // a spot instance
	interrupted      bool // EC2 sent its interruption notice
	draining         bool // DRAINING: no new tasks are placed on it
	launch, end      Time
	busy             float64 // vCPU-seconds its tasks spent serving requests
	members          []int32 // the tasks placed on it (CPU shares: who shares its vCPUs)
}

// usable says tasks can be placed on the instance.
func (h *host) usable() bool { return h.ready && !h.gone && !h.draining }

// providerState is one capacity provider's side of the run: its group's
// desired capacity, its reservation metric, its tasks per zone.
type providerState struct {
	cfg       *CapacityProvider // nil on Fargate
	desired   int
	history   []float64 // CapacityProviderReservation, one a minute
	zoneTasks []int     // the service's tasks on its instances, per zone
	zoneHosts []int     // its active instances per zone
}

// ecsState is the cluster side of an ECS run: instances, which task runs
// where, the tasks waiting for capacity, the capacity providers' metrics.
type ecsState struct {
	cfg      *ECSConfig
	hosts    []host
	groups   []providerState // one per capacity provider (one on Fargate)
	items    []strategyItem  // the capacity provider strategy
	taskHost []int32         // by task id: its instance, -1 while none
	ranOn    []int32         // by task id: the instance it was placed on, -1 never
	taskProv []int32         // by task id: its capacity provider, -1 before it has one
	placedAt []Time          // by task id: placed (Fargate: provisioned), -1 never
	started  []Time          // by task id: RUNNING, -1 never
	deregAt  []Time          // by task id: left the load balancer, -1 never
	waiting  []int32         // tasks PENDING for lack of capacity, oldest first
	waitFrom []Time          // by task id: when it began waiting
	ps       []psTask        // by task id: processor sharing of its CPU (sim/ps.go)
	// by task id: the memory samples of the current metric period
	// (sim/ecs_memory.go)
	memSum []float64
	memN   []int32
	// pendingSeconds is the task-seconds spent waiting for capacity.
	pendingSeconds float64
	rng            *rand.Rand
	cands          []slot // scratch
	// scratch for sharing an instance's vCPUs (sim/shares.go)
	shareDemand, shareWeight, shareOut []float64
	counts                             []int // scratch: tasks per provider

	// Deployments (sim/ecs_deploy.go): rev counts those started, taskRev
	// is each task's revision (rev when it was launched), dep the one in
	// progress (nil: none).
	rev        int32
	taskRev    []int32
	dep        *deployRun
	deployHist *hdrhistogram.Histogram // reused by each deployment's latencies
}

// validate checks what the ECS side of the engine relies on; scenario
// files get positioned errors from package scenarios first.
func (c *ECSConfig) validate(cfg *Config) []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if c.Fargate {
		if len(c.Providers) > 0 {
			bad("ecs: Fargate has no Auto Scaling group capacity providers")
		}
		if c.MemoryUse != nil && (c.MemoryUse.BaseMiB < 0 || c.MemoryUse.PerRequestMiB < 0) {
			bad("ecs: memory use must not be negative")
		}
		if c.CPUShares {
			bad("ecs: Fargate has no CPU shares that burst: a Fargate task's cpu is always a task-level limit")
		}
		return append(errs, c.validateDeployments(cfg)...)
	}
	errs = append(errs, c.validateDeployments(cfg)...)
	if len(c.Providers) == 0 {
		bad("ecs: an EC2 service needs a capacity provider (its Auto Scaling group)")
	}
	if cfg.Fleet.OnDemandFor != nil {
		bad("ecs: on EC2 the tasks have no purchase option; spot applies to a capacity provider's group")
	}
	bases, weights := 0, 0
	for i, p := range c.Providers {
		h := p.Hosts
		if h.Min < 0 || h.Desired < h.Min || h.Max < h.Desired {
			bad("ecs: capacity provider %d needs 0 <= min <= desired <= max (got %d, %d, %d)", i, h.Min, h.Desired, h.Max)
		}
		if h.BootTime == nil || h.UnitsPerInstance <= 0 || h.MiBPerInstance <= 0 {
			bad("ecs: capacity provider %d needs a boot time and the CPU units and memory its instances register", i)
		}
		if h.Zones > max(1, cfg.Fleet.Zones) {
			bad("ecs: capacity provider %d spans %d zones, the tasks %d", i, h.Zones, cfg.Fleet.Zones)
		}
		if p.Base < 0 || p.Weight < 0 {
			bad("ecs: capacity provider %d: base and weight must not be negative", i)
		}
		if p.Base > 0 {
			bases++
		}
		weights += p.Weight
	}
	if len(c.Providers) > 1 && (bases > 1 || weights == 0) {
		bad("ecs: a capacity provider strategy takes a base on one provider at most and a weight above 0 on one at least")
	}
	return errs
}

func newECS(cfg *Config) *ecsState {
	c := cfg.ECS
	zones := max(1, cfg.Fleet.Zones)
	s := &ecsState{cfg: c, rng: NewRand(cfg.Seed, StreamPlacement)}
	if c.Fargate {
		s.groups = []providerState{{zoneTasks: make([]int, zones)}}
		s.items = []strategyItem{{weight: 1}}
	}
	for i := range c.Providers {
		p := &c.Providers[i]
		s.groups = append(s.groups, providerState{cfg: p, desired: p.Hosts.Desired,
			zoneTasks: make([]int, zones), zoneHosts: make([]int, max(1, p.Hosts.Zones))})
		s.items = append(s.items, strategyItem{base: p.Base, weight: p.Weight})
	}
	if len(s.items) == 1 {
		s.items[0] = strategyItem{weight: 1} // one provider takes every task
	}
	s.counts = make([]int, len(s.groups))
	return s
}

// ecsInit builds the cluster before t = 0: its instances registered, the
// service's initial tasks placed and running where they fit.
func (e *engine) ecsInit() {
	s := e.ecs
	if !s.cfg.Fargate {
		for g := range s.groups {
			for i := 0; i < s.groups[g].desired; i++ {
				h := e.launchHost(int32(g), false)
				s.hosts[h].ready = true
			}
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

// track grows the per-task slices to hold task id, sets how the new task
// shares its CPU, and gives it its capacity provider.
func (e *engine) track(id int32) {
	s := e.ecs
	in := &e.fleet.inst[id]
	in.cpuCap = float64(s.cfg.TaskCPU) / 1024
	in.cpuNow = in.cpuCap
	in.ps = in.cpuCap < float64(in.slots)
	// With no more workers than reserved vCPUs a task's requests always
	// have a whole vCPU each, shares or not: its share of a busy instance
	// is at least its reservation, as placement never overcommits.
	in.burst = s.cfg.CPUShares && in.ps
	s.grow(id)
	s.taskRev[id] = s.rev
	s.taskProv[id] = -1 // not counted among the providers' tasks
	p := 0
	if len(s.groups) > 1 {
		// In a deployment the strategy splits the new revision's tasks
		// (each deployment places its own).
		p = nextProvider(s.items, e.providerTasks(newTasks))
	}
	s.taskProv[id] = int32(p)
	if s.dep != nil {
		e.deployTaskStarted()
	}
}

// providerTasks counts the service's tasks that pass f on each capacity
// provider that make up its running count: pending or running, not
// stopping.
func (e *engine) providerTasks(f revFilter) []int {
	s := e.ecs
	clear(s.counts)
	for _, id := range e.fleet.live {
		if p := s.taskProv[id]; p >= 0 && e.fleet.inst[id].state.active() && s.is(id, f) {
			s.counts[p]++
		}
	}
	return s.counts
}

func (s *ecsState) grow(id int32) {
	for int(id) >= len(s.taskHost) {
		s.taskHost = append(s.taskHost, -1)
		s.ranOn = append(s.ranOn, -1)
		s.taskProv = append(s.taskProv, -1)
		s.taskRev = append(s.taskRev, 0)
		s.placedAt = append(s.placedAt, -1)
		s.started = append(s.started, -1)
		s.deregAt = append(s.deregAt, -1)
		s.waitFrom = append(s.waitFrom, -1)
		s.ps = append(s.ps, psTask{next: -1})
		s.memSum = append(s.memSum, 0)
		s.memN = append(s.memN, 0)
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
		e.q.push(event{at: e.now + prov + FromSeconds(e.taskStartTime(id).Sample(e.bootRng)), kind: evBooted, inst: id})
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
	e.q.push(event{at: e.now + FromSeconds(e.taskStartTime(id).Sample(e.bootRng)), kind: evBooted, inst: id})
}

// placeTask places task id on an instance of its capacity provider's
// group, if one fits.
func (e *engine) placeTask(id int32) bool {
	s := e.ecs
	g := s.taskProv[id]
	gs := &s.groups[g]
	s.cands = s.cands[:0]
	for h := range s.hosts {
		if hs := &s.hosts[h]; hs.group == g && hs.usable() {
			s.cands = append(s.cands, slot{id: int32(h), zone: hs.zone, cpuFree: hs.cpuFree, memFree: hs.memFree, tasks: hs.tasks})
		}
	}
	i := placeTask(s.cands, s.cfg.TaskCPU, s.cfg.TaskMemoryMiB, s.cfg.DistinctInstance, s.cfg.Placement, gs.zoneTasks, s.rng)
	if i < 0 {
		return false
	}
	h := s.cands[i].id
	hs := &s.hosts[h]
	hs.cpuFree -= s.cfg.TaskCPU
	hs.memFree -= s.cfg.TaskMemoryMiB
	hs.tasks++
	hs.members = append(hs.members, id)
	s.taskHost[id], s.ranOn[id] = h, h
	gs.zoneTasks[hs.zone]++
	// The task lives in its instance's zone and runs at its type's speed.
	in := &e.fleet.inst[id]
	e.fleet.zoneActive[in.zone]--
	in.zone = hs.zone
	e.fleet.zoneActive[in.zone]++
	if sp := gs.cfg.Hosts.Type.Speed; sp > 0 { // a type without a speed keeps the task's
		in.speed = sp
	}
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
	if s.dep != nil {
		e.deployTaskGone(id)
	}
	if s.waitFrom[id] >= 0 {
		s.pendingSeconds += (e.now - s.waitFrom[id]).Seconds()
		s.waitFrom[id] = -1
		s.waiting = slices.DeleteFunc(s.waiting, func(t int32) bool { return t == id })
	}
	h := s.taskHost[id]
	burst := h >= 0 && e.fleet.inst[id].burst
	if burst {
		e.hostSync(id) // its requests stop: the others' shares change
	}
	s.ps[id] = psTask{next: -1}
	if h < 0 {
		return
	}
	hs := &s.hosts[h]
	hs.members = slices.DeleteFunc(hs.members, func(t int32) bool { return t == id })
	hs.cpuFree += s.cfg.TaskCPU
	hs.memFree += s.cfg.TaskMemoryMiB
	hs.tasks--
	s.groups[hs.group].zoneTasks[hs.zone]--
	s.taskHost[id] = -1
	if burst {
		e.hostShare(h, -1)
	}
	if len(s.waiting) > 0 {
		e.placeWaiting()
	}
}

// ecsVictim chooses the task a service scale-in stops: with several
// capacity providers first the provider the strategy takes a task from
// (sim/strategy.go); then, of that provider's tasks, one still waiting for
// capacity (the newest), else one still starting, else the running task
// the first placement strategy would stop.
func (e *engine) ecsVictim() int32 { return e.ecsVictimOf(allTasks) }

// ecsVictimOf is ecsVictim among the tasks that pass f (a deployment
// stops the old revision's tasks, sim/ecs_deploy.go); -1 when none is
// active.
func (e *engine) ecsVictimOf(f revFilter) int32 {
	s := e.ecs
	prov := int32(0)
	if len(s.groups) > 1 {
		prov = int32(stopProvider(s.items, e.providerTasks(f)))
	}
	for i := len(s.waiting) - 1; i >= 0; i-- {
		if id := s.waiting[i]; s.taskProv[id] == prov && s.is(id, f) {
			return id
		}
	}
	var ids []int32
	var tasks []slot
	for _, id := range e.fleet.live {
		if in := &e.fleet.inst[id]; in.state == pending && !in.protected && s.taskProv[id] == prov && s.is(id, f) {
			return id
		}
	}
	for _, id := range e.fleet.live {
		in := &e.fleet.inst[id]
		if !in.state.active() || in.protected || s.taskProv[id] != prov || !s.is(id, f) {
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
	return ids[stopChoice(tasks, strategies, s.groups[prov].zoneTasks, e.termRng)]
}

// launchHost starts a new container instance of group g in the zone with
// the fewest of the group's.
func (e *engine) launchHost(g int32, scaledOut bool) int32 {
	s := e.ecs
	gs := &s.groups[g]
	zone := 0
	for z := 1; z < len(gs.zoneHosts); z++ {
		if gs.zoneHosts[z] < gs.zoneHosts[zone] {
			zone = z
		}
	}
	gs.zoneHosts[zone]++
	hg := &gs.cfg.Hosts
	s.hosts = append(s.hosts, host{zone: int32(zone), group: g, cpuFree: hg.UnitsPerInstance, memFree: hg.MiBPerInstance,
		launch: e.now, scaledOut: scaledOut})
	e.meter.res.Launches++
	h := int32(len(s.hosts) - 1)
	e.chooseHostPurchase(h)
	if s.dep != nil {
		e.deployHostLaunched()
	}
	return h
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
	s.groups[hs.group].zoneHosts[hs.zone]--
	e.meter.res.Terminations++
	if hs.tasks == 0 {
		return
	}
	for _, id := range slices.Clone(e.fleet.live) {
		if s.taskHost[id] == h {
			e.terminate(id)
		}
	}
	e.replaceTasks()
}

// replaceTasks starts tasks until the service runs its desired count.
func (e *engine) replaceTasks() {
	for n := e.fleet.active(); n < e.asg.desired; n++ {
		e.scheduleBoot(e.launch())
	}
}

// ecsMinute is the capacity providers' minute: each provider's
// reservation metric and, with managed scaling, its group's desired
// capacity.
func (e *engine) ecsMinute() {
	s := e.ecs
	if s.cfg.Fargate {
		return
	}
	for g := range s.groups {
		e.providerMinute(int32(g))
	}
}

func (e *engine) providerMinute(g int32) {
	s := e.ecs
	gs := &s.groups[g]
	ms := gs.cfg.Scaling
	var n, nonEmpty int
	warming := false
	for i := range s.hosts {
		hs := &s.hosts[i]
		if hs.gone || hs.group != g {
			continue
		}
		if ms != nil && hs.scaledOut && e.now < hs.launch+ms.Warmup {
			warming = true
		}
		// A draining instance (a spot notice) is on its way out: it
		// neither holds tasks nor counts as capacity [assumed].
		if !hs.ready || hs.draining {
			continue
		}
		n++
		if hs.tasks > 0 {
			nonEmpty++
		}
	}
	var need [][2]int
	for _, id := range s.waiting {
		if s.taskProv[id] == g {
			need = append(need, [2]int{s.cfg.TaskCPU, s.cfg.TaskMemoryMiB})
		}
	}
	hg := &gs.cfg.Hosts
	m := instancesNeeded(n, nonEmpty, need, hg.UnitsPerInstance, hg.MiBPerInstance, s.cfg.DistinctInstance)
	gs.history = append(gs.history, reservation(m, n))
	if ms == nil {
		return
	}
	want, reason := managedDesired(*ms, gs.history, n, gs.desired, warming)
	want = min(max(want, hg.Min), hg.Max)
	if want == gs.desired {
		e.setHosts(g) // instances protected at the last scale-in may be empty now
		return
	}
	if name := gs.cfg.Name; name != "" {
		reason = strings.Replace(reason, "capacity provider:", "capacity provider "+name+":", 1)
	}
	e.meter.res.Activities = append(e.meter.res.Activities, Activity{Time: e.now, Policy: "capacity_provider",
		From: gs.desired, To: want, Reason: reason + " (instances)"})
	gs.desired = want
	e.setHosts(g)
}

// setHosts launches or terminates instances of group g to match its
// desired capacity. With managed termination protection only instances
// without tasks terminate (booting ones first); without it, the emptiest
// do. An instance under a spot notice counts until EC2 reclaims it — with
// capacity rebalancing its replacement launches at the notice instead.
func (e *engine) setHosts(g int32) {
	s := e.ecs
	gs := &s.groups[g]
	rebalance := gs.cfg.Hosts.CapacityRebalance
	live := 0
	for i := range s.hosts {
		if hs := &s.hosts[i]; hs.group == g && !hs.gone && !(rebalance && hs.interrupted) {
			live++
		}
	}
	for ; live < gs.desired; live++ {
		h := e.launchHost(g, true)
		e.q.push(event{at: e.now + FromSeconds(gs.cfg.Hosts.BootTime.Sample(e.bootRng)), kind: evHostReady, inst: h})
	}
	protect := gs.cfg.Scaling != nil && gs.cfg.Scaling.TerminationProtection
	for ; live > gs.desired; live-- {
		v := int32(-1)
		for i := len(s.hosts) - 1; i >= 0; i-- {
			hs := &s.hosts[i]
			if hs.gone || hs.group != g || hs.interrupted || (protect && hs.tasks > 0) {
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
