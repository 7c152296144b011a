package traces

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// LogOptions says how to read a request log: a requests-csv file, a Common
// or Combined Log Format file (clf) or an AWS ALB access log (alb).
type LogOptions struct {
	// TimeColumn (requests-csv) is the header name of the timestamp
	// column; empty means the first column.
	TimeColumn string
	// DurationColumn (requests-csv) names a column of recorded service
	// times (seconds, or Go durations such as 250ms), used for fitting.
	DurationColumn string
	// Demand, when set, gives each request its CPU demand from one of its
	// numeric fields; otherwise the workload's distribution is sampled.
	Demand *Demand
	// Location is the zone of timestamps that carry none (requests-csv);
	// nil means UTC. CLF and ALB timestamps carry their own.
	Location *time.Location
	// ReorderWindow is how far back in time a line may be and still be
	// sorted into place (default 5s when negative; 0 means in order).
	ReorderWindow time.Duration
	// MaxBadLines is how many unparseable lines are skipped (and counted)
	// before the reader gives up.
	MaxBadLines int
	// Gaps is what to do with stretches without data.
	Gaps GapPolicy
	// Spread, when positive, spreads the requests that share a timestamp
	// evenly over [t, t + Spread) (never past the next timestamp): a log of
	// whole seconds then arrives through each second instead of in bursts
	// at its start, with the per-second counts unchanged (Spread ≤ 1s).
	Spread time.Duration
}

// Demand is a linear model of a request's CPU demand:
// base + seconds_per_unit × the value of column. For a clf log the
// columns are bytes and status; for an alb log request_processing_time,
// target_processing_time, response_processing_time, received_bytes and
// sent_bytes; for requests-csv any header name. A request whose value is
// missing (or -1 in an ALB log) gets a sample of the workload's
// service_time instead.
type Demand struct {
	Column         string
	SecondsPerUnit float64
	Base           time.Duration
}

// GapPolicy says what a stretch of at least Threshold without data (no
// rows, no log lines) means. Mode "zero" (the default) replays it as no
// traffic; "skip" cuts it out, moving everything after it earlier by its
// length; "interpolate" fills it with the rate ramping linearly from the
// rate just before it to the rate just after (for logs: evenly spaced
// requests at that rate, measured over the minute on each side).
type GapPolicy struct {
	Mode      string
	Threshold time.Duration // default 5m
}

// DefaultReorderWindow and DefaultGapThreshold are the scenario defaults.
const (
	DefaultReorderWindow = 5 * time.Second
	DefaultGapThreshold  = 5 * time.Minute
	// maxReorderBuffer bounds the lines held for sorting.
	maxReorderBuffer = 4 << 20
	// interpolationSpan is how much traffic either side of a log gap
	// measures the rates the fill ramps between.
	interpolationSpan = int64(time.Minute)
)

func (g GapPolicy) threshold() int64 {
	if g.Threshold <= 0 {
		return int64(DefaultGapThreshold)
	}
	return int64(g.Threshold)
}

// LogRecord is one request read from a log.
type LogRecord struct {
	At       int64   // Unix nanoseconds (after a gap policy's shift)
	Line     int     // line in the file (for a filled-in request: the line after the gap)
	Demand   float64 // CPU seconds; negative: sample the workload's distribution
	Duration float64 // recorded service time in seconds; NaN when the log has none
	Filled   bool    // made up by gaps: interpolate
}

// Gap is a stretch without data, in the log's own times.
type Gap struct {
	From, To time.Time
	Line     int // the first line after it
}

// LogStats counts what a reader has seen so far.
type LogStats struct {
	Requests  int64 // records returned (filled-in ones included)
	Filled    int64 // made up by gaps: interpolate
	Bad       int   // lines skipped as unparseable
	FirstBad  []int // the first few of them
	BadReason string
	Reordered int64 // lines that came earlier than one before them
	Gaps      []Gap // the first maxListedGaps gaps
	GapCount  int
	GapTime   time.Duration
}

