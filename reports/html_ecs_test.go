package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/capsim/capsim/internal/humanize"
	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

var (
	ecsDocsOnce sync.Once
	ecsDocs     []*Document
	ecsDocsErr  error
)

// ecsCompareDocs runs scenarios/examples/ecs-compare.yaml (the base on a
// capacity provider, a fixed EC2 cluster, Fargate, an on-demand and a spot
// provider) for its first 14 hours,
// which hold the morning rise and the noon spike, and builds each run's
// document as capsim run does.
func ecsCompareDocs(t *testing.T) []*Document {
	t.Helper()
	ecsDocsOnce.Do(func() {
		sc, err := scenarios.Load("../scenarios/examples/ecs-compare.yaml")
		if err != nil {
			ecsDocsErr = err
			return
		}
		runs, err := sc.Runs()
		if err != nil {
			ecsDocsErr = err
			return
		}
		for _, r := range runs {
			r.Duration = scenarios.Duration(14 * time.Hour)
			cfg, closer, err := r.Build(nil)
			if err != nil {
				ecsDocsErr = fmt.Errorf("%s: %w", r.Name, err)
				return
			}
			res, err := sim.Run(cfg)
			closer.Close()
			if err != nil {
				ecsDocsErr = fmt.Errorf("%s: %w", r.Name, err)
				return
			}
			ecsDocs = append(ecsDocs, Build(Input{Name: r.Name, Description: r.Description, CapsimVersion: "test", Scenario: r,
				Start: cfg.Start, Result: res, Bill: pricing.Charge(r.PricingPlan(), res), PriceList: r.PriceList()}))
		}
	})
	if ecsDocsErr != nil {
		t.Fatal(ecsDocsErr)
	}
	return ecsDocs
}

// TestECSReport: an ECS run's report adds the task table (the summary's
// summary.tasks figures) and its three charts, a Fargate run has no
// cluster chart, and a report without a service has none of it.
func TestECSReport(t *testing.T) {
	docs := ecsCompareDocs(t)
	if len(docs) != 4 || !hasCluster(docs[0]) || !hasCluster(docs[1]) || !isECS(docs[2]) || hasCluster(docs[2]) || !hasCluster(docs[3]) {
		t.Fatalf("ecs-compare: %d runs, want capacity provider, fixed cluster (instances), Fargate (none), on-demand and spot providers", len(docs))
	}
	cp := docs[0]
	if cp.Summary.Tasks.PendingTaskSeconds <= 0 {
		t.Errorf("the capacity provider run has no pending time (%+v): the noon spike should make tasks wait for instances", cp.Summary.Tasks)
	}
	ids := func(ds ...*Document) []string {
		got, _ := ecsCharts(ds, &scriptSafeOptions{})
		return got
	}
	if got := ids(cp); !slices.Equal(got, []string{"tasks", "cluster_capacity", "pending_time"}) {
		t.Errorf("EC2 run: charts %v", got)
	}
	if got := ids(docs[2]); !slices.Equal(got, []string{"tasks", "pending_time"}) {
		t.Errorf("Fargate run: charts %v", got)
	}
	if got := ids(sampleDocument("web", 0)); got != nil {
		t.Errorf("run without a service: charts %v", got)
	}

	page := string(renderHTML(t, cp))
	tk := cp.Summary.Tasks
	row := fmt.Sprintf(`<tr><td class="name">ec2-capacity-provider</td><td>%d</td><td>%s</td>`, tk.PeakRunning, esc(humanize.Sig(tk.MeanRunning)))
	for _, w := range []string{"<h3>ECS tasks</h3>", row, esc(humanize.Sig(tk.PendingTaskSeconds)), "ECS service: tasks and cluster",
		`"stack":"tasks"`, `"stack":"instances"`, "capacity provider reservation %", "vCPU reserved", "GiB registered"} {
		if !strings.Contains(page, w) {
			t.Errorf("the ECS report lacks %q", w)
		}
	}
	plain := string(renderHTML(t, sampleDocument("web", 0)))
	for _, no := range []string{"ECS", "tasks running", `id="tasks"`} {
		if strings.Contains(plain, no) {
			t.Errorf("a report without a service has %q", no)
		}
	}
	// A comparison names every ECS run in the task table and on the task
	// chart, and marks the least pending time.
	cmp := string(renderHTML(t, docs...))
	for _, d := range docs {
		if !strings.Contains(cmp, `<tr><td class="name">`+d.Name+`</td><td>`+fmt.Sprint(d.Summary.Tasks.PeakRunning)) || !strings.Contains(cmp, d.Name+": tasks running") {
			t.Errorf("the comparison lacks %s's task counts", d.Name)
		}
	}
	if !strings.Contains(cmp, `<td class="best"><strong>★ 0</strong></td>`) {
		t.Error("the comparison does not mark Fargate's 0 pending task-seconds as the least")
	}
}

// esc is how html/template writes text.
func esc(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")
	return r.Replace(s)
}

