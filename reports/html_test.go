package reports

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/capsim/capsim/pricing"
)

// sampleDocument is a deterministic five-hour run: a load wave, a fleet that
// follows it with a lag, latency gaps (minutes with no completed request),
// two scaling activities and an SLO.
func sampleDocument(name string, phase float64) *Document {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	const rows, rpsPerInstance = 300, 60.0
	d := &Document{
		SchemaVersion: SchemaVersion,
		CapsimVersion: "test",
		Name:          name,
		Description:   "Sample run for the HTML report test",
		Seed:          42,
		Start:         start.Format(time.RFC3339),
		Duration:      (rows * time.Minute).String(),
	}
	desired := 3
	inService := 3
	var total, completed int64
	for i := range rows {
		rate := 150 + 110*math.Sin(float64(i)/40+phase) // requests/s
		arrivals := int64(rate * 60)
		want := int(math.Ceil(rate / (rpsPerInstance * 0.7)))
		if want != desired && i%10 == 0 {
			d.ScalingActivities = append(d.ScalingActivities, Activity{
				Time:   start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
				Offset: (time.Duration(i) * time.Minute).String(),
				Policy: "cpu70", From: desired, To: want,
				Reason: fmt.Sprintf("CPU %.0f%% vs target 70%%", 100*rate/(float64(inService)*rpsPerInstance)),
			})
			desired = want
		}
		pending := 0
		if inService < desired {
			pending = desired - inService
			if i%3 == 0 { // boots take a few minutes
				inService++
				pending--
			}
		} else if inService > desired {
			inService--
		}
		capacity := float64(inService) * rpsPerInstance
		cpu := math.Min(100, 100*rate/capacity)
		var p50, p99 *float64
		if i < 120 || i >= 135 { // 15 minutes with no completed request: gaps
			a, b := 40+cpu/4, 120+cpu*cpu/25
			p50, p99 = &a, &b
		}
		done := arrivals
		if p50 == nil {
			done = 0
		}
		total += arrivals
		completed += done
		d.Timeseries = append(d.Timeseries, Row{
			Time:     start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			Arrivals: arrivals, Completed: done, InService: inService, Pending: pending, Desired: desired,
			CPUPercent: math.Round(cpu*100) / 100, P50Ms: p50, P99Ms: p99,
			CostUSD: float64(inService) * 0.096 / 60, CapacityRPS: capacity,
		})
	}
	d.Summary = Summary{
		Requests:  Requests{Total: total, Completed: completed, TimedOut: total - completed},
		LatencyMs: Latency{Mean: 61, P50: 52.5, P90: 180, P95: 260, P99: 412.25, P999: 700, Max: 950},
		Instances: Instances{Peak: 7, Mean: 4.62, InstanceHours: 23.1, Launches: 9, Terminations: 5},
		Cost:      sampleCost(),
		SLO: SLO{Met: true, Checks: []SLOCheck{
			{Name: "p99_ms", Value: 412.25, Limit: 500, Met: true},
		}},
	}
	// A predictive policy's forecast: two hours measured, the rest after the
	// end of the run.
	for h := range 8 {
		row := ForecastRow{Time: start.Add(time.Duration(h) * time.Hour).Format(time.RFC3339),
			Load: 300 + 50*math.Sin(float64(h)+phase), Capacity: 3 + h%3}
		if h < 5 {
			a := row.Load * 1.05
			row.Actual = &a
		}
		d.Forecasts = map[string][]ForecastRow{"forecast": append(d.Forecasts["forecast"], row)}
	}
	return d
}

