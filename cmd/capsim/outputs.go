package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/output"
	"github.com/capsim/capsim/reports"
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

// runOutputs checks a simulating command's outputs before it simulates:
// --json FILE alone, or else the --out folder with these files (and the
// ECharts bundle its report.html needs).
func runOutputs(c *cli.Context, files ...string) (*output.File, *output.Folder, error) {
	if path := c.Path("json"); path != "" {
		f, err := outFile(c, "json", path)
		return f, nil, err
	}
	dir, err := outFolder(c, files...)
	if err != nil {
		return nil, nil, err
	}
	if err := reports.CheckECharts(); err != nil { // fail before simulating, not after
		dir.Close()
		return nil, nil, err
	}
	return nil, dir, nil
}
