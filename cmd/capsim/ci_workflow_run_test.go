package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// ghStub stands in for the GitHub CLI on the runner: `gh api` on the
// issue comments endpoints the workflow calls (list, create, update;
// https://docs.github.com/en/rest/issues/comments), against comments kept
// in $GH_STUB_DIR/comments.json. --jq runs through jq, as gh runs its
// built-in jq (gojq) and prints strings raw. Anything else fails loudly.
const ghStub = `#!/bin/bash
set -e
echo "$*" >> "$GH_STUB_DIR/log"
[ "$1" = api ] || { echo "gh stub: only gh api is stubbed: $*" >&2; exit 1; }
shift
method=GET; expr=; body=; endpoint=
while [ $# -gt 0 ]; do
  case "$1" in
    --paginate) ;;
    --method) method=$2; shift ;;
    --jq) expr=$2; shift ;;
    -F) case "$2" in body=@*) body=${2#body=@} ;; *) echo "gh stub: field $2" >&2; exit 1 ;; esac; shift ;;
    -*) echo "gh stub: flag $1" >&2; exit 1 ;;
    *) endpoint=$1 ;;
  esac
  shift
done
store="$GH_STUB_DIR/comments.json"
case "$method $endpoint" in
  "GET repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments")
    out=$(cat "$store") ;;
  "POST repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments")
    id=$(( $(jq length "$store") + 100 ))
    jq --rawfile b "$body" --argjson id "$id" '. + [{id: $id, user: {login: "github-actions[bot]"}, body: $b}]' "$store" > "$store.new"
    mv "$store.new" "$store"; out="{\"id\": $id}" ;;
  "PATCH repos/$GITHUB_REPOSITORY/issues/comments/"*)
    id=${endpoint##*/}
    jq -e --argjson id "$id" 'any(.[]; .id == $id)' "$store" > /dev/null || { echo "gh stub: no comment $id" >&2; exit 1; }
    jq --rawfile b "$body" --argjson id "$id" 'map(if .id == $id then .body = $b else . end)' "$store" > "$store.new"
    mv "$store.new" "$store"; out="{\"id\": $id}" ;;
  *) echo "gh stub: unexpected $method $endpoint" >&2; exit 1 ;;
esac
if [ -n "$expr" ]; then printf '%s' "$out" | jq -r "$expr"; else printf '%s\n' "$out"; fi
`

// goStub accepts the workflow's `go install` of capsim: the capsim on the
// PATH is this test binary already.
const goStub = `#!/bin/sh
case "$1 $2" in
  "install github.com/capsim/capsim/cmd/capsim@"*) exit 0 ;;
esac
echo "go stub: $*" >&2; exit 1
`

// ghStep is one step of the workflow, as GitHub reads it.
type ghStep struct {
	Name            string            `yaml:"name"`
	ID              string            `yaml:"id"`
	Uses            string            `yaml:"uses"`
	With            map[string]any    `yaml:"with"`
	Run             string            `yaml:"run"`
	If              string            `yaml:"if"`
	Env             map[string]string `yaml:"env"`
	ContinueOnError bool              `yaml:"continue-on-error"`
}

type ghWorkflow struct {
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		Steps []ghStep `yaml:"steps"`
	} `yaml:"jobs"`
}

// ghRun is one run of the workflow's job on a pull request.
type ghRun struct {
	failed      bool                         // a step failed without continue-on-error
	outputs     map[string]map[string]string // steps.ID.outputs
	ran         []string                     // the names of the steps run
	failedSteps []string
}

var ghExpr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// expand replaces the expressions this workflow uses; any other is a
// failure, so a new expression gets a meaning here before it passes.
func (r *ghRun) expand(t *testing.T, s string, pr string) string {
	t.Helper()
	return ghExpr.ReplaceAllStringFunc(s, func(m string) string {
		e := ghExpr.FindStringSubmatch(m)[1]
		switch {
		case e == "github.event.pull_request.number":
			return pr
		case e == "github.token":
			return "test-token"
		case strings.HasPrefix(e, "steps.") && strings.Contains(e, ".outputs."):
			id, key, _ := strings.Cut(strings.TrimPrefix(e, "steps."), ".outputs.")
			return r.outputs[id][key]
		}
		t.Fatalf("expression ${{ %s }} has no meaning in this test", e)
		return ""
	})
}

