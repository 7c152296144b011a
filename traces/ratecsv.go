package traces

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/capsim/capsim/internal/bounded"
	"github.com/capsim/capsim/sim"
)

// RateCSVOptions says how to read a rate-csv trace.
type RateCSVOptions struct {
	// TimeColumn and ValueColumn are header names; empty means the first
	// and the second column.
	TimeColumn, ValueColumn string
	// Interval is the time one row covers; 0 means the spacing of the
	// first two rows.
	Interval time.Duration
	// ValueIsRate says the value is requests per second; otherwise it is
	// requests per interval.
	ValueIsRate bool
	// Origin is the wall-clock time of simulated t = 0; zero means the
	// first row's time. Rows before it are skipped.
	Origin time.Time
	// Gaps says what missing rows spanning at least its threshold mean
	// (default: zero traffic).
	Gaps GapPolicy
}

// TraceInfo is what one pass over a trace found.
type TraceInfo struct {
	Rows     int
	Start    time.Time     // first row's time
	End      time.Time     // last row's time + Interval
	Interval time.Duration // given or inferred
	Requests float64       // total requests in the file (rate-csv: as read, before gap filling)

	// Gaps: stretches without data of at least the gap threshold, their
	// number and total length.
	GapCount int
	GapTime  time.Duration

	TimeColumn, ValueColumn string // the header names used
}

// maxTraceSpan bounds a trace's first to last time, as maxSimulated bounds
// a run: a longer trace is reported at the line that goes past it.
const maxTraceSpan = 100 * 365 * 24 * time.Hour

