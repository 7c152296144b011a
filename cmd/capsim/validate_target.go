package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/stack"
)

// targetFlags are validate's flags for the user's own deployment.
func targetFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "target", Usage: "replay the scenario's load, as written and in real time, against `URL` (your own deployment, e.g. an ALB in front of a test Auto Scaling group) instead of the local stack, and compare its latency with the simulation; nothing is sent anywhere else"},
		&cli.BoolFlag{Name: "yes", Usage: "with --target: send more than 1,000 requests"},
		&cli.Float64Flag{Name: "max-rate", Value: stack.DefaultTargetLimits.MaxRate, Usage: "with --target: refuse a load whose peak (any 5 s) is above `R` req/s"},
		&cli.StringFlag{Name: "asg", Usage: "with --target: sample the Auto Scaling group `NAME`'s in-service instances every metric period (DescribeAutoScalingGroups) and compare them with the simulation's"},
		&cli.StringFlag{Name: "region", Usage: "with --asg: AWS region", DefaultText: "the SDK's chain: AWS_REGION, ~/.aws/config"},
	}, awsPolicyFlags()...)
}

// validateTarget is validate --target: one run against the user's URL.
func validateTarget(ctx context.Context, c *cli.Context, sc *scenarios.Scenario) (*stack.Report, error) {
	opt := stack.TargetOptions{URL: c.String("target"), Seed: seedFlag(c, nil), Confirmed: c.Bool("yes"),
		MaxRate: c.Float64("max-rate"), Log: c.App.ErrWriter}
	if name := c.String("asg"); name != "" {
		cfg, err := awsConfig(c)
		if err != nil {
			return nil, err
		}
		opt.Counter = asgCounter{client: autoscaling.NewFromConfig(cfg), name: name, explain: mustPolicy(c).Explain}
	}
	return stack.ValidateTarget(ctx, sc, opt)
}

// asgCounter counts a group's InService instances.
type asgCounter struct {
	client  *autoscaling.Client
	name    string
	explain func(error) error
}

func (a asgCounter) InService(ctx context.Context) (int, error) {
	out, err := a.client.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{a.name}})
	if err != nil {
		return 0, fmt.Errorf("DescribeAutoScalingGroups: %w", a.explain(err))
	}
	if len(out.AutoScalingGroups) == 0 {
		return 0, fmt.Errorf("no Auto Scaling group %q", a.name)
	}
	return inService(out.AutoScalingGroups[0]), nil
}

// inService counts a group's instances in the InService lifecycle state.
func inService(g astypes.AutoScalingGroup) int {
	n := 0
	for _, in := range g.Instances {
		if in.LifecycleState == astypes.LifecycleStateInService {
			n++
		}
	}
	return n
}

// targetOnly rejects the target flags without --target.
func targetOnly(c *cli.Context) error {
	if c.String("target") != "" {
		return nil
	}
	for _, f := range []string{"yes", "max-rate", "asg", "region"} {
		if c.IsSet(f) {
			return badInput(errors.New("validate: --" + f + " goes with --target"))
		}
	}
	return nil
}
