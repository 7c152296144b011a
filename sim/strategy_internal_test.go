package sim

import (
	"slices"
	"testing"
)

// TestStrategySplit: the capacity provider strategy's base and weight
// against AWS's documented examples (CapacityProviderStrategyItem,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html,
// and the developer guide's "Amazon ECS capacity providers"): the base
// first on its provider, then "both have a weight of 1 … split evenly",
// "a weight of 1 for capacityProviderA and a weight of 4 for
// capacityProviderB: for every one task on A, four on B", and "a weight of
// 0 can't be used to place tasks" (beyond the base). The issue's example
// is an on-demand provider with base 2 and weight 1 beside a spot one of
// weight 3.
func TestStrategySplit(t *testing.T) {
	cases := []struct {
		name  string
		items []strategyItem
		n     int
		want  []int
	}{
		{"weights 1 and 1: even", []strategyItem{{0, 1}, {0, 1}}, 10, []int{5, 5}},
		{"weights 1 and 1, odd count: the first listed gets the extra", []strategyItem{{0, 1}, {0, 1}}, 7, []int{4, 3}},
		{"weights 1 and 4: one on A for four on B", []strategyItem{{0, 1}, {0, 4}}, 5, []int{1, 4}},
		{"weights 1 and 4, ten tasks", []strategyItem{{0, 1}, {0, 4}}, 10, []int{2, 8}},
		{"weights 1 and 4, 25 tasks", []strategyItem{{0, 1}, {0, 4}}, 25, []int{5, 20}},
		{"base 2: the first two tasks on the base provider", []strategyItem{{2, 1}, {0, 3}}, 2, []int{2, 0}},
		{"base 2, one task", []strategyItem{{2, 1}, {0, 3}}, 1, []int{1, 0}},
		{"base 2 then 1:3, six tasks", []strategyItem{{2, 1}, {0, 3}}, 6, []int{3, 3}},
		{"base 2 then 1:3, ten tasks", []strategyItem{{2, 1}, {0, 3}}, 10, []int{4, 6}},
		{"base 2 then 1:3, 18 tasks", []strategyItem{{2, 1}, {0, 3}}, 18, []int{6, 12}},
		{"base on the second provider", []strategyItem{{0, 3}, {2, 1}}, 10, []int{6, 4}},
		{"weight 0: the base only", []strategyItem{{2, 0}, {0, 1}}, 10, []int{2, 8}},
		{"weight 0 and no base: never used", []strategyItem{{0, 0}, {0, 1}}, 4, []int{0, 4}},
		{"three providers 1:2:1", []strategyItem{{0, 1}, {0, 2}, {0, 1}}, 8, []int{2, 4, 2}},
	}
	for _, c := range cases {
		if got := strategySplit(c.items, c.n); !slices.Equal(got, c.want) {
			t.Errorf("%s: %d tasks split %v, want %v", c.name, c.n, got, c.want)
		}
	}
}

// TestStrategyScaleInUndoesScaleOut: a scale-in takes its task from the
// provider that a scale-out to the same count gave it to, so that however
// the service got to n tasks they split as strategySplit says; base tasks
// go last, and a provider of weight 0 with tasks beyond its base first.
func TestStrategyScaleInUndoesScaleOut(t *testing.T) {
	strategies := [][]strategyItem{
		{{0, 1}, {0, 1}}, {{0, 1}, {0, 4}}, {{2, 1}, {0, 3}}, {{0, 3}, {2, 1}}, {{2, 0}, {0, 1}},
		{{0, 1}, {0, 2}, {0, 1}}, {{5, 2}, {0, 3}, {0, 7}},
	}
	for _, items := range strategies {
		for n := 60; n > 0; n-- {
			tasks := strategySplit(items, n)
			p := stopProvider(items, tasks)
			if p < 0 {
				t.Fatalf("%v: no provider to stop a task of %v", items, tasks)
			}
			tasks[p]--
			if want := strategySplit(items, n-1); !slices.Equal(tasks, want) {
				t.Errorf("%v: stopping one of %d tasks leaves %v, want %v", items, n, tasks, want)
			}
		}
		if p := stopProvider(items, make([]int, len(items))); p != -1 {
			t.Errorf("%v: no tasks, stopProvider = %d, want -1", items, p)
		}
	}
	// Tasks beyond the base on a provider of weight 0 (after the strategy
	// changed, say) are the first to go.
	if p := stopProvider([]strategyItem{{1, 0}, {0, 1}}, []int{3, 5}); p != 0 {
		t.Errorf("weight-0 provider above its base: stopProvider = %d, want 0", p)
	}
	// A new task refills the provider that lost one (an interrupted spot
	// instance's tasks are replaced on spot).
	items := []strategyItem{{2, 1}, {0, 3}}
	tasks := strategySplit(items, 18)
	tasks[1] -= 4
	for range 4 {
		tasks[nextProvider(items, tasks)]++
	}
	if want := strategySplit(items, 18); !slices.Equal(tasks, want) {
		t.Errorf("after replacing 4 lost tasks: %v, want %v", tasks, want)
	}
}

// TestStrategyWithinOne: with two providers every split is within one task
// of the exact share of the tasks beyond the base (weight ÷ total weight).
func TestStrategyWithinOne(t *testing.T) {
	for _, items := range [][]strategyItem{{{0, 1}, {0, 4}}, {{2, 1}, {0, 3}}, {{0, 7}, {3, 2}}, {{0, 1000}, {0, 1}}} {
		w := float64(items[0].weight + items[1].weight)
		for n := 0; n < 200; n++ {
			tasks := strategySplit(items, n)
			base := min(n, items[0].base+items[1].base)
			for i, it := range items {
				exact := float64(n-base) * float64(it.weight) / w
				if got := float64(it.aboveBase(tasks[i])); got < exact-1 || got > exact+1 {
					t.Errorf("%v, %d tasks: provider %d has %v beyond its base, exact share %.2f", items, n, i, got, exact)
				}
			}
		}
	}
}
