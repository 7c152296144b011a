package traces

import (
	"github.com/capsim/capsim/internal/tracetest"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/sim"
)

// The example scenarios' real traces (examples/data/README.md gives their
// sources); the two NASA files are gzipped, which OpenInput undoes.
const (
	tracesDir     = "../scenarios/examples/data/"
	nasaPerMinute = tracesDir + "nasa_1995_per_minute.csv.gz"
	wikipedia     = tracesDir + "wikipedia_en_2016-01_hourly.csv"
)

func TestRateCSVNASA(t *testing.T) {
	f, err := OpenInput(nasaPerMinute)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := NewRateCSV(f, "nasa.csv", RateCSVOptions{TimeColumn: "unix_ts", ValueColumn: "requests"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Interval() != time.Minute || c.Start() != time.Date(1995, 7, 1, 4, 0, 0, 0, time.UTC) {
		t.Errorf("interval %v, start %v", c.Interval(), c.Start())
	}
	// The sum of the requests column (84,334 rows; examples/data/README.md).
	const total = 3_461_610
	got, end, _ := tracetest.Drain(t, c)
	if math.Abs(got-total) > 1e-3 {
		t.Errorf("streamed %f requests, want %d", got, total)
	}
	// 1995-07-01T04:00Z to 1995-09-01T04:01Z (the last row's minute).
	if want := sim.Time(62*24*time.Hour + time.Minute); end != want {
		t.Errorf("last segment ends at %v, want %v", end, want)
	}
}

func TestScanRateCSV(t *testing.T) {
	f, err := OpenInput(nasaPerMinute)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Time from the first column (RFC 3339), value from the third.
	info, err := ScanRateCSV(f, "nasa.csv", RateCSVOptions{ValueColumn: "requests"})
	if err != nil {
		t.Fatal(err)
	}
	want := TraceInfo{Rows: 84334, Start: time.Date(1995, 7, 1, 4, 0, 0, 0, time.UTC), End: time.Date(1995, 9, 1, 4, 1, 0, 0, time.UTC),
		Interval: time.Minute, Requests: 3_461_610, TimeColumn: "minute_start_utc", ValueColumn: "requests",
		// The July log stops: no rows from 1995-07-28 17:33Z to 08-01 04:00Z.
		GapCount: 1, GapTime: 82*time.Hour + 27*time.Minute}
	if info != want {
		t.Errorf("ScanRateCSV = %+v\nwant %+v", info, want)
	}
}

func TestRateCSVWikipedia(t *testing.T) {
	f, err := os.Open(wikipedia)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := NewRateCSV(f, "wiki.csv", RateCSVOptions{TimeColumn: "unix_ts", ValueColumn: "requests"})
	if err != nil {
		t.Fatal(err)
	}
	got, end, n := tracetest.Drain(t, c)
	// Sum of the requests column: 5,536,489,xxx (awk rounds it); mean ≈ 2,067 req/s.
	if n != 744 || end != sim.Time(31*24*time.Hour) {
		t.Errorf("%d segments ending %v", n, end)
	}
	if mean := got / (31 * 24 * 3600); mean < 2060 || mean > 2075 {
		t.Errorf("mean %g req/s, want ≈ 2,067", mean)
	}
}

func TestRateCSVSemantics(t *testing.T) {
	// Gaps are zero traffic, value_is rate is per second, the origin cuts.
	const csv = "t,v\n100,10\n110,20\n140,5\n"
	read := func(o RateCSVOptions) []sim.Segment {
		c, err := NewRateCSV(strings.NewReader(csv), "x.csv", o)
		if err != nil {
			t.Fatal(err)
		}
		var out []sim.Segment
		for {
			s, err := c.NextSegment()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
	}
	s := sim.Second
	eq := func(name string, got, want []sim.Segment) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %+v, want %+v", name, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s[%d]: %+v, want %+v", name, i, got[i], want[i])
			}
		}
	}
	eq("count", read(RateCSVOptions{}), []sim.Segment{
		{Start: 0, End: 10 * s, Rate: 1}, {Start: 10 * s, End: 20 * s, Rate: 2},
		{Start: 20 * s, End: 40 * s, Rate: 0}, {Start: 40 * s, End: 50 * s, Rate: 0.5},
	})
	eq("rate", read(RateCSVOptions{ValueIsRate: true, Interval: 5 * time.Second}), []sim.Segment{
		{Start: 0, End: 5 * s, Rate: 10}, {Start: 5 * s, End: 10 * s, Rate: 0},
		{Start: 10 * s, End: 15 * s, Rate: 20}, {Start: 15 * s, End: 40 * s, Rate: 0},
		{Start: 40 * s, End: 45 * s, Rate: 5},
	})
	eq("origin", read(RateCSVOptions{Origin: time.Unix(115, 0)}), []sim.Segment{
		{Start: 0, End: 5 * s, Rate: 2}, {Start: 5 * s, End: 25 * s, Rate: 0}, {Start: 25 * s, End: 35 * s, Rate: 0.5},
	})
	eq("origin before the trace", read(RateCSVOptions{Origin: time.Unix(90, 0)}), []sim.Segment{
		{Start: 10 * s, End: 20 * s, Rate: 1}, {Start: 20 * s, End: 30 * s, Rate: 2},
		{Start: 30 * s, End: 50 * s, Rate: 0}, {Start: 50 * s, End: 60 * s, Rate: 0.5},
	})
}