// The range of trace times: representable in nanoseconds with room to
// subtract any two of them.
var (
	minTraceTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTraceTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// RateCSV streams a request-rate CSV file as a sim.RateSource, one row at
// a time, so a file of any length uses constant memory.
//
// The file has a header row. Each data row has a time (Unix seconds,
// integer or fractional, or RFC 3339) and a value (requests in the row's
// interval, or requests per second with ValueIsRate). Row i covers
// [t_i, t_i + interval); times must increase by at least the interval. A
// gap longer than the interval is zero traffic (missing data is not
// modelled yet). Errors name the file and line: "nasa.csv:1203: column
// "requests": "abc" is not a number".
type RateCSV struct {
	name     string
	cr       *csv.Reader
	tcol     int
	vcol     int
	tname    string
	vname    string
	interval int64 // ns
	rate     bool
	origin   int64    // Unix ns of simulated t = 0
	first    int64    // Unix ns of the first row
	ahead    []csvRow // read (to infer the interval) but not yet used
	last     csvRow   // the last row read, for the order check
	rows     int      // data rows read so far
	cursor   int64    // Unix ns where the last segment ended
	pending  *csvRow  // a row waiting behind a gap segment
	err      error

	gaps     GapPolicy
	shift    int64   // time cut out by gaps: skip
	gapFrom  int64   // where the gap being filled started
	inGap    bool    // a gap's segments are being emitted
	lastRate float64 // the previous row's rate (gaps: interpolate)
}

type csvRow struct {
	t    int64 // Unix ns
	v    float64
	line int
}

var _ sim.RateSource = (*RateCSV)(nil)

// rateCSVFormat is a series of request counts or rates, one row per
// interval.
var rateCSVFormat = Format{Name: RateCSVFormat, Options: []string{"time_column"}}

// NewRateCSV reads the header (and, to infer the interval, the first two
// rows) of a rate-csv trace. name is used in error messages.
func NewRateCSV(r io.Reader, name string, o RateCSVOptions) (*RateCSV, error) {
	c := &RateCSV{name: name, rate: o.ValueIsRate, interval: int64(o.Interval), gaps: o.Gaps}
	c.cr = csv.NewReader(bounded.NewLineLimit(r, 0))
	c.cr.ReuseRecord = true
	c.cr.FieldsPerRecord = -1
	head, err := c.cr.Read()
	if err == io.EOF {
		return nil, c.errorf(1, "the file is empty: it needs a header row, then rows of time and value")
	}
	if err != nil {
		return nil, c.csvError(err)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\uFEFF")
	}
	cols := make([]string, len(head))
	for i, h := range head {
		cols[i] = strings.TrimSpace(h)
	}
	find := func(want string, def int) (int, error) {
		if want == "" {
			if def >= len(cols) {
				return 0, c.errorf(1, "the header has %d column(s); a rate-csv trace needs a time and a value column", len(cols))
			}
			return def, nil
		}
		for i, h := range cols {
			if h == want {
				return i, nil
			}
		}
		return 0, c.errorf(1, "no column %s in the header (columns: %s)", bounded.Quote(want), bounded.ClipTo(strings.Join(cols, ", "), 80))
	}
	if c.tcol, err = find(o.TimeColumn, 0); err != nil {
		return nil, err
	}
	if c.vcol, err = find(o.ValueColumn, 1); err != nil {
		return nil, err
	}
	if c.tcol == c.vcol {
		return nil, c.errorf(1, "time and value are both column %s: set value_column", bounded.Quote(cols[c.tcol]))
	}
	c.tname, c.vname = cols[c.tcol], cols[c.vcol]
	// Read ahead: the first row always (to know the start), the second
	// too when the interval must be inferred.
	need := 1
	if c.interval <= 0 {
		need = 2
	}
	for len(c.ahead) < need {
		row, err := c.readRow()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		c.ahead = append(c.ahead, row)
	}
	if len(c.ahead) == 0 {
		return nil, c.errorf(2, "no data rows after the header")
	}
	if c.interval <= 0 {
		if len(c.ahead) < 2 {
			return nil, c.errorf(c.ahead[0].line, "one data row is not enough to infer the interval: set interval")
		}
		c.interval = c.ahead[1].t - c.ahead[0].t
		if c.interval <= 0 {
			return nil, c.errorf(c.ahead[1].line, "column %s: time %s is not after the previous row's", bounded.Quote(c.tname), fmtUnix(c.ahead[1].t))
		}
	}
	if err := c.checkRate(c.ahead...); err != nil {
		return nil, err
	}
	c.origin = c.ahead[0].t
	if !o.Origin.IsZero() {
		c.origin = o.Origin.UnixNano()
	}
	c.cursor = math.MinInt64
	return c, nil
}

// Start is the first row's time.
func (c *RateCSV) Start() time.Time { return time.Unix(0, c.first).UTC() }

// Interval is the time one row covers.
func (c *RateCSV) Interval() time.Duration { return time.Duration(c.interval) }

func (c *RateCSV) errorf(line int, format string, a ...any) error {
	return fmt.Errorf("%s:%d: %s", c.name, line, fmt.Sprintf(format, a...))
}

func (c *RateCSV) csvError(err error) error {
	var long *bounded.LineTooLongError
	if errors.As(err, &long) {
		return c.errorf(long.Line, "the line is longer than %s: not a rate-csv row", bounded.Size(int64(long.Max)))
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return c.errorf(max(1, pe.Line), "%v", pe.Err)
	}
	return fmt.Errorf("%s: %w", c.name, err)
}

// readRow reads and parses the next data row, checking it comes at least
// one interval after the previous one (when the interval is known).
func (c *RateCSV) readRow() (csvRow, error) {
	rec, err := c.cr.Read()
	if err != nil {
		if err == io.EOF {
			return csvRow{}, io.EOF
		}
		return csvRow{}, c.csvError(err)
	}
	line, _ := c.cr.FieldPos(0)
	if need := max(c.tcol, c.vcol) + 1; len(rec) < need {
		return csvRow{}, c.errorf(line, "the row has %d field(s); column %s is field %d", len(rec), bounded.Quote(c.colName(need-1)), need)
	}
	t, err := parseTraceTime(strings.TrimSpace(rec[c.tcol]))
	if err != nil {
		return csvRow{}, c.errorf(line, "column %s: %v", bounded.Quote(c.tname), err)
	}
	vs := strings.TrimSpace(rec[c.vcol])
	v, err := strconv.ParseFloat(vs, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return csvRow{}, c.errorf(line, "column %s: %s is out of range", bounded.Quote(c.vname), bounded.Quote(vs))
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		return csvRow{}, c.errorf(line, "column %s: %s is not a number", bounded.Quote(c.vname), bounded.Quote(vs))
	case v < 0:
		return csvRow{}, c.errorf(line, "column %s: %s is negative", bounded.Quote(c.vname), bounded.Quote(vs))
	}
	row := csvRow{t: t, v: v, line: line}
	if c.rows > 0 {
		prev := c.last
		if row.t <= prev.t {
			return csvRow{}, c.errorf(line, "column %s: time %s is not after the previous row's (%s, line %d): rows must be in increasing time", bounded.Quote(c.tname), fmtUnix(row.t), fmtUnix(prev.t), prev.line)
		}
		if c.interval > 0 && row.t-prev.t < c.interval {
			return csvRow{}, c.errorf(line, "column %s: time %s is only %v after the previous row's, less than the interval %v", bounded.Quote(c.tname), fmtUnix(row.t), time.Duration(row.t-prev.t), time.Duration(c.interval))
		}
	}
	if c.interval > 0 {
		if err := c.checkRate(row); err != nil {
			return csvRow{}, err
		}
	}
	if c.rows == 0 {
		c.first = row.t
	}
	c.rows++
	c.last = row
	return row, nil
}

func (c *RateCSV) colName(i int) string {
	if i == c.tcol {
		return c.tname
	}
	return c.vname
}

// checkRate rejects values whose rate overflows.
func (c *RateCSV) checkRate(rows ...csvRow) error {
	for _, r := range rows {
		if x := c.rateOf(r); math.IsInf(x, 0) || x > MaxRate {
			return c.errorf(r.line, "column %s: %g per %v is more than %g requests per second", bounded.Quote(c.vname), r.v, time.Duration(c.interval), float64(MaxRate))
		}
	}
	return nil
}

// MaxRate bounds a trace's rate (requests per second): far above any real
// service, low enough that scaled rates stay finite.
const MaxRate = 1e12

func (c *RateCSV) rateOf(r csvRow) float64 {
	if c.rate {
		return r.v
	}
	return r.v / (float64(c.interval) / 1e9)
}

// nextRow returns the next data row: first those read ahead, then the file's.
func (c *RateCSV) nextRow() (csvRow, error) {
	if len(c.ahead) > 0 {
		r := c.ahead[0]
		c.ahead = c.ahead[1:]
		return r, nil
	}
	return c.readRow()
}

// NextSegment yields the next stretch of constant rate, in simulated time
// from the origin: a row's interval, or the zero-rate gap before a row.
// Stretches before the origin are skipped; one across it is cut there.
func (c *RateCSV) NextSegment() (sim.Segment, error) {
	for {
		if c.err != nil {
			return sim.Segment{}, c.err
		}
		var row csvRow
		if c.pending != nil {
			row, c.pending = *c.pending, nil
		} else {
			r, err := c.nextRow()
			if err != nil {
				c.err = err
				return sim.Segment{}, err
			}
			row = r
		}
		var start, end int64
		var rate float64
		if c.cursor != math.MinInt64 && row.t > c.cursor {
			if !c.inGap {
				c.gapFrom, c.inGap = c.cursor, true
			}
			mode := c.gaps.Mode
			if row.t-c.gapFrom < c.gaps.threshold() {
				mode = "zero"
			}
			switch mode {
			case "skip":
				c.shift += row.t - c.cursor
				start, end, rate = row.t, row.t+c.interval, c.rateOf(row)
				c.lastRate, c.inGap = rate, false
			case "interpolate":
				// One interval at a time, at the rate of its midpoint on
				// the line from the rate before to the rate after.
				start, end = c.cursor, min(c.cursor+c.interval, row.t)
				frac := (float64(start-c.gapFrom) + float64(end-start)/2) / float64(row.t-c.gapFrom)
				rate = c.lastRate + (c.rateOf(row)-c.lastRate)*frac
				c.pending = &row
			default:
				start, end = c.cursor, row.t
				c.pending = &row
			}
		} else {
			start, end, rate = row.t, row.t+c.interval, c.rateOf(row)
			c.lastRate, c.inGap = rate, false
		}
		c.cursor = end
		start, end = start-c.shift, end-c.shift
		if end-c.origin <= 0 {
			continue
		}
		return sim.Segment{Start: sim.Time(max(0, start-c.origin)), End: sim.Time(end - c.origin), Rate: rate}, nil
	}
}

// ScanRateCSV reads a whole rate-csv trace once, streaming, to check every
// row and to find its extent and total.
func ScanRateCSV(r io.Reader, name string, o RateCSVOptions) (TraceInfo, error) {
	c, err := NewRateCSV(r, name, o)
	if err != nil {
		return TraceInfo{}, err
	}
	info := TraceInfo{Start: c.Start(), Interval: c.Interval(), TimeColumn: c.tname, ValueColumn: c.vname}
	var last csvRow
	var shift int64
	for row, err := range c.allRows() {
		if err != nil {
			return TraceInfo{}, err
		}
		if info.Rows > 0 {
			if gap := row.t - (last.t + c.interval); gap > 0 && gap >= c.gaps.threshold() {
				info.GapCount++
				info.GapTime += time.Duration(gap)
				if c.gaps.Mode == "skip" {
					shift += gap
				}
			}
		}
		if span := time.Duration(row.t - c.first - shift); span > maxTraceSpan {
			return TraceInfo{}, c.errorf(row.line, "time %s is more than 100 years after the first row's (%s): a run covers at most 100 years of traffic", fmtUnix(row.t), fmtUnix(c.first))
		}
		info.Rows++
		info.Requests += c.rateOf(row) * c.Interval().Seconds()
		last = row
	}
	info.End = time.Unix(0, last.t+c.interval-shift).UTC()
	return info, nil
}

// parseTraceTime reads Unix seconds (integer or fractional) or an RFC 3339
// time, as Unix nanoseconds.
func parseTraceTime(s string) (int64, error) {
	var t time.Time
	if ns, ok := parseUnixSeconds(s); ok {
		t = time.Unix(0, ns)
	} else if f, err := strconv.ParseFloat(s, 64); err == nil {
		if !(f >= 0 && f < 1e10) {
			return 0, fmt.Errorf("%s is out of range for Unix seconds", bounded.Quote(s))
		}
		t = time.Unix(0, int64(f*1e9))
	} else {
		p, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return 0, fmt.Errorf("%s is neither Unix seconds nor an RFC 3339 time", bounded.Quote(s))
		}
		t = p
	}
	if t.Before(minTraceTime) || !t.Before(maxTraceTime) {
		return 0, fmt.Errorf("%s is outside 1970–2200", bounded.Quote(s))
	}
	return t.UnixNano(), nil
}

