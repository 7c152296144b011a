package traces

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
)

// RateCSVFormat is the one trace format that is a request-rate series
// rather than a request log (ratecsv.go).
const RateCSVFormat = "rate-csv"

// Format is one trace format: what it is and how to open it. Options
// names the reader settings (as the scenario's traffic.trace keys and the
// trace commands' flags spell them) that apply to this format beyond those
// every rate series or every log takes (RateOptions, LogOptionKeys).
type Format struct {
	Name string
	// Log: a request log replayed by its timestamps; otherwise a series
	// of request rates.
	Log bool
	// Durations: the records can carry recorded service times (for
	// fit-workload); with "duration_column" among Options only when that
	// column is named.
	Durations bool
	Options   []string
	// sniffed: a file whose first non-blank line reads as one of this
	// format's records is guessed to be of it (line formats without a
	// header).
	sniffed bool
	// open starts a log's records in file order (logs only).
	open func(r io.Reader, name string, o LogOptions) (rawSource, error)
}

// formats is every trace format, in the order messages list them. A new
// format is a file defining its Format and one line here.
var formats = []*Format{&rateCSVFormat, &requestsCSVFormat, &clfFormat, &albFormat}

// RateOptions apply to every rate series, LogOptionKeys to every log.
var (
	RateOptions   = []string{"value_column", "interval", "value_is"}
	LogOptionKeys = []string{"demand", "reorder_window", "max_bad_lines", "spread"}
)

// Lookup finds a format by name.
func Lookup(name string) (*Format, bool) {
	i := slices.IndexFunc(formats, func(f *Format) bool { return f.Name == name })
	if i < 0 {
		return nil, false
	}
	return formats[i], true
}

// Names lists every format; LogNames the request logs.
func Names() []string { return names(func(*Format) bool { return true }) }

// LogNames lists the request-log formats.
func LogNames() []string { return names(func(f *Format) bool { return f.Log }) }

func names(keep func(*Format) bool) []string {
	var out []string
	for _, f := range formats {
		if keep(f) {
			out = append(out, f.Name)
		}
	}
	return out
}

// IsLogFormat says the format is a request log.
func IsLogFormat(name string) bool {
	f, ok := Lookup(name)
	return ok && f.Log
}

// Takes says whether the format reads the option (see Format.Options).
func (f *Format) Takes(option string) bool {
	if slices.Contains(f.Options, option) {
		return true
	}
	if f.Log {
		return slices.Contains(LogOptionKeys, option)
	}
	return slices.Contains(RateOptions, option)
}

// Taking describes the formats that read an option, for a message:
// "rate-csv", "rate-csv and requests-csv", "request logs (requests-csv,
// clf, alb)".
func Taking(option string) string {
	var in []string
	for _, f := range formats {
		if f.Takes(option) {
			in = append(in, f.Name)
		}
	}
	if logs := LogNames(); len(logs) > 1 && slices.Equal(in, logs) {
		return "request logs (" + strings.Join(logs, ", ") + ")"
	}
	return OrList(in, "and")
}

// OrList joins names as "a, b or c" (word "or"; "and" for Taking).
func OrList(names []string, word string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + word + " " + names[len(names)-1]
}

// Sniff guesses the format of a trace from its first non-blank line: the
// first format whose lines it parses as, else rate-csv.
func Sniff(line string) string {
	for _, f := range formats {
		if f.sniffed && f.parses(line) {
			return f.Name
		}
	}
	return RateCSVFormat
}

// SniffFile guesses a trace file's format from its first non-blank line
// (within the first 64 KiB).
func SniffFile(path string) (string, error) {
	f, err := OpenInput(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	br := bufio.NewReader(io.LimitReader(f, 1<<16))
	for {
		line, err := br.ReadString('\n')
		if s := strings.TrimSpace(line); s != "" {
			return Sniff(s), nil
		}
		if err != nil {
			return "", fmt.Errorf("%s: the file is empty", path)
		}
	}
}

// parses says the line reads as one record of the format.
func (f *Format) parses(line string) bool {
	_, err := f.scanLine(line)
	return err == nil
}

// scanLine reads one line as a record of a log format.
func (f *Format) scanLine(line string) (LogRecord, error) {
	if f.open == nil {
		return LogRecord{}, fmt.Errorf("not a line format: %s", f.Name)
	}
	src, err := f.open(strings.NewReader(line), "", LogOptions{})
	if err != nil {
		return LogRecord{}, err
	}
	return src.next()
}

// each turns a Next-style reader (io.EOF after the last) into an
// iterator; it stops after the first error, which it yields. This is the
// one loop over io.EOF: every reader's Records, Segments and rows use it.
func each[T any](next func() (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			v, err := next()
			if err == io.EOF {
				return
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}