func TestRateCSVTimes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"804571200", 804571200e9},
		{"804571200.25", 804571200_250000000},
		{"804571200.123456789", 804571200_123456789},
		{" 804571200 ", 804571200e9},
		{"1995-07-01T04:00:00Z", 804571200e9},
		{"1995-07-01T00:00:00.5-04:00", 804571200_500000000},
		{"8.045712e8", 804571200e9},
	} {
		got, err := parseTraceTime(strings.TrimSpace(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("parseTraceTime(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "-5", "abc", "1995-07-01", "99999999999", "1e300", "NaN", "3000-01-01T00:00:00Z", "1.2.3"} {
		if got, err := parseTraceTime(in); err == nil {
			t.Errorf("parseTraceTime(%q) = %d, want an error", in, got)
		}
	}
}

func TestRateCSVErrors(t *testing.T) {
	cases := []struct {
		name, csv string
		o         RateCSVOptions
		want      string
	}{
		{"empty", "", RateCSVOptions{}, "t.csv:1: the file is empty"},
		{"header only", "a,b\n", RateCSVOptions{}, "t.csv:2: no data rows"},
		{"one column", "a\n1\n", RateCSVOptions{}, "t.csv:1: the header has 1 column(s)"},
		{"unknown column", "a,b\n1,2\n", RateCSVOptions{TimeColumn: "ts"}, `t.csv:1: no column "ts" in the header (columns: a, b)`},
		{"same column", "a,b\n1,2\n", RateCSVOptions{TimeColumn: "b"}, `t.csv:1: time and value are both column "b"`},
		{"one row", "a,b\n1,2\n", RateCSVOptions{}, "t.csv:2: one data row is not enough to infer the interval"},
		{"not a number", "a,b\n1,2\n2,abc\n", RateCSVOptions{}, `t.csv:3: column "b": "abc" is not a number`},
		{"negative", "a,b\n1,2\n2,-1\n", RateCSVOptions{}, `t.csv:3: column "b": "-1" is negative`},
		{"bad time", "a,b\n1,2\nsoon,1\n", RateCSVOptions{}, `t.csv:3: column "a": "soon" is neither Unix seconds nor an RFC 3339 time`},
		{"short row", "a,b\n1,2\n2\n", RateCSVOptions{}, `t.csv:3: the row has 1 field(s)`},
		{"time goes back", "a,b\n1,2\n2,2\n1,2\n", RateCSVOptions{}, `t.csv:4: column "a": time 1970-01-01T00:00:01Z is not after the previous row's (1970-01-01T00:00:02Z, line 3)`},
		{"same time", "a,b\n1,2\n1,2\n", RateCSVOptions{}, `t.csv:3: column "a": time 1970-01-01T00:00:01Z is not after the previous row's`},
		{"closer than the interval", "a,b\n0,2\n60,2\n90,2\n", RateCSVOptions{}, `t.csv:4: column "a": time 1970-01-01T00:01:30Z is only 30s after the previous row's, less than the interval 1m0s`},
		{"bad quote", "a,b\n1,\"2\n", RateCSVOptions{}, "t.csv:2: extraneous or missing \" in quoted-field"},
		{"rate too large", "a,b\n0,1e300\n1,1\n", RateCSVOptions{}, `t.csv:2: column "b": 1e+300 per 1s is more than`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			r, nerr := NewRateCSV(strings.NewReader(c.csv), "t.csv", c.o)
			if nerr != nil {
				err = nerr
			} else {
				for err == nil {
					_, err = r.NextSegment()
				}
				if err == io.EOF {
					err = nil
				}
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error %v\nwant  %s…", err, c.want)
			}
			_, serr := ScanRateCSV(strings.NewReader(c.csv), "t.csv", c.o)
			if serr == nil || !strings.HasPrefix(serr.Error(), c.want) {
				t.Errorf("ScanRateCSV error %v\nwant  %s…", serr, c.want)
			}
		})
	}
}
