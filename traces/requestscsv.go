package traces

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/capsim/capsim/internal/bounded"
)

// requestsCSVSource reads a requests-csv log: a header row, then one row
// per request with its timestamp and, optionally, a recorded duration and
// the column a demand model reads. Timestamps are Unix seconds (with any
// fraction; small values are offsets from 1970-01-01, so a file of offsets
// replays from the start), RFC 3339, or "2006-01-02 15:04:05.999999999"
// without a zone (then in LogOptions.Location, default UTC).
type requestsCSVSource struct {
	name     string
	cr       *csv.Reader
	loc      *time.Location
	tcol     int
	dcol     int // duration column or -1
	mcol     int // demand column or -1
	model    *Demand
	need     int
	cols     []string
	lastLine int
}

// requestsCSVFormat is a CSV of one request a row, with a header.
var requestsCSVFormat = Format{Name: "requests-csv", Log: true, Durations: true,
	Options: []string{"time_column", "duration_column", "time_zone"},
	open: func(r io.Reader, name string, o LogOptions) (rawSource, error) {
		return newRequestsCSVSource(r, name, o)
	}}

func newRequestsCSVSource(r io.Reader, name string, o LogOptions) (*requestsCSVSource, error) {
	s := &requestsCSVSource{name: name, loc: o.Location, dcol: -1, mcol: -1, model: o.Demand}
	if s.loc == nil {
		s.loc = time.UTC
	}
	s.cr = csv.NewReader(bounded.NewLineLimit(r, 0))
	s.cr.ReuseRecord = true
	s.cr.FieldsPerRecord = -1
	head, err := s.cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s:1: the file is empty: it needs a header row, then one row per request", name)
	}
	if err != nil {
		var bad *badLine
		if e := s.csvError(err); errors.As(e, &bad) {
			return nil, fmt.Errorf("%s:%d: the header: %v", name, bad.line, bad.err)
		}
		return nil, s.csvError(err)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\uFEFF")
	}
	for _, h := range head {
		s.cols = append(s.cols, strings.TrimSpace(h))
	}
	s.lastLine = 1
	find := func(what, want string) (int, error) {
		for i, h := range s.cols {
			if h == want {
				return i, nil
			}
		}
		return 0, fmt.Errorf("%s:1: %s: no column %s in the header (columns: %s)", name, what, bounded.Quote(want), bounded.ClipTo(strings.Join(s.cols, ", "), 80))
	}
	if o.TimeColumn != "" {
		if s.tcol, err = find("time_column", o.TimeColumn); err != nil {
			return nil, err
		}
	}
	if o.DurationColumn != "" {
		if s.dcol, err = find("duration_column", o.DurationColumn); err != nil {
			return nil, err
		}
	}
	if o.Demand != nil {
		if s.mcol, err = find("demand.column", o.Demand.Column); err != nil {
			return nil, err
		}
	}
	s.need = max(s.tcol, s.dcol, s.mcol) + 1
	return s, nil
}

func (s *requestsCSVSource) csvError(err error) error {
	var long *bounded.LineTooLongError
	if errors.As(err, &long) {
		// Not a bad line to skip: the rest of it could be endless.
		return fmt.Errorf("%s:%d: the line is longer than %s: not a requests-csv row", s.name, long.Line, bounded.Size(int64(long.Max)))
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &badLine{max(1, pe.Line), pe.Err}
	}
	return fmt.Errorf("%s: %w", s.name, err)
}

func (s *requestsCSVSource) next() (LogRecord, error) {
	rec, err := s.cr.Read()
	if err == io.EOF {
		return LogRecord{}, io.EOF
	}
	if err != nil {
		return LogRecord{}, s.csvError(err)
	}
	line, _ := s.cr.FieldPos(0)
	s.lastLine = line
	if len(rec) < s.need {
		return LogRecord{}, &badLine{line, fmt.Errorf("the row has %d field(s); the header has %d", len(rec), len(s.cols))}
	}
	at, err := parseLogTime(strings.TrimSpace(rec[s.tcol]), s.loc)
	if err != nil {
		return LogRecord{}, &badLine{line, fmt.Errorf("column %s: %v", bounded.Quote(s.cols[s.tcol]), err)}
	}
	r := LogRecord{At: at, Line: line, Demand: -1, Duration: math.NaN()}
	if s.dcol >= 0 {
		if v := strings.TrimSpace(rec[s.dcol]); v != "" { // empty: not recorded
			d, err := parseSeconds(v)
			if err != nil {
				return LogRecord{}, &badLine{line, fmt.Errorf("column %s: %v", bounded.Quote(s.cols[s.dcol]), err)}
			}
			r.Duration = d
		}
	}
	if v := strings.TrimSpace(rec[max(s.mcol, 0)]); s.mcol >= 0 && v != "" {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return LogRecord{}, &badLine{line, fmt.Errorf("column %s: %s is not a non-negative number", bounded.Quote(s.cols[s.mcol]), bounded.Quote(v))}
		}
		r.Demand = s.model.Base.Seconds() + s.model.SecondsPerUnit*x
		if math.IsInf(r.Demand, 0) || r.Demand > 1e9 {
			return LogRecord{}, &badLine{line, fmt.Errorf("column %s: %s gives a demand of %g s", bounded.Quote(s.cols[s.mcol]), bounded.Quote(v), r.Demand)}
		}
	}
	return r, nil
}

// parseSeconds reads a duration as seconds ("0.25") or a Go duration
// ("250ms"); it must not be negative.
func parseSeconds(v string) (float64, error) {
	if x, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > 1e9 {
			return 0, fmt.Errorf("%s is not a duration in seconds", bounded.Quote(v))
		}
		return x, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s is neither seconds nor a duration like 250ms", bounded.Quote(v))
	}
	return d.Seconds(), nil
}

// naiveLayouts are timestamps without a zone; they are read in the
// options' Location. Fractional seconds are accepted after the seconds.
var naiveLayouts = []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05"}

// parseLogTime reads Unix seconds, RFC 3339, or a zone-less date and time
// in loc, as Unix nanoseconds.
func parseLogTime(v string, loc *time.Location) (int64, error) {
	if ns, err := parseTraceTime(v); err == nil {
		return ns, nil
	}
	for _, layout := range naiveLayouts {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			if t.Before(minTraceTime) || !t.Before(maxTraceTime) {
				return 0, fmt.Errorf("%s is outside 1970–2200", bounded.Quote(v))
			}
			return t.UnixNano(), nil
		}
	}
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return 0, fmt.Errorf("%s is not Unix seconds, RFC 3339, or yyyy-mm-dd hh:mm:ss", bounded.Quote(v))
}