// sampleCost is a bill with every finance key: lines, options, types,
// rates, idle capacity, prices, commitments, a what-if and a warning.
func sampleCost() Cost {
	return Cost{
		TotalUSD:              2.2176,
		ByPurchaseOption:      map[string]float64{"on_demand": 1.2, "reserved": 0.5, "savings_plans": 0.2},
		ByInstanceType:        map[string]float64{"m5.large": 1.9},
		ByLine:                map[string]float64{"on_demand": 1.2, "reserved_instances": 0.5, "savings_plans": 0.2, "load_balancer": 0.3176, "ebs": 0.0},
		InstancesUSD:          1.9,
		PerMillionRequestsUSD: 0.7391,
		MonthlyProjectionUSD:  323.77,
		PriceSource:           "test",
		Rates:                 CostRates{PerHourUSD: 0.44352, PerDayUSD: 10.6445, PerMonthUSD: 323.77, PerYearUSD: 3885.24},
		Idle:                  IdleCost{PaidVCPUHours: 46.2, BusyVCPUHours: 20.1, IdleShare: 0.5649, IdleUSD: 1.0734},
		PriceList:             PriceList{Source: "AWS Price List API via Karpenter, us-east-1, 2026-07-20", Date: "2026-07-20", Region: "us-east-1", OS: "linux"},
		Commitments:           Commitments{ReservedUsedShare: 0.8, SavingsPlanUsedShare: 1},
		SavingsPlanWhatIf: &pricing.WhatIf{Kind: "compute", Discount: 0.28, DiscountSource: "assumed", NoPlanUSD: 2.2176, AllOnDemandUSD: 2.4,
			BestUSDPerHour: 0.2, BestUSD: 1.9, BreakEvenUSDPerHour: 0.45, Points: []pricing.WhatIfPoint{
				{USDPerHour: 0, TotalUSD: 2.2176}, {USDPerHour: 0.1, TotalUSD: 2.05}, {USDPerHour: 0.2, TotalUSD: 1.9},
				{USDPerHour: 0.3, TotalUSD: 2.0}, {USDPerHour: 0.6, TotalUSD: 2.6}}},
		Warnings: []string{"spot is billed at the discount"},
	}
}

// needTool skips a test when something outside Go is missing on a developer
// machine, and fails it in CI (CI set), where everything must run.
func needTool(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set, so this fails instead of skipping)")
	}
	t.Skip(msg)
}

func renderHTML(t *testing.T, docs ...*Document) []byte {
	t.Helper()
	if !EChartsEmbedded() {
		needTool(t, "this test checks the offline report, and %v", ErrAssetsNotBuilt)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, docs...); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return buf.Bytes()
}

var (
	tagRE       = regexp.MustCompile(`^<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^>]*)?)>`)
	srcAttrRE   = regexp.MustCompile(`(?i)\ssrc\s*=`)
	remoteURLRE = regexp.MustCompile(`(?i)(https?:)?//`)
)

type htmlTag struct {
	closing bool
	name    string // lower case
	attrs   string
}

// scanTags lists the tags of page in order, stepping over the contents of
// <script> elements (the inlined ECharts text mentions URLs and markup in JS
// strings; those are not tags).
func scanTags(page string) []htmlTag {
	var tags []htmlTag
	for i := 0; i < len(page); {
		j := strings.IndexByte(page[i:], '<')
		if j < 0 {
			break
		}
		i += j
		m := tagRE.FindStringSubmatch(page[i:])
		if m == nil {
			i++
			continue
		}
		tag := htmlTag{closing: m[1] == "/", name: strings.ToLower(m[2]), attrs: m[3]}
		tags = append(tags, tag)
		i += len(m[0])
		if tag.name == "script" && !tag.closing {
			end := strings.Index(strings.ToLower(page[i:]), "</script")
			if end < 0 {
				break
			}
			i += end
		}
	}
	return tags
}

var chartElementRE = regexp.MustCompile(`<div class="item" id="([^"]*)"`)

// pageChartIDs lists the chart elements of page in order.
func pageChartIDs(page []byte) []string {
	var ids []string
	for _, m := range chartElementRE.FindAllSubmatch(page, -1) {
		ids = append(ids, string(m[1]))
	}
	return ids
}

