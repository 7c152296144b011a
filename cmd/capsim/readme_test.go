package main

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/stack"
)

// readmeCLIEnv, set to 1, makes the test binary the capsim CLI (TestMain).
const readmeCLIEnv = "CAPSIM_TEST_BINARY_IS_CLI"

// readmeNotRun lists the README commands this test cannot run on any
// machine, by prefix, and why. Keep it short: everything else a reader can
// copy from the README must work from a clone.
var readmeNotRun = []struct{ prefix, why string }{
	{"capsim pricing update", "calls the AWS Price List, EC2 and Savings Plans APIs (credentials, network)"},
	{"capsim import", "calls the AWS Auto Scaling and CloudWatch APIs (credentials, network)"},
}

// readmeVerdicts are the commands whose exit 1 is a verdict, not a broken
// line: check's on the scenario's SLOs (a README may show a failing gate),
// validate's on the real stack against the simulation on this machine
// (the stack package's tests own that). Exit 2 (usage, input) still fails.
var readmeVerdicts = []string{"capsim check", "capsim validate"}

func isVerdict(text string, err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailed {
		return false
	}
	for _, p := range readmeVerdicts {
		if strings.HasPrefix(text, p+" ") {
			return true
		}
	}
	return false
}

// readmeKnownFailures: README lines that fail today for reasons being fixed
// on other branches. TEMPORARY: the lead removes each entry when its fix
// lands. A listed line that passes fails the test, so no entry outlives
// its fix.
var readmeKnownFailures = []struct{ prefix, why string }{
	{"capsim fit-workload alb.log", "alb.log is not in the repository (the README shows a 5,000-line ALB log a reader does not have)"},
}

func knownFailure(text string) (string, bool) {
	for _, k := range readmeKnownFailures {
		if strings.HasPrefix(text, k.prefix) {
			return k.why, true
		}
	}
	return "", false
}

// readmeLine is one command of a shell block, where the README has it.
type readmeLine struct {
	line int    // of its first physical line in README.md
	text string // as a reader would paste it (continuations joined)
}

// shellFences are the info strings of the blocks that hold commands.
var shellFences = map[string]bool{"sh": true, "shell": true, "bash": true, "console": true}

// readmeCommands returns the command lines of the README's shell blocks.
// A block whose lines start with "$ " is a transcript: its commands are
// those lines, the rest is output. Otherwise every line is a command,
// except comments; an indented line or a trailing backslash continues the
// previous one.
func readmeCommands(md string) []readmeLine {
	var out []readmeLine
	var block []readmeLine
	in := false
	flush := func() {
		prompt := false
		for _, l := range block {
			prompt = prompt || strings.HasPrefix(l.text, "$ ")
		}
		var cur *readmeLine
		cont := false
		for _, l := range block {
			t := l.text
			switch {
			case cont || (!prompt && cur != nil && t != "" && (t[0] == ' ' || t[0] == '\t')):
				cur.text += " " + strings.TrimSpace(t)
			case prompt && strings.HasPrefix(t, "$ "):
				out = append(out, readmeLine{l.line, strings.TrimSpace(t[2:])})
				cur = &out[len(out)-1]
			case !prompt && strings.TrimSpace(t) != "" && !strings.HasPrefix(strings.TrimSpace(t), "#"):
				out = append(out, readmeLine{l.line, strings.TrimSpace(t)})
				cur = &out[len(out)-1]
			default:
				cur = nil
			}
			cont = cur != nil && strings.HasSuffix(cur.text, "\\")
			if cont {
				cur.text = strings.TrimSpace(strings.TrimSuffix(cur.text, "\\"))
			}
		}
		block = nil
	}
	sc := bufio.NewScanner(strings.NewReader(md))
	for n := 1; sc.Scan(); n++ {
		t := sc.Text()
		fence := strings.HasPrefix(strings.TrimSpace(t), "```")
		switch {
		case in && fence:
			flush()
			in = false
		case in:
			block = append(block, readmeLine{n, t})
		case fence:
			info := strings.Fields(strings.TrimPrefix(strings.TrimSpace(t), "```"))
			in = len(info) > 0 && shellFences[info[0]]
			if !in {
				// Another kind of block (yaml, text): skip to its end.
				for sc.Scan() {
					n++
					if strings.HasPrefix(strings.TrimSpace(sc.Text()), "```") {
						break
					}
				}
			}
		}
	}
	return out
}

