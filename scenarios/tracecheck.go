package scenarios

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/capsim/capsim/traces"
)

// isLog says the trace is a request log replayed by its timestamps.
func (t *Trace) isLog() bool { return t != nil && traces.IsLogFormat(t.Format) }

// traceOptionKeys are the traffic.trace keys that apply to some formats
// only (traces.Format.Takes), in the order they are checked.
var traceOptionKeys = []string{"value_column", "interval", "value_is", "time_column", "duration_column", "time_zone", "demand", "reorder_window", "max_bad_lines", "spread"}

// traceExtras checks the settings of request logs and gaps, and rejects
// those that do not apply to the trace's format.
func (c *checker) traceExtras() {
	const p = "traffic.trace"
	t := c.s.Traffic.Trace
	log := t.isLog()
	f, ok := traces.Lookup(t.Format)
	if !ok { // reported; check the keys as for a rate series of no options
		f = &traces.Format{Name: t.Format}
	}
	for _, k := range traceOptionKeys {
		if c.given(p+"."+k) && !f.Takes(k) {
			c.bad(p+"."+k, "applies to %s only, not format %s", traces.Taking(k), t.Format)
		}
	}
	if !log {
		c.enum(p+".value_is", &t.ValueIs, "count", "count", "rate")
	}
	c.enum(p+".gaps", &t.Gaps, "zero", "zero", "skip", "interpolate")
	if !c.has(p + ".gap_threshold") {
		t.GapThreshold = Duration(traces.DefaultGapThreshold)
	} else if t.GapThreshold <= 0 {
		c.bad(p+".gap_threshold", "must be greater than 0, got %v", t.GapThreshold)
	}
	if t.TimeZone != "" {
		if _, err := time.LoadLocation(t.TimeZone); err != nil {
			c.bad(p+".time_zone", "unknown time zone %q (an IANA name such as America/New_York, or UTC)", t.TimeZone)
		}
	}
	if log {
		if !c.has(p + ".reorder_window") {
			t.ReorderWindow = Duration(traces.DefaultReorderWindow)
		} else if t.ReorderWindow < 0 {
			c.bad(p+".reorder_window", "must not be negative, got %v", t.ReorderWindow)
		}
		if t.Spread < 0 || t.Spread > Duration(time.Hour) {
			c.bad(p+".spread", "must be between 0s and 1h, got %v", t.Spread)
		}
		if t.MaxBadLines < 0 {
			c.bad(p+".max_bad_lines", "must not be negative, got %d", t.MaxBadLines)
		}
		if c.has("traffic.scale") && c.s.Traffic.Scale != 1 {
			c.bad("traffic.scale", "a request log replays its recorded requests: scale applies to rate traces and synthetic shapes (use speedup to compress time)")
		}
		if c.given("traffic.arrivals") {
			c.bad("traffic.arrivals", "a request log replays its recorded arrival times: leave arrivals out")
		}
	}
	if d := t.Demand; d != nil && c.ok(p+".demand") {
		if !c.given(p + ".demand.column") {
			c.bad(p+".demand", "needs column, the field whose value drives demand")
		}
		if !c.given(p + ".demand.seconds_per_unit") {
			c.bad(p+".demand", "needs seconds_per_unit, CPU seconds per unit of the column")
		} else if d.SecondsPerUnit < 0 || d.SecondsPerUnit > 1e6 {
			c.bad(p+".demand.seconds_per_unit", "must be between 0 and 1e6, got %g", d.SecondsPerUnit)
		}
		if d.Base < 0 {
			c.bad(p+".demand.base", "must not be negative, got %v", d.Base)
		}
	}
}

// logOptions are the reader settings of a request log.
func (s *Scenario) logOptions() traces.LogOptions {
	t := s.Traffic.Trace
	o := traces.LogOptions{
		TimeColumn:     t.TimeColumn,
		DurationColumn: t.DurationColumn,
		Demand:         t.demand(),
		ReorderWindow:  t.ReorderWindow.D(),
		MaxBadLines:    t.MaxBadLines,
		Gaps:           t.gapPolicy(),
		Spread:         t.Spread.D(),
	}
	if t.TimeZone != "" {
		o.Location, _ = time.LoadLocation(t.TimeZone)
	}
	return o
}

func (t *Trace) gapPolicy() traces.GapPolicy {
	return traces.GapPolicy{Mode: t.Gaps, Threshold: t.GapThreshold.D()}
}