// wantChartIDs are the charts the report must draw for docs, in page order:
// the five linked time series, the latency CDF, the cost breakdown when some
// run has bill lines, cost vs p99 for several runs, the Savings Plan what-if
// when some run has one, and one chart per run and predictive policy.
func wantChartIDs(docs []*Document) []string {
	ids := []string{"load", "instances", "latency", "cpu", "cost"}
	ecs, cluster := false, false
	for _, d := range docs {
		ecs, cluster = ecs || isECS(d), cluster || hasCluster(d)
	}
	if ecs {
		ids = append(ids, "tasks")
		if cluster {
			ids = append(ids, "cluster_capacity")
		}
		ids = append(ids, "pending_time")
		for i, d := range docs {
			if len(providerNames(d)) > 0 {
				ids = append(ids, fmt.Sprintf("cp_instances_%d", i), fmt.Sprintf("cp_reservation_%d", i))
			}
		}
	}
	ids = append(ids, "latency_cdf")
	lines, whatIf := false, false
	for _, d := range docs {
		lines = lines || len(d.Summary.Cost.ByLine) > 0
		whatIf = whatIf || d.Summary.Cost.SavingsPlanWhatIf != nil
	}
	if lines {
		ids = append(ids, "cost_lines")
	}
	if len(docs) > 1 {
		ids = append(ids, "cost_p99")
	}
	if anyMonths(docs) {
		ids = append(ids, "months_cost", "months_instances")
		for _, d := range docs {
			if d.Summary.SavingsPlanCommitment != nil {
				ids = append(ids, "commitment")
				break
			}
		}
	}
	if whatIf {
		ids = append(ids, "savings_plan")
	}
	for i, d := range docs {
		for k := range len(d.Forecasts) {
			ids = append(ids, fmt.Sprintf("forecast_%d_%d", i, k))
		}
	}
	return ids
}

// checkSelfContained asserts what keeps the page offline and in one piece:
// no script loaded by URL, no tag pointing at the network, and exactly one
// script element for ECharts plus one per chart (a user string that closed
// or opened a script would change the count).
func checkSelfContained(t *testing.T, page []byte, docs ...*Document) {
	t.Helper()
	chartIDs := wantChartIDs(docs)
	if got := pageChartIDs(page); !slices.Equal(got, chartIDs) {
		t.Errorf("chart elements %q, want %q", got, chartIDs)
	}
	tags := scanTags(string(page))
	var opened, closed int
	for _, tag := range tags {
		if tag.name == "script" && srcAttrRE.MatchString(tag.attrs) {
			t.Errorf("script loaded by URL: <script%s>", tag.attrs)
		}
		if remoteURLRE.MatchString(tag.attrs) {
			t.Errorf("tag points at the network: <%s%s>", tag.name, tag.attrs)
		}
		if tag.name == "script" {
			if tag.closing {
				closed++
			} else {
				opened++
			}
		}
	}
	if want := 1 + len(chartIDs); opened != want || closed != want {
		t.Errorf("got %d <script> and %d </script>, want %d of each (echarts + one per chart)", opened, closed, want)
	}
	if n := bytes.Count(bytes.ToLower(page), []byte("</script")); n != 1+len(chartIDs) {
		t.Errorf("\"</script\" occurs %d times in the page, want %d", n, 1+len(chartIDs))
	}
	if strings.Contains(outsideScripts(string(page)), "url(") {
		t.Error("the page's CSS loads a url()")
	}
}

// outsideScripts is page without the contents of its <script> elements.
func outsideScripts(page string) string {
	var b strings.Builder
	lower := strings.ToLower(page)
	for i := 0; ; {
		open := strings.Index(lower[i:], "<script")
		if open < 0 {
			b.WriteString(page[i:])
			return b.String()
		}
		b.WriteString(page[i : i+open])
		end := strings.Index(lower[i+open:], "</script")
		if end < 0 {
			return b.String()
		}
		i += open + end + len("</script")
	}
}

