package policies

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ScheduledAction is an EC2 Auto Scaling scheduled action (docs/aws-model.md
// §1.7): at StartTime once, or on a 5-field Unix cron Recurrence
// ("[min] [hour] [dom] [month] [dow]", e.g. "30 6 * * 2") read in an IANA
// TimeZone (default UTC, DST handled by the zone), between optional
// StartTime and EndTime, it sets any non-empty subset of Min, Max and
// Desired. It ignores cooldowns.
type ScheduledAction struct {
	Name       string
	Recurrence string    // "" for a one-shot action at StartTime
	TimeZone   string    // IANA zone, "" = UTC
	StartTime  time.Time // first possible firing (one-shot: the firing); zero = none
	EndTime    time.Time // no firing after it; zero = none
	Min        *int
	Max        *int
	Desired    *int
}

// cronParser accepts exactly the 5 standard fields: no seconds, no
// descriptors (@daily), no CRON_TZ prefix; the zone comes from TimeZone.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

func (a ScheduledAction) String() string {
	when := "once at " + a.StartTime.UTC().Format(time.RFC3339)
	if a.Recurrence != "" {
		when = fmt.Sprintf("%q %s", a.Recurrence, a.zoneName())
	}
	var set []string
	for _, f := range []struct {
		n string
		v *int
	}{{"min", a.Min}, {"max", a.Max}, {"desired", a.Desired}} {
		if f.v != nil {
			set = append(set, fmt.Sprintf("%s=%d", f.n, *f.v))
		}
	}
	return fmt.Sprintf("ScheduledAction{%s %s set %s}", a.Name, when, strings.Join(set, " "))
}

func (a ScheduledAction) zoneName() string {
	if a.TimeZone == "" {
		return "UTC"
	}
	return a.TimeZone
}

// schedule compiles the recurrence in the action's zone.
func (a ScheduledAction) schedule() (*cron.SpecSchedule, error) {
	_, err := time.LoadLocation(a.zoneName())
	if err != nil {
		return nil, fmt.Errorf("time_zone %q: unknown IANA time zone (e.g. America/New_York, Europe/Paris, UTC)", a.TimeZone)
	}
	if a.Recurrence == "" {
		return nil, nil
	}
	if n := len(strings.Fields(a.Recurrence)); n != 5 || strings.HasPrefix(strings.TrimSpace(a.Recurrence), "@") {
		return nil, fmt.Errorf("recurrence %q: want 5 cron fields [minute] [hour] [day-of-month] [month] [day-of-week], got %d", a.Recurrence, n)
	}
	s, err := cronParser.Parse(a.Recurrence)
	if err != nil {
		return nil, fmt.Errorf("recurrence %q: %v", a.Recurrence, err)
	}
	spec, ok := s.(*cron.SpecSchedule)
	if !ok {
		return nil, fmt.Errorf("recurrence %q: not a cron schedule", a.Recurrence)
	}
	spec.Location = time.UTC // it runs on wall-clock times (wallNext)
	return spec, nil
}

// wallInstant is the instant at which loc's clocks show wall (given as a
// UTC time with the same fields): the earlier one if they show it twice
// (fall-back), and wall read with the offset before the change if they
// never show it (spring-forward).
func wallInstant(wall time.Time, loc *time.Location) time.Time {
	guess := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), 0, 0, loc)
	_, before := guess.Add(-12 * time.Hour).In(loc).Zone()
	_, after := guess.Add(12 * time.Hour).In(loc).Zone()
	var best time.Time
	for _, off := range []int{before, after} {
		t := wall.Add(-time.Duration(off) * time.Second)
		l := t.In(loc)
		if l.Hour() == wall.Hour() && l.Minute() == wall.Minute() && l.Day() == wall.Day() && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if best.IsZero() {
		return wall.Add(-time.Duration(before) * time.Second)
	}
	return best.In(loc)
}