// parseUnixSeconds parses decimal seconds exactly to nanoseconds, without
// float rounding. Only non-negative values below 10^10 are accepted.
func parseUnixSeconds(s string) (int64, bool) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, false
	}
	if len(whole) > 10 || len(frac) > 9 && strings.TrimRight(frac[9:], "0") != "" {
		return 0, false
	}
	var sec int64
	for _, ch := range whole {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		sec = sec*10 + int64(ch-'0')
	}
	var ns int64
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(frac) {
			ch := frac[i]
			if ch < '0' || ch > '9' {
				return 0, false
			}
			ns += int64(ch - '0')
		}
	}
	for i := 9; i < len(frac); i++ { // trailing zeros only (checked above)
		if frac[i] != '0' {
			return 0, false
		}
	}
	return sec*1e9 + ns, true
}

func fmtUnix(ns int64) string { return time.Unix(0, ns).UTC().Format(time.RFC3339Nano) }

// Segments yields the trace's segments (see NextSegment), stopping after
// the first error (never io.EOF).
func (c *RateCSV) Segments() iter.Seq2[sim.Segment, error] { return each(c.NextSegment) }

// allRows yields the file's rows in order.
func (c *RateCSV) allRows() iter.Seq2[csvRow, error] { return each(c.nextRow) }