func TestWriteHTMLSelfContained(t *testing.T) {
	doc := sampleDocument("checkout-api", 0)
	page := renderHTML(t, doc)
	checkSelfContained(t, page, doc)
	s := string(page)
	for _, want := range []string{
		"<title>checkout-api</title>",
		`var linked = [goecharts_load, goecharts_instances, goecharts_latency, goecharts_cpu, goecharts_cost];`,
		`echarts.connect(linked);`,
		`"animation":false`,
		`"dataZoom":[{"type":"slider","xAxisIndex":0},{"type":"inside","xAxisIndex":0}]`,
		`"xAxis":[{"type":"time","axisLabel":{"formatter":"{MM}-{dd} {HH}:{mm}"`,
		`["2026-03-02T02:00:00Z",null]`, // minute 120 has no latency: a gap
		`"name":"SLO p99","yAxis":500`,
		`<td class="change">3 → `,
		// The summary is rounded for people; the JSON keeps 412.25.
		`<td>52.5 ms</td><td>412 ms</td><td>7</td><td>4.62</td><td>$2.22</td>`,
		`<small>p99 412 ms ≤ 500 ms</small>`,
		`start 2026-03-02T00:00:00Z · duration 5 h · seed 42`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, tag := range scanTags(s) {
		if tag.name == "link" || tag.name == "img" || tag.name == "iframe" {
			t.Errorf("unexpected <%s%s>", tag.name, tag.attrs)
		}
	}
}

// evilDocument puts markup in every user string the report shows.
func evilDocument() *Document {
	d := sampleDocument("</script><b>x", 1)
	d.Description = `<img src=x onerror=alert(1)> & "quotes"`
	d.ScalingActivities[0].Policy = "<i>policy</i>"
	d.ScalingActivities[0].Reason = `</td></tr></table><script>alert(1)</script>`
	d.Summary.SLO = SLO{Met: false, Checks: []SLOCheck{{Name: `<s>p99"`, Value: 600, Limit: 500}}}
	c := &d.Summary.Cost
	c.Warnings = []string{`<u>warning</u> & more`}
	c.ByInstanceType = map[string]float64{"<em>type</em>": 1.9}
	c.ByLine["<q>line</q>"] = 0.01
	c.PriceList.Source = `<tt>prices</tt>`
	w := *c.SavingsPlanWhatIf
	w.DiscountSource = `<kbd>assumed</kbd>`
	c.SavingsPlanWhatIf = &w
	d.Forecasts = map[string][]ForecastRow{"</script><var>fc": d.Forecasts["forecast"]}
	return d
}

func TestWriteHTMLEscapesUserStrings(t *testing.T) {
	for _, tc := range []struct {
		name string
		docs []*Document
	}{
		{"one run", []*Document{evilDocument()}},
		{"two runs", []*Document{evilDocument(), sampleDocument("baseline", 0)}}, // the name goes into series names
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := renderHTML(t, tc.docs...)
			checkSelfContained(t, page, tc.docs...)
			s := string(page)
			for _, bad := range []string{"<b>x", "<img src=x", "<i>policy", "<script>alert", "<s>p99", "</td></tr></table><script",
				"<u>warning", "<em>type", "<q>line", "<tt>prices", "<kbd>assumed", "<var>fc"} {
				if strings.Contains(s, bad) {
					t.Errorf("page contains unescaped %q", bad)
				}
			}
			for _, want := range []string{
				"&lt;/script&gt;&lt;b&gt;x",
				"&lt;img src=x onerror=alert(1)&gt; &amp; &#34;quotes&#34;",
				"&lt;i&gt;policy&lt;/i&gt;",
				"&lt;u&gt;warning&lt;/u&gt; &amp; more",
				"&lt;em&gt;type&lt;/em&gt;",
				"&lt;q&gt;line&lt;/q&gt;",
				"&lt;tt&gt;prices&lt;/tt&gt;",
				"&lt;kbd&gt;assumed&lt;/kbd&gt;",
				`\u003c/script\u003e\u003cvar\u003efc"`, // ends a chart title, JSON-escaped
			} {
				if !strings.Contains(s, want) {
					t.Errorf("page lacks the escaped %q", want)
				}
			}
			if len(tc.docs) > 1 && !strings.Contains(s, `"name":"\u003c/script\u003e\u003cb\u003ex: p99"`) {
				t.Error(`chart options lack the series name "</script><b>x: p99", JSON-escaped`)
			}
			title := "<title>&lt;/script&gt;&lt;b&gt;x</title>"
			if len(tc.docs) > 1 { // the page names the comparison
				title = "<title>Comparison: &lt;/script&gt;&lt;b&gt;x vs baseline</title>"
			}
			if !strings.Contains(s, title) {
				t.Errorf("page title is not %s", title)
			}
		})
	}
}

