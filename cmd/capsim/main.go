// Command capsim simulates an elastic fleet under real or synthetic traffic
// and reports latency, instance counts and cost. Each command lives in its
// own file and only wires flags to the libraries: no model logic here.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/safetext"
)

// Exit codes (docs/cli.md).
const (
	exitOK     = 0
	exitFailed = 1 // the run failed, or a check did not pass
	exitInput  = 2 // bad usage (unknown command or flag, wrong arguments) or bad input
)

// inputError marks a problem with what the user gave us: exit code 2.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

func badInput(err error) error { return inputError{err} }

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// run is main without os.Exit, so tests can drive the whole CLI.
func run(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	args, err := normalizeArgs(app.Commands, args)
	if err == nil {
		err = app.Run(args)
	} else {
		err = badInput(err)
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "capsim:", safetext.Clean(err.Error()))
	var in inputError
	if errors.As(err, &in) || missingRequiredFlag(err) {
		return exitInput
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return exitFailed
}

// missingRequiredFlag reports urfave/cli's error for a Required flag that
// was not given, a usage mistake (exit 2). The library does not export its
// type, so the type's name is compared; TestMissingRequiredFlagExits2 fails
// if an upgrade renames it.
func missingRequiredFlag(err error) bool {
	return fmt.Sprintf("%T", err) == "*cli.errRequiredFlags"
}

func newApp(stdout, stderr io.Writer) *cli.App {
	usage := func(_ *cli.Context, err error, _ bool) error { return badInput(err) }
	cmds := []*cli.Command{
		runCommand(),
		compareCommand(),
		checkCommand(),
		sweepCommand(),
		mergeCommand(),
		lintCommand(),
		schemaCommand(),
		versionCommand(),
		traceCommand(),
		fitWorkloadCommand(),
		importCommand(),
		pricingCommand(),
		validateCommand(),
		backendCommand(),
	}
	for _, c := range cmds {
		c.OnUsageError = usage
		quietBoolDefaults(c)
	}
	// What is printed for people goes through safetext: no name, path or
	// message can send control sequences to the terminal. Data written to
	// standard output (--json -, trace convert) uses the raw writer.
	return &cli.App{
		Metadata:  map[string]any{rawStdoutKey: stdout, rawStderrKey: stderr},
		Name:      "capsim",
		Usage:     "simulate an elastic fleet: what will this scaling policy cost, and what latency will users see?",
		Version:   version,
		Writer:    safetext.NewWriter(stdout),
		ErrWriter: safetext.NewWriter(stderr),
		// Errors are printed once, by run, with the right exit code.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   usage,
		Commands:       cmds,
	}
}

// quietBoolDefaults drops urfave/cli's "(default: false)" after every
// switch of c and its subcommands: a switch is off unless given.
func quietBoolDefaults(c *cli.Command) {
	for _, f := range c.Flags {
		if b, ok := f.(*cli.BoolFlag); ok {
			b.DisableDefaultText = true
		}
	}
	for _, sub := range c.Subcommands {
		quietBoolDefaults(sub)
	}
}
