package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/output"
)

// Every command checks its output paths before the work starts (a bad
// path is exit 2 at once, not an error after the simulation) and writes
// them through package output: devices, FIFOs and - are streamed, symlinks
// followed, nothing that is not a regular file is replaced, and an --out
// folder's files appear together (docs/reliability.md, "Output files").

// outFile checks the output file a flag names.
func outFile(c *cli.Context, flag, path string) (*output.File, error) {
	f, err := output.Check(path, rawStdout(c))
	if err != nil {
		return nil, badInput(fmt.Errorf("--%s: %w", flag, err))
	}
	return f, nil
}

// outFolder checks and locks the --out folder a command writes names into.
// The caller closes it once the files are written.
func outFolder(c *cli.Context, names ...string) (*output.Folder, error) {
	d, err := output.OpenFolder(c.Path("out"), names)
	if err != nil {
		return nil, badInput(fmt.Errorf("--out: %w", err))
	}
	return d, nil
}

// rawStdout is standard output without the terminal cleaning of
// c.App.Writer: data (JSON, CSV, YAML) is written unchanged.
func rawStdout(c *cli.Context) io.Writer {
	if w, ok := c.App.Metadata[rawStdoutKey].(io.Writer); ok {
		return w
	}
	return c.App.Writer
}

// rawStderr is the terminal itself, for the progress bar.
func rawStderr(c *cli.Context) io.Writer {
	if w, ok := c.App.Metadata[rawStderrKey].(io.Writer); ok {
		return w
	}
	return c.App.ErrWriter
}

const (
	rawStdoutKey = "raw stdout"
	rawStderrKey = "raw stderr"
)
