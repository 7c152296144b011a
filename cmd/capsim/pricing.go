package main

import (
	"github.com/urfave/cli/v2"
)

// pricingCommand groups the price-list commands: update (fetch from AWS)
// and show (what capsim will charge).
func pricingCommand() *cli.Command {
	subs := []*cli.Command{pricingUpdateCommand(), pricingShowCommand()}
	for _, s := range subs {
		s.OnUsageError = func(_ *cli.Context, err error, _ bool) error { return badInput(err) }
	}
	return &cli.Command{
		Name:        "pricing",
		Usage:       "fetch prices from AWS into a catalogue file, or show what capsim charges",
		Subcommands: subs,
	}
}