// placeholder is a word of a synopsis rather than of a runnable command:
// an optional part in brackets, or an argument in capitals (FILE, TYPE...,
// SCENARIO.yaml, I/K).
var placeholder = regexp.MustCompile(`^\[|^[A-Z][A-Z0-9_/]*(\.[a-z]+)?(\.\.\.|…)?$`)

// whyNotRun says why a capsim line is not run ("" to run it); skipped
// collects the files that lines not run would have written, which later
// lines cannot read.
func whyNotRun(text string, skipped map[string]bool) string {
	for _, n := range readmeNotRun {
		if strings.HasPrefix(text, n.prefix) {
			return n.why
		}
	}
	words := strings.Fields(text)
	for _, w := range words {
		if strings.HasPrefix(w, "#") {
			break
		}
		if placeholder.MatchString(w) {
			return "a synopsis: " + w + " is a placeholder"
		}
		if skipped[w] {
			return "reads " + w + ", which a line not run would have written"
		}
	}
	if strings.HasPrefix(text, "capsim validate") {
		if _, err := stack.FindHAProxy(); err != nil && os.Getenv("CI") == "" {
			return "needs HAProxy on this machine: " + err.Error()
		}
	}
	return ""
}

// outputsOf returns the files a command line names after an output flag.
func outputsOf(text string) []string {
	words := strings.Fields(text)
	var out []string
	for i, w := range words {
		if i+1 < len(words) && (w == "--out" || w == "--json" || w == "--html" || strings.HasSuffix(w, "-out") && strings.HasPrefix(w, "--")) {
			out = append(out, words[i+1])
		}
	}
	return out
}

