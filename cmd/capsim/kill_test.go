package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pauseEnv is the environment variable the test build of capsim reads to
// stop at a step of writing its outputs (internal/output.testPauseEnv).
const pauseEnv = "CAPSIM_TEST_PAUSE"

// buildCapsim builds this command into dir, with the pause hook that only
// test builds have.
func buildCapsim(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "capsim")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin,
		"-ldflags", "-X github.com/capsim/capsim/internal/output.testPauseEnv="+pauseEnv, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var runSet = []string{"result.json", "timeseries.csv", "report.html"}

// TestKillDuringOutput runs the capsim binary and SIGKILLs it at each step
// of putting its outputs in place, and at random moments, and checks that
// the --out folder always holds the whole old set or the whole new one,
// and that the next run removes what the killed one left.
func TestKillDuringOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the capsim binary")
	}
	tmp := t.TempDir()
	bin := buildCapsim(t, tmp)
	sc := writeScenario(t, short)
	exe := func(ctx context.Context, env string, args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = os.Environ()
		if env != "" {
			cmd.Env = append(cmd.Env, pauseEnv+"="+env)
		}
		return cmd
	}
	runInto := func(dir, seed string) {
		t.Helper()
		if out, err := exe(context.Background(), "", "run", "-q", "--seed", seed, "--out", dir, sc).CombinedOutput(); err != nil {
			t.Fatalf("run --seed %s: %v\n%s", seed, err, out)
		}
	}
	// The two sets every check compares against.
	sets := map[string]map[string]string{}
	for _, seed := range []string{"1", "2"} {
		d := filepath.Join(tmp, "ref"+seed)
		runInto(d, seed)
		sets[seed] = map[string]string{}
		for _, f := range runSet {
			b, _ := os.ReadFile(filepath.Join(d, f))
			sets[seed][f] = string(b)
		}
	}
	if sets["1"]["result.json"] == sets["2"]["result.json"] {
		t.Fatal("seeds 1 and 2 give the same result: the test could not tell the sets apart")
	}
	// which says which seed's set dir holds, failing on a mix.
	which := func(dir string) string {
		t.Helper()
		got := map[string]string{}
		for _, f := range runSet {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				got[f] = "missing"
				continue
			}
			got[f] = "neither"
			for seed, set := range sets {
				if string(b) == set[f] {
					got[f] = seed
				}
			}
		}
		if got["result.json"] == got["timeseries.csv"] && got["timeseries.csv"] == got["report.html"] {
			return got["result.json"]
		}
		t.Errorf("mixed output set in %s: %v", dir, got)
		return "mixed"
	}
	leftovers := func(dirs ...string) []string {
		var left []string
		for _, d := range dirs {
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".capsim-") || strings.HasPrefix(e.Name(), ".report.html.") {
					left = append(left, e.Name())
				}
			}
		}
		return left
	}
	// killAt starts a run of seed 2 into dir that stops at step, and
	// SIGKILLs it there.
	killAt := func(dir, step string) {
		t.Helper()
		marker := filepath.Join(t.TempDir(), "paused")
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exe(ctx, step+":"+marker, "run", "-q", "--seed", "2", "--out", dir, sc)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if _, err := os.Stat(marker); err == nil {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("capsim never reached step %q", step)
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}

	for _, c := range []struct{ step, want, why string }{
		{"swap", "1", "killed with the new folder complete but not yet exchanged: the old set stays"},
		{"cleanup", "2", "killed after the exchange, before the old folder is removed: the new set is in place"},
	} {
		t.Run("SIGKILL at "+c.step, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			runInto(dir, "1")
			// What capsim versions before the lock left: a temporary cut short.
			os.WriteFile(filepath.Join(dir, ".report.html.123456"), []byte("cut short"), 0o644)
			killAt(dir, c.step)
			if got := which(dir); got != c.want {
				t.Errorf("%s; the folder holds seed %s's set", c.why, got)
			}
			if left := leftovers(parent); len(left) == 0 {
				t.Errorf("the killed run left no staging folder: the test did not stop where it meant to")
			}
			runInto(dir, "2")
			if got := which(dir); got != "2" {
				t.Errorf("the next run left seed %s's set", got)
			}
			if left := leftovers(parent, dir); len(left) > 0 {
				t.Errorf("the next run did not remove what the killed one left: %v", left)
			}
		})
	}

	t.Run("SIGKILL between renames in place (the documented limit)", func(t *testing.T) {
		// A folder holding a subfolder cannot be swapped: files are renamed
		// one at a time, and a kill between two renames can leave a mix.
		dir := t.TempDir()
		os.Mkdir(filepath.Join(dir, "keep"), 0o755)
		runInto(dir, "1")
		killAt(dir, "rename")
		got := map[bool]int{}
		for _, f := range runSet {
			b, _ := os.ReadFile(filepath.Join(dir, f))
			got[string(b) == sets["2"][f]]++
		}
		t.Logf("after the kill, files of the new set (true) and the old (false): %v (a mix is the documented limit of in-place writing)", got)
		runInto(dir, "2")
		if w := which(dir); w != "2" {
			t.Errorf("the next run left seed %s's set", w)
		}
		if left := leftovers(dir); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})

	t.Run("SIGKILL at random moments", func(t *testing.T) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "out")
		start := time.Now()
		runInto(dir, "1")
		whole := time.Since(start)
		rng := rand.New(rand.NewPCG(9, 9))
		seen := map[string]int{}
		for i := range 12 {
			seed := fmt.Sprint(2 - i%2) // alternate, so the old and new sets differ
			cmd := exe(context.Background(), "", "run", "-q", "--seed", seed, "--out", dir, sc)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(float64(whole) * (0.5 + 0.7*rng.Float64())))
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			seen[which(dir)]++
		}
		t.Logf("sets found after 12 random kills: %v (run takes %v)", seen, whole)
		runInto(dir, "1")
		if left := leftovers(parent, dir); len(left) > 0 {
			t.Errorf("temporary files left after a clean run: %v", left)
		}
	})

	t.Run("a second process is locked out", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "out")
		runInto(dir, "1")
		marker := filepath.Join(t.TempDir(), "paused")
		first := exe(context.Background(), "swap:"+marker, "run", "-q", "--seed", "2", "--out", dir, sc)
		if err := first.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { first.Process.Kill(); first.Wait() }()
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if _, err := os.Stat(marker); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("first run never paused")
			}
		}
		out, err := exe(context.Background(), "", "run", "-q", "--out", dir, sc).CombinedOutput()
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		if code != 2 || !strings.Contains(string(out), "another capsim is writing into this folder") {
			t.Errorf("second process: exit %d, %q; want exit 2 and the lock message", code, out)
		}
	})

	// Output paths are checked before the simulation: with a scenario that
	// would simulate for many minutes, a bad path must fail at once.
	long := writeScenario(t, strings.Replace(strings.Replace(short, "duration: 20m", "duration: 720h", 1), "rps: 50", "rps: 500", 1))
	variants := writeScenario(t, strings.Replace(strings.Replace(short, "duration: 20m", "duration: 720h", 1), "rps: 50", "rps: 500", 1)+
		"variants:\n  - name: b\n    set: {\"scaling.policies[0].target\": 80}\n")
	file := filepath.Join(tmp, "a-file")
	os.WriteFile(file, nil, 0o644)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"run --out FILE", []string{"run", "-q", "--out", file, long}},
		{"run --json FOLDER", []string{"run", "-q", "--json", tmp, long}},
		{"compare --json FOLDER", []string{"compare", "--json", tmp, variants}},
		{"compare --out FILE", []string{"compare", "--out", file, variants}},
		{"check --junit FOLDER", []string{"check", "--junit", tmp, long}},
		{"check --markdown under a file", []string{"check", "--markdown", filepath.Join(file, "x.md"), long}},
	} {
		args := c.args
		t.Run("checked before the simulation: "+c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			start := time.Now()
			out, err := exe(ctx, "", args...).CombinedOutput()
			code := -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			if code != 2 || time.Since(start) > 5*time.Second {
				t.Errorf("exit %d after %v: %s; want exit 2 within seconds (before the simulation)", code, time.Since(start), out)
			}
		})
	}
}
