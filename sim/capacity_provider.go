package sim

import (
	"math"
	"strconv"
)

// ManagedScaling is an Auto Scaling group capacity provider's managed
// scaling (ECS cluster auto scaling, docs/ecs.md; AWS:
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-auto-scaling.html,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html).
type ManagedScaling struct {
	TargetCapacity int  // percent, 1–100 (default 100)
	MinStep        int  // minimumScalingStepSize (default 1)
	MaxStep        int  // maximumScalingStepSize (default 10000)
	Warmup         Time // instanceWarmupPeriod (default 300 s)
	// TerminationProtection is managed termination protection: only
	// instances without tasks are terminated on scale-in.
	TerminationProtection bool
}

// scaleInPoints is the managed low alarm's datapoints: 15 of 15 one-minute
// datapoints below the target (the high alarm is 1 of 1).
const scaleInPoints = 15

// reservation is CapacityProviderReservation = M / N × 100, with M = N = 0
// → 100 and M > 0, N = 0 → 200 (AWS containers blog, "Deep dive on Amazon
// ECS cluster auto scaling").
func reservation(m, n int) float64 {
	switch {
	case n == 0 && m == 0:
		return 100
	case n == 0:
		return 200
	}
	return float64(m) / float64(n) * 100
}

// instancesNeeded is M: with tasks waiting for capacity, the instances
// running plus the empty instances of the group's type it takes to hold the
// waiting tasks (first fit, in order); with none waiting, the instances
// that run at least one task. A task larger than an empty instance is
// ignored: it stays PENDING whatever the group does.
func instancesNeeded(running, nonEmpty int, waiting [][2]int, typeCPU, typeMem int, distinct bool) int {
	var bins [][2]int // free cpu, mem of each new instance
	for _, t := range waiting {
		if t[0] > typeCPU || t[1] > typeMem {
			continue
		}
		placed := false
		for i := range bins {
			if !distinct && bins[i][0] >= t[0] && bins[i][1] >= t[1] {
				bins[i][0] -= t[0]
				bins[i][1] -= t[1]
				placed = true
				break
			}
		}
		if !placed {
			bins = append(bins, [2]int{typeCPU - t[0], typeMem - t[1]})
		}
	}
	if len(bins) == 0 {
		return nonEmpty
	}
	return running + len(bins)
}

// managedDesired is the group's next desired capacity from the managed
// target-tracking policy, given the minute's metric history (newest last),
// the running instances n, the current desired capacity and whether an
// instance is still inside its warm-up. Scale-out (1 of 1 datapoint above
// target) asks ceil(n × metric ÷ target), from zero two instances, and adds
// between MinStep and MaxStep; it is blocked during a warm-up. Scale-in (15
// of 15 below target) asks ceil(n × metric ÷ target) but drops at most half
// the instances (at least one) per minute.
func managedDesired(ms ManagedScaling, history []float64, n, desired int, warming bool) (int, string) {
	if len(history) == 0 {
		return desired, ""
	}
	target := float64(ms.TargetCapacity)
	last := history[len(history)-1]
	if last > target {
		if warming {
			return desired, "capacity provider: scale-out held, an instance is inside its instance_warmup_period"
		}
		want := 2
		if n > 0 {
			want = int(math.Ceil(float64(n) * last / target))
		}
		step := min(max(want-n, ms.MinStep), ms.MaxStep)
		return max(desired, n+step), "capacity provider: CapacityProviderReservation " + fmtPct(last) + " above target " + fmtPct(target)
	}
	if len(history) < scaleInPoints || n == 0 {
		return desired, ""
	}
	for _, v := range history[len(history)-scaleInPoints:] {
		if v >= target {
			return desired, ""
		}
	}
	want := int(math.Ceil(float64(n) * last / target))
	floor := n - max(1, n/2)
	return min(desired, max(want, floor)), "capacity provider: CapacityProviderReservation below target " + fmtPct(target) + " for 15 minutes"
}

func fmtPct(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + "%"
}
