package traces

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/sim"
)

const nasaLog = tracesDir + "nasa_1995-08-01_access.log.gz"

func readAll(t *testing.T, l *RequestLog) []LogRecord {
	t.Helper()
	var out []LogRecord
	for {
		r, err := l.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
}

func logOf(t *testing.T, format, text string, o LogOptions) *RequestLog {
	t.Helper()
	l, err := NewRequestLog(strings.NewReader(text), "x.log", format, o)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// logErr reads text to the end and returns the error that stopped it.
func logErr(format, text string, o LogOptions) error {
	l, err := NewRequestLog(strings.NewReader(text), "x.log", format, o)
	if err != nil {
		return err
	}
	for {
		if _, err := l.Next(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

func TestCLFNASA(t *testing.T) {
	f, err := OpenInput(nasaLog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, stats, err := ScanLog(f, "nasa.log", "clf", LogOptions{ReorderWindow: -1})
	if err != nil {
		t.Fatal(err)
	}
	// The first line is 01/Aug/1995:02:00:00 -0400, the last 14:52:01 -0400.
	if info.Rows != 30969 || stats.Bad != 0 || !info.Start.Equal(time.Date(1995, 8, 1, 6, 0, 0, 0, time.UTC)) ||
		!info.End.Equal(time.Date(1995, 8, 1, 18, 52, 2, 0, time.UTC)) {
		t.Errorf("rows %d, bad %d, start %v, end %v", info.Rows, stats.Bad, info.Start, info.End)
	}
}

// The NASA log converted to per-minute counts equals the published
// per-minute trace for every minute it covers (the log is -0400, the
// trace UTC).
func TestNASALogToPerMinute(t *testing.T) {
	f, err := OpenInput(nasaLog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	if err := ConvertToRateCSV(&out, f, "nasa.log", TraceOptions{Format: "clf", Log: LogOptions{ReorderWindow: -1}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		ts, _ := strconv.ParseInt(r[1], 10, 64)
		got[ts] = r[2]
	}
	if len(got) != 12*60+53 { // 06:00Z to 18:52Z inclusive
		t.Errorf("%d minutes, want %d", len(got), 12*60+53)
	}
	pm, err := OpenInput(nasaPerMinute)
	if err != nil {
		t.Fatal(err)
	}
	defer pm.Close()
	cr := csv.NewReader(pm)
	compared := 0
	for {
		r, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ts, err := strconv.ParseInt(r[1], 10, 64)
		if err != nil {
			continue // header
		}
		if v, ok := got[ts]; ok {
			compared++
			if v != r[2] {
				t.Errorf("minute %s: %s requests from the log, %s in the per-minute trace", r[0], v, r[2])
			}
		}
	}
	if compared != len(got) {
		t.Errorf("compared %d minutes of %d", compared, len(got))
	}
}

// Replaying the log through a scenario reproduces its per-second counts
// exactly, and a run sees every request.
func TestCLFLines(t *testing.T) {
	text := `h1 - - [01/Aug/1995:02:00:00 -0400] "GET / HTTP/1.0" 200 1713
h2 - frank [01/Aug/1995:06:00:00.250 +0000] "GET /a \"q\" HTTP/1.0" 304 - "http://ref/" "Mozilla/5.0 (X11)"

h3 - - [01/Aug/1995:02:00:01 -0400] "GET /b HTTP/1.0" 404 0
`
	recs := readAll(t, logOf(t, "clf", text, LogOptions{ReorderWindow: -1, Demand: &Demand{Column: "bytes", SecondsPerUnit: 1e-6, Base: time.Millisecond}}))
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	base := time.Date(1995, 8, 1, 6, 0, 0, 0, time.UTC).UnixNano()
	wantAt := []int64{base, base + 250e6, base + 1e9}
	wantLine := []int{1, 2, 4}
	wantDemand := []float64{0.001 + 1713e-6, 0.001, 0.001}
	for i, r := range recs {
		if r.At != wantAt[i] || r.Line != wantLine[i] || math.Abs(r.Demand-wantDemand[i]) > 1e-12 {
			t.Errorf("record %d = %+v, want at %d line %d demand %g", i, r, wantAt[i], wantLine[i], wantDemand[i])
		}
	}
}

func TestLogBadInput(t *testing.T) {
	good := `h - - [01/Aug/1995:02:00:00 -0400] "GET / HTTP/1.0" 200 1` + "\n"
	cases := []struct {
		name, format, text string
		o                  LogOptions
		want               string
	}{
		{"empty", "clf", "", LogOptions{}, "x.log:1: the file is empty"},
		{"blank lines only", "clf", "\n\n \n", LogOptions{}, "x.log:1: the file is empty"},
		{"binary junk", "clf", good + "\x00\x01\x02\xff\xfe\n", LogOptions{}, "x.log:2: binary data"},
		{"truncated", "clf", good + `h - - [01/Aug/1995:02:00:01 -0400] "GET / HT`, LogOptions{}, "x.log:2: the quoted request is not closed"},
		{"wrong columns", "clf", good + "a,b,c\n", LogOptions{}, "x.log:2: no [timestamp]"},
		{"bad zone", "clf", `h - - [01/Aug/1995:02:00:00 EDT] "GET / HTTP/1.0" 200 1`, LogOptions{}, "x.log:1: timestamp [01/Aug/1995:02:00:00 EDT] is not"},
		{"bad status", "clf", `h - - [01/Aug/1995:02:00:00 -0400] "GET / HTTP/1.0" OK 1`, LogOptions{}, `x.log:1: status "OK"`},
		{"junk after bytes", "clf", `h - - [01/Aug/1995:02:00:00 -0400] "GET / HTTP/1.0" 200 1 junk`, LogOptions{}, `x.log:1: unexpected "junk"`},
		{"too many bad lines", "clf", good + "x\ny\n" + good, LogOptions{MaxBadLines: 1}, "x.log:3: no [timestamp]: not a Common Log Format line (more than max_bad_lines = 1 bad lines; the first was line 2)"},
		{"only bad lines", "clf", "x\ny\n", LogOptions{MaxBadLines: 5}, "x.log:1: no line could be read (2 skipped; the first: line 1: no [timestamp]"},
		{"alb too few fields", "alb", "http 2018-07-02T22:23:00.186641Z app/x/1\n", LogOptions{}, "x.log:1: 3 field(s); an ALB access log line has at least 13"},
		{"alb not alb", "alb", good, LogOptions{}, `x.log:1: type "h" is not http`},
		{"csv empty", "requests-csv", "", LogOptions{}, "x.log:1: the file is empty"},
		{"csv header only", "requests-csv", "time\n", LogOptions{}, "x.log:2: no requests after the header"},
		{"csv wrong column", "requests-csv", "a,b\n1,2\n", LogOptions{TimeColumn: "ts"}, `x.log:1: time_column: no column "ts"`},
		{"csv bad time", "requests-csv", "ts\n1\nnope\n", LogOptions{}, `x.log:3: column "ts": "nope" is not Unix seconds`},
		{"csv short row", "requests-csv", "ts,d\n1,2\n3\n", LogOptions{DurationColumn: "d"}, "x.log:3: the row has 1 field(s); the header has 2"},
		{"csv bad quote", "requests-csv", "ts\n1\n\"2\n", LogOptions{}, "x.log:3:"},
		{"csv negative demand", "requests-csv", "ts,n\n1,-2\n", LogOptions{Demand: &Demand{Column: "n", SecondsPerUnit: 1}}, `x.log:2: column "n": "-2" is not a non-negative number`},
		{"unknown demand column", "clf", good, LogOptions{Demand: &Demand{Column: "tokens"}}, `x.log: demand column "tokens"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := logErr(c.format, c.text, c.o)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error %v\nwant prefix %q", err, c.want)
			}
		})
	}
}

func TestLogSkippedLinesCounted(t *testing.T) {
	good := `h - - [01/Aug/1995:02:00:0%d -0400] "GET / HTTP/1.0" 200 1` + "\n"
	text := strings.Replace(good, "%d", "0", 1) + "junk\n" + strings.Replace(good, "%d", "1", 1) + "more junk\n"
	l := logOf(t, "clf", text, LogOptions{MaxBadLines: 2})
	if n := len(readAll(t, l)); n != 2 {
		t.Errorf("%d records, want 2", n)
	}
	if st := l.Stats(); st.Bad != 2 || len(st.FirstBad) != 2 || st.FirstBad[0] != 2 || st.FirstBad[1] != 4 {
		t.Errorf("stats %+v", st)
	}
}

func TestLogReorder(t *testing.T) {
	text := "ts\n10\n12\n11.5\n9\n13\n20\n"
	l := logOf(t, "requests-csv", text, LogOptions{ReorderWindow: 5 * time.Second})
	var got []float64
	for _, r := range readAll(t, l) {
		got = append(got, float64(r.At)/1e9)
	}
	want := []float64{9, 10, 11.5, 12, 13, 20}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if l.Stats().Reordered != 2 {
		t.Errorf("reordered %d, want 2", l.Stats().Reordered)
	}
	err := logErr("requests-csv", "ts\n10\n20\n14\n", LogOptions{ReorderWindow: 5 * time.Second})
	if err == nil || !strings.HasPrefix(err.Error(), "x.log:4: time 1970-01-01T00:00:14Z is 6s earlier than line 3's (1970-01-01T00:00:20Z), more than the reorder window 5s") {
		t.Errorf("error %v", err)
	}
	if err := logErr("requests-csv", "ts\n10\n9.5\n", LogOptions{}); err == nil || !strings.HasPrefix(err.Error(), "x.log:3: time") {
		t.Errorf("window 0: error %v", err)
	}
}

func TestRequestsCSVDemandAndZones(t *testing.T) {
	text := "TIMESTAMP,ContextTokens,GeneratedTokens,dur\n" +
		"2023-11-16 18:15:46.6805900,374,44,0.25\n" +
		"2023-11-16 18:15:50.9951690,396,109,120ms\n"
	loc, _ := time.LoadLocation("America/New_York")
	l := logOf(t, "requests-csv", text, LogOptions{Location: loc, DurationColumn: "dur",
		Demand: &Demand{Column: "GeneratedTokens", SecondsPerUnit: 0.0002, Base: 10 * time.Millisecond}})
	recs := readAll(t, l)
	want0 := time.Date(2023, 11, 16, 23, 15, 46, 680590000, time.UTC).UnixNano()
	if len(recs) != 2 || recs[0].At != want0 || math.Abs(recs[0].Demand-(0.01+44*0.0002)) > 1e-12 ||
		recs[0].Duration != 0.25 || math.Abs(recs[1].Duration-0.12) > 1e-12 {
		t.Errorf("records %+v (want first at %d)", recs, want0)
	}
}

func TestALBLines(t *testing.T) {
	text := `http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"
https 2018-07-02T22:23:01.000000Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - -1 -1 -1 503 - 34 366 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0"
h2 2018-07-02T22:23:02.500000Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.001 0.250 0.001 200 200 5 1000 "GET https://www.example.com:443/x HTTP/2.0" "-"
`
	recs := readAll(t, logOf(t, "alb", text, LogOptions{ReorderWindow: -1, Demand: &Demand{Column: "target_processing_time", SecondsPerUnit: 1}}))
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	at := func(s string) int64 { x, _ := time.Parse(time.RFC3339Nano, s); return x.UnixNano() }
	if recs[0].At != at("2018-07-02T22:22:48.364Z") || recs[0].Duration != 0.001 || recs[0].Demand != 0.001 {
		t.Errorf("line 1: %+v", recs[0])
	}
	if recs[1].At != at("2018-07-02T22:23:01Z") || !math.IsNaN(recs[1].Duration) || recs[1].Demand >= 0 {
		t.Errorf("line 2: %+v", recs[1])
	}
	if recs[2].At != at("2018-07-02T22:23:02.248Z") || recs[2].Duration != 0.25 {
		t.Errorf("line 3: %+v", recs[2])
	}
}

func TestLogGaps(t *testing.T) {
	// One request a second for a minute, a 10-minute hole, then two a
	// second for a minute.
	var b strings.Builder
	b.WriteString("ts\n")
	for i := 0; i < 60; i++ {
		b.WriteString(strconv.Itoa(1000+i) + "\n")
	}
	for i := 0; i < 120; i++ {
		b.WriteString(strconv.FormatFloat(1659+float64(i)/2, 'f', -1, 64) + "\n")
	}
	text := b.String()
	opts := func(mode string) LogOptions {
		return LogOptions{Gaps: GapPolicy{Mode: mode, Threshold: 5 * time.Minute}}
	}

	zero := logOf(t, "requests-csv", text, opts("zero"))
	z := readAll(t, zero)
	if len(z) != 180 || zero.Stats().GapCount != 1 || zero.Stats().Gaps[0].Line != 62 || zero.Stats().GapTime != 600*time.Second {
		t.Errorf("zero: %d records, stats %+v", len(z), zero.Stats())
	}
	skip := readAll(t, logOf(t, "requests-csv", text, opts("skip")))
	if len(skip) != 180 || skip[60].At != skip[59].At || skip[179].At != 1118_500_000_000 {
		t.Errorf("skip: %d records, 60th at %d, 59th at %d, last at %d", len(skip), skip[60].At, skip[59].At, skip[179].At)
	}
	in := logOf(t, "requests-csv", text, opts("interpolate"))
	all := readAll(t, in)
	// Rates 1/s before and 2/s after over 600 s: 900 filled requests.
	if n := in.Stats().Filled; n != 900 || len(all) != 1080 {
		t.Errorf("interpolate: %d filled, %d in all", n, len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].At < all[i-1].At {
			t.Fatalf("interpolate: record %d at %d before %d", i, all[i].At, all[i-1].At)
		}
	}
}

func TestRateCSVGaps(t *testing.T) {
	text := "t,n\n0,60\n60,60\n600,120\n660,120\n"
	seg := func(mode string) []sim.Segment {
		c, err := NewRateCSV(strings.NewReader(text), "r.csv", RateCSVOptions{Gaps: GapPolicy{Mode: mode, Threshold: 5 * time.Minute}})
		if err != nil {
			t.Fatal(err)
		}
		var out []sim.Segment
		for {
			s, err := c.NextSegment()
			if errors.Is(err, io.EOF) {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
	}
	total := func(ss []sim.Segment) float64 {
		x := 0.0
		for _, s := range ss {
			x += s.Rate * (s.End - s.Start).Seconds()
		}
		return x
	}
	if z := seg("zero"); total(z) != 360 || z[len(z)-1].End != 720*sim.Second {
		t.Errorf("zero: %v", z)
	}
	if s := seg("skip"); total(s) != 360 || s[len(s)-1].End != 240*sim.Second {
		t.Errorf("skip: %v", s)
	}
	// 480 s of gap ramping from 1/s to 2/s: 720 more requests.
	if i := seg("interpolate"); math.Abs(total(i)-1080) > 1e-6 || i[len(i)-1].End != 720*sim.Second {
		t.Errorf("interpolate: total %g, %v", total(i), i)
	}
}

func TestInspectAndSparkline(t *testing.T) {
	f, err := OpenInput(nasaLog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := InspectTrace(f, "nasa.log", TraceOptions{Format: "clf", Log: LogOptions{ReorderWindow: -1}})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, v := range s.Series {
		sum += v
	}
	if s.Requests != 30969 || sum != 30969 || s.PeakRPS < 1 || s.PeakMinute < s.PeakRPS || !(s.InterArrivalCV > 1) {
		t.Errorf("summary %+v", s)
	}
	if sp := Sparkline([]float64{0, 1, 2, 3, 4, 5, 6, 7}, 8); sp != "▁▂▃▄▅▆▇█" {
		t.Errorf("sparkline %q", sp)
	}
	pm, err := OpenInput(nasaPerMinute)
	if err != nil {
		t.Fatal(err)
	}
	defer pm.Close()
	r, err := InspectTrace(pm, "nasa.csv", TraceOptions{Format: "rate-csv", Rate: RateCSVOptions{TimeColumn: "unix_ts", ValueColumn: "requests"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.GapCount != 1 || !r.Gaps[0].From.Equal(time.Date(1995, 7, 28, 17, 33, 0, 0, time.UTC)) || !r.Gaps[0].To.Equal(time.Date(1995, 8, 1, 4, 0, 0, 0, time.UTC)) ||
		r.Requests != 3461610 || r.PeakMinute != 405 {
		t.Errorf("rate summary: gaps %v, requests %g, peak minute %g", r.Gaps, r.Requests, r.PeakMinute)
	}
}

// BenchmarkCLFNASA reads the NASA log (30,969 lines) from memory through
// the reorder buffer: the reader's cost per line.
func BenchmarkCLFNASA(b *testing.B) {
	data, err := readInput(nasaLog)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		l, err := NewRequestLog(bytes.NewReader(data), "nasa.log", "clf", LogOptions{ReorderWindow: -1})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := l.Next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
			n++
		}
		if n != 30969 {
			b.Fatalf("%d lines", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/30969, "ns/line")
}

// spread: 1s moves each request of a whole-second log into its second,
// evenly, without changing any second's count or the order.
func TestLogSpread(t *testing.T) {
	read := func(spread time.Duration) []LogRecord {
		f, err := OpenInput(nasaLog)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		l, err := NewRequestLog(f, "nasa.log", "clf", LogOptions{ReorderWindow: -1, Spread: spread})
		if err != nil {
			t.Fatal(err)
		}
		return readAll(t, l)
	}
	raw, spread := read(0), read(time.Second)
	if len(raw) != len(spread) {
		t.Fatalf("%d records spread, %d raw", len(spread), len(raw))
	}
	perSecond := func(rs []LogRecord) map[int64]int {
		m := map[int64]int{}
		for _, r := range rs {
			m[floorDiv(r.At, int64(time.Second))]++
		}
		return m
	}
	a, b := perSecond(raw), perSecond(spread)
	for s, n := range a {
		if b[s] != n {
			t.Fatalf("second %d: %d spread, %d raw", s, b[s], n)
		}
	}
	for i := 1; i < len(spread); i++ {
		if spread[i].At <= spread[i-1].At {
			t.Fatalf("record %d at %d, not after %d", i, spread[i].At, spread[i-1].At)
		}
	}
	// Three requests at 10 s spread over [10, 10.5), up to the next.
	text := "ts\n10\n10\n10\n10.5\n"
	got := readAll(t, logOf(t, "requests-csv", text, LogOptions{Spread: time.Second}))
	// The next timestamp caps the first group at 0.5 s; the last is alone in [10.5, 11.5).
	want := []int64{10_083_333_333, 10_250_000_000, 10_416_666_666, 11_000_000_000}
	for i := range want {
		if got[i].At != want[i] {
			t.Errorf("record %d at %d, want %d", i, got[i].At, want[i])
		}
	}
}