func TestWriteHTMLDeterministic(t *testing.T) {
	for _, docs := range [][]*Document{
		{sampleDocument("checkout-api", 0)},
		{sampleDocument("cpu-50", 0), sampleDocument("cpu-70", 0.5), evilDocument()},
	} {
		a := renderHTML(t, docs...)
		b := renderHTML(t, docs...)
		if !bytes.Equal(a, b) {
			t.Fatalf("two renders of the same %d document(s) differ (%d vs %d bytes)", len(docs), len(a), len(b))
		}
	}
}

func TestWriteHTMLCapsActivityTable(t *testing.T) {
	d := sampleDocument("busy", 0)
	d.ScalingActivities = nil
	for i := range MaxActivityRows + 100 {
		d.ScalingActivities = append(d.ScalingActivities, Activity{Time: fmt.Sprint(i), Policy: "p", From: 1, To: 2, Reason: "r"})
	}
	s := string(renderHTML(t, d))
	if n := strings.Count(s, `<td class="change">1 → 2</td>`); n != MaxActivityRows {
		t.Errorf("activity table has %d rows, want %d", n, MaxActivityRows)
	}
	if !strings.Contains(s, fmt.Sprintf("Showing the first %d of %d scaling activities", MaxActivityRows, MaxActivityRows+100)) {
		t.Error("page lacks the truncation note")
	}
}

func TestWriteHTMLRejectsNoDocument(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf); err == nil {
		t.Error("WriteHTML() with no document: want an error")
	}
	if err := WriteHTML(&buf, sampleDocument("a", 0), nil); err == nil {
		t.Error("WriteHTML with a nil document: want an error")
	}
	if buf.Len() != 0 {
		t.Errorf("WriteHTML wrote %d bytes on error", buf.Len())
	}
}

// The embed pattern must never pull in node_modules (tens of MB).
func TestEmbedLeavesOutNodeModules(t *testing.T) {
	if _, err := fs.Stat(assetFS, "assets/node_modules"); err == nil {
		t.Fatal("assets/node_modules is embedded")
	}
	if _, err := fs.Stat(assetFS, "assets/package-lock.json"); err != nil {
		t.Fatalf("assets/package-lock.json is not embedded: %v", err)
	}
}

// ---- the report in a real browser ----

// chromium runs Debian's headless Chromium on url in an empty network
// namespace (unshare -n), so any attempt to fetch something fails, and
// returns its stdout.
func chromium(t *testing.T, url string, extra ...string) []byte {
	t.Helper()
	bin := "/usr/bin/chromium"
	if _, err := os.Stat(bin); err != nil {
		needTool(t, "%s not found; install it with apt-get install chromium", bin)
	}
	unshare := noNetwork(t)
	args := slices.Concat(unshare[1:], []string{"--", bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
		"--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + t.TempDir(),
		"--virtual-time-budget=5000"}, extra, []string{url})

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, unshare[0], args...)
	// Chromium forks helpers: give it its own process group and kill the
	// whole group on timeout.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("chromium did not finish within 60 s; stderr:\n%s", tail(stderr.String(), 2000))
	}
	if err != nil {
		t.Fatalf("chromium: %v; stderr:\n%s", err, tail(stderr.String(), 2000))
	}
	return stdout.Bytes()
}

var (
	noNetworkOnce sync.Once
	noNetworkCmd  []string
)

