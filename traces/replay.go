package traces

import (
	"fmt"
	"io"
	"iter"
	"time"

	"github.com/capsim/capsim/sim"
)

var _ sim.RequestSource = (*LogReplay)(nil)

// LogReplay turns a RequestLog into the engine's sim.RequestSource: times
// from Origin, divided by Speedup; requests before Origin are skipped.
type LogReplay struct {
	Log     *RequestLog
	Origin  time.Time
	Speedup float64
}

// NextRequest yields the next request in simulated time.
func (r *LogReplay) NextRequest() (sim.Request, error) {
	origin := r.Origin.UnixNano()
	for {
		rec, err := r.Log.Next()
		if err != nil {
			return sim.Request{}, err
		}
		d := rec.At - origin
		if d < 0 {
			continue
		}
		at := sim.Time(d)
		if r.Speedup > 0 && r.Speedup != 1 {
			at = sim.Time(float64(d) / r.Speedup)
		}
		return sim.Request{At: at, Demand: rec.Demand}, nil
	}
}

// ScanLog reads a whole log once, streaming, to check every line and to
// find its extent. Rows counts requests; End is one second after the last
// request (a one-second-resolution log's last second is whole).
func ScanLog(r io.Reader, name, format string, o LogOptions) (TraceInfo, LogStats, error) {
	l, err := NewRequestLog(r, name, format, o)
	if err != nil {
		return TraceInfo{}, LogStats{}, err
	}
	var info TraceInfo
	var last int64
	for rec, err := range l.Records() {
		if err != nil {
			return TraceInfo{}, l.Stats(), err
		}
		if info.Rows == 0 {
			info.Start = time.Unix(0, rec.At).UTC()
		}
		if time.Duration(rec.At-info.Start.UnixNano()) > maxTraceSpan {
			return TraceInfo{}, l.Stats(), l.errorf(rec.Line, "time %s is more than 100 years after the log's first request (%s): a run covers at most 100 years of traffic",
				fmtUnix(rec.At), fmtUnix(info.Start.UnixNano()))
		}
		info.Rows++
		last = rec.At
	}
	info.Requests = float64(info.Rows)
	info.End = time.Unix(0, last).UTC().Add(time.Second)
	return info, l.Stats(), nil
}

// ScanLogLine parses one line of a line format such as clf or alb (for
// guessing a file's format).
func ScanLogLine(line, format string) (LogRecord, error) {
	f, ok := Lookup(format)
	if !ok || !f.sniffed {
		return LogRecord{}, fmt.Errorf("not a line format: %s", format)
	}
	return f.scanLine(line)
}

// Records yields the log's requests in time order, stopping after the
// first error (never io.EOF).
func (l *RequestLog) Records() iter.Seq2[LogRecord, error] { return each(l.Next) }
