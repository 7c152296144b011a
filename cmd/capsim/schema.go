package main

import (
	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/scenarios"
)

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:  "schema",
		Usage: "print the JSON Schema of the scenario file (for editor completion)",
		Action: func(c *cli.Context) error {
			b, err := scenarios.Schema()
			if err != nil {
				return err
			}
			_, err = rawStdout(c).Write(append(b, '\n'))
			return err
		},
	}
}