const (
	maxListedBad  = 10
	maxListedGaps = 1000
)

// badLine is a line a format parser could not read; the reader skips up
// to MaxBadLines of them.
type badLine struct {
	line int
	err  error
}

func (b *badLine) Error() string { return fmt.Sprintf("line %d: %v", b.line, b.err) }

// rawSource yields parsed records in file order, a *badLine for a line it
// cannot parse, and io.EOF at the end.
type rawSource interface {
	next() (LogRecord, error)
}

// RequestLog streams a request log in time order. It holds at most the
// lines of one reorder window (plus, with gaps: interpolate, one minute
// after a gap), never the file.
type RequestLog struct {
	name   string
	src    rawSource
	window int64
	maxBad int
	gaps   GapPolicy
	stats  LogStats

	heap    recHeap
	seq     uint64
	maxSeen int64
	maxLine int
	seen    bool
	eof     bool
	err     error

	ahead []LogRecord // sorted records read ahead (interpolation)

	spread int64       // LogOptions.Spread
	group  []LogRecord // records of one timestamp, spread
	gi     int         // next of group to return
	peek   *LogRecord  // the first record after the group

	started bool
	prevRaw int64 // the last real record's time before shifting
	shift   int64 // total time cut out by gaps: skip
	recent  [60]int64
	recentS int64 // second of recent[last]

	fill   fillState
	queued *LogRecord // the record behind a fill
}

type fillState struct {
	active bool
	from   int64   // output time the gap starts
	a, b   float64 // Λ(t) = b·t + a·t² (t in seconds from `from`)
	k, n   int64
	line   int
}

// NewRequestLog starts reading a log of the given format (LogNames).
// name is used in error messages. An empty file, or one with no parseable
// line, is an error when the first record is asked for.
func NewRequestLog(r io.Reader, name, format string, o LogOptions) (*RequestLog, error) {
	f, ok := Lookup(format)
	if !ok || !f.Log {
		return nil, fmt.Errorf("%s: unknown log format %q (known: %s)", name, format, strings.Join(LogNames(), ", "))
	}
	src, err := f.open(r, name, o)
	if err != nil {
		return nil, err
	}
	l := &RequestLog{name: name, src: src, window: int64(o.ReorderWindow), maxBad: o.MaxBadLines, gaps: o.Gaps, spread: max(0, int64(o.Spread))}
	if l.window < 0 {
		l.window = int64(DefaultReorderWindow)
	}
	if l.gaps.Mode == "" {
		l.gaps.Mode = "zero"
	}
	return l, nil
}

// Stats is what the reader has counted so far.
func (l *RequestLog) Stats() LogStats { return l.stats }

func (l *RequestLog) errorf(line int, format string, a ...any) error {
	return fmt.Errorf("%s:%d: %s", l.name, line, fmt.Sprintf(format, a...))
}

// Next returns the next request in time order, io.EOF after the last.
func (l *RequestLog) Next() (LogRecord, error) {
	if l.err != nil {
		return LogRecord{}, l.err
	}
	rec, err := l.next()
	if err != nil {
		if err == io.EOF && l.stats.Requests == 0 {
			err = l.emptyError()
		}
		l.err = err
		return LogRecord{}, err
	}
	l.stats.Requests++
	if rec.Filled {
		l.stats.Filled++
	}
	return rec, nil
}

func (l *RequestLog) emptyError() error {
	if l.stats.Bad > 0 {
		return l.errorf(l.stats.FirstBad[0], "no line could be read (%d skipped; the first: %s)", l.stats.Bad, l.stats.BadReason)
	}
	if cs, ok := l.src.(*requestsCSVSource); ok {
		return l.errorf(max(2, cs.lastLine+1), "no requests after the header")
	}
	return l.errorf(1, "the file is empty: no requests")
}