// runs evaluates a step's if: GitHub's default is success(); the
// workflow's conditions are always() and a comparison of a step output.
func (r *ghRun) runs(t *testing.T, cond string) bool {
	t.Helper()
	switch strings.TrimSpace(cond) {
	case "":
		return !r.failed
	case "always()":
		return true
	case "always() && steps.check.outputs.code != '2'":
		return r.outputs["check"]["code"] != "2"
	}
	t.Fatalf("if: %q has no meaning in this test", cond)
	return false
}

// runWorkflow runs the job's steps in order in the checkout dir, as a
// GitHub-hosted runner would: run steps with bash -e (GitHub's default
// shell on Linux), outputs through $GITHUB_OUTPUT, uses steps emulated
// (the checkout is dir, with origin/main fetched; setup-go is not needed;
// upload-artifact is checked for its files).
func runWorkflow(t *testing.T, wf ghWorkflow, dir, pathDir, stubDir string, env map[string]string) *ghRun {
	t.Helper()
	r := &ghRun{outputs: map[string]map[string]string{}}
	runner := t.TempDir()
	for _, st := range wf.Jobs["capsim-check"].Steps {
		if !r.runs(t, st.If) {
			continue
		}
		r.ran = append(r.ran, st.Name+st.Uses)
		if st.Uses != "" {
			action, _, _ := strings.Cut(st.Uses, "@")
			switch action {
			case "actions/checkout":
				if d, _ := st.With["fetch-depth"].(uint64); d != 0 || st.With["fetch-depth"] == nil {
					t.Errorf("checkout fetch-depth %v: the baseline step needs origin/$GITHUB_BASE_REF (0 fetches every branch)", st.With["fetch-depth"])
				}
			case "actions/setup-go":
			case "actions/upload-artifact":
				paths, _ := st.With["path"].(string)
				if !strings.Contains(paths, "check.xml") {
					t.Errorf("the artifact does not hold the JUnit XML: %q", paths)
				}
			default:
				t.Fatalf("step %q uses %s, which this test does not emulate", st.Name, st.Uses)
			}
			continue
		}
		script := filepath.Join(runner, "step.sh")
		if err := os.WriteFile(script, []byte(r.expand(t, st.Run, env["PR_NUMBER"])), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(runner, "output")
		os.WriteFile(out, nil, 0o644)
		cmd := exec.Command("bash", "-e", script)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+pathDir+string(os.PathListSeparator)+os.Getenv("PATH"), readmeCLIEnv+"=1",
			"GITHUB_OUTPUT="+out, "GH_STUB_DIR="+stubDir)
		for _, m := range []map[string]string{wf.Env, env, st.Env} {
			for k, v := range m {
				cmd.Env = append(cmd.Env, k+"="+r.expand(t, v, env["PR_NUMBER"]))
			}
		}
		b, err := cmd.CombinedOutput()
		t.Logf("step %q: %v\n%s", st.Name, err, b)
		if st.ID != "" {
			r.outputs[st.ID] = map[string]string{}
			lines, _ := os.ReadFile(out)
			for _, l := range strings.Split(string(lines), "\n") {
				if k, v, ok := strings.Cut(l, "="); ok {
					r.outputs[st.ID][k] = v
				}
			}
		}
		if err != nil {
			r.failedSteps = append(r.failedSteps, st.Name)
			if !st.ContinueOnError {
				r.failed = true
			}
		}
	}
	return r
}

// git runs git in dir with a fixed identity.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, b)
	}
}

