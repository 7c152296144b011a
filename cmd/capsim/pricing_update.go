package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/savingsplans"
	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/output"
	"github.com/capsim/capsim/pricing"
)

var regionName = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$`)

func pricingUpdateCommand() *cli.Command {
	return &cli.Command{
		Name:  "update",
		Usage: "fetch on-demand prices (AWS Price List API) and, with --spot, spot prices (EC2) into a catalogue file",
		Description: "Credentials come from the AWS SDK's default chain (environment, shared files, SSO). The Price List API\n" +
			"is called in us-east-1, ap-south-1 (for ap-* regions), eu-central-1 (eu-*) or cn-northwest-1 (China).\n" +
			"Name the file in a scenario with pricing.catalogue, and the spot file with pricing.spot.price_file.\n\n" +
			examples("capsim pricing update --region eu-west-1 --types m5.large,c7g.xlarge --spot --out prices-eu-west-1.csv"),
		Flags: append(awsPolicyFlags(),
			&cli.StringFlag{Name: "region", Usage: "the region whose prices to fetch, e.g. eu-west-1 (required)"},
			&cli.StringSliceFlag{Name: "types", Usage: "instance types (comma-separated or repeated)", DefaultText: "every type"},
			&cli.StringFlag{Name: "os", Value: pricing.OSLinux, Usage: "linux | rhel | suse | windows"},
			&cli.BoolFlag{Name: "spot", Usage: "also fetch spot prices per zone (EC2 DescribeSpotPriceHistory)"},
			&cli.DurationFlag{Name: "spot-history", Usage: "how far back to fetch spot price changes (≤ 90 days)", DefaultText: "the prices in effect now"},
			&cli.PathFlag{Name: "out", Usage: "catalogue file to write", DefaultText: "prices-REGION.csv"},
			&cli.PathFlag{Name: "spot-out", Usage: "spot price file to write (default: the catalogue's name with -spot)"},
			&cli.StringFlag{Name: "savings-plans", Usage: "also fetch Savings Plan rates of this kind (compute | ec2_instance) with DescribeSavingsPlansOfferingRates"},
			&cli.IntFlag{Name: "sp-term", Value: 1, Usage: "Savings Plan term in years: 1 | 3"},
			&cli.StringFlag{Name: "sp-payment", Value: pricing.NoUpfront, Usage: "no_upfront | partial_upfront | all_upfront"},
			&cli.PathFlag{Name: "savings-plans-out", Usage: "Savings Plan rates file to write (default: the catalogue's name with -savings-plans)"},
			&cli.StringFlag{Name: "endpoint-url", Usage: "send every AWS call to this URL instead (a proxy or an emulator)"},
		),
		Action: pricingUpdate,
	}
}

func pricingUpdate(c *cli.Context) error {
	if err := wantArgs(c, 0, 0, ""); err != nil {
		return err
	}
	region, osName := c.String("region"), c.String("os")
	if region == "" {
		return badInput(fmt.Errorf("pricing update: --region is required (the region whose prices to fetch)"))
	}
	if !regionName.MatchString(region) {
		return badInput(fmt.Errorf("pricing update: %q is not an AWS region name (like us-east-1)", region))
	}
	if !map[string]bool{pricing.OSLinux: true, pricing.OSRHEL: true, pricing.OSSUSE: true, pricing.OSWindows: true}[osName] {
		return badInput(fmt.Errorf("pricing update: unknown --os %q (linux, rhel, suse, windows)", osName))
	}
	hist := c.Duration("spot-history")
	if hist < 0 || hist > 90*24*time.Hour {
		return badInput(fmt.Errorf("pricing update: --spot-history must be between 0 and 90 days (EC2 keeps 90 days), got %v", hist))
	}
	var types []string
	for _, t := range c.StringSlice("types") {
		for _, s := range strings.Split(t, ",") {
			if s = strings.TrimSpace(s); s != "" {
				types = append(types, s)
			}
		}
	}
	out := c.Path("out")
	if out == "" {
		out = "prices-" + region + ".csv"
	}
	spotOut := c.Path("spot-out")
	if spotOut == "" {
		spotOut = strings.TrimSuffix(out, filepath.Ext(out)) + "-spot.csv"
	}
	spKind := c.String("savings-plans")
	if spKind != "" && spKind != pricing.ComputeSP && spKind != pricing.EC2InstanceSP {
		return badInput(fmt.Errorf("pricing update: unknown --savings-plans %q (compute, ec2_instance)", spKind))
	}
	if t := c.Int("sp-term"); t != 1 && t != 3 {
		return badInput(fmt.Errorf("pricing update: --sp-term is 1 or 3 years, not %d", t))
	}
	if p := c.String("sp-payment"); p != pricing.NoUpfront && p != pricing.PartialUpfront && p != pricing.AllUpfront {
		return badInput(fmt.Errorf("pricing update: unknown --sp-payment %q (no_upfront, partial_upfront, all_upfront)", p))
	}
	spOut := c.Path("savings-plans-out")
	if spOut == "" {
		spOut = strings.TrimSuffix(out, filepath.Ext(out)) + "-savings-plans.csv"
	}
	// Every file this run may write is checked before AWS is called.
	outs := map[string]*output.File{}
	for flag, p := range map[string]string{"out": out, "spot-out": spotOut, "savings-plans-out": spOut} {
		if flag == "spot-out" && !c.Bool("spot") || flag == "savings-plans-out" && spKind == "" {
			continue
		}
		f, err := outFile(c, flag, p)
		if err != nil {
			return err
		}
		outs[p] = f
	}
	policy, err := awsPolicy(c)
	if err != nil {
		return err
	}
	opts := append(policy.ConfigOptions(), config.WithRegion(pricing.PriceListRegion(region)))
	if u := c.String("endpoint-url"); u != "" {
		opts = append(opts, config.WithBaseEndpoint(u))
	}
	cfg, err := config.LoadDefaultConfig(c.Context, opts...)
	if err != nil {
		return fmt.Errorf("pricing update: AWS configuration: %w", err)
	}
	now := time.Now().UTC()
	fetched, err := pricing.FetchOnDemand(c.Context, awspricing.NewFromConfig(cfg), region, osName, types)
	if err != nil {
		return fmt.Errorf("pricing update: %w", policy.Explain(err))
	}
	if len(fetched) == 0 {
		return badInput(fmt.Errorf("pricing update: the Price List has no on-demand %s prices for region %q: is it a region AWS has?", osName, region))
	}
	src := fmt.Sprintf("AWS Price List API GetProducts (%s endpoint), %s %s on-demand, fetched %s", cfg.Region, region, osName, now.Format(time.RFC3339))
	var cat bytes.Buffer
	if err := pricing.WriteCatalogue(&cat, pricing.NewCatalogue(src, now.Format(time.DateOnly), region, osName, fetched)); err != nil {
		return err
	}
	files := map[string][]byte{out: cat.Bytes()}
	msg := fmt.Sprintf("wrote %d instance types to %s", len(fetched), out)
	if c.Bool("spot") {
		ec := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.Region = region })
		recs, err := pricing.FetchSpot(c.Context, ec, osName, types, now.Add(-hist))
		if err != nil {
			return fmt.Errorf("pricing update: %w", policy.Explain(err))
		}
		var sp bytes.Buffer
		if err := pricing.WriteSpotRecords(&sp, recs); err != nil {
			return err
		}
		files[spotOut] = sp.Bytes()
		msg += fmt.Sprintf(" and %d spot prices to %s", len(recs), spotOut)
	}
	if spKind != "" {
		// The savingsplans API is global: its endpoint signs in us-east-1.
		sc := savingsplans.NewFromConfig(cfg, func(o *savingsplans.Options) { o.Region = "us-east-1" })
		rates, err := pricing.FetchSavingsPlanRates(c.Context, sc, spKind, c.Int("sp-term"), c.String("sp-payment"), region, osName, types)
		if err != nil {
			return fmt.Errorf("pricing update: %w", policy.Explain(err))
		}
		rates.Date = now.Format(time.DateOnly)
		rates.Source = "AWS savingsplans DescribeSavingsPlansOfferingRates, fetched " + now.Format(time.RFC3339)
		var sp bytes.Buffer
		if err := pricing.WriteSavingsPlanRates(&sp, rates); err != nil {
			return err
		}
		files[spOut] = sp.Bytes()
		msg += fmt.Sprintf(" and %d %s Savings Plan rates to %s", len(rates.Rates), spKind, spOut)
	}
	for p, b := range files {
		if err := outs[p].Write(b); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.App.Writer, "%s (%s)\n", msg, src)
	return nil
}