// TestStackRows: beyond maxChartPoints every series of a stack keeps the
// same rows, so ECharts adds the bands point by point, and the peaks of
// the total survive.
func TestStackRows(t *testing.T) {
	rows := make([]Row, 3*maxChartPoints+7)
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	peak := 0
	for i := range rows {
		run, pend := (i*7)%23, (i*5)%11
		rows[i] = Row{Time: start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339), RowECS: &RowECS{TasksRunning: run, TasksPending: pend}}
		peak = max(peak, run+pend)
	}
	total := func(r Row) float64 { return float64(r.TasksRunning + r.TasksPending) }
	idx := stackRows(rows, total)
	if len(idx) > maxChartPoints || !slices.IsSorted(idx) {
		t.Fatalf("%d rows kept (want ≤ %d, in order)", len(idx), maxChartPoints)
	}
	a := seriesAt(rows, idx, func(r Row) any { return r.TasksRunning })
	b := seriesAt(rows, idx, func(r Row) any { return r.TasksPending })
	seen := 0
	for k := range a {
		ta, tb := a[k].Value.([2]any), b[k].Value.([2]any)
		if ta[0] != tb[0] {
			t.Fatalf("point %d: the stack's series are at %v and %v", k, ta[0], tb[0])
		}
		seen = max(seen, ta[1].(int)+tb[1].(int))
	}
	if seen != peak {
		t.Errorf("the stack's highest total is %d, the rows' %d", seen, peak)
	}
	if got := stackRows(rows[:10], total); len(got) != 10 {
		t.Errorf("short series: %d of 10 rows", len(got))
	}
}

// testECSInChromium is TestWriteHTMLInChromium's ECS part: the
// comparison of ecs-compare.yaml and its capacity-provider run alone,
// drawn by ECharts with no network, every chart and the ECS charts' every
// series with points.
func testECSInChromium(t *testing.T, dir string) {
	docs := ecsCompareDocs(t)
	for _, c := range []struct {
		name string
		docs []*Document
		// series the ECS charts must draw (name: points > 0)
		want map[string][]string
	}{
		{"ecs-compare", docs, map[string][]string{
			"tasks":            {"ec2-capacity-provider: tasks running", "ec2-fixed: instances in service", "fargate: tasks pending", "ec2-od-and-spot: instances in service"},
			"cluster_capacity": {"ec2-capacity-provider: vCPU reserved", "ec2-fixed: GiB registered"},
			"pending_time":     {"ec2-capacity-provider: pending task-seconds", "ec2-capacity-provider: capacity provider reservation %", "fargate: pending task-seconds"},
			"cp_instances_3":   {"od in service", "spot in service", "od desired", "spot desired"},
			"cp_reservation_3": {"od reservation %", "spot reservation %"},
		}},
		{"ecs-one-run", docs[:1], map[string][]string{
			"tasks":            {"tasks running", "tasks pending", "instances in service", "instances launching"},
			"cluster_capacity": {"vCPU registered", "vCPU reserved", "vCPU used", "GiB reserved"},
			"pending_time":     {"pending task-seconds", "capacity provider reservation %"},
		}},
		{"ecs-two-providers", docs[3:], map[string][]string{
			"tasks":            {"tasks running", "instances in service"},
			"cluster_capacity": {"vCPU reserved"},
			"pending_time":     {"pending task-seconds", "capacity provider reservation %"},
			"cp_instances_0":   {"od in service", "spot in service", "od desired", "spot desired"},
			"cp_reservation_0": {"od reservation %", "spot reservation %"},
		}},
	} {
		page := renderHTML(t, c.docs...)
		checkSelfContained(t, page, c.docs...)
		// Once drawn, the page lists each ECS chart's series as ECharts
		// holds them, with their point counts.
		end := bytes.LastIndex(page, []byte("</body>"))
		var probed []string
		for _, id := range slices.Sorted(maps.Keys(c.want)) {
			probed = append(probed, `["`+id+`", goecharts_`+id+`]`)
		}
		probe := `<script>(function () { var out = {};` +
			`[` + strings.Join(probed, ", ") + `].forEach(function (p) {` +
			`out[p[0]] = p[1].getOption().series.map(function (s) { return s.name + "=" + s.data.length; }); });` +
			`var pre = document.createElement("pre"); pre.id = "ecs-probe"; pre.textContent = JSON.stringify(out); document.body.appendChild(pre); })();</script>`
		page = slices.Concat(page[:end], []byte(probe), page[end:])
		path := filepath.Join(dir, c.name+".html")
		if err := os.WriteFile(path, page, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dom := string(chromium(t, "file://"+path, "--dump-dom"))
			ids := wantChartIDs(c.docs)
			for _, id := range []string{"tasks", "pending_time"} {
				if !slices.Contains(ids, id) {
					t.Fatalf("wantChartIDs %v lacks %s", ids, id)
				}
			}
			if n := strings.Count(dom, "<canvas"); n != len(ids) {
				t.Errorf("dumped DOM has %d <canvas>, want %d (one per chart)", n, len(ids))
			}
			for _, id := range ids {
				re := regexp.MustCompile(`<div class="item" id="` + id + `"[^>]*_echarts_instance_="[^"]+"[^>]*>\s*<div[^>]*>\s*<canvas`)
				if !re.MatchString(dom) {
					t.Errorf("chart %q was not drawn by ECharts", id)
				}
			}
			if want := fmt.Sprintf(`data-charts="%d"`, len(ids)); !strings.Contains(dom, want) {
				t.Errorf("the page's last script did not run (no %s on <body>)", want)
			}
			m := regexp.MustCompile(`<pre id="ecs-probe">([^<]*)</pre>`).FindStringSubmatch(dom)
			if m == nil {
				t.Fatalf("the probe did not run; DOM tail:\n%s", tail(dom, 1500))
			}
			var got map[string][]string
			if err := json.Unmarshal([]byte(strings.ReplaceAll(m[1], "&amp;", "&")), &got); err != nil {
				t.Fatalf("probe %q: %v", m[1], err)
			}
			for chart, names := range c.want {
				for _, n := range names {
					ok := false
					for _, s := range got[chart] {
						name, points, _ := strings.Cut(s, "=")
						ok = ok || name == n && points != "0"
					}
					if !ok {
						t.Errorf("chart %s has no series %q with points: %v", chart, n, got[chart])
					}
				}
			}
		})
	}
}