// noNetwork finds how this machine makes an empty network namespace: as root
// `unshare -n`; otherwise `unshare -r -n` (a user namespace), where allowed.
func noNetwork(t *testing.T) []string {
	t.Helper()
	noNetworkOnce.Do(func() {
		for _, c := range [][]string{{"unshare", "-n"}, {"unshare", "-r", "-n"}} {
			if exec.Command(c[0], append(c[1:], "true")...).Run() == nil {
				noNetworkCmd = c
				return
			}
		}
	})
	if noNetworkCmd == nil {
		needTool(t, "cannot create an empty network namespace with unshare -n or unshare -r -n")
	}
	return noNetworkCmd
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// TestWriteHTMLInChromium opens the report in headless Chromium with no
// network at all and checks that ECharts really drew every chart; it also
// takes a screenshot and checks it is a real picture. Set
// CAPSIM_REPORT_ARTIFACTS to a folder to keep the page and the screenshot.
func TestWriteHTMLInChromium(t *testing.T) {
	docs := []*Document{sampleDocument("checkout-api", 0), sampleDocument("</script><b>x", 0.8)}
	page := renderHTML(t, docs...)
	chartIDs := wantChartIDs(docs)
	checkSelfContained(t, page, docs...)
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	// A copy that, once drawn, opens the latency chart's tooltip, so the DOM
	// shows how ECharts writes user strings (series names) into HTML.
	tipPath := filepath.Join(dir, "report-tooltip.html")
	// (The last </body>: ECharts' own code holds the string "</body>".)
	end := bytes.LastIndex(page, []byte("</body>"))
	tip := slices.Concat(page[:end], []byte(`<script>goecharts_latency.dispatchAction({type: "showTip", seriesIndex: 2, dataIndex: 60});</script>`), page[end:])
	if err := os.WriteFile(tipPath, tip, 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "report.png")

	t.Run("dom", func(t *testing.T) {
		t.Parallel()
		dom := string(chromium(t, "file://"+path, "--dump-dom"))
		if n := strings.Count(dom, "<canvas"); n != len(chartIDs) {
			t.Errorf("dumped DOM has %d <canvas>, want %d (one per chart)", n, len(chartIDs))
		}
		for _, id := range chartIDs {
			re := regexp.MustCompile(`<div class="item" id="` + id + `"[^>]*_echarts_instance_="[^"]+"[^>]*>\s*<div[^>]*>\s*<canvas`)
			if !re.MatchString(dom) {
				t.Errorf("chart %q was not drawn by ECharts", id)
			}
		}
		if want := fmt.Sprintf(`data-charts="%d"`, len(chartIDs)); !strings.Contains(dom, want) {
			t.Errorf("the page's last script did not run (no %s on <body>)", want)
		}
		if strings.Contains(dom, "<b>x") {
			t.Error("a document name became markup")
		}
	})
	// A 7-day comparison of 5 runs, downsampled, on a log latency axis,
	// with the Pareto front overlaid: every chart is drawn all the same.
	var long []*Document
	for i := range 5 {
		d := sampleDocument(fmt.Sprintf("variant-%d", i), 0)
		d.Timeseries = longRows(7*24*60, 1000*(i+1), 9000)
		long = append(long, d)
	}
	longPath := filepath.Join(dir, "long.html")
	if err := os.WriteFile(longPath, renderHTML(t, long...), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("7-day comparison of 5 runs", func(t *testing.T) {
		t.Parallel()
		dom := string(chromium(t, "file://"+longPath, "--dump-dom"))
		ids := wantChartIDs(long)
		if n := strings.Count(dom, "<canvas"); n != len(ids) {
			t.Errorf("dumped DOM has %d <canvas>, want %d (one per chart)", n, len(ids))
		}
		if want := fmt.Sprintf(`data-charts="%d"`, len(ids)); !strings.Contains(dom, want) {
			t.Errorf("the page's last script did not run (no %s on <body>)", want)
		}
	})
	// A year in fluid mode at an hour per row (reports/html_year.go): the
	// months' cost and instances and the commitment chart are drawn too,
	// the header names the mode with its accuracy, and the partial last
	// month is projected.
	year := []*Document{yearDocument(t)}
	yearPath := filepath.Join(dir, "year.html")
	if err := os.WriteFile(yearPath, renderHTML(t, year...), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("year", func(t *testing.T) {
		t.Parallel()
		dom := string(chromium(t, "file://"+yearPath, "--dump-dom"))
		ids := wantChartIDs(year)
		if !slices.Contains(ids, "commitment") {
			t.Fatalf("the year document has no commitment chart to check: %v", ids)
		}
		for _, id := range ids {
			re := regexp.MustCompile(`<div class="item" id="` + id + `"[^>]*_echarts_instance_="[^"]+"[^>]*>\s*<div[^>]*>\s*<canvas`)
			if !re.MatchString(dom) {
				t.Errorf("chart %q was not drawn by ECharts", id)
			}
		}
		if n := strings.Count(dom, "<canvas"); n != len(ids) {
			t.Errorf("dumped DOM has %d <canvas>, want %d (one per chart)", n, len(ids))
		}
		for _, want := range []string{"Months and commitments", "2027-12 (partial)", `<p class="mode"><strong>Mode</strong> fluid:`, "Break-even: above"} {
			if !strings.Contains(dom, want) {
				t.Errorf("the year report lacks %q", want)
			}
		}
	})
	t.Run("tooltip", func(t *testing.T) {
		t.Parallel()
		dom := string(chromium(t, "file://"+tipPath, "--dump-dom"))
		if !strings.Contains(dom, "&lt;/script&gt;&lt;b&gt;x: p50") {
			t.Errorf("the tooltip does not show the escaped series name; DOM tail:\n%s", tail(dom, 1500))
		}
		if strings.Contains(dom, "<b>x") {
			t.Error("the tooltip turned a series name into markup")
		}
	})
	// ECS services: the charts of tasks, cluster capacity and pending time.
	testECSInChromium(t, dir)
	t.Run("screenshot", func(t *testing.T) {
		t.Parallel()
		chromium(t, "file://"+path, "--window-size=1200,1600", "--screenshot="+shot)
		checkScreenshot(t, shot)
		if out := os.Getenv("CAPSIM_REPORT_ARTIFACTS"); out != "" {
			for _, f := range []string{path, shot} {
				b, err := os.ReadFile(f)
				if err == nil {
					err = os.WriteFile(filepath.Join(out, filepath.Base(f)), b, 0o644)
				}
				if err != nil {
					t.Errorf("keeping %s: %v", f, err)
				}
			}
		}
	})
}

// checkScreenshot asserts the PNG is 1200×1600 and holds a drawn report, not
// a blank page: a blank page is one colour and compresses to a few KB.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if fi.Size() < 40<<10 {
		t.Errorf("screenshot is %d bytes, want > 40 KB", fi.Size())
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 1600 {
		t.Errorf("screenshot is %dx%d, want 1200x1600", b.Dx(), b.Dy())
	}
	colours, inked := map[uint32]bool{}, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[(r>>11)<<10|(g>>11)<<5|bl>>11] = true
			if r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				inked++
			}
		}
	}
	if len(colours) < 50 {
		t.Errorf("screenshot has %d distinct colours, want ≥ 50 (charts drawn in several colours)", len(colours))
	}
	if total := (b.Dx() / 2) * (b.Dy() / 2); inked < total/50 {
		t.Errorf("only %d of %d sampled pixels are not near-white", inked, total)
	}
}

// BenchmarkWriteHTML renders a one-day run (1440 rows) compared with two
// variants, the size `capsim compare` writes for a daily scenario.
func BenchmarkWriteHTML(b *testing.B) {
	var docs []*Document
	for i, name := range []string{"baseline", "cpu-70", "round-robin"} {
		d := sampleDocument(name, float64(i)/3)
		for len(d.Timeseries) < 1440 {
			r := d.Timeseries[len(d.Timeseries)%300]
			r.Time = time.Date(2026, 3, 2, 0, len(d.Timeseries), 0, 0, time.UTC).Format(time.RFC3339)
			d.Timeseries = append(d.Timeseries, r)
		}
		docs = append(docs, d)
	}
	if !EChartsEmbedded() {
		b.Skip(ErrAssetsNotBuilt)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, docs...); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteHTML(&buf, docs...); err != nil {
			b.Fatal(err)
		}
	}
}
