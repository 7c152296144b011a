package main

import (
	"fmt"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/pricing"
)

// version is capsim's version, written into every JSON result.
const version = "0.1.0"

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:        "version",
		Usage:       "print capsim's version, Go version and price catalogue",
		Description: examples("capsim version"),
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0, ""); err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "capsim %s (%s, %s/%s)\nprice catalogue: %s\n",
				version, runtime.Version(), runtime.GOOS, runtime.GOARCH, pricing.CatalogueSource)
			return nil
		},
	}
}
