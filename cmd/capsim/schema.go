package main

import (
	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/scenarios"
)

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:        "schema",
		Usage:       "print the JSON Schema of the scenario file (for editor completion)",
		Description: examples("capsim schema > capsim-scenario.schema.json"),
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0, ""); err != nil {
				return err
			}
			b, err := scenarios.Schema()
			if err != nil {
				return err
			}
			_, err = rawStdout(c).Write(append(b, '\n'))
			return err
		},
	}
}
