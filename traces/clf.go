package traces

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/capsim/capsim/internal/bounded"
)

// maxLogLine bounds one log line; a longer one ends the reading.
const maxLogLine = bounded.MaxLine

// lineTooLong is a line past maxLogLine: an error that no max_bad_lines
// forgives.
type lineTooLong struct{ line int }

func (e *lineTooLong) Error() string {
	return fmt.Sprintf("the line is longer than %s: not a log line", bounded.Size(maxLogLine))
}

// lineSource reads a text log line by line (never the whole file) and
// hands each non-blank line to parse.
type lineSource struct {
	br    *bufio.Reader
	line  int
	parse func(b []byte) (LogRecord, error)
}

func newLineSource(r io.Reader, parse func([]byte) (LogRecord, error)) *lineSource {
	return &lineSource{br: bufio.NewReaderSize(r, maxLogLine), parse: parse}
}

func (s *lineSource) next() (LogRecord, error) {
	for {
		b, err := s.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// Fatal, not a bad line to skip: the rest of the line could be
			// endless (/dev/zero), and skipping it would read for ever.
			return LogRecord{}, &lineTooLong{s.line + 1}
		}
		if err != nil && err != io.EOF {
			return LogRecord{}, err
		}
		if len(b) == 0 && err == io.EOF {
			return LogRecord{}, io.EOF
		}
		s.line++
		b = bytes.TrimRight(b, "\r\n")
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
			return LogRecord{}, &badLine{s.line, fmt.Errorf("binary data, not a text log line")}
		}
		rec, perr := s.parse(b)
		if perr != nil {
			return LogRecord{}, &badLine{s.line, perr}
		}
		rec.Line = s.line
		return rec, nil
	}
}

// clfParser reads Common Log Format lines,
//
//	host ident authuser [02/Jan/2006:15:04:05 -0700] "request" status bytes
//
// optionally followed by Combined Log Format's "referer" "user-agent" (or
// any further quoted fields). Fractional seconds after the seconds are
// accepted. The timestamp's zone is honoured. Numeric fields for a demand
// model: bytes ("-" is 0) and status.
type clfParser struct {
	demand   *Demand
	lastTS   []byte // the previous timestamp text and its value: logs repeat seconds
	lastTime int64
}

// clfFormat is the Common (or Combined) Log Format.
var clfFormat = Format{Name: "clf", Log: true, sniffed: true, open: lineFormat(newCLFSource)}

// lineFormat opens a line format, naming the file in its errors.
func lineFormat(open func(io.Reader, LogOptions) (*lineSource, error)) func(io.Reader, string, LogOptions) (rawSource, error) {
	return func(r io.Reader, name string, o LogOptions) (rawSource, error) {
		src, err := open(r, o)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		return src, nil
	}
}

func newCLFSource(r io.Reader, o LogOptions) (*lineSource, error) {
	p := &clfParser{demand: o.Demand}
	if d := o.Demand; d != nil && d.Column != "bytes" && d.Column != "status" {
		return nil, fmt.Errorf("demand column %s: a clf log has bytes and status", bounded.Quote(d.Column))
	}
	return newLineSource(r, p.parse), nil
}

const clfLayout = "02/Jan/2006:15:04:05 -0700"

func (p *clfParser) parse(b []byte) (LogRecord, error) {
	open := bytes.IndexByte(b, '[')
	if open < 0 {
		return LogRecord{}, fmt.Errorf("no [timestamp]: not a Common Log Format line")
	}
	if len(bytes.Fields(b[:open])) < 3 {
		return LogRecord{}, fmt.Errorf("expected host, ident and user before the [timestamp]")
	}
	end := bytes.IndexByte(b[open:], ']')
	if end < 0 {
		return LogRecord{}, fmt.Errorf("the [timestamp] is not closed")
	}
	ts := b[open+1 : open+end]
	at, err := p.time(ts)
	if err != nil {
		return LogRecord{}, err
	}
	rest := b[open+end+1:]
	if len(rest) < 2 || rest[0] != ' ' || rest[1] != '"' {
		return LogRecord{}, fmt.Errorf("expected a quoted \"request\" after the timestamp")
	}
	q := closingQuote(rest[2:])
	if q < 0 {
		return LogRecord{}, fmt.Errorf("the quoted request is not closed")
	}
	rest = rest[2+q+1:]
	fields := bytes.Fields(rest)
	if len(fields) < 2 {
		return LogRecord{}, fmt.Errorf("expected status and bytes after the request")
	}
	status, ok := clfNumber(fields[0], 3)
	if !ok {
		return LogRecord{}, fmt.Errorf("status %s is not a 3-digit code or -", bounded.Quote(string(fields[0])))
	}
	size, ok := clfNumber(fields[1], 19)
	if !ok {
		return LogRecord{}, fmt.Errorf("bytes %s is not a number or -", bounded.Quote(string(fields[1])))
	}
	// Combined Log Format and extensions: quoted fields only.
	after := bytes.TrimLeft(rest, " ")
	after = after[len(fields[0]):]
	after = bytes.TrimLeft(after, " ")
	after = bytes.TrimLeft(after[len(fields[1]):], " ")
	for len(after) > 0 {
		if after[0] != '"' {
			return LogRecord{}, fmt.Errorf("unexpected %s after bytes: Combined Log Format adds quoted fields only", bounded.Quote(clip(after)))
		}
		q := closingQuote(after[1:])
		if q < 0 {
			return LogRecord{}, fmt.Errorf("a quoted field after bytes is not closed")
		}
		after = bytes.TrimLeft(after[1+q+1:], " ")
	}
	rec := LogRecord{At: at, Demand: -1, Duration: math.NaN()}
	if p.demand != nil {
		v := size
		if p.demand.Column == "status" {
			v = status
		}
		rec.Demand = p.demand.Base.Seconds() + p.demand.SecondsPerUnit*v
	}
	return rec, nil
}

func (p *clfParser) time(ts []byte) (int64, error) {
	if p.lastTS != nil && bytes.Equal(ts, p.lastTS) {
		return p.lastTime, nil
	}
	t, err := time.Parse(clfLayout, string(ts))
	if err != nil {
		return 0, fmt.Errorf("timestamp [%s] is not dd/Mon/yyyy:hh:mm:ss ±hhmm", clip(ts))
	}
	if t.Before(minTraceTime) || !t.Before(maxTraceTime) {
		return 0, fmt.Errorf("timestamp [%s] is outside 1970–2200", clip(ts))
	}
	p.lastTS = append(p.lastTS[:0], ts...)
	p.lastTime = t.UnixNano()
	return p.lastTime, nil
}

// closingQuote finds the quote that ends a quoted field (b starts after
// the opening one); a backslash escapes the next byte.
func closingQuote(b []byte) int {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// clfNumber reads a non-negative integer of at most digits digits, or "-"
// (as 0).
func clfNumber(b []byte, digits int) (float64, bool) {
	if len(b) == 1 && b[0] == '-' {
		return 0, true
	}
	if len(b) == 0 || len(b) > digits {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		return 0, false
	}
	return float64(n), true
}

// clip shortens a fragment of a bad line for a message.
func clip(b []byte) string {
	n := 40
	if len(b) > n {
		for n > 0 && !utf8.RuneStart(b[n]) {
			n--
		}
		return string(b[:n]) + "…"
	}
	return string(b)
}
