package policies

import (
	"strings"
	"testing"
	"time"
)

func intPtr(v int) *int { return &v }

func mustUTC(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestScheduledDST: §1.7, a recurrence in an IANA zone keeps its local time
// across daylight-saving changes (America/New_York: EDT from 2026-03-08,
// EST from 2026-11-01).
func TestScheduledDST(t *testing.T) {
	morning := ScheduledAction{Name: "morning", Recurrence: "0 9 * * *", TimeZone: "America/New_York", Desired: intPtr(10)}
	if err := morning.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		action ScheduledAction
		after  string
		want   string
	}{
		{morning, "2026-03-07T12:00:00Z", "2026-03-07T14:00:00Z"}, // 09:00 EST
		{morning, "2026-03-07T14:00:00Z", "2026-03-08T13:00:00Z"}, // 09:00 EDT: the day clocks go forward
		{morning, "2026-10-31T12:00:00Z", "2026-10-31T13:00:00Z"}, // 09:00 EDT
		{morning, "2026-10-31T13:00:00Z", "2026-11-01T14:00:00Z"}, // 09:00 EST: the day clocks go back
		// UTC by default: no shift.
		{ScheduledAction{Recurrence: "0 9 * * *", Desired: intPtr(1)}, "2026-03-07T14:00:00Z", "2026-03-08T09:00:00Z"},
		// "30 6 * * 2": Tuesdays 06:30 (AWS's example).
		{ScheduledAction{Recurrence: "30 6 * * 2", TimeZone: "Europe/Paris", Desired: intPtr(1)}, "2026-03-26T00:00:00Z", "2026-03-31T04:30:00Z"},
		// A local time skipped by spring-forward fires once that day, at 03:30 EDT.
		{ScheduledAction{Recurrence: "30 2 * * *", TimeZone: "America/New_York", Desired: intPtr(1)}, "2026-03-08T05:00:00Z", "2026-03-08T07:30:00Z"},
		{ScheduledAction{Recurrence: "30 2 * * *", TimeZone: "America/New_York", Desired: intPtr(1)}, "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"},
		// A repeated local time on fall-back day fires once, at its first occurrence (EDT).
		{ScheduledAction{Recurrence: "30 1 * * *", TimeZone: "America/New_York", Desired: intPtr(1)}, "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z"},
		{ScheduledAction{Recurrence: "30 1 * * *", TimeZone: "America/New_York", Desired: intPtr(1)}, "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"},
		{ScheduledAction{Recurrence: "30 1 * * *", TimeZone: "America/New_York", Desired: intPtr(1)}, "2026-11-01T06:00:00Z", "2026-11-02T06:30:00Z"},
		// Every 15 minutes through the fall-back hour: the repeated wall-clock hour runs once.
		{ScheduledAction{Recurrence: "*/15 * * * *", TimeZone: "America/New_York", Desired: intPtr(1)}, "2026-11-01T05:45:00Z", "2026-11-01T07:00:00Z"},
	}
	for _, c := range cases {
		got := c.action.Next(mustUTC(c.after))
		if !got.Equal(mustUTC(c.want)) {
			t.Errorf("%v after %s: got %s, want %s", c.action, c.after, got.Format(time.RFC3339), c.want)
		}
	}
}

// TestScheduledStartEnd: one-shot actions and the start/end window (§1.7).
func TestScheduledStartEnd(t *testing.T) {
	once := ScheduledAction{Name: "launch-day", StartTime: mustUTC("2026-06-01T08:00:00Z"), Min: intPtr(5), Max: intPtr(50)}
	if err := once.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := once.Next(mustUTC("2026-05-31T00:00:00Z")); !got.Equal(once.StartTime) {
		t.Errorf("one-shot: got %v", got)
	}
	if got := once.Next(once.StartTime); !got.IsZero() {
		t.Errorf("one-shot after it fired: got %v, want none", got)
	}
	hourly := ScheduledAction{Recurrence: "0 * * * *", StartTime: mustUTC("2026-06-01T08:00:00Z"), EndTime: mustUTC("2026-06-01T10:00:00Z"), Desired: intPtr(2)}
	var fired []string
	for at := mustUTC("2026-06-01T00:00:00Z"); ; {
		at = hourly.Next(at)
		if at.IsZero() {
			break
		}
		fired = append(fired, at.Format("15:04"))
	}
	if strings.Join(fired, " ") != "08:00 09:00 10:00" {
		t.Errorf("hourly from 08:00 to 10:00 fired at %v", fired)
	}
}