// wallNext returns the first instant after after whose wall-clock time in
// loc matches s. It searches wall-clock times, not instants, so each local
// time matches at most once (wallInstant picks its instant).
func wallNext(s *cron.SpecSchedule, loc *time.Location, after time.Time) time.Time {
	local := after.In(loc)
	wall := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), time.UTC)
	for range 1000 {
		wall = s.Next(wall)
		if wall.IsZero() {
			return time.Time{}
		}
		real := wallInstant(wall, loc)
		if real.After(after) {
			return real
		}
	}
	return time.Time{}
}

// Validate checks the recurrence, the time zone, the times and the sizes.
// Errors name the field.
func (a ScheduledAction) Validate() error {
	var errs []error
	if _, err := a.schedule(); err != nil {
		errs = append(errs, err)
	}
	if a.Recurrence == "" && a.StartTime.IsZero() {
		errs = append(errs, errors.New("start_time: a one-shot action (no recurrence) needs a start time"))
	}
	if !a.StartTime.IsZero() && !a.EndTime.IsZero() && !a.EndTime.After(a.StartTime) {
		errs = append(errs, fmt.Errorf("end_time %s: must be after start_time %s", a.EndTime.Format(time.RFC3339), a.StartTime.Format(time.RFC3339)))
	}
	if a.Min == nil && a.Max == nil && a.Desired == nil {
		errs = append(errs, errors.New("min, max, desired: set at least one"))
	}
	for _, f := range []struct {
		n string
		v *int
	}{{"min", a.Min}, {"max", a.Max}, {"desired", a.Desired}} {
		if f.v != nil && *f.v < 0 {
			errs = append(errs, fmt.Errorf("%s %d: must be ≥ 0", f.n, *f.v))
		}
	}
	if a.Min != nil && a.Max != nil && *a.Min > *a.Max {
		errs = append(errs, fmt.Errorf("min %d > max %d", *a.Min, *a.Max))
	}
	if a.Desired != nil && ((a.Min != nil && *a.Desired < *a.Min) || (a.Max != nil && *a.Desired > *a.Max)) {
		errs = append(errs, fmt.Errorf("desired %d: outside the action's min..max", *a.Desired))
	}
	return errors.Join(errs...)
}

// Next returns the first firing strictly after after, or the zero time if
// there is none (a one-shot action already past, EndTime passed, or an
// invalid action: call Validate first). A recurring action's first firing is
// at or after StartTime. Times are returned in UTC.
//
// DST (AWS documents no rule for these edges; ours follows classic cron in
// spirit, robfig/cron alone would skip the first and repeat the second): a
// local time that does not exist on a spring-forward day (02:30 in New York
// on 2026-03-08) fires once, at 03:30 EDT (02:30 read with the offset
// before the change); a local time repeated on a fall-back day fires once,
// at its first (daylight-time) occurrence.
func (a ScheduledAction) Next(after time.Time) time.Time {
	s, err := a.schedule()
	if err != nil {
		return time.Time{}
	}
	loc, _ := time.LoadLocation(a.zoneName())
	var next time.Time
	switch {
	case s == nil:
		if a.StartTime.After(after) {
			next = a.StartTime
		}
	default:
		from := after
		if !a.StartTime.IsZero() && a.StartTime.Add(-time.Nanosecond).After(after) {
			from = a.StartTime.Add(-time.Nanosecond) // StartTime itself may match
		}
		next = wallNext(s, loc, from)
	}
	if next.IsZero() || (!a.EndTime.IsZero() && next.After(a.EndTime)) {
		return time.Time{}
	}
	return next.UTC()
}

// Apply returns the group's min, max and desired after the action: the
// fields it sets replace the current ones, the others are kept
// (docs/aws-model.md §1.1: an action that omits min/max keeps the limits), and
// desired is then brought within [min, max].
func (a ScheduledAction) Apply(minSize, maxSize, desired int) (newMin, newMax, newDesired int) {
	if a.Min != nil {
		minSize = *a.Min
	}
	if a.Max != nil {
		maxSize = *a.Max
	}
	if a.Desired != nil {
		desired = *a.Desired
	}
	return minSize, maxSize, Clamp(desired, minSize, maxSize)
}
