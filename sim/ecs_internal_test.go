package sim

import "testing"

// TestReservation: the CapacityProviderReservation cases of the AWS
// containers blog "Deep dive on Amazon ECS cluster auto scaling"
// (https://aws.amazon.com/blogs/containers/deep-dive-on-amazon-ecs-cluster-auto-scaling/).
func TestReservation(t *testing.T) {
	cases := []struct {
		name    string
		m, n    int
		want    float64
		comment string
	}{
		{"empty cluster, nothing to run", 0, 0, 100, "M = N = 0"},
		{"tasks to run, no instances", 3, 0, 200, "M > 0, N = 0"},
		{"two empty of 100 instances", 98, 100, 98, "scale-in case"},
		{"needs twice the instances", 10, 5, 200, ""},
		{"exactly full", 4, 4, 100, ""},
	}
	for _, c := range cases {
		if got := reservation(c.m, c.n); got != c.want {
			t.Errorf("%s: reservation(%d, %d) = %g, want %g", c.name, c.m, c.n, got, c.want)
		}
	}
}

// TestInstancesNeeded: M binpacks the waiting tasks on empty instances of
// the group's type; with none waiting it counts the instances with tasks.
func TestInstancesNeeded(t *testing.T) {
	task := [2]int{1024, 2048}
	cases := []struct {
		name              string
		running, nonEmpty int
		waiting           [][2]int
		distinct          bool
		want              int
	}{
		{"none waiting, all busy", 4, 4, nil, false, 4},
		{"none waiting, two empty", 100, 98, nil, false, 98},
		{"three waiting, two per instance", 2, 2, [][2]int{task, task, task}, false, 4},
		{"three waiting, distinctInstance", 2, 2, [][2]int{task, task, task}, true, 5},
		{"too large to place anywhere", 2, 2, [][2]int{{4096, 1}}, false, 2},
		{"from zero", 0, 0, [][2]int{task}, false, 1},
	}
	for _, c := range cases {
		got := instancesNeeded(c.running, c.nonEmpty, c.waiting, 2048, 4096, c.distinct)
		if got != c.want {
			t.Errorf("%s: M = %d, want %d", c.name, got, c.want)
		}
	}
}

// TestManagedDesired: the managed target-tracking policy's answers
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-auto-scaling.html,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html):
// scale-out on one datapoint, between the step sizes, never during a
// warm-up, from zero to two; scale-in after 15 low datapoints.
func TestManagedDesired(t *testing.T) {
	ms := ManagedScaling{TargetCapacity: 100, MinStep: 1, MaxStep: 10000}
	low := func(v float64, n int) []float64 {
		h := make([]float64, n)
		for i := range h {
			h[i] = v
		}
		return h
	}
	cases := []struct {
		name      string
		ms        ManagedScaling
		history   []float64
		n, desire int
		warming   bool
		want      int
	}{
		{"at target", ms, []float64{100}, 4, 4, false, 4},
		{"one datapoint above", ms, []float64{100, 150}, 4, 4, false, 6},
		{"from zero: two instances", ms, []float64{200}, 0, 0, false, 2},
		{"minimum step size raises a small step", ManagedScaling{TargetCapacity: 100, MinStep: 3, MaxStep: 10000}, []float64{125}, 4, 4, false, 7},
		{"maximum step size caps a large step", ManagedScaling{TargetCapacity: 100, MinStep: 1, MaxStep: 2}, []float64{200}, 4, 4, false, 6},
		{"held during instance warm-up", ms, []float64{200}, 4, 4, true, 4},
		{"target 50 keeps half spare", ManagedScaling{TargetCapacity: 50, MinStep: 1, MaxStep: 10000}, []float64{100}, 4, 4, false, 8},
		{"14 low datapoints: no scale-in", ms, low(98, 14), 100, 100, false, 100},
		{"15 low datapoints: two empty instances go", ms, low(98, 15), 100, 100, false, 98},
		{"scale-in drops at most half", ms, low(10, 15), 10, 10, false, 5},
		{"one high datapoint in the 15 blocks scale-in", ms, append(low(98, 14), 100), 100, 100, false, 100},
	}
	for _, c := range cases {
		got, _ := managedDesired(c.ms, c.history, c.n, c.desire, c.warming)
		if got != c.want {
			t.Errorf("%s: desired %d, want %d", c.name, got, c.want)
		}
	}
}