// copyRepository copies the working tree (no .git, no npm modules, no
// earlier outputs) into dir, as a reader's clone would look after `make`.
func copyRepository(t *testing.T, root, dir string) {
	t.Helper()
	skip := map[string]bool{".git": true, "node_modules": true, "capsim-out": true}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if skip[d.Name()] && rel != "." {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReadmeCommandsParse(t *testing.T) {
	md := "intro `capsim run X`\n" +
		"```sh\nmake run     # one\ncapsim lint SCENARIO.yaml...   # a synopsis\ncapsim import metrics --load-balancer app/x \\\n    --start 2026-03-01T00:00:00Z\ncapsim pricing update --region R [--types T,...]\n                      [--out FILE]\n# a comment\ncapsim version\n```\n" +
		"```yaml\ncapsim: not a command\n```\n" +
		"```console\n$ capsim trace inspect a.log --html a.html\na.log (clf)\n  span …\n$ capsim schema\n```\n"
	got := readmeCommands(md)
	want := []readmeLine{
		{3, "make run     # one"},
		{4, "capsim lint SCENARIO.yaml...   # a synopsis"},
		{5, "capsim import metrics --load-balancer app/x --start 2026-03-01T00:00:00Z"},
		{7, "capsim pricing update --region R [--types T,...] [--out FILE]"},
		{10, "capsim version"},
		{16, "capsim trace inspect a.log --html a.html"},
		{19, "capsim schema"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("command %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	skipped := map[string]bool{"prices.csv": true}
	for text, want := range map[string]string{
		"capsim lint SCENARIO.yaml...":                             "placeholder",
		"capsim run [SCENARIO.yaml] [--out DIR]":                   "placeholder",
		"capsim pricing show TYPE... --scenario F":                 "placeholder",
		"capsim pricing show --catalogue prices.csv m5":            "a line not run",
		"capsim import asg web":                                    "AWS",
		"capsim run scenarios/examples/default.yaml":               "",
		"capsim trace inspect x.log   # FILE is fine in a comment": "",
	} {
		if got := whyNotRun(text, skipped); want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("whyNotRun(%q) = %q, want %q", text, got, want)
		}
	}
	if got := outputsOf("capsim pricing update --out a.csv --spot-out b.csv --region R"); strings.Join(got, ",") != "a.csv,b.csv" {
		t.Errorf("outputsOf: %q", got)
	}
	if _, err := exec.LookPath("sh"); err == nil {
		exit1, exit2 := exec.Command("sh", "-c", "exit 1").Run(), exec.Command("sh", "-c", "exit 2").Run()
		if !isVerdict("capsim check a.yaml", exit1) || isVerdict("capsim check a.yaml", exit2) || isVerdict("capsim run a.yaml", exit1) || isVerdict("capsim checkout", exit1) {
			t.Error("isVerdict: only check and validate may exit 1")
		}
	}
}

// TestReadmeCommands runs every capsim line of the README's shell blocks as
// written, through sh, in a copy of the repository, with this test binary
// as capsim on the PATH, one after the other (a line may read what an
// earlier one wrote). A line passes when it exits 0 and writes the files
// its output flags name (or exits 1 as a verdict, see readmeVerdicts).
func TestReadmeCommands(t *testing.T) {
	shell, err := exec.LookPath("sh")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and there is no sh: %v", err)
		}
		t.Skipf("no sh to run the README's lines with: %v", err)
	}
	md, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(bin, "capsim")); err != nil {
		t.Skipf("cannot put this binary on a PATH as capsim: %v", err)
	}
	work := t.TempDir()
	copyRepository(t, "../..", work)
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), readmeCLIEnv+"=1")

	// The shell must find this binary as capsim, and it must act as the CLI
	// (not run the tests again, which would also exit 0).
	sanity := exec.Command(shell, "-c", "capsim version")
	sanity.Dir, sanity.Env = work, env
	if out, err := sanity.CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "capsim ") {
		t.Fatalf("capsim version through sh: %v\n%s", err, out)
	}

	skipped := map[string]bool{}
	ran := 0
	for _, c := range readmeCommands(string(md)) {
		if f := strings.Fields(c.text); len(f) == 0 || f[0] != "capsim" {
			t.Logf("README.md:%d: not a capsim line, not run: %s", c.line, c.text)
			continue
		}
		if why := whyNotRun(c.text, skipped); why != "" {
			t.Logf("README.md:%d: not run (%s): %s", c.line, why, c.text)
			for _, o := range outputsOf(c.text) {
				skipped[o] = true
			}
			continue
		}
		ran++
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		cmd := exec.CommandContext(ctx, shell, "-c", c.text)
		cmd.Dir, cmd.Env = work, env
		start := time.Now()
		out, err := cmd.CombinedOutput()
		cancel()
		known, listed := knownFailure(c.text)
		switch {
		case isVerdict(c.text, err):
			t.Logf("README.md:%d: exit 1, a verdict, in %.2fs: %s\n%s", c.line, time.Since(start).Seconds(), c.text, out)
		case err != nil && listed:
			t.Logf("README.md:%d: fails as known (%s): %s", c.line, known, c.text)
		case err != nil:
			t.Errorf("README.md:%d: %s\n%v after %.1fs:\n%s", c.line, c.text, err, time.Since(start).Seconds(), out)
		case listed:
			t.Errorf("README.md:%d: %s now works: remove it from readmeKnownFailures", c.line, c.text)
		default:
			for _, o := range outputsOf(c.text) {
				if o == "-" {
					continue
				}
				if _, err := os.Stat(filepath.Join(work, o)); err != nil {
					t.Errorf("README.md:%d: %s exits 0 but wrote no %s", c.line, c.text, o)
				}
			}
			t.Logf("README.md:%d: ok in %.2fs: %s", c.line, time.Since(start).Seconds(), c.text)
		}
	}
	if ran < 3 {
		t.Errorf("ran %d README lines: the parser no longer finds the README's commands", ran)
	}
}
