package sim

// Memory a task uses (docs/ecs.md, "Memory utilisation"). capsim's model
// is simple and stated: a task uses a base (the process, its caches) plus
// a fixed amount per request in flight on it (in service or in its
// queue), and never more than its memory_mib (a container above its hard
// limit is stopped: "Best practices for Amazon ECS task sizes",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/capacity-tasksize.html).
// ECS's service MemoryUtilization is memory used ÷ memory reserved,
// averaged over the service's tasks
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_utilization.html).
// The engine samples each task's use at its 5-second tick and averages
// the samples of a metric period — off the request path, so requests
// stay allocation-free and cost nothing more.

// MemoryUse is the memory model of a task: BaseMiB always, plus
// PerRequestMiB for each request in flight on it.
type MemoryUse struct {
	BaseMiB, PerRequestMiB float64
}

// used is a task's memory in MiB with n requests in flight, at most its
// reservation.
func (m *MemoryUse) used(n int32, reservedMiB int) float64 {
	return min(float64(reservedMiB), m.BaseMiB+m.PerRequestMiB*float64(n))
}

// sampleMemory adds one sample of every task in service to its period's
// sum.
func (e *engine) sampleMemory() {
	s := e.ecs
	for _, id := range e.fleet.live {
		in := &e.fleet.inst[id]
		if in.state != inService {
			continue
		}
		s.memSum[id] += s.cfg.MemoryUse.used(in.outstanding, s.cfg.TaskMemoryMiB)
		s.memN[id]++
	}
}

// memoryDatapoint is the period's MemoryUtilization, the average over the
// tasks in service past their warm-up of each one's mean use ÷ its
// reservation; it starts the next period's sums.
func (e *engine) memoryDatapoint() Datapoint {
	s := e.ecs
	var st stats
	for _, id := range e.fleet.live {
		in := &e.fleet.inst[id]
		if in.state == inService && !in.warming && s.memN[id] > 0 {
			st.add(s.memSum[id] / float64(s.memN[id]) / float64(s.cfg.TaskMemoryMiB) * 100)
		}
		s.memSum[id], s.memN[id] = 0, 0
	}
	return st.average()
}