// scanLog reads the whole log once (Parse), to report a bad line before
// anything runs and to find the log's extent.
func (c *checker) scanLog(f io.Reader, shown string) {
	const p = "traffic.trace"
	t := c.s.Traffic.Trace
	info, stats, err := traces.ScanLog(f, shown, t.Format, c.s.logOptions())
	if err != nil {
		c.bad(p+".file", "%v", err)
		return
	}
	c.s.trace = &info
	c.s.logs = &stats
}

// LogStats is what Parse found reading the scenario's request log (lines
// skipped, gaps), or nil when the traffic is not a log.
func (s *Scenario) LogStats() *traces.LogStats { return s.logs }

// buildRequests makes the replay of a request log, in simulated time.
func (s *Scenario) buildRequests() (*traces.LogReplay, io.Closer, error) {
	t := s.Traffic.Trace
	f, shown, err := s.openTrace()
	if err != nil {
		return nil, nil, s.errorAt("traffic.trace.file", "%v", err)
	}
	l, err := traces.NewRequestLog(f, shown, t.Format, s.logOptions())
	if err != nil {
		f.Close()
		return nil, nil, s.errorAt("traffic.trace.file", "%v", err)
	}
	return &traces.LogReplay{Log: l, Origin: s.Start, Speedup: s.Traffic.Speedup}, f, nil
}

// demand is the reader's model of the trace's demand, nil without one.
func (t *Trace) demand() *traces.Demand {
	if t.Demand == nil {
		return nil
	}
	return &traces.Demand{Column: t.Demand.Column, SecondsPerUnit: t.Demand.SecondsPerUnit, Base: t.Demand.Base.D()}
}

// traceFields checks the trace settings without opening the file.
func (c *checker) traceFields() {
	const p = "traffic.trace"
	t := c.s.Traffic.Trace
	if t == nil { // failed to decode: reported
		return
	}
	if !c.given(p + ".file") {
		c.bad(p, "needs file, the trace's path (relative to the scenario file)")
	}
	if !c.given(p + ".format") {
		c.bad(p, "needs format: %s", traces.OrList(traces.Names(), "or"))
	} else if _, ok := traces.Lookup(t.Format); !ok {
		c.bad(p+".format", "unknown format %q%s", t.Format, choices(t.Format, traces.Names()))
	}
	if c.has(p+".interval") && t.Interval <= 0 {
		c.bad(p+".interval", "must be greater than 0, got %v", t.Interval)
	}
	c.traceExtras()
}

// trace checks the trace settings, then reads the whole file once.
func (c *checker) trace() {
	const p = "traffic.trace"
	t := c.s.Traffic.Trace
	c.traceFields()
	if t == nil || !c.ok(p) || hasErrorUnder(c.d.Errs, p) {
		return
	}
	f, shown, err := c.s.openTrace()
	if err != nil {
		c.bad(p+".file", "%v", err)
		return
	}
	defer f.Close()
	if t.isLog() {
		c.scanLog(f, shown)
		return
	}
	info, err := traces.ScanRateCSV(f, shown, c.s.traceOptions())
	if err != nil {
		c.bad(p+".file", "%v", err)
		return
	}
	c.s.trace = &info
	t.TimeColumn, t.ValueColumn, t.Interval = info.TimeColumn, info.ValueColumn, Duration(info.Interval)
}

func hasErrorUnder(es Errors, path string) bool {
	for _, e := range es {
		if e.Field == path || strings.HasPrefix(e.Field, path+".") {
			return true
		}
	}
	return false
}

// openTrace opens the trace file; shown is its name for messages (as the
// scenario wrote it).
func (s *Scenario) openTrace() (*traces.Input, string, error) {
	t := s.Traffic.Trace
	if t == nil || t.File == "" {
		return nil, "", fmt.Errorf("no trace file given")
	}
	path := t.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(s.dir, path)
	}
	f, err := traces.OpenInput(path)
	if err != nil {
		why := err
		if pe, ok := err.(*os.PathError); ok {
			why = pe.Err
		}
		if path != t.File {
			return nil, "", fmt.Errorf("cannot open trace %s (resolved to %s, relative to the scenario file): %v", t.File, path, why)
		}
		return nil, "", fmt.Errorf("cannot open trace %s: %v", t.File, why)
	}
	return f, t.File, nil
}

func (s *Scenario) traceOptions() traces.RateCSVOptions {
	t := s.Traffic.Trace
	return traces.RateCSVOptions{
		TimeColumn:  t.TimeColumn,
		ValueColumn: t.ValueColumn,
		Interval:    t.Interval.D(),
		ValueIsRate: t.ValueIs == "rate",
		Gaps:        t.gapPolicy(),
	}
}
