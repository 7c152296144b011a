package sim

// The capacity provider strategy of a service with several EC2 capacity
// providers (docs/ecs.md, "Several capacity providers"; AWS:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-capacity-providers.html).
// ECS documents the split: the base tasks first, on the one provider that
// has a base; the tasks beyond it by weight ("a weight of 1 for
// capacityProviderA and a weight of 4 for capacityProviderB: for every one
// task on A, four on B"); a provider of weight 0 takes no task beyond its
// base. It does not document the rounding, nor which provider loses a task
// on scale-in. capsim assigns one task at a time to the provider furthest
// below its weighted share — the highest-averages (D'Hondt) rule, ties to
// the provider listed first — and a scale-in takes from the provider
// furthest above its share, ties to the provider listed last, base tasks
// last: so scaling in undoes scaling out, and after n tasks the split is
// the same however the service got there.

// strategyItem is one provider's base and weight.
type strategyItem struct{ base, weight int }

// aboveBase is how many of a provider's n tasks count against its weight.
func (it strategyItem) aboveBase(n int) int { return max(0, n-it.base) }

// nextProvider is the provider a new task goes to, given the tasks each
// provider has now.
func nextProvider(items []strategyItem, tasks []int) int {
	for i, it := range items {
		if tasks[i] < it.base {
			return i
		}
	}
	best := -1
	for i, it := range items {
		if it.weight == 0 {
			continue
		}
		// (a_i + 1) / w_i < (a_b + 1) / w_b, in integers.
		if best < 0 || (items[i].aboveBase(tasks[i])+1)*items[best].weight < (items[best].aboveBase(tasks[best])+1)*it.weight {
			best = i
		}
	}
	return best
}

// stopProvider is the provider a scale-in takes a task from: the one
// furthest above its share (a provider of weight 0 with tasks beyond its
// base first), and the base provider only when no other has tasks beyond
// its base. -1 when no provider has a task.
func stopProvider(items []strategyItem, tasks []int) int {
	best := -1
	for i := len(items) - 1; i >= 0; i-- {
		a := items[i].aboveBase(tasks[i])
		if a == 0 {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		ab, wb, wi := items[best].aboveBase(tasks[best]), items[best].weight, items[i].weight
		// a_i / w_i > a_b / w_b, with weight 0 as infinitely far above.
		switch {
		case wb == 0:
		case wi == 0:
			best = i
		case a*wb > ab*wi:
			best = i
		}
	}
	if best >= 0 {
		return best
	}
	for i := len(items) - 1; i >= 0; i-- {
		if tasks[i] > 0 {
			return i
		}
	}
	return -1
}

// strategySplit is how n tasks split over the providers when they are
// added one at a time: what a service scaled out from zero holds.
func strategySplit(items []strategyItem, n int) []int {
	tasks := make([]int, len(items))
	for range n {
		tasks[nextProvider(items, tasks)]++
	}
	return tasks
}
