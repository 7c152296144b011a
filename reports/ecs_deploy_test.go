package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// deployDocs runs scenarios/examples/ecs-deploy.yaml's base (EC2) and its
// fargate variant for 40 minutes (the deployment is at 15 minutes).
func deployDocs(t *testing.T) []*Document {
	t.Helper()
	sc, err := scenarios.Load("../scenarios/examples/ecs-deploy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	runs, err := sc.Runs()
	if err != nil {
		t.Fatal(err)
	}
	var docs []*Document
	for _, r := range runs {
		if r.Name != "deploy-surge" && r.Name != "fargate" && r.Name != "no-deployment" {
			continue
		}
		r.Duration = scenarios.Duration(40 * time.Minute)
		cfg, closer, err := r.Build(nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := sim.Run(cfg)
		closer.Close()
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, Build(Input{Name: r.Name, CapsimVersion: "test", Scenario: r, Start: cfg.Start, Result: res,
			Bill: pricing.Charge(r.PricingPlan(), res), PriceList: r.PriceList()}))
	}
	if len(docs) != 3 {
		t.Fatalf("%d runs, want deploy-surge, no-deployment and fargate", len(docs))
	}
	return docs
}

// TestDeploymentsInDocument: summary.deployments (docs/result.md) holds
// the deployment's numbers — instances on EC2, null on Fargate — and is
// absent without one; the terminal summary and the HTML report show it.
func TestDeploymentsInDocument(t *testing.T) {
	docs := deployDocs(t)
	for _, d := range docs {
		b, err := json.Marshal(d.Summary)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		list, ok := m["deployments"].([]any)
		if d.Name == "no-deployment" {
			if ok {
				t.Errorf("no-deployment has summary.deployments %v", list)
			}
			continue
		}
		if !ok || len(list) != 1 {
			t.Fatalf("%s: summary.deployments %v, want one", d.Name, m["deployments"])
		}
		dep := list[0].(map[string]any)
		for _, k := range []string{"at_s", "end_s", "duration_s", "outcome", "minimum_healthy_percent", "maximum_percent", "desired", "desired_at_end",
			"peak_tasks", "min_healthy_tasks", "tasks_started", "tasks_stopped", "task_seconds", "desired_task_seconds", "extra_task_seconds",
			"peak_instances", "instances_launched", "requests", "latency_ms"} {
			if _, ok := dep[k]; !ok {
				t.Errorf("%s: summary.deployments[0] lacks %s", d.Name, k)
			}
		}
		if dep["at_s"] != 900.0 || dep["outcome"] != "completed" || dep["peak_tasks"] != 24.0 {
			t.Errorf("%s: %v", d.Name, dep)
		}
		if fargate := d.Name == "fargate"; (dep["instances_launched"] == nil) != fargate {
			t.Errorf("%s: instances_launched %v", d.Name, dep["instances_launched"])
		}
		var sum bytes.Buffer
		if err := WriteSummary(&sum, d); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(sum.String(), "deployments") || !strings.Contains(sum.String(), "at 15 min took") {
			t.Errorf("%s: the terminal summary has no deployment line:\n%s", d.Name, sum.String())
		}
	}
	page := string(renderHTML(t, docs...))
	if !strings.Contains(page, "<h3>ECS deployments</h3>") || strings.Count(page, "100 % / 200 %") != 2 {
		t.Error("the report has no deployment table with both runs' deployments")
	}
	if plain := string(renderHTML(t, docs[1])); strings.Contains(plain, "ECS deployments") {
		t.Error("a run without deployments shows a deployment table")
	}
}
