package sim

// CPU shares (docs/ecs.md, "Service speed"). With only container-level
// cpu, a task's CPU units are a relative share of its instance's CPU
// (Docker's --cpu-shares, the cgroup's cpu.shares or cpu.weight), not a
// limit: "Linux containers share unallocated CPU units with other
// containers on the container instance with the same ratio as their
// allocated amount" (ContainerDefinition cpu,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
// The Linux scheduler (CFS) gives each busy cgroup CPU in proportion to
// its weight and hands what an idle or less busy one leaves to the
// others: a weighted max-min fair share, computed here by water-filling.

// shareCPU divides capacity vCPUs among tasks that want demand[i] vCPUs
// (their running requests, each at most one vCPU) with weights weight[i]
// > 0, writing each task's vCPUs to out: a task that wants less than
// its weighted share of what is left gets what it wants, and the rest is
// split by weight among the others. With total demand within capacity
// every task gets its demand. out must be as long as demand; nothing is
// allocated.
func shareCPU(capacity float64, demand, weight, out []float64) {
	for i := range out {
		out[i] = -1 // not settled yet
	}
	left := capacity
	for {
		var w float64
		for i, o := range out {
			if o < 0 {
				w += weight[i]
			}
		}
		if w == 0 {
			return
		}
		level := left / w // vCPUs per unit of weight for the unsettled
		settled := false
		for i, o := range out {
			if o < 0 && demand[i] <= level*weight[i] {
				out[i] = demand[i]
				left -= demand[i]
				settled = true
			}
		}
		if !settled {
			for i, o := range out {
				if o < 0 {
					out[i] = level * weight[i]
				}
			}
			return
		}
	}
}