func (l *RequestLog) next() (LogRecord, error) {
	if l.fill.active {
		if r, ok := l.nextFill(); ok {
			return r, nil
		}
	}
	if l.queued != nil {
		r := *l.queued
		l.queued = nil
		return r, nil
	}
	rec, err := l.sorted()
	if err != nil {
		return LogRecord{}, err
	}
	raw := rec.At
	isGap := l.started && raw-l.prevRaw >= l.gaps.threshold()
	before := l.lastMinute()
	l.count(raw)
	if isGap {
		gap := raw - l.prevRaw
		l.stats.GapCount++
		l.stats.GapTime += time.Duration(gap)
		if len(l.stats.Gaps) < maxListedGaps {
			l.stats.Gaps = append(l.stats.Gaps, Gap{From: time.Unix(0, l.prevRaw).UTC(), To: time.Unix(0, raw).UTC(), Line: rec.Line})
		}
		switch l.gaps.Mode {
		case "skip":
			l.shift += gap
		case "interpolate":
			if err := l.startFill(rec, gap, before); err != nil {
				return LogRecord{}, err
			}
		}
	}
	l.started = true
	l.prevRaw = raw
	rec.At = raw - l.shift
	if l.fill.active {
		if r, ok := l.nextFill(); ok {
			l.queued = &rec
			return r, nil
		}
	}
	return rec, nil
}

// count keeps per-second request counts of the last minute (for the rate
// before a gap).
func (l *RequestLog) count(at int64) {
	s := floorDiv(at, int64(time.Second))
	if !l.started || s-l.recentS >= int64(len(l.recent)) {
		l.recent = [60]int64{}
	} else {
		for x := l.recentS + 1; x <= s; x++ {
			l.recent[mod(x, int64(len(l.recent)))] = 0
		}
	}
	if !l.started || s > l.recentS {
		l.recentS = s
	}
	l.recent[mod(s, int64(len(l.recent)))]++
}

