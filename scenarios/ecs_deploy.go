package scenarios

import (
	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/sim"
)

// DeploymentSpec is one rolling update of the service (docs/ecs.md,
// "Deployments"): a new revision, or a forced new deployment of the same
// one, under the service's deploymentConfiguration
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html).
type DeploymentSpec struct {
	At                    Duration  `yaml:"at" json:"at" jsonschema:"required" jsonschema_description:"when it starts: an offset from the run's start, within the run"`
	MinimumHealthyPercent int       `yaml:"minimum_healthy_percent" json:"minimum_healthy_percent" jsonschema_description:"0–100 (default 100): the fewest tasks kept healthy, % of desired rounded up"`
	MaximumPercent        int       `yaml:"maximum_percent" json:"maximum_percent" jsonschema_description:"at least 100, above minimum_healthy_percent (default 200): the most tasks running or pending, % of desired rounded down"`
	StartTime             *DistSpec `yaml:"start_time,omitempty" json:"start_time,omitempty" jsonschema_description:"the new revision's placed → RUNNING (default: the revision before it's)"`
}

// deployments checks service.deployments: each within the run, after the
// one before it, with bounds the DeploymentConfiguration API accepts.
func (c *checker) deployments(sv *Service) {
	run := c.s.Duration
	for i := range sv.Deployments {
		p := strictyaml.IndexPath("service.deployments", i)
		d := &sv.Deployments[i]
		switch {
		case !c.given(p + ".at"):
			c.bad(p, "needs at, when it starts from the run's start, e.g. at: 6h")
		case !c.has(p + ".at"):
		case d.At < 0:
			c.bad(p+".at", "must not be negative, got %v", d.At)
		case run > 0 && d.At >= run:
			c.bad(p+".at", "%v is not within the run (duration %v)", d.At, run)
		case i > 0 && c.has(strictyaml.IndexPath("service.deployments", i-1)+".at") && d.At <= sv.Deployments[i-1].At:
			c.bad(p+".at", "%v is not after the deployment before it (at %v): list deployments in time order", d.At, sv.Deployments[i-1].At)
		}
		// The ranges (ranges.go) bound both percentages as they decode:
		// 0–100 and 0–1,000,000 (beyond that every new task may start at
		// once for any desired count, and desired × percent stays far
		// from overflowing).
		c.intAtLeast(p+".minimum_healthy_percent", &d.MinimumHealthyPercent, 0, 100)
		c.intAtLeast(p+".maximum_percent", &d.MaximumPercent, 100, 200)
		if d.MaximumPercent >= 100 && d.MaximumPercent <= d.MinimumHealthyPercent && !c.d.IsBroken(p+".minimum_healthy_percent") {
			c.bad(p+".maximum_percent", "must be above minimum_healthy_percent (%d): the scheduler could then neither start a new task nor stop an old one", d.MinimumHealthyPercent)
		}
		if d.StartTime != nil {
			c.dist(p+".start_time", d.StartTime, true)
		}
	}
}

// buildDeployments turns service.deployments into the engine's.
func (s *Scenario) buildDeployments() ([]sim.Deployment, error) {
	var out []sim.Deployment
	for i, d := range s.Service.Deployments {
		dep := sim.Deployment{At: d.At.Sim(), MinHealthyPercent: d.MinimumHealthyPercent, MaxPercent: d.MaximumPercent}
		if d.StartTime != nil {
			st, err := d.StartTime.build()
			if err != nil {
				return nil, s.errorAt(strictyaml.IndexPath("service.deployments", i)+".start_time", "%v", err)
			}
			dep.StartTime = st
		}
		out = append(out, dep)
	}
	return out, nil
}
