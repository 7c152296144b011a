package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The example scenarios' NASA access log, gzipped as real logs arrive
// (scenarios/examples/data/README.md gives its source).
const nasaLog = "../../scenarios/examples/data/nasa_1995-08-01_access.log.gz"

func TestTraceInspect(t *testing.T) {
	html := filepath.Join(t.TempDir(), "plot.html")
	code, out, errs := capsim(t, "trace", "inspect", nasaLog, "--html", html)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"(clf)", "requests    30,969", "12h52m2s", "inter-arrival CV", "gaps        1 of at least 5m0s", "rate        ▂"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	b, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(b), "<polyline") || strings.Contains(string(b), "<script") {
		t.Errorf("html plot: %v", err)
	}
}

func TestTraceConvert(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "nasa.csv")
	if code, _, errs := capsim(t, "trace", "convert", nasaLog, "--to", "rate-csv", "--interval", "1h", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 14 || lines[1] != "1995-08-01T06:00:00Z,807256800,993" {
		t.Errorf("converted:\n%s", b)
	}
	// The converted trace runs as a scenario.
	sc := writeScenario(t, fmt.Sprintf(`traffic: {trace: {file: %s, format: rate-csv, time_column: unix_ts, value_column: requests}}
workload: {service_time: {dist: constant, value: 1ms}}
fleet: {instance_type: c5.large, min: 1, max: 1}
`, out))
	if code, _, errs := capsim(t, "lint", sc); code != 0 {
		t.Errorf("lint of a converted trace: exit %d: %s", code, errs)
	}
	req := filepath.Join(dir, "req.csv")
	if code, _, errs := capsim(t, "trace", "convert", "--to", "requests-csv", "--out", req, nasaLog); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ = os.ReadFile(req)
	if !strings.HasPrefix(string(b), "time\n1995-08-01T06:00:00Z\n") || strings.Count(string(b), "\n") != 30970 {
		t.Errorf("requests-csv starts %q, %d lines", string(b)[:min(60, len(b))], strings.Count(string(b), "\n"))
	}
}

func TestTraceBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"trace", "inspect", write("empty.log", ""), "--format", "clf"}, "empty.log:1: the file is empty"},
		{[]string{"trace", "inspect", write("junk.log", "\x00\x01\x02\n"), "--format", "clf"}, "junk.log:1: binary data"},
		{[]string{"trace", "inspect", write("cols.csv", "a,b\n1,2\n"), "--format", "requests-csv", "--time-column", "ts"}, `cols.csv:1: time_column: no column "ts"`},
		{[]string{"trace", "inspect", write("trunc.log", `h - - [01/Aug/1995:02:00:00 -0400] "GET / HTTP/1.0" 200 1`+"\n"+`h - - [01/Aug/1995:02:0`), "--format", "clf"}, "trunc.log:2: the [timestamp] is not closed"},
		{[]string{"trace", "inspect", "nope.log"}, "no such file"},
		{[]string{"trace", "inspect", nasaLog, "--gaps", "maybe"}, `--gaps "maybe"`},
		{[]string{"trace", "convert", nasaLog, "--to", "json"}, `--to "json"`},
		{[]string{"fit-workload", nasaLog}, "a clf log records no service times"},
		{[]string{"import", "metrics", "--load-balancer", "web", "--start", "2026-01-01T00:00:00Z", "--end", "2026-01-02T00:00:00Z", "--region", "us-east-1"}, "give the ALB's dimension value app/NAME/ID"},
		{[]string{"import", "asg"}, "import asg: expected one Auto Scaling group name, got none"},
	}
	for _, c := range cases {
		code, _, errs := capsim(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, errs, c.want)
		}
	}
}

func TestFitWorkload(t *testing.T) {
	// An ALB log whose target_processing_time is lognormal-ish.
	var b strings.Builder
	x := 0.02
	for i := 0; i < 2000; i++ {
		x = 0.005 + float64((i*7919)%1000)/1000*0.1
		fmt.Fprintf(&b, "http 2026-03-02T10:00:%02d.%06dZ app/web/1 10.0.0.1:1 10.0.0.2:80 0.000 %.3f 0.000 200 200 10 20 \"GET http://x/ HTTP/1.1\" \"-\"\n", i/100, (i%100)*10000, x)
	}
	p := filepath.Join(t.TempDir(), "alb.log")
	os.WriteFile(p, []byte(b.String()), 0o644)
	code, out, errs := capsim(t, "fit-workload", p, "--format", "alb", "--dist", "all")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"2000 requests with a recorded duration", "service_time: {dist: lognormal, median:", "service_time: {dist: gamma, mean:", "Kolmogorov–Smirnov D ="} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

func TestRunLogWithSkippedLines(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.log"), []byte(`h - - [01/Aug/1995:02:00:00 -0400] "GET / HTTP/1.0" 200 1
garbage
h - - [01/Aug/1995:02:00:03 -0400] "GET / HTTP/1.0" 200 1
`), 0o644)
	sc := filepath.Join(dir, "s.yaml")
	body := "traffic: {trace: {file: a.log, format: clf, max_bad_lines: %d}}\nworkload: {service_time: {dist: constant, value: 1ms}}\nfleet: {instance_type: c5.large, min: 1, max: 1}\n"
	os.WriteFile(sc, []byte(fmt.Sprintf(body, 1)), 0o644)
	js := filepath.Join(dir, "r.json")
	code, _, errs := capsim(t, "run", sc, "--json", js, "--quiet")
	if code != 0 || !strings.Contains(errs, "1 unparseable line(s) skipped (line 2)") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if b, _ := os.ReadFile(js); !strings.Contains(string(b), `"total": 2`) {
		t.Errorf("result: %.300s", b)
	}
	os.WriteFile(sc, []byte(fmt.Sprintf(body, 0)), 0o644)
	if code, _, errs := capsim(t, "run", sc, "--json", js); code != 2 || !strings.Contains(errs, "a.log:2: no [timestamp]") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// The trace commands read gzip by content, and a damaged gzip file is bad
// input (exit 2) named in the message.
func TestTraceCommandsGzip(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&b, "http 2026-03-02T10:00:%02d.%06dZ app/web/1 10.0.0.1:1 10.0.0.2:80 0.000 %.3f 0.000 200 200 10 20 \"GET http://x/ HTTP/1.1\" \"-\"\n", i/10, (i%10)*100000, 0.01+float64(i%50)/1000)
	}
	plain := filepath.Join(dir, "alb.log")
	os.WriteFile(plain, []byte(b.String()), 0o644)
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write([]byte(b.String()))
	w.Close()
	gz := filepath.Join(dir, "alb.log.gz")
	os.WriteFile(gz, z.Bytes(), 0o644)
	cut := filepath.Join(dir, "cut.log.gz")
	os.WriteFile(cut, z.Bytes()[:z.Len()/2], 0o644)

	for _, args := range [][]string{{"fit-workload", "--dist", "lognormal"}, {"trace", "inspect"}} {
		_, want, errs := capsim(t, append(args, plain)...)
		code, got, gerrs := capsim(t, append(args, gz)...)
		if code != 0 || strings.ReplaceAll(got, gz, plain) != want {
			t.Errorf("%v on the gzipped copy: exit %d, %s\n%s\nplain:\n%s%s", args, code, gerrs, got, want, errs)
		}
		code, _, errs = capsim(t, append(args, cut)...)
		if code != exitInput || !strings.Contains(errs, cut) || !strings.Contains(errs, "damaged or cut short") {
			t.Errorf("%v on a cut gzip file: exit %d, %s", args, code, errs)
		}
	}
}