// lastMinute is the number of requests in the minute before the last one.
func (l *RequestLog) lastMinute() int64 {
	var n int64
	for _, x := range l.recent {
		n += x
	}
	return n
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func mod(a, b int64) int64 { return ((a % b) + b) % b }

// startFill plans the requests that fill a gap before rec: evenly spaced
// in Λ(t) = ∫ r(t) dt with r ramping from the last minute's rate before
// the gap to the first minute's rate after it.
func (l *RequestLog) startFill(rec LogRecord, gap, before int64) error {
	// Read ahead one minute after the gap.
	for !l.eof && (len(l.ahead) == 0 || l.ahead[len(l.ahead)-1].At < rec.At+interpolationSpan) {
		r, err := l.sortedFromFile()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		l.ahead = append(l.ahead, r)
	}
	after := int64(1) // rec
	for _, r := range l.ahead {
		if r.At < rec.At+interpolationSpan {
			after++
		}
	}
	span := float64(interpolationSpan) / 1e9
	r0, r1 := float64(before)/span, float64(after)/span
	g := float64(gap) / 1e9
	total := (r0 + r1) / 2 * g
	l.fill = fillState{active: true, from: l.prevRaw - l.shift, b: r0, a: (r1 - r0) / (2 * g), n: int64(math.Floor(total + 0.5)), line: rec.Line}
	return nil
}

// nextFill returns the fill's next request: the k-th at Λ(t) = k − ½.
func (l *RequestLog) nextFill() (LogRecord, bool) {
	f := &l.fill
	if f.k >= f.n {
		f.active = false
		return LogRecord{}, false
	}
	f.k++
	y := float64(f.k) - 0.5
	disc := f.b*f.b + 4*f.a*y
	t := 0.0
	if d := f.b + math.Sqrt(math.Max(0, disc)); d > 0 {
		t = 2 * y / d
	}
	return LogRecord{At: f.from + int64(t*1e9), Line: f.line, Demand: -1, Duration: math.NaN(), Filled: true}, true
}

// sorted is the next record in time order: read ahead first, then the
// file through the reorder buffer.
func (l *RequestLog) sorted() (LogRecord, error) {
	if len(l.ahead) > 0 {
		r := l.ahead[0]
		l.ahead = l.ahead[1:]
		return r, nil
	}
	return l.sortedFromFile()
}

// sortedFromFile is the file's next record in time order, spread within
// its timestamp when asked.
func (l *RequestLog) sortedFromFile() (LogRecord, error) {
	if l.spread == 0 {
		return l.reordered()
	}
	if l.gi < len(l.group) {
		l.gi++
		return l.group[l.gi-1], nil
	}
	l.group, l.gi = l.group[:0], 0
	var first LogRecord
	if l.peek != nil {
		first, l.peek = *l.peek, nil
	} else {
		r, err := l.reordered()
		if err != nil {
			return LogRecord{}, err
		}
		first = r
	}
	l.group = append(l.group, first)
	width := l.spread
	for {
		r, err := l.reordered()
		if err == io.EOF {
			break
		}
		if err != nil {
			return LogRecord{}, err
		}
		if r.At != first.At {
			l.peek = &r
			width = min(width, r.At-first.At)
			break
		}
		if len(l.group) >= maxReorderBuffer {
			return LogRecord{}, l.errorf(r.Line, "more than %d requests share the timestamp %s: spread cannot hold them", maxReorderBuffer, fmtUnix(r.At))
		}
		l.group = append(l.group, r)
	}
	n := int64(len(l.group))
	for i := range l.group {
		l.group[i].At = first.At + (2*int64(i)+1)*width/(2*n)
	}
	l.gi = 1
	return l.group[0], nil
}

// reordered releases a record once the newest time read is at least one
// window past it, so a line up to the window earlier than one before it
// still finds its place.
func (l *RequestLog) reordered() (LogRecord, error) {
	for {
		if l.heap.len() > 0 && (l.eof || l.heap.min().At <= l.maxSeen-l.window) {
			return l.heap.pop(), nil
		}
		if l.eof {
			return LogRecord{}, io.EOF
		}
		rec, err := l.src.next()
		if err == io.EOF {
			l.eof = true
			continue
		}
		var bad *badLine
		if errors.As(err, &bad) {
			l.stats.Bad++
			if len(l.stats.FirstBad) < maxListedBad {
				l.stats.FirstBad = append(l.stats.FirstBad, bad.line)
			}
			if l.stats.Bad == 1 {
				l.stats.BadReason = fmt.Sprintf("line %d: %v", bad.line, bad.err)
			}
			if l.stats.Bad > l.maxBad {
				msg := bad.err.Error()
				if l.maxBad > 0 {
					msg += fmt.Sprintf(" (more than max_bad_lines = %d bad lines; the first was line %d)", l.maxBad, l.stats.FirstBad[0])
				}
				return LogRecord{}, l.errorf(bad.line, "%s", msg)
			}
			continue
		}
		var long *lineTooLong
		if errors.As(err, &long) {
			return LogRecord{}, l.errorf(long.line, "%v", err)
		}
		if err != nil {
			return LogRecord{}, err
		}
		if l.seen && rec.At < l.maxSeen-l.window {
			return LogRecord{}, l.errorf(rec.Line, "time %s is %v earlier than line %d's (%s), more than the reorder window %v: sort the file or widen reorder_window",
				fmtUnix(rec.At), time.Duration(l.maxSeen-rec.At), l.maxLine, fmtUnix(l.maxSeen), time.Duration(l.window))
		}
		if l.seen && rec.At < l.maxSeen {
			l.stats.Reordered++
		}
		if !l.seen || rec.At >= l.maxSeen {
			l.maxSeen, l.maxLine, l.seen = rec.At, rec.Line, true
		}
		if l.heap.len() >= maxReorderBuffer {
			return LogRecord{}, l.errorf(rec.Line, "more than %d requests within one reorder window (%v): narrow reorder_window", maxReorderBuffer, time.Duration(l.window))
		}
		l.seq++
		l.heap.push(heapRec{LogRecord: rec, seq: l.seq})
	}
}
