package main

import (
	"io"
	"os"
	"strings"
	"testing"
)

// TestCLIDocCoversEveryCommand: docs/cli.md has a section for every command
// the binary has, naming each of its flags and its exit codes, so the page
// cannot fall behind the code.
func TestCLIDocCoversEveryCommand(t *testing.T) {
	b, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	app := newApp(io.Discard, io.Discard)
	paths, cmds := leaves(nil, app.Commands)
	for k, cmd := range cmds {
		if cmd.Hidden {
			continue
		}
		head := "## capsim " + strings.Join(paths[k], " ") + "\n"
		i := strings.Index(doc, head)
		if i < 0 {
			t.Errorf("docs/cli.md has no section %q", strings.TrimSpace(head))
			continue
		}
		section := doc[i+len(head):]
		if j := strings.Index(section, "\n## "); j >= 0 {
			section = section[:j]
		}
		shared := strings.Contains(section, "reading flags of [trace inspect]")
		for _, f := range cmd.Flags {
			name := "--" + f.Names()[0]
			if name == "--help" {
				continue
			}
			if !strings.Contains(section, "`"+name) && !(shared && isTraceFlag(name)) {
				t.Errorf("docs/cli.md: capsim %s does not document %s", strings.Join(paths[k], " "), name)
			}
		}
		if !strings.Contains(section, "\nExit: ") {
			t.Errorf("docs/cli.md: capsim %s does not say its exit codes", strings.Join(paths[k], " "))
		}
	}
	for _, code := range []string{"| 0 |", "| 1 |", "| 2 |", "unknown command"} {
		if !strings.Contains(doc, code) {
			t.Errorf("docs/cli.md's exit code table lacks %q", code)
		}
	}
}

func isTraceFlag(name string) bool {
	for _, f := range traceFlags() {
		if "--"+f.Names()[0] == name {
			return true
		}
	}
	return false
}
