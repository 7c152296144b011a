package sim

import "math/rand/v2"

// Placement strategies and fields (docs/ecs.md, "Placement"; AWS:
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html).
const (
	Binpack = "binpack"
	Spread  = "spread"
	Random  = "random"

	FieldCPU      = "cpu"
	FieldMemory   = "memory"
	FieldZone     = "attribute:ecs.availability-zone"
	FieldInstance = "instanceId"
)

// PlacementStrategy is one entry of a service's placementStrategy.
type PlacementStrategy struct {
	Type  string // binpack | spread | random
	Field string // binpack: cpu | memory; spread: zone | instance field
}

// slot is one container instance as placement sees it.
type slot struct {
	id               int32
	zone             int32
	cpuFree, memFree int // CPU units and MiB not reserved by tasks
	tasks            int // this service's tasks on it
}

// placeTask chooses where a task that reserves cpu units and mem MiB goes,
// as ECS does: instances without the resources drop out, then the
// constraints (distinctInstance: no task of the service there yet), then
// each strategy in turn keeps the instances it likes best (ties go on to the
// next strategy); among what is left the lowest id wins, or a random one
// after a random strategy. zoneTasks counts the service's tasks per zone on
// every instance of the cluster. It returns an index into cands, or -1 when
// the task fits nowhere (it stays PENDING).
func placeTask(cands []slot, cpu, mem int, distinct bool, strategies []PlacementStrategy, zoneTasks []int, rng *rand.Rand) int {
	keep := make([]int, 0, len(cands))
	for i, c := range cands {
		if c.cpuFree >= cpu && c.memFree >= mem && (!distinct || c.tasks == 0) {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		return -1
	}
	for _, s := range strategies {
		if len(keep) == 1 {
			break
		}
		if s.Type == Random {
			return keep[rng.IntN(len(keep))]
		}
		key := placementKey(s, cpu, mem, zoneTasks)
		keep = lowest(keep, func(i int) int { return key(&cands[i]) })
	}
	return keep[0]
}

// placementKey is what a strategy minimises for one candidate.
func placementKey(s PlacementStrategy, cpu, mem int, zoneTasks []int) func(c *slot) int {
	switch {
	case s.Type == Binpack && s.Field == FieldMemory:
		return func(c *slot) int { return c.memFree - mem }
	case s.Type == Binpack:
		return func(c *slot) int { return c.cpuFree - cpu }
	case s.Type == Spread && s.Field == FieldZone:
		return func(c *slot) int { return zoneTasks[c.zone] }
	default: // spread by instance
		return func(c *slot) int { return c.tasks }
	}
}

// lowest keeps the entries of keep with the smallest key, in order.
func lowest(keep []int, key func(int) int) []int {
	out := keep[:0:0]
	best := 0
	for _, i := range keep {
		k := key(i)
		switch {
		case len(out) == 0 || k < best:
			best, out = k, append(out[:0], i)
		case k == best:
			out = append(out, i)
		}
	}
	return out
}

// stopChoice chooses which running task a scale-in stops, for the service's
// first strategy (ECS: "Task placement strategies", scale-in behaviour):
// binpack stops the task whose instance then has the most of the field
// left; spread by zone stops one in the zone with the most tasks, spread by
// instance one on the instance with the most; random any. tasks holds, per
// candidate task, its instance's slot. It returns an index into tasks.
func stopChoice(tasks []slot, strategies []PlacementStrategy, zoneTasks []int, rng *rand.Rand) int {
	if len(tasks) == 0 {
		return -1
	}
	all := make([]int, len(tasks))
	for i := range all {
		all[i] = i
	}
	for _, s := range strategies {
		if len(all) == 1 {
			break
		}
		var key func(i int) int
		switch {
		case s.Type == Random:
			return all[rng.IntN(len(all))]
		case s.Type == Binpack && s.Field == FieldMemory:
			key = func(i int) int { return -tasks[i].memFree }
		case s.Type == Binpack:
			key = func(i int) int { return -tasks[i].cpuFree }
		case s.Type == Spread && s.Field == FieldZone:
			key = func(i int) int { return -zoneTasks[tasks[i].zone] }
		default:
			key = func(i int) int { return -tasks[i].tasks }
		}
		all = lowest(all, key)
	}
	return all[rng.IntN(len(all))]
}
