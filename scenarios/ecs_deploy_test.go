package scenarios

import (
	"testing"

	"github.com/capsim/capsim/sim"
)

// withDeployments is the valid ECS scenario with service.deployments
// appended (the last key of the service): the list's first entry is on
// line 23.
func withDeployments(t *testing.T, list string) string {
	t.Helper()
	return editECS(t, "      - {name: cpu50, type: target_tracking, metric: cpu, target: 50}\n",
		"      - {name: cpu50, type: target_tracking, metric: cpu, target: 50}\n  deployments:\n"+list)
}

// TestDeploymentsBuild: service.deployments become the engine's, with
// ECS's defaults (minimumHealthyPercent 100, maximumPercent 200,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html)
// filled in, and a start_time for the new revision.
func TestDeploymentsBuild(t *testing.T) {
	s, cfg := mustBuild(t, "deploy.yaml", withDeployments(t,
		"    - {at: 10m}\n    - {at: 40m, minimum_healthy_percent: 50, maximum_percent: 100, start_time: {dist: constant, value: 45s}}\n"))
	ds := cfg.ECS.Deployments
	if len(ds) != 2 {
		t.Fatalf("%d deployments, want 2", len(ds))
	}
	if ds[0].At != 10*sim.Minute || ds[0].MinHealthyPercent != 100 || ds[0].MaxPercent != 200 || ds[0].StartTime != nil {
		t.Errorf("first deployment %+v: want at 10m with the defaults 100/200 and the service's start time", ds[0])
	}
	if ds[1].At != 40*sim.Minute || ds[1].MinHealthyPercent != 50 || ds[1].MaxPercent != 100 || ds[1].StartTime == nil || ds[1].StartTime.Mean() != 45 {
		t.Errorf("second deployment %+v: want at 40m, 50/100, a 45 s start", ds[1])
	}
	// The resolved scenario shows the defaults.
	if d := s.Service.Deployments[0]; d.MinimumHealthyPercent != 100 || d.MaximumPercent != 200 {
		t.Errorf("resolved %+v: want the defaults written in", d)
	}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Deployments) != 2 || res.Deployments[0].Outcome != sim.DeploymentCompleted {
		t.Errorf("deployments %+v: want two, the first completed", res.Deployments)
	}
}

func TestDeploymentsErrors(t *testing.T) {
	cases := []struct {
		name string
		list string
		want []want
	}{
		{"minimum above 100", "    - {at: 10m, minimum_healthy_percent: 150}\n",
			[]want{{"24:42", "service.deployments[0].minimum_healthy_percent", "150 is out of range: it must be ≥ 0 and ≤ 100 (%)"}}},
		{"negative minimum", "    - {at: 10m, minimum_healthy_percent: -1}\n",
			[]want{{"24:42", "service.deployments[0].minimum_healthy_percent", "at least 0, got -1"}}},
		{"maximum below 100", "    - {at: 10m, minimum_healthy_percent: 50, maximum_percent: 90}\n",
			[]want{{"24:63", "service.deployments[0].maximum_percent", "at least 100, got 90"}}},
		{"maximum not above the minimum", "    - {at: 10m, maximum_percent: 100}\n",
			[]want{{"24:34", "service.deployments[0].maximum_percent", "must be above minimum_healthy_percent (100)"}}},
		{"at after the run", "    - {at: 2h}\n",
			[]want{{"24:12", "service.deployments[0].at", "is not within the run (duration 1h)"}}},
		{"at missing", "    - {maximum_percent: 150}\n",
			[]want{{"24:7", "service.deployments[0]", "needs at"}}},
		{"out of order", "    - {at: 30m}\n    - {at: 20m}\n",
			[]want{{"25:12", "service.deployments[1].at", "is not after the deployment before it (at 30m)"}}},
		{"bad start time", "    - {at: 10m, start_time: {dist: lognormal, median: 20s}}\n",
			[]want{{"24:17", "service.deployments[0].start_time", "lognormal needs median and p99"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblems(t, "", withDeployments(t, c.list), c.want)
		})
	}
}
