package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

func pricingShowCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "print what capsim charges for instance types, and from which source and date",
		ArgsUsage: "TYPE...",
		Description: examples("capsim pricing show m5.large c7g.xlarge",
			"capsim pricing show m5.large --scenario scenarios/examples/finance.yaml"),
		Flags: []cli.Flag{
			&cli.PathFlag{Name: "scenario", Usage: "use the pricing of scenario `FILE` (catalogue, instance_types, os, spot, burstable mode)"},
			&cli.PathFlag{Name: "catalogue", Usage: "a catalogue `FILE` from capsim pricing update", DefaultText: "the embedded one"},
		},
		Action: pricingShow,
	}
}

func pricingShow(c *cli.Context) error {
	if err := wantArgs(c, 1, -1, "instance type"); err != nil {
		return err
	}
	cat := pricing.Embedded()
	plan := pricing.Plan{OS: pricing.OSLinux}
	lookup := cat.Lookup
	switch {
	case c.Path("scenario") != "" && c.Path("catalogue") != "":
		return badInput(fmt.Errorf("pricing show: give --scenario or --catalogue, not both"))
	case c.Path("scenario") != "":
		sc, err := scenarios.Load(c.Path("scenario"))
		if err != nil {
			return badInput(err)
		}
		cat, plan = sc.PriceList(), sc.PricingPlan()
		lookup = sc.ResolveType
	case c.Path("catalogue") != "":
		var err error
		if cat, err = pricing.LoadCatalogue(c.Path("catalogue")); err != nil {
			return badInput(err)
		}
		lookup = cat.Lookup
	}
	if plan.OnDemand == nil {
		plan.OnDemand = func(t string) float64 { it, _ := lookup(t); return it.USDPerHour }
	}
	if plan.Spot == nil {
		plan.Spot = pricing.SpotDiscount{OnDemand: plan.OnDemand}
	}
	var its []sim.InstanceType
	for _, name := range c.Args().Slice() {
		it, ok := lookup(name)
		if !ok {
			hint := ""
			if near := closest(name, cat.Types()); near != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", near)
			}
			return badInput(fmt.Errorf("pricing show: unknown instance type %q in %s (%s)%s", name, cat.Source, cat.Region, hint))
		}
		its = append(its, it)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "prices: %s; region %s, %s, taken %s\n", cat.Source, cat.Region, cat.OS, cat.Date)
	rule := "per second, 60-s minimum per launch"
	if pricing.HourlyOS(plan.OS) {
		rule = "per started hour"
	}
	fmt.Fprintf(w, "billing (os %s): %s; spot: %s, free if EC2 interrupts it in its first hour\n\n", plan.OS, rule, plan.Spot.Source())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "type\tvCPU\tGiB\ton-demand $/h\t$/month\tspot $/h\tcredits (earn/h, max, baseline, mode)\tprice source")
	for _, it := range its {
		credits := "-"
		if cs, ok := pricing.Credits(it.Name); ok {
			mode := plan.CreditMode
			if mode == "" {
				mode = pricing.DefaultCreditMode(it.Name)
			}
			credits = fmt.Sprintf("%g, %g, %g %%, %s", cs.PerHour, cs.Max, cs.Baseline*100, mode)
		}
		fmt.Fprintf(tw, "%s\t%d\t%g\t%.4f\t%.2f\t%.4f\t%s\t%s\n", it.Name, it.VCPU, it.MemoryGiB, it.USDPerHour,
			it.USDPerHour*pricing.HoursPerMonth, plan.Spot.SpotPrice(it.Name, 0, 0), credits, it.PriceSource)
	}
	return tw.Flush()
}

// closest is the catalogue name within edit distance 2 of a mistyped one.
func closest(name string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDist(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

func editDist(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev = cur
	}
	return prev[len(b)]
}