// TestGitHubWorkflowRuns runs docs/ci/github-actions.yml's steps as a
// runner would, on a repository whose main branch has the scenario and
// whose pull request doubles its service time: the baseline is simulated
// in a worktree of origin/main, the check fails with exit 1, one comment
// with the marker is posted (another bot's comment untouched), and the
// job fails at its last step. A later push that restores the scenario
// passes, and edits the same comment instead of adding one.
func TestGitHubWorkflowRuns(t *testing.T) {
	for _, tool := range []string{"bash", "git", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("CI is set and there is no %s: %v", tool, err)
			}
			t.Skipf("no %s to run the workflow's steps with: %v", tool, err)
		}
	}
	b, err := os.ReadFile("../../docs/ci/github-actions.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf ghWorkflow
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatal(err)
	}
	// PATH: this test binary as capsim, the gh and go stubs.
	bin, stubs := t.TempDir(), t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(exe, filepath.Join(bin, "capsim")); err != nil {
		t.Skipf("cannot put this binary on a PATH as capsim: %v", err)
	}
	os.WriteFile(filepath.Join(bin, "gh"), []byte(ghStub), 0o755)
	os.WriteFile(filepath.Join(bin, "go"), []byte(goStub), 0o755)
	// Another workflow's comments, by the same bot and by a person: never
	// edited.
	others := `[{"id": 1, "user": {"login": "github-actions[bot]"}, "body": "coverage 81 %"},
	            {"id": 2, "user": {"login": "someone"}, "body": "<!-- capsim check -->\nquoted"}]`
	os.WriteFile(filepath.Join(stubs, "comments.json"), []byte(others), 0o644)

	// origin: main holds the scenario; the pull request's branch doubles
	// the CPU time per request.
	origin, repo := t.TempDir(), t.TempDir()
	git(t, origin, "init", "--bare", "-q")
	os.MkdirAll(filepath.Join(repo, "scenarios"), 0o755)
	scenario := filepath.Join(repo, "scenarios", "gated.yaml")
	os.WriteFile(scenario, []byte(gated), 0o644)
	git(t, repo, "init", "-q")
	git(t, repo, "add", "-A")
	git(t, repo, "commit", "-q", "-m", "main")
	git(t, repo, "remote", "add", "origin", origin)
	git(t, repo, "push", "-q", "origin", "HEAD:main")
	git(t, repo, "fetch", "-q", "origin")
	git(t, repo, "checkout", "-q", "-b", "pr")
	os.WriteFile(scenario, []byte(strings.Replace(gated, "mean: 20ms", "mean: 40ms", 1)), 0o644)
	git(t, repo, "commit", "-q", "-am", "pr: a slower service")

	env := map[string]string{"SCENARIO": "scenarios/gated.yaml", "REPLICATIONS": "2", "GITHUB_BASE_REF": "main",
		"GITHUB_REPOSITORY": "owner/repo", "PR_NUMBER": "7"}
	env["RUNNER_TEMP"] = t.TempDir()
	r := runWorkflow(t, wf, repo, bin, stubs, env)
	if r.outputs["check"]["code"] != "1" || !r.failed || len(r.failedSteps) != 1 || r.failedSteps[0] != "Verdict" {
		t.Fatalf("slower service: check exit %q, failed steps %v; want exit 1 and the job failing at Verdict", r.outputs["check"]["code"], r.failedSteps)
	}
	for _, f := range []string{"baseline.json", "check.md", "check.xml", "check.json"} {
		if _, err := os.Stat(filepath.Join(repo, f)); err != nil {
			t.Errorf("after the workflow: %v", err)
		}
	}
	comments := func() []struct {
		ID   int    `json:"id"`
		Body string `json:"body"`
	} {
		var c []struct {
			ID   int    `json:"id"`
			Body string `json:"body"`
		}
		b, _ := os.ReadFile(filepath.Join(stubs, "comments.json"))
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := comments()
	if len(c) != 3 || !strings.HasPrefix(c[2].Body, "<!-- capsim check -->\n### capsim check **failed**") || !strings.Contains(c[2].Body, "**regression**") {
		t.Fatalf("comments after the first run: %+v", c)
	}

	// A later push restores the scenario: on a fresh runner the check
	// passes and the same comment is edited.
	os.WriteFile(scenario, []byte(gated), 0o644)
	git(t, repo, "commit", "-q", "-am", "pr: back to the same service")
	for _, f := range []string{"baseline.json", "check.md", "check.xml", "check.json", "comment.md"} {
		os.Remove(filepath.Join(repo, f))
	}
	env["RUNNER_TEMP"] = t.TempDir()
	r = runWorkflow(t, wf, repo, bin, stubs, env)
	if r.outputs["check"]["code"] != "0" || r.failed {
		t.Fatalf("same service: check exit %q, failed steps %v; want exit 0", r.outputs["check"]["code"], r.failedSteps)
	}
	c = comments()
	if len(c) != 3 || c[2].ID != 102 || !strings.HasPrefix(c[2].Body, "<!-- capsim check -->\n### capsim check passed") {
		t.Errorf("comments after the second run: %+v", c)
	}
	if c[0].Body != "coverage 81 %" || c[1].Body != "<!-- capsim check -->\nquoted" {
		t.Errorf("another comment was edited: %+v", c[:2])
	}
}

