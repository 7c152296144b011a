package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/scenarios"
)

func lintCommand() *cli.Command {
	return &cli.Command{
		Name:        "lint",
		Usage:       "check scenario files; print every problem as file:line:column: field: message",
		ArgsUsage:   "SCENARIO.yaml...",
		Description: examples("capsim lint scenarios/examples/*.yaml"),
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 1, -1, "scenario file"); err != nil {
				return err
			}
			failed := 0
			for _, path := range c.Args().Slice() {
				sc, err := scenarios.Load(path)
				if err != nil {
					fmt.Fprintln(c.App.ErrWriter, err)
					failed++
					continue
				}
				for _, w := range sc.Warnings() {
					fmt.Fprintln(c.App.ErrWriter, w)
				}
				fmt.Fprintf(c.App.Writer, "%s: ok\n", path)
			}
			if failed > 0 {
				return badInput(fmt.Errorf("lint: %d of %d files have problems", failed, c.NArg()))
			}
			return nil
		},
	}
}
