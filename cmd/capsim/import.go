package main

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/output"
	"github.com/capsim/capsim/scenarios/awsimport"
)

func importCommand() *cli.Command {
	region := &cli.StringFlag{Name: "region", Usage: "AWS region", DefaultText: "the SDK's chain: AWS_REGION, ~/.aws/config"}
	return &cli.Command{
		Name:  "import",
		Usage: "read a real Auto Scaling group, ECS service or ALB traffic from AWS (credentials from the SDK's default chain)",
		Subcommands: []*cli.Command{
			{
				Name:        "asg",
				Usage:       "write a scenario reproducing an Auto Scaling group, its policies, alarms and scheduled actions",
				ArgsUsage:   "NAME",
				Description: examples("capsim import asg web-asg --region eu-west-1 --out web.yaml"),
				Flags:       append(awsPolicyFlags(), region, &cli.PathFlag{Name: "out", Usage: "write the scenario to `FILE`", DefaultText: "standard output"}),
				Action:      importASG,
			},
			{
				Name:        "ecs",
				Usage:       "write a scenario reproducing an ECS service: its task size, placement, service auto scaling and capacity provider (with its Auto Scaling group)",
				Description: examples("capsim import ecs --cluster prod --service api --region eu-west-1 --out api.yaml"),
				Flags: append(awsPolicyFlags(), region,
					&cli.StringFlag{Name: "cluster", Aliases: []string{"ecs-cluster"}, Value: "default", Usage: "the ECS cluster's name or ARN"},
					&cli.StringFlag{Name: "service", Aliases: []string{"ecs-service"}, Usage: "the ECS service's name or ARN (required)"},
					&cli.PathFlag{Name: "out", Usage: "write the scenario to `FILE`", DefaultText: "standard output"}),
				Action: importECS,
			},
			{
				Name:  "metrics",
				Usage: "write an ALB's per-minute RequestCount (and TargetResponseTime) from CloudWatch as a rate-csv trace",
				Description: examples("capsim import metrics --load-balancer app/web/0123456789abcdef " +
					"--start 2026-03-01T00:00:00Z --end 2026-03-08T00:00:00Z --out week.csv"),
				Flags: append(awsPolicyFlags(), region,
					&cli.StringFlag{Name: "load-balancer", Required: true, Usage: "the ALB as app/NAME/ID (required)"},
					&cli.StringFlag{Name: "target-group", Usage: "only this target group, as targetgroup/NAME/ID"},
					&cli.TimestampFlag{Name: "start", Layout: time.RFC3339, Required: true, Usage: "first minute (RFC 3339, inclusive; required)"},
					&cli.TimestampFlag{Name: "end", Layout: time.RFC3339, Required: true, Usage: "end (RFC 3339, exclusive; required)"},
					&cli.DurationFlag{Name: "period", Value: time.Minute, Usage: "a multiple of 60s (CloudWatch keeps 1-minute data 15 days, 5-minute 63 days)"},
					&cli.PathFlag{Name: "out", Usage: "write the trace to `FILE`", DefaultText: "standard output"}),
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
	if err := wantArgs(c, 1, 1, "Auto Scaling group name"); err != nil {
		return err
	}
	return importScenario(c, "import asg", func(ctx context.Context, cfg aws.Config) (scenarioWriter, error) {
		return awsimport.ReadGroup(ctx, autoscaling.NewFromConfig(cfg), cloudwatch.NewFromConfig(cfg), c.Args().First())
	})
}

func importECS(c *cli.Context) error {
	if err := wantArgs(c, 0, 0, ""); err != nil {
		return err
	}
	cluster, service := c.String("cluster"), c.String("service")
	// Checked here, not as a Required flag: urfave/cli's missing-flag
	// error would exit 1, and a usage mistake exits 2.
	if service == "" {
		return badInput(fmt.Errorf("import ecs: --service is required: the ECS service's name or ARN"))
	}
	if cluster == "" {
		return badInput(fmt.Errorf("import ecs: --cluster must not be empty (ECS's default cluster is named default)"))
	}
	return importScenario(c, "import ecs", func(ctx context.Context, cfg aws.Config) (scenarioWriter, error) {
		return awsimport.ReadService(ctx, awsimport.ECSClients{ECS: ecs.NewFromConfig(cfg), AAS: applicationautoscaling.NewFromConfig(cfg),
			ASG: autoscaling.NewFromConfig(cfg), CW: cloudwatch.NewFromConfig(cfg)}, cluster, service)
	})
}

// scenarioWriter is what an import reads: something that writes itself as
// a scenario file.
type scenarioWriter interface{ Scenario() string }

// importScenario is the part import asg and import ecs share: the output
// checked before any AWS call, the SDK's configuration, a bounded context,
// and the errors sorted into bad input (a name that does not exist, or
// names what capsim cannot run: exit 2) and failed calls (exit 1, with the
// call policy's explanation).
func importScenario(c *cli.Context, what string, read func(context.Context, aws.Config) (scenarioWriter, error)) error {
	out, err := importOut(c)
	if err != nil {
		return err
	}
	cfg, err := awsConfig(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, 2*time.Minute)
	defer cancel()
	s, err := read(ctx, cfg)
	if awsimport.IsNotFound(err) {
		return badInput(fmt.Errorf("%s: %w", what, err))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, mustPolicy(c).Explain(err))
	}
	return out.Write([]byte(s.Scenario()))
}

func importMetrics(c *cli.Context) error {
	if err := wantArgs(c, 0, 0, ""); err != nil {
		return err
	}
	q := awsimport.TraceRequest{LoadBalancer: c.String("load-balancer"), TargetGroup: c.String("target-group"),
		Start: *c.Timestamp("start"), End: *c.Timestamp("end"), Period: c.Duration("period")}
	if err := q.Check(); err != nil {
		return badInput(fmt.Errorf("import metrics: %w", err))
	}
	out, err := importOut(c)
	if err != nil {
		return err
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
	if err := out.Write(buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(c.App.ErrWriter, "%d periods, %.0f requests, %d periods without a datapoint written as 0 requests (AWS publishes none when no requests flow), %d GetMetricData page(s)\n",
		st.Rows, st.Requests, st.Missing, st.Pages)
	return nil
}

// importOut is the --out file, standard output by default, checked
// before AWS is called.
func importOut(c *cli.Context) (*output.File, error) {
	out := c.Path("out")
	if out == "" {
		out = "-"
	}
	return outFile(c, "out", out)
}
