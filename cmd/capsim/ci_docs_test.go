package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// ciWorkflows are docs/ci.md's pipelines, kept as files so they can be
// tested: each is YAML, each capsim command line in it parses and runs.
var ciWorkflows = []struct {
	file      string
	scriptKey map[string]bool // the keys whose strings are shell
}{
	{"../../docs/ci/github-actions.yml", map[string]bool{"run": true}},
	{"../../docs/ci/gitlab-ci.yml", map[string]bool{"script": true, "before_script": true}},
}

// shellOf collects every shell string of a parsed YAML document.
func shellOf(v any, keys map[string]bool, under bool, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			shellOf(e, keys, keys[k], out)
		}
	case []any:
		for _, e := range x {
			shellOf(e, keys, under, out)
		}
	case string:
		if under {
			*out = append(*out, x)
		}
	}
}

var shellVar = regexp.MustCompile(`\$\{\{[^}]*\}\}|\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// capsimLines are the capsim command lines of the shell strings, each
// split into words (quotes removed, variables expanded from env, the
// command ending at ||, && or ;).
func capsimLines(scripts []string, env map[string]string) [][]string {
	var out [][]string
	for _, s := range scripts {
		s = strings.ReplaceAll(s, "\\\n", " ")
		for _, line := range strings.Split(s, "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "capsim ") {
				continue
			}
			line = shellVar.ReplaceAllStringFunc(line, func(m string) string {
				name := shellVar.FindStringSubmatch(m)[1]
				return env[name]
			})
			var words []string
			for _, w := range strings.Fields(line) {
				if w == "||" || w == "&&" || w == ";" {
					break
				}
				words = append(words, strings.Trim(w, `"'`))
			}
			out = append(out, words)
		}
	}
	return out
}

// TestCIWorkflows: the workflows of docs/ci.md are YAML; their capsim
// lines, run in order in a folder laid out as the CI would see it (the
// scenario at $SCENARIO, the target branch's copy under the base
// worktree), each exit 0 and leave the files the next steps read.
func TestCIWorkflows(t *testing.T) {
	for _, w := range ciWorkflows {
		t.Run(filepath.Base(w.file), func(t *testing.T) {
			b, err := os.ReadFile(w.file)
			if err != nil {
				t.Fatal(err)
			}
			if md, _ := os.ReadFile("../../docs/ci.md"); !strings.Contains(string(md), "```yaml\n"+string(b)+"```") {
				t.Errorf("docs/ci.md does not show %s as it is", w.file)
			}
			var doc map[string]any
			if err := yaml.Unmarshal(b, &doc); err != nil {
				t.Fatalf("%s: %v", w.file, err)
			}
			var scripts []string
			shellOf(doc, w.scriptKey, false, &scripts)
			dir := t.TempDir()
			scenario := "scenarios/gated.yaml"
			for _, p := range []string{scenario, "base/" + scenario} {
				os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
				if err := os.WriteFile(filepath.Join(dir, p), []byte(gated), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			env := map[string]string{"SCENARIO": scenario, "REPLICATIONS": "2", "RUNNER_TEMP": dir}
			lines := capsimLines(scripts, env)
			if len(lines) < 3 {
				t.Fatalf("%d capsim lines, want the baseline and the two checks: %q", len(lines), lines)
			}
			t.Chdir(dir)
			sawBaseline := false
			for _, words := range lines {
				for i, wd := range words { // GitLab's fallback worktree
					words[i] = strings.Replace(wd, "/tmp/base/", filepath.Join(dir, "base")+"/", 1)
				}
				if words[0] != "capsim" || len(words) < 3 || words[1] != "check" {
					continue // go install lines are not ours to run
				}
				code, stdout, stderr := capsim(t, words[1:]...)
				if code != 0 {
					t.Errorf("%s: %s: exit %d: %s %s", filepath.Base(w.file), strings.Join(words, " "), code, stdout, stderr)
				}
				sawBaseline = sawBaseline || strings.Contains(strings.Join(words, " "), "--baseline baseline.json")
			}
			for _, f := range []string{"baseline.json", "check.md", "check.xml", "check.json"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("after the workflow's capsim lines: %v", err)
				}
			}
			if !sawBaseline {
				t.Error("no capsim check --baseline baseline.json line")
			}
		})
	}
}
