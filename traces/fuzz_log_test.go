package traces

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

// fuzzLog reads data as a log of format with options picked by mode and
// checks what must always hold: no panic, time order, errors that name
// the file (and a line).
func fuzzLog(t *testing.T, format string, data []byte, mode uint8) {
	gaps := []string{"zero", "skip", "interpolate"}[mode%3]
	o := LogOptions{
		ReorderWindow: time.Duration(mode/3%3) * 2 * time.Second,
		MaxBadLines:   int(mode / 9 % 3),
		Gaps:          GapPolicy{Mode: gaps, Threshold: time.Duration(1+mode%5) * time.Second},
	}
	if mode&0x20 != 0 {
		o.Spread = time.Second
	}
	switch format {
	case "clf":
		if mode&0x40 != 0 {
			o.Demand = &Demand{Column: "bytes", SecondsPerUnit: 1e-6}
		}
	case "alb":
		if mode&0x40 != 0 {
			o.Demand = &Demand{Column: "target_processing_time", SecondsPerUnit: 1}
		}
	case "requests-csv":
		if mode&0x40 != 0 {
			o.DurationColumn = "d"
		}
		if mode&0x80 != 0 {
			o.Demand = &Demand{Column: "n", SecondsPerUnit: 0.001}
		}
	}
	l, err := NewRequestLog(bytes.NewReader(data), "x.log", format, o)
	if err != nil {
		if !strings.HasPrefix(err.Error(), "x.log") {
			t.Fatalf("error without the file name: %v", err)
		}
		return
	}
	var last int64
	for n := 0; ; n++ {
		r, err := l.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "x.log:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		if n > 0 && r.At < last {
			t.Fatalf("record %d at %d before %d", n, r.At, last)
		}
		if n > 100_000 {
			return // gaps: interpolate over years of silence legitimately fills millions
		}
		last = r.At
	}
}

func FuzzCLF(f *testing.F) {
	f.Add([]byte(`h - - [01/Aug/1995:02:00:00 -0400] "GET / HTTP/1.0" 200 1713`+"\n"+`h - - [01/Aug/1995:02:00:01 -0400] "GET /a HTTP/1.0" 304 -`+"\n"), uint8(0))
	f.Add([]byte(`h - u [01/Aug/1995:06:00:00.5 +0000] "GET /\"x\" HTTP/1.0" 200 1 "ref" "agent"`+"\n"+`h - - [01/Aug/1995:01:59:59 -0400] "GET / HTTP/1.0" 200 1`+"\n"), uint8(4))
	f.Add([]byte("junk\n\x00\xff\n"), uint8(20))
	f.Add([]byte(`h - - [01/Aug/1995:02:00:00 -0400] "GET / HTTP/1.0" 200 1`+"\n"+`h - - [01/Aug/1995:03:00:00 -0400] "GET / HTTP/1.0" 200 1`+"\n"), uint8(2))
	// A line past maxLogLine ends the reading, even with bad lines allowed.
	f.Add(append([]byte(`h - - [01/Aug/1995:02:00:00 -0400] "GET / HTTP/1.0" 200 1`+"\n"), bytes.Repeat([]byte("x"), maxLogLine+10)...), uint8(18))
	f.Add([]byte(`h - - [01/Aug/1995:02:00:00 -0400] "GET / HTTP/1.0" 200 1`+"\n"+`h - - [01/Aug/2100:02:00:00 -0400] "GET / HTTP/1.0" 200 1`+"\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) { fuzzLog(t, "clf", data, mode) })
}

func FuzzALB(f *testing.F) {
	f.Add([]byte(`http 2018-07-02T22:23:00.186641Z app/lb/1 1.2.3.4:1 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://x/ HTTP/1.1" "curl" - - arn "Root=1" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward"`+"\n"), uint8(0))
	f.Add([]byte(`https 2018-07-02T22:23:01Z app/lb/1 1.2.3.4:1 - -1 -1 -1 503 - 34 366 "GET / HTTP/1.1" "a \"b\""`+"\n"+`h2 2018-07-02T22:23:00Z app/lb/1 1.2.3.4:1 10.0.0.1:80 0.5 0.25 0.001 200 200 5 10 "GET / HTTP/2.0" "-"`+"\n"), uint8(70))
	f.Add([]byte("http x\n"), uint8(9))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) { fuzzLog(t, "alb", data, mode) })
}

func FuzzRequestsCSV(f *testing.F) {
	f.Add([]byte("ts,d,n\n1,0.1,3\n2,250ms,4\n1.5,,\n"), uint8(0xC0))
	f.Add([]byte("ts\n2023-11-16 18:15:46.6805900\n2023-11-16T18:15:47Z\n1700000000.5\n"), uint8(1))
	f.Add([]byte("ts\n10\n20\n14\n"), uint8(3))
	f.Add([]byte("\"ts\n1\n"), uint8(0))
	f.Add(append([]byte("ts\n1\n"), bytes.Repeat([]byte("2"), maxLogLine+1)...), uint8(9))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) { fuzzLog(t, "requests-csv", data, mode) })
}