func TestScheduledValidate(t *testing.T) {
	cases := []struct {
		a    ScheduledAction
		want string
	}{
		{ScheduledAction{Recurrence: "0 9 * * 1-5", TimeZone: "Asia/Tokyo", Min: intPtr(1)}, ""},
		{ScheduledAction{Recurrence: "0 9 * *", Desired: intPtr(1)}, "recurrence \"0 9 * *\": want 5 cron fields"},
		{ScheduledAction{Recurrence: "0 0 9 * * *", Desired: intPtr(1)}, "got 6"},
		{ScheduledAction{Recurrence: "@daily", Desired: intPtr(1)}, "recurrence \"@daily\""},
		{ScheduledAction{Recurrence: "61 9 * * *", Desired: intPtr(1)}, "recurrence \"61 9 * * *\""},
		{ScheduledAction{Recurrence: "0 9 * * *", TimeZone: "Mars/Olympus", Desired: intPtr(1)}, "time_zone \"Mars/Olympus\": unknown"},
		{ScheduledAction{Recurrence: "0 9 * * *"}, "set at least one"},
		{ScheduledAction{Desired: intPtr(1)}, "start_time: a one-shot action"},
		{ScheduledAction{Recurrence: "0 9 * * *", Min: intPtr(5), Max: intPtr(2)}, "min 5 > max 2"},
		{ScheduledAction{Recurrence: "0 9 * * *", Min: intPtr(1), Max: intPtr(4), Desired: intPtr(5)}, "desired 5"},
		{ScheduledAction{Recurrence: "0 9 * * *", Desired: intPtr(1), StartTime: mustUTC("2026-01-02T00:00:00Z"), EndTime: mustUTC("2026-01-01T00:00:00Z")}, "end_time"},
	}
	for _, c := range cases {
		err := c.a.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%v: got %v, want %q", c.a, err, c.want)
		}
	}
	if !(ScheduledAction{Recurrence: "bad"}).Next(mustUTC("2026-01-01T00:00:00Z")).IsZero() {
		t.Error("Next on an invalid action: want the zero time")
	}
}

// TestScheduledApply: any subset of min/max/desired; omitted limits are
// kept (§1.1, §1.7).
func TestScheduledApply(t *testing.T) {
	cases := []struct {
		a            ScheduledAction
		mn, mx, d    int
		wmn, wmx, wd int
	}{
		{ScheduledAction{Desired: intPtr(8)}, 2, 10, 4, 2, 10, 8},
		{ScheduledAction{Min: intPtr(6)}, 2, 10, 4, 6, 10, 6},
		{ScheduledAction{Max: intPtr(3)}, 2, 10, 4, 2, 3, 3},
		{ScheduledAction{Min: intPtr(0), Max: intPtr(0)}, 2, 10, 4, 0, 0, 0},
		{ScheduledAction{Desired: intPtr(20)}, 2, 10, 4, 2, 10, 10},
	}
	for _, c := range cases {
		mn, mx, d := c.a.Apply(c.mn, c.mx, c.d)
		if mn != c.wmn || mx != c.wmx || d != c.wd {
			t.Errorf("%v on %d/%d/%d: got %d/%d/%d, want %d/%d/%d", c.a, c.mn, c.mx, c.d, mn, mx, d, c.wmn, c.wmx, c.wd)
		}
	}
}