// curlStub stands in for curl in the GitLab job: the job artifacts API
// answers with $CURL_STUB_ARTIFACT when it is set (and fails as
// curl --fail does on a 404 otherwise); the notes API keeps each posted
// body. Every call is logged with its headers and URL.
const curlStub = `#!/bin/bash
out=; data=; url=; headers=
while [ $# -gt 0 ]; do
  case "$1" in
    --fail|--silent|--location) ;;
    --request) shift ;;
    --output) out=$2; shift ;;
    --header) headers="$headers[$2]"; shift ;;
    --data-urlencode) data=${2#body@}; shift ;;
    -*) echo "curl stub: flag $1" >&2; exit 2 ;;
    *) url=$1 ;;
  esac
  shift
done
echo "$headers $url" >> "$CURL_STUB_DIR/log"
case "$url" in
  */jobs/artifacts/*/raw/baseline.json\?job=capsim-baseline)
    [ -n "$CURL_STUB_ARTIFACT" ] || exit 22
    cp "$CURL_STUB_ARTIFACT" "$out" ;;
  */merge_requests/*/notes)
    n=$(ls "$CURL_STUB_DIR" | grep -c '^note-' || true)
    cp "$data" "$CURL_STUB_DIR/note-$n.md" ;;
  *) echo "curl stub: unexpected $url" >&2; exit 2 ;;
esac
`

type glJob struct {
	Extends      string   `yaml:"extends"`
	Image        string   `yaml:"image"`
	BeforeScript []string `yaml:"before_script"`
	Script       []string `yaml:"script"`
	Artifacts    struct {
		Paths   []string          `yaml:"paths"`
		Reports map[string]string `yaml:"reports"`
	} `yaml:"artifacts"`
}