// TestPlaceTask: placement on small clusters, the choices the ECS
// developer guide's "Amazon ECS task placement strategies" describes.
func TestPlaceTask(t *testing.T) {
	rng := NewRand(1, StreamPlacement)
	three := func() []slot {
		return []slot{
			{id: 0, zone: 0, cpuFree: 2048, memFree: 4096, tasks: 0},
			{id: 1, zone: 1, cpuFree: 1024, memFree: 2048, tasks: 1},
			{id: 2, zone: 1, cpuFree: 512, memFree: 1024, tasks: 2},
		}
	}
	zoneTasks := []int{0, 3}
	cases := []struct {
		name     string
		cands    []slot
		cpu, mem int
		distinct bool
		strat    []PlacementStrategy
		want     int
	}{
		{"binpack cpu: the fullest that fits", three(), 512, 512, false, []PlacementStrategy{{Binpack, FieldCPU}}, 2},
		{"binpack memory: least memory left", three(), 1024, 2048, false, []PlacementStrategy{{Binpack, FieldMemory}}, 1},
		{"spread zone: the zone with fewest tasks", three(), 512, 512, false, []PlacementStrategy{{Spread, FieldZone}}, 0},
		{"spread instance: fewest tasks", three(), 512, 512, false, []PlacementStrategy{{Spread, FieldInstance}}, 0},
		{"distinctInstance: only an empty instance", three(), 512, 512, true, []PlacementStrategy{{Binpack, FieldCPU}}, 0},
		{"fits nowhere: PENDING", three(), 4096, 512, false, nil, -1},
		{"spread zone then binpack within it", []slot{
			{id: 0, zone: 0, cpuFree: 2048, memFree: 4096, tasks: 0},
			{id: 1, zone: 0, cpuFree: 1024, memFree: 1024, tasks: 1},
			{id: 2, zone: 1, cpuFree: 1024, memFree: 1024, tasks: 1},
		}, 512, 512, false, []PlacementStrategy{{Spread, FieldZone}, {Binpack, FieldMemory}}, 1},
	}
	for _, c := range cases {
		zt := zoneTasks
		if c.name == "spread zone then binpack within it" {
			zt = []int{1, 2}
		}
		if got := placeTask(c.cands, c.cpu, c.mem, c.distinct, c.strat, zt, rng); got != c.want {
			t.Errorf("%s: placed on %d, want %d", c.name, got, c.want)
		}
	}
}

// TestStopChoice: scale-in stops the task binpack would free the most
// from, or one in the zone with the most tasks under spread.
func TestStopChoice(t *testing.T) {
	rng := NewRand(1, StreamPlacement)
	tasks := []slot{
		{id: 10, zone: 0, cpuFree: 1024, memFree: 2048, tasks: 1},
		{id: 11, zone: 1, cpuFree: 0, memFree: 0, tasks: 2},
		{id: 12, zone: 1, cpuFree: 0, memFree: 0, tasks: 2},
	}
	if got := stopChoice(tasks, []PlacementStrategy{{Binpack, FieldMemory}}, []int{1, 2}, rng); got != 0 {
		t.Errorf("binpack: stopped %d, want 0 (its instance is then the emptiest)", got)
	}
	for i := 0; i < 20; i++ {
		if got := stopChoice(tasks, []PlacementStrategy{{Spread, FieldZone}}, []int{1, 2}, rng); got == 0 {
			t.Fatal("spread zone: stopped the only task of zone 0")
		}
	}
}

// TestShareCPU: an instance's vCPUs shared by CPU shares, the cases of the
// ECS ContainerDefinition cpu parameter
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html:
// a container alone may use the instance's whole CPU; two copies of a
// task are each guaranteed their units and may use what the other leaves
// idle) and of cgroup cpu.shares (CPU in proportion to the shares among
// the busy), with each request at most one vCPU; computed by hand.
func TestShareCPU(t *testing.T) {
	cases := []struct {
		name           string
		capacity       float64
		demand, weight []float64
		want           []float64
	}{
		{"one busy (2 requests), one idle: the busy one gets both vCPUs", 2, []float64{2, 0}, []float64{1024, 1024}, []float64{2, 0}},
		{"one busy (5 requests), one idle: both vCPUs, no more", 2, []float64{5, 0}, []float64{1024, 1024}, []float64{2, 0}},
		{"one request alone: one vCPU (a request runs on one)", 2, []float64{1, 0}, []float64{1024, 1024}, []float64{1, 0}},
		{"both busy, equal shares: one vCPU each", 2, []float64{4, 3}, []float64{1024, 1024}, []float64{1, 1}},
		{"both busy, shares 3:1: 1.5 and 0.5", 2, []float64{2, 2}, []float64{768, 256}, []float64{1.5, 0.5}},
		{"shares 3:1, the larger wants less than its share: the rest to the other", 2, []float64{1, 4}, []float64{768, 256}, []float64{1, 1}},
		{"demand within capacity: each its demand", 4, []float64{1, 2, 0}, []float64{512, 512, 512}, []float64{1, 2, 0}},
		{"three busy, one light: water-filling", 3, []float64{0.5, 3, 3}, []float64{1, 1, 1}, []float64{0.5, 1.25, 1.25}},
	}
	for _, c := range cases {
		out := make([]float64, len(c.demand))
		shareCPU(c.capacity, c.demand, c.weight, out)
		for i := range out {
			if d := out[i] - c.want[i]; d > 1e-12 || d < -1e-12 {
				t.Errorf("%s: got %v, want %v", c.name, out, c.want)
				break
			}
		}
	}
}
