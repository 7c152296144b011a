package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/pricing"
)

// awsPolicyFlags bound every AWS call of a command (docs/reliability.md).
func awsPolicyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.DurationFlag{Name: "aws-timeout", Value: pricing.DefaultCallPolicy.AttemptTimeout, Usage: "give up an AWS call's attempt after `D` without a whole answer"},
		&cli.IntFlag{Name: "aws-attempts", Value: pricing.DefaultCallPolicy.Attempts, Usage: "attempts per AWS call (retries of throttling, 5xx and timeouts included)"},
	}
}

// awsPolicy reads awsPolicyFlags.
func awsPolicy(c *cli.Context) (pricing.CallPolicy, error) {
	p := pricing.CallPolicy{AttemptTimeout: c.Duration("aws-timeout"), Attempts: c.Int("aws-attempts"), MaxBackoff: pricing.DefaultCallPolicy.MaxBackoff}
	if p.AttemptTimeout <= 0 || p.Attempts < 1 || p.Attempts > 20 {
		return p, badInput(fmt.Errorf("--aws-timeout must be greater than 0 and --aws-attempts between 1 and 20"))
	}
	return p, nil
}

// mustPolicy is awsPolicy once awsConfig has checked the flags.
func mustPolicy(c *cli.Context) pricing.CallPolicy {
	p, _ := awsPolicy(c)
	return p
}
