package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// leaves lists every runnable command with its path (trace inspect, …).
func leaves(prefix []string, cmds []*cli.Command) (paths [][]string, leafs []*cli.Command) {
	for _, c := range cmds {
		p := append(slices.Clone(prefix), c.Name)
		if len(c.Subcommands) > 0 {
			pp, ll := leaves(p, c.Subcommands)
			paths, leafs = append(paths, pp...), append(leafs, ll...)
			continue
		}
		paths, leafs = append(paths, p), append(leafs, c)
	}
	return paths, leafs
}

// TestNormalizeArgsEveryFlag: for every command and every flag it defines,
// "capsim CMD ARG --flag VALUE" reads as "capsim CMD --flag VALUE ARG", a
// boolean flag takes no value, "--flag=VALUE" stays one word, and what
// follows "--" stays an argument.
func TestNormalizeArgsEveryFlag(t *testing.T) {
	app := newApp(io.Discard, io.Discard)
	paths, cmds := leaves(nil, app.Commands)
	if len(cmds) < 15 {
		t.Fatalf("found %d commands, want every one of capsim's", len(cmds))
	}
	for k, cmd := range cmds {
		if cmd.SkipFlagParsing {
			continue
		}
		base := append([]string{"capsim"}, paths[k]...)
		for _, f := range cmd.Flags {
			name := "--" + f.Names()[0]
			takes := f.(cli.DocGenerationFlag).TakesValue()
			in := append(slices.Clone(base), "ARG", name)
			want := append(slices.Clone(base), name)
			if takes {
				in = append(in, "VALUE")
				want = append(want, "VALUE")
			}
			in = append(in, "ARG2")
			want = append(want, "ARG", "ARG2")
			got, err := normalizeArgs(app.Commands, in)
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("%q → %q, %v; want %q", in, got, err, want)
			}
		}
		in := append(slices.Clone(base), "A", "--x=1", "--", "-B", "--out")
		want := append(slices.Clone(base), "--x=1", "--", "A", "-B", "--out")
		if got, _ := normalizeArgs(app.Commands, in); !slices.Equal(got, want) {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

// TestFlagsAfterArguments runs each command that works offline with its
// flags after its arguments, as the README writes them.
func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	sc := writeScenario(t, short+`variants:
  - name: cpu-80
    set: {"scaling.policies[0].target": 80}
sweep:
  scaling.policies[0].target: [40, 70]
`)
	trace := filepath.Join(dir, "rates.csv")
	os.WriteFile(trace, []byte("time,requests\n2026-03-02T00:00:00Z,600\n2026-03-02T00:01:00Z,900\n2026-03-02T00:02:00Z,700\n"), 0o644)
	alb := filepath.Join(dir, "alb.csv")
	os.WriteFile(alb, []byte("time,duration\n2026-03-02T00:00:00Z,0.02\n2026-03-02T00:00:01Z,0.03\n2026-03-02T00:00:02Z,0.025\n2026-03-02T00:00:03Z,0.05\n"), 0o644)
	for _, c := range []struct {
		args  []string
		files []string // written by the command
		out   string   // in its standard output
	}{
		{[]string{"run", sc, "--out", filepath.Join(dir, "run"), "--quiet", "--seed", "3"}, []string{"run/result.json"}, "scenario"},
		{[]string{"run", sc, "--json", filepath.Join(dir, "r.json"), "-q"}, []string{"r.json"}, ""},
		{[]string{"run", sc, "--json", "-", "-q"}, nil, `"schema_version"`},
		{[]string{"--help", "run"}, nil, "capsim run [command options]"},
		{[]string{"compare", sc, "--out", filepath.Join(dir, "cmp"), "--seed", "3"}, []string{"cmp/compare.md"}, "cpu-80"},
		{[]string{"check", sc, "--junit", filepath.Join(dir, "slo.xml"), "--markdown", filepath.Join(dir, "slo.md"), "--variants"}, []string{"slo.xml", "slo.md"}, "cpu-80"},
		{[]string{"sweep", sc, "--out", filepath.Join(dir, "sw"), "--shard", "0/1"}, []string{"sw/sweep.json"}, "grid points"},
		{[]string{"merge", filepath.Join(dir, "sw", "sweep.json"), "--out", filepath.Join(dir, "merged")}, []string{"merged/sweep.json"}, ""},
		{[]string{"lint", sc}, nil, "ok"},
		{[]string{"trace", "inspect", trace, "--format", "rate-csv", "--html", filepath.Join(dir, "t.html")}, []string{"t.html"}, "peak rate"},
		{[]string{"trace", "convert", trace, "--interval", "2m", "--out", filepath.Join(dir, "c.csv")}, []string{"c.csv"}, ""},
		{[]string{"fit-workload", alb, "--format", "requests-csv", "--duration-column", "duration", "--dist", "gamma"}, nil, "service_time"},
		{[]string{"pricing", "show", "m5.large", "--scenario", sc}, nil, "m5.large"},
	} {
		code, stdout, stderr := capsim(t, c.args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", c.args, code, stderr)
			continue
		}
		if !strings.Contains(stdout, c.out) {
			t.Errorf("%v: stdout lacks %q:\n%s", c.args, c.out, stdout)
		}
		for _, f := range c.files {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%v: %v", c.args, err)
			}
		}
	}
}

// TestUsageErrors: every usage error exits 2 and says what was wrong.
func TestUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"bogus"}, `unknown command "bogus": the commands are run, compare,`},
		{[]string{"trace", "bogus"}, `trace: unknown subcommand "bogus": use inspect, convert`},
		{[]string{"compare", "a.yaml", "b.yaml"}, "compare: expected one scenario file, got 2: a.yaml b.yaml"},
		{[]string{"run", "a.yaml", "--out", "x", "b.yaml"}, "run: expected at most one scenario file, got 2: a.yaml b.yaml"},
		{[]string{"check"}, "check: expected one scenario file, got none (usage: capsim check SCENARIO.yaml)"},
		{[]string{"trace", "inspect"}, "trace inspect: expected one trace file, got none"},
		{[]string{"schema", "x"}, "schema: expected no arguments (everything is a flag), got 1: x"},
		{[]string{"run", "--no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		{[]string{"lint"}, "lint: expected at least one scenario file, got none"},
		{[]string{"pricing", "show", "--catalogue"}, "flag needs an argument"},
	} {
		code, _, stderr := capsim(t, c.args...)
		if code != exitInput || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, exitInput, c.msg)
		}
	}
}

// TestHelpShowsExamples: every command's --help shows an example command
// line, and --seed's default is the scenario's seed, not 0.
func TestHelpShowsExamples(t *testing.T) {
	app := newApp(io.Discard, io.Discard)
	paths, cmds := leaves(nil, app.Commands)
	for k, cmd := range cmds {
		if cmd.Hidden {
			continue
		}
		code, stdout, stderr := capsim(t, append(paths[k], "--help")...)
		if code != 0 {
			t.Errorf("%v --help: exit %d: %s", paths[k], code, stderr)
		}
		if !strings.Contains(stdout, "Examples:\n     capsim "+strings.Join(paths[k], " ")) {
			t.Errorf("%v --help has no example:\n%s", paths[k], stdout)
		}
		if strings.Contains(stdout, "--seed") && !strings.Contains(stdout, "(default: the scenario's seed)") {
			t.Errorf("%v --help: --seed does not say its default is the scenario's seed:\n%s", paths[k], stdout)
		}
	}
}