// runGitLabJob runs a job's before_script and script in one bash, as the
// GitLab Runner's shell does (set -eo pipefail, then each line), with the
// job's fixed /tmp/base put under the test's folder.
func runGitLabJob(t *testing.T, jobs map[string]glJob, name, dir, base string, env []string) (int, string) {
	t.Helper()
	job := jobs[name]
	parent := jobs[job.Extends]
	lines := append(append([]string{"set -eo pipefail"}, parent.BeforeScript...), job.Script...)
	script := strings.ReplaceAll(strings.Join(lines, "\n"), "/tmp/base", base)
	path := filepath.Join(t.TempDir(), "job.sh")
	os.WriteFile(path, []byte(script+"\n"), 0o644)
	cmd := exec.Command("bash", path)
	cmd.Dir, cmd.Env = dir, env
	b, err := cmd.CombinedOutput()
	code := 0
	if e, ok := err.(*exec.ExitError); ok {
		code = e.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	t.Logf("job %s: exit %d\n%s", name, code, b)
	return code, string(b)
}

// TestGitLabJobsRun runs docs/ci/gitlab-ci.yml's two jobs as the runner
// would: capsim-baseline on main writes the baseline artifact; a merge
// request from a branch with a slower service, on a tier whose job token
// may not read artifacts, simulates its target branch, fails with exit 1
// and reports JUnit, and posts no note without a token; with the token
// and the artifact available, a merge request into release/1.x reads it
// (the branch URL-encoded, the project token sent), passes, and posts the
// Markdown as a note.
func TestGitLabJobsRun(t *testing.T) {
	for _, tool := range []string{"bash", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("CI is set and there is no %s: %v", tool, err)
			}
			t.Skipf("no %s to run the job's script with: %v", tool, err)
		}
	}
	b, err := os.ReadFile("../../docs/ci/gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Variables map[string]string `yaml:"variables"`
	}
	jobs := map[string]glJob{}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &jobs); err != nil {
		t.Fatal(err)
	}
	if r := jobs["capsim-check"].Artifacts.Reports["junit"]; r != "check.xml" {
		t.Errorf("artifacts:reports:junit is %q, want check.xml", r)
	}
	bin, stubs := t.TempDir(), t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(exe, filepath.Join(bin, "capsim")); err != nil {
		t.Skipf("cannot put this binary on a PATH as capsim: %v", err)
	}
	os.WriteFile(filepath.Join(bin, "go"), []byte(goStub), 0o755)
	os.WriteFile(filepath.Join(bin, "curl"), []byte(curlStub), 0o755)

	origin, repo := t.TempDir(), t.TempDir()
	git(t, origin, "init", "--bare", "-q")
	os.MkdirAll(filepath.Join(repo, "scenarios"), 0o755)
	scenario := filepath.Join(repo, "scenarios", "gated.yaml")
	os.WriteFile(scenario, []byte(gated), 0o644)
	git(t, repo, "init", "-q")
	git(t, repo, "add", "-A")
	git(t, repo, "commit", "-q", "-m", "main")
	git(t, repo, "remote", "add", "origin", origin)
	git(t, repo, "push", "-q", "origin", "HEAD:main", "HEAD:release/1.x")

	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), readmeCLIEnv+"=1",
		"CURL_STUB_DIR="+stubs, "CI_API_V4_URL=https://gitlab.example.com/api/v4", "CI_PROJECT_ID=42",
		"CI_JOB_TOKEN=job-token", "CI_MERGE_REQUEST_IID=5", "CAPSIM_VERSION=v0.1.0")
	for k, v := range doc.Variables {
		env = append(env, k+"="+v)
	}
	env = append(env, "SCENARIO=scenarios/gated.yaml", "REPLICATIONS=2") // set by the project, as docs/ci.md says

	// The default branch: the baseline artifact.
	if code, _ := runGitLabJob(t, jobs, "capsim-baseline", repo, "", env); code != 0 {
		t.Fatalf("capsim-baseline: exit %d", code)
	}
	artifact := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.Rename(filepath.Join(repo, "baseline.json"), artifact); err != nil {
		t.Fatalf("capsim-baseline left no baseline.json: %v", err)
	}

	// A merge request into main with a slower service; no token, and the
	// job token may not read the artifact.
	git(t, repo, "checkout", "-q", "-b", "slower")
	os.WriteFile(scenario, []byte(strings.Replace(gated, "mean: 20ms", "mean: 40ms", 1)), 0o644)
	git(t, repo, "commit", "-q", "-am", "a slower service")
	code, out := runGitLabJob(t, jobs, "capsim-check", repo, filepath.Join(t.TempDir(), "base"),
		append(env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main", "CAPSIM_NOTE_TOKEN=", "CURL_STUB_ARTIFACT="))
	if code != 1 || !strings.Contains(out, "FAIL gated: p99 ") {
		t.Fatalf("slower service: exit %d, want 1 with the p99 regression", code)
	}
	for _, f := range []string{"check.xml", "check.md", "check.json", "baseline.json"} {
		if _, err := os.Stat(filepath.Join(repo, f)); err != nil {
			t.Errorf("after capsim-check: %v", err)
		}
	}
	log, _ := os.ReadFile(filepath.Join(stubs, "log"))
	if !strings.Contains(string(log), "[JOB-TOKEN: job-token] https://gitlab.example.com/api/v4/projects/42/jobs/artifacts/main/raw/baseline.json?job=capsim-baseline") ||
		strings.Contains(string(log), "/notes") {
		t.Errorf("curl calls without a token:\n%s", log)
	}

	// A merge request into release/1.x with the same service: the token
	// reads the artifact; the check passes and posts its note.
	for _, f := range []string{"check.xml", "check.md", "check.json", "baseline.json"} {
		os.Remove(filepath.Join(repo, f))
	}
	git(t, repo, "checkout", "-q", "-b", "same", "main")
	code, _ = runGitLabJob(t, jobs, "capsim-check", repo, filepath.Join(t.TempDir(), "base"),
		append(env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME=release/1.x", "CAPSIM_NOTE_TOKEN=project-token", "CURL_STUB_ARTIFACT="+artifact))
	if code != 0 {
		t.Fatalf("same service: exit %d, want 0", code)
	}
	log, _ = os.ReadFile(filepath.Join(stubs, "log"))
	if !strings.Contains(string(log), "[PRIVATE-TOKEN: project-token] https://gitlab.example.com/api/v4/projects/42/jobs/artifacts/release%2F1.x/raw/baseline.json?job=capsim-baseline") ||
		!strings.Contains(string(log), "[PRIVATE-TOKEN: project-token] https://gitlab.example.com/api/v4/projects/42/merge_requests/5/notes") {
		t.Errorf("curl calls with the token:\n%s", log)
	}
	note, err := os.ReadFile(filepath.Join(stubs, "note-0.md"))
	if err != nil || !strings.HasPrefix(string(note), "### capsim check passed") || !strings.Contains(string(note), "paired by seed") {
		t.Errorf("the note: %v\n%s", err, note)
	}
}
