package main

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/scenarios/awsimport"
)

func importCommand() *cli.Command {
	region := &cli.StringFlag{Name: "region", Usage: "AWS region (default: the SDK's chain: AWS_REGION, ~/.aws/config)"}
	return &cli.Command{
		Name:  "import",
		Usage: "read a real Auto Scaling group or ALB traffic from AWS (credentials from the SDK's default chain)",
		Subcommands: []*cli.Command{
			{
				Name:      "asg",
				Usage:     "write a scenario reproducing an Auto Scaling group, its policies, alarms and scheduled actions",
				ArgsUsage: "NAME",
				Flags:     append(awsPolicyFlags(), region, &cli.PathFlag{Name: "out", Usage: "write the scenario to `FILE` (default: standard output)"}),
				Action:    importASG,
			},
			{
				Name:  "metrics",
				Usage: "write an ALB's per-minute RequestCount (and TargetResponseTime) from CloudWatch as a rate-csv trace",
				Flags: append(awsPolicyFlags(), region,
					&cli.StringFlag{Name: "load-balancer", Required: true, Usage: "the ALB as app/NAME/ID"},
					&cli.StringFlag{Name: "target-group", Usage: "only this target group, as targetgroup/NAME/ID"},
					&cli.TimestampFlag{Name: "start", Layout: time.RFC3339, Required: true, Usage: "first minute (RFC 3339, inclusive)"},
					&cli.TimestampFlag{Name: "end", Layout: time.RFC3339, Required: true, Usage: "end (RFC 3339, exclusive)"},
					&cli.DurationFlag{Name: "period", Value: time.Minute, Usage: "a multiple of 60s (CloudWatch keeps 1-minute data 15 days, 5-minute 63 days)"},
					&cli.PathFlag{Name: "out", Usage: "write the trace to `FILE` (default: standard output)"}),
				Action: importMetrics,
			},
		},
	}
}

// awsConfig loads the SDK's default chain (environment, shared files, SSO,
// instance roles); nothing of it is printed or written.
func awsConfig(c *cli.Context) (aws.Config, error) {
	policy, err := awsPolicy(c)
	if err != nil {
		return aws.Config{}, err
	}
	opts := policy.ConfigOptions()
	if r := c.String("region"); r != "" {
		opts = append(opts, config.WithRegion(r))
	}
	cfg, err := config.LoadDefaultConfig(c.Context, opts...)
	if err != nil {
		return cfg, badInput(fmt.Errorf("AWS configuration: %w", err))
	}
	if cfg.Region == "" {
		return cfg, badInput(fmt.Errorf("no AWS region: pass --region or set AWS_REGION"))
	}
	return cfg, nil
}

func importASG(c *cli.Context) error {
	if c.NArg() != 1 {
		return badInput(fmt.Errorf("import asg: name one Auto Scaling group (got %d arguments)", c.NArg()))
	}
	cfg, err := awsConfig(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, 2*time.Minute)
	defer cancel()
	g, err := awsimport.ReadGroup(ctx, autoscaling.NewFromConfig(cfg), cloudwatch.NewFromConfig(cfg), c.Args().First())
	if err != nil {
		return fmt.Errorf("import asg: %w", mustPolicy(c).Explain(err))
	}
	return writeOut(c, []byte(g.Scenario()))
}

func importMetrics(c *cli.Context) error {
	if c.NArg() != 0 {
		return badInput(fmt.Errorf("import metrics: unexpected arguments %v (everything is a flag)", c.Args().Slice()))
	}
	q := awsimport.TraceRequest{LoadBalancer: c.String("load-balancer"), TargetGroup: c.String("target-group"),
		Start: *c.Timestamp("start"), End: *c.Timestamp("end"), Period: c.Duration("period")}
	if err := q.Check(); err != nil {
		return badInput(fmt.Errorf("import metrics: %w", err))
	}
	cfg, err := awsConfig(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, 10*time.Minute)
	defer cancel()
	var buf bytes.Buffer
	st, err := awsimport.RequestCountTrace(ctx, cloudwatch.NewFromConfig(cfg), q, &buf)
	if err != nil {
		return fmt.Errorf("import metrics: %w", mustPolicy(c).Explain(err))
	}
	if err := writeOut(c, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(c.App.ErrWriter, "%d periods, %.0f requests, %d periods without a datapoint written as 0 requests (AWS publishes none when no requests flow), %d GetMetricData page(s)\n",
		st.Rows, st.Requests, st.Missing, st.Pages)
	return nil
}

func writeOut(c *cli.Context, b []byte) error {
	if out := c.Path("out"); out != "" && out != "-" {
		return writeFiles(map[string][]byte{out: b})
	}
	_, err := c.App.Writer.Write(b)
	return err
}
