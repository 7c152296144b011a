package scenarios

import (
	"slices"
	"strings"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// scheduledKind sets min, max or desired on a schedule (docs/aws-model.md §1.7).
var scheduledKind = policyKind{
	name:  "scheduled",
	keys:  []string{"recurrence", "time_zone", "start_time", "end_time", "min", "max", "desired"},
	check: (*checker).scheduled,
	build: buildScheduled,
}

func (c *checker) scheduled(p string, pol *Policy) {
	if pol.SetMin == nil && pol.SetMax == nil && pol.SetDesired == nil {
		c.bad(p, "a scheduled action sets at least one of min, max, desired")
	}
	if pol.Recurrence == "" && pol.StartTime == nil {
		c.bad(p, "a scheduled action needs a recurrence (cron) or a start_time (one-shot)")
	}
	if !c.has(p + ".name") {
		pol.Name = "scheduled-" + strings.TrimPrefix(p, "scaling.policies")
	}
	if c.brokenUnder(p) {
		return // a field that failed to decode would be checked as its zero value
	}
	if err := pol.scheduledAction().Validate(); err != nil {
		c.badEach(p+".recurrence", err, func(msg string) string {
			// Each message starts with the key it is about: "min 3 > max 2".
			key, _, _ := strings.Cut(msg, " ")
			key = strings.TrimSuffix(key, ":")
			switch {
			case slices.Contains([]string{"min", "max", "desired", "start_time", "end_time", "time_zone", "recurrence"}, key):
				return p + "." + key
			case strings.Contains(msg, "zone"):
				return p + ".time_zone"
			}
			return ""
		})
	}
}

// buildScheduled makes the scheduled action's scaler.
func buildScheduled(pol Policy) (sim.Scaler, error) {
	return &policies.ScheduledScaler{Action: pol.scheduledAction()}, nil
}

func (pol Policy) scheduledAction() policies.ScheduledAction {
	a := policies.ScheduledAction{Name: pol.Name, Recurrence: pol.Recurrence, TimeZone: pol.TimeZone,
		Min: pol.SetMin, Max: pol.SetMax, Desired: pol.SetDesired}
	if pol.StartTime != nil {
		a.StartTime = *pol.StartTime
	}
	if pol.EndTime != nil {
		a.EndTime = *pol.EndTime
	}
	return a
}
