package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// normalizeArgs makes one grammar of capsim's command line: every command
// and subcommand takes its flags before or after its arguments (urfave/cli
// stops reading flags at the first argument), so
// "capsim compare FILE --out DIR" means "capsim compare --out DIR FILE". It
// walks the command path (capsim trace inspect …), then moves the leaf
// command's flags, with their values, in front of its arguments, using the
// command's own flag definitions to know which flags take a value.
// Everything after "--" stays an argument. An unknown command or
// subcommand is a usage error (exit 2).
func normalizeArgs(cmds []*cli.Command, args []string) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	i := 1
	for i < len(args) && isFlag(args[i]) { // capsim --help, capsim --version
		i++
	}
	if i == len(args) {
		return args, nil
	}
	var cmd *cli.Command
	path := ""
	for i < len(args) {
		if args[i] == "help" || args[i] == "h" { // urfave/cli's own help command
			return args, nil
		}
		next := find(cmds, args[i])
		if next == nil {
			if cmd == nil {
				return nil, fmt.Errorf("unknown command %q: the commands are %s (capsim --help)", args[i], names(cmds))
			}
			if len(cmd.Subcommands) > 0 && cmd.Action == nil {
				return nil, fmt.Errorf("%s: unknown subcommand %q: use %s (capsim %s --help)", path, args[i], names(cmd.Subcommands), path)
			}
			break
		}
		cmd, path = next, strings.TrimSpace(path+" "+next.Name)
		i++
		cmds = cmd.Subcommands
		if len(cmds) == 0 || i == len(args) || isFlag(args[i]) {
			break
		}
	}
	if cmd == nil || cmd.SkipFlagParsing || len(cmd.Subcommands) > 0 {
		return args, nil
	}
	out := append([]string(nil), args[:i]...)
	var pos []string
	dashes := false
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i, dashes = len(args), true
		case isFlag(a):
			out = append(out, a)
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if !hasValue && takesValue(cmd, name) && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		default:
			pos = append(pos, a)
		}
	}
	if dashes {
		out = append(out, "--") // what followed it stays an argument, even "-x"
	}
	return append(out, pos...), nil
}

// isFlag: "-" alone is an argument (standard input or output).
func isFlag(a string) bool { return len(a) > 1 && a[0] == '-' }

func find(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

func names(cmds []*cli.Command) string {
	var n []string
	for _, c := range cmds {
		if !c.Hidden {
			n = append(n, c.Name)
		}
	}
	return strings.Join(n, ", ")
}

// takesValue says whether the command's flag of that name reads the next
// argument as its value. Unknown flags are left for urfave/cli to reject.
func takesValue(cmd *cli.Command, name string) bool {
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n == name {
				v, ok := f.(cli.DocGenerationFlag)
				return ok && v.TakesValue()
			}
		}
	}
	return false
}

// wantArgs checks how many arguments a command got: between lo and hi
// (hi < 0: no upper limit). what names one argument, e.g. "scenario file".
// The error says what was expected and what came.
func wantArgs(c *cli.Context, lo, hi int, what string) error {
	n := c.NArg()
	if n >= lo && (hi < 0 || n <= hi) {
		return nil
	}
	var want string
	switch {
	case lo == hi && lo == 0:
		want = "no arguments (everything is a flag)"
	case lo == hi && lo == 1:
		want = "one " + what
	case lo == hi:
		want = fmt.Sprintf("%d %ss", lo, what)
	case hi < 0 && lo == 1:
		want = "at least one " + what
	case hi < 0:
		want = fmt.Sprintf("at least %d %ss", lo, what)
	case lo == 0 && hi == 1:
		want = "at most one " + what
	default:
		want = fmt.Sprintf("%d to %d %ss", lo, hi, what)
	}
	got := "none"
	if n > 0 {
		got = fmt.Sprintf("%d: %s", n, strings.Join(c.Args().Slice(), " "))
	}
	name := commandPath(c)
	usage := strings.TrimSpace("capsim " + name + " " + c.Command.ArgsUsage)
	return badInput(fmt.Errorf("%s: expected %s, got %s (usage: %s)", name, want, got, usage))
}

// commandPath is the command's full name, "trace inspect" for a
// subcommand (urfave/cli's FullName says only "inspect" there).
func commandPath(c *cli.Context) string {
	var parts []string
	for _, ctx := range c.Lineage() {
		if ctx.Command != nil && ctx.Command.Name != "" && ctx.Command.Name != ctx.App.Name {
			parts = append([]string{ctx.Command.Name}, parts...)
		}
	}
	return strings.Join(parts, " ")
}
