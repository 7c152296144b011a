package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/capsim/capsim/internal/output"
)

// The output-path cases of issue 9 (items 1 and 9): every row says what a
// command does when an output path is a FIFO, a character device, a
// symlink, a folder or a block device. Nothing that is not a regular file
// may be replaced; bad paths exit 2.

// mknod makes a device node in dir. The character device has /dev/null's
// numbers (1, 3), so writes are discarded; the block device has loop0's
// (7, 0) and must never be opened. Without CAP_MKNOD the case is skipped,
// except in CI (CI=true), where it must run.
func mknod(t *testing.T, dir, name string, mode uint32, major, minor uint32) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := unix.Mknod(p, mode, int(unix.Mkdev(major, minor))); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mknod %s: %v (CI=true: device cases must run)", p, err)
		}
		t.Skipf("mknod not permitted here (%v): device cases need CAP_MKNOD; they run in CI", err)
	}
	return p
}

func charDevice(t *testing.T, dir, name string) string {
	return mknod(t, dir, name, unix.S_IFCHR|0o666, 1, 3)
}

func fifo(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := unix.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// drain reads a FIFO in the background; receive once the writer is done.
func drain(p string) <-chan string {
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(p)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	return got
}

// kindOf is what the path is now (without following a symlink).
func kindOf(t *testing.T, p string) os.FileMode {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return fi.Mode().Type()
}

func wantKind(t *testing.T, p string, want os.FileMode) {
	t.Helper()
	if got := kindOf(t, p); got != want {
		t.Errorf("%s is now %v, was %v: replaced", p, got, want)
	}
}

func isJSON(t *testing.T, s string) {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Errorf("not JSON (%v): %.80q", err, s)
	}
}

const sweepScenario = short + "sweep:\n  scaling.policies[0].target: [40, 70]\n"

const charDev = os.ModeDevice | os.ModeCharDevice

func TestOutputToSpecialFiles(t *testing.T) {
	sc := writeScenario(t, short)
	strict := writeScenario(t, strings.Replace(short, "slo: {p99: 500ms}", "slo: {p99: 1ms}", 1))
	variants := writeScenario(t, short+"variants:\n  - name: cpu-80\n    set: {\"scaling.policies[0].target\": 80}\n")
	sweep := writeScenario(t, sweepScenario)

	t.Run("run --json FIFO: streamed, stays a FIFO", func(t *testing.T) {
		p := fifo(t, t.TempDir(), "fifo")
		got := drain(p)
		if code, _, stderr := capsim(t, "run", "-q", "--json", p, sc); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		isJSON(t, <-got)
		wantKind(t, p, os.ModeNamedPipe)
	})
	t.Run("run --json character device: written, stays a device", func(t *testing.T) {
		p := charDevice(t, t.TempDir(), "null")
		if code, _, stderr := capsim(t, "run", "-q", "--json", p, sc); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		wantKind(t, p, charDev)
	})
	t.Run("run --json symlink to a character device: streamed, both stay", func(t *testing.T) {
		dir := t.TempDir()
		dev := charDevice(t, dir, "null")
		link := filepath.Join(dir, "link")
		os.Symlink(dev, link)
		if code, _, stderr := capsim(t, "run", "-q", "--json", link, sc); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		wantKind(t, dev, charDev)
		wantKind(t, link, os.ModeSymlink)
	})
	t.Run("run --json symlink to a regular file: target replaced, link kept", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "real.json")
		os.WriteFile(target, []byte("old"), 0o644)
		link := filepath.Join(dir, "link.json")
		os.Symlink("real.json", link)
		if code, _, stderr := capsim(t, "run", "-q", "--json", link, sc); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		wantKind(t, link, os.ModeSymlink)
		b, _ := os.ReadFile(target)
		isJSON(t, string(b))
	})
	t.Run("run --json dangling symlink: target created in its folder", func(t *testing.T) {
		dir := t.TempDir()
		link := filepath.Join(dir, "link.json")
		os.Symlink("made.json", link)
		if code, _, stderr := capsim(t, "run", "-q", "--json", link, sc); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		wantKind(t, link, os.ModeSymlink)
		b, _ := os.ReadFile(filepath.Join(dir, "made.json"))
		isJSON(t, string(b))
	})
	t.Run("run --json -: standard output", func(t *testing.T) {
		code, stdout, stderr := capsim(t, "run", "-q", "--json", "-", sc)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		isJSON(t, stdout)
	})
	t.Run("run --out DIR holding a symlinked, a FIFO and a device output", func(t *testing.T) {
		dir, elsewhere := t.TempDir(), t.TempDir()
		target := filepath.Join(elsewhere, "result.json")
		os.WriteFile(target, []byte("old"), 0o644)
		os.Symlink(target, filepath.Join(dir, "result.json"))
		csv := fifo(t, dir, "timeseries.csv")
		html := charDevice(t, dir, "report.html")
		got := drain(csv)
		if code, _, stderr := capsim(t, "run", "-q", "--out", dir, sc); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if s := <-got; !strings.HasPrefix(s, "time,arrivals,") {
			t.Errorf("FIFO got %.60q, want the CSV", s)
		}
		wantKind(t, filepath.Join(dir, "result.json"), os.ModeSymlink)
		wantKind(t, csv, os.ModeNamedPipe)
		wantKind(t, html, charDev)
		b, _ := os.ReadFile(target)
		isJSON(t, string(b))
	})
	t.Run("check --junit FIFO --markdown symlink", func(t *testing.T) {
		dir := t.TempDir()
		junit := fifo(t, dir, "junit.xml")
		os.WriteFile(filepath.Join(dir, "real.md"), nil, 0o644)
		md := filepath.Join(dir, "slo.md")
		os.Symlink("real.md", md)
		got := drain(junit)
		if code, _, stderr := capsim(t, "check", "--junit", junit, "--markdown", md, strict); code != 1 {
			t.Fatalf("exit %d, want 1 (SLO missed): %s", code, stderr)
		}
		if s := <-got; !strings.Contains(s, "<testsuites") {
			t.Errorf("FIFO got %.80q", s)
		}
		wantKind(t, junit, os.ModeNamedPipe)
		wantKind(t, md, os.ModeSymlink)
		if b, _ := os.ReadFile(filepath.Join(dir, "real.md")); !strings.Contains(string(b), "NOT met") {
			t.Errorf("symlink target holds %q", b)
		}
	})
	t.Run("check --junit and --markdown character devices", func(t *testing.T) {
		dir := t.TempDir()
		a, b := charDevice(t, dir, "a"), mknod(t, dir, "b", unix.S_IFCHR|0o666, 1, 3)
		if code, _, stderr := capsim(t, "check", "--junit", a, "--markdown", b, sc); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		wantKind(t, a, charDev)
		wantKind(t, b, charDev)
	})
	t.Run("compare --json character device", func(t *testing.T) {
		p := charDevice(t, t.TempDir(), "null")
		if code, _, stderr := capsim(t, "compare", "--json", p, variants); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		wantKind(t, p, charDev)
	})
	t.Run("trace convert --out FIFO", func(t *testing.T) {
		dir := t.TempDir()
		trace := filepath.Join(dir, "t.csv")
		os.WriteFile(trace, []byte("time,requests\n2024-01-01T00:00:00Z,60\n2024-01-01T00:01:00Z,120\n"), 0o644)
		p := fifo(t, dir, "out.csv")
		got := drain(p)
		if code, _, stderr := capsim(t, "trace", "convert", "--out", p, trace); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if s := <-got; !strings.Contains(s, "2024-01-01T00:01:00Z") {
			t.Errorf("FIFO got %q", s)
		}
		wantKind(t, p, os.ModeNamedPipe)
	})

	// Refused: exit 2 before anything runs, and the path is left as it was.
	dir := t.TempDir()
	regular := filepath.Join(dir, "file")
	os.WriteFile(regular, []byte("keep"), 0o644)
	folder := filepath.Join(dir, "folder")
	os.Mkdir(folder, 0o755)
	toFolder := filepath.Join(dir, "to-folder")
	os.Symlink(folder, toFolder)
	withFolderOutput := t.TempDir()
	folderOutput := filepath.Join(withFolderOutput, "result.json")
	os.Mkdir(folderOutput, 0o755)
	for _, c := range []struct {
		name string
		args []string
		path string
		want string
	}{
		{"run --out FILE", []string{"run", "-q", "--out", regular, sc}, regular, "--out: " + regular + " is a regular file, not a folder"},
		{"run --json FOLDER", []string{"run", "-q", "--json", folder, sc}, folder, "--json: " + folder + " is a folder: give a file name"},
		{"run --json symlink to a folder", []string{"run", "-q", "--json", toFolder, sc}, toFolder, "(a symlink) leads to what is a folder"},
		{"compare --json FOLDER", []string{"compare", "--json", folder, variants}, folder, "is a folder"},
		{"compare --out FILE", []string{"compare", "--out", regular, variants}, regular, "not a folder"},
		{"check --junit FOLDER", []string{"check", "--junit", folder, sc}, folder, "--junit: "},
		{"check --markdown under a file", []string{"check", "--markdown", filepath.Join(regular, "x.md"), sc}, regular, "is not a folder"},
		{"sweep --out FILE", []string{"sweep", "--out", regular, sweep}, regular, "not a folder"},
		{"run --out DIR whose result.json is a folder", []string{"run", "-q", "--out", withFolderOutput, sc}, folderOutput, "result.json is a folder"},
	} {
		t.Run("refused: "+c.name, func(t *testing.T) {
			before := kindOf(t, c.path)
			code, _, stderr := capsim(t, c.args...)
			if code != 2 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, c.want)
			}
			if kindOf(t, c.path) != before {
				t.Errorf("%s changed", c.path)
			}
		})
	}
	t.Run("refused: run --json block device", func(t *testing.T) {
		p := mknod(t, t.TempDir(), "blk", unix.S_IFBLK|0o600, 7, 0)
		code, _, stderr := capsim(t, "run", "-q", "--json", p, sc)
		if code != 2 || !strings.Contains(stderr, "is a block device") {
			t.Errorf("exit %d, %q", code, stderr)
		}
		wantKind(t, p, os.ModeDevice)
	})
	if b, _ := os.ReadFile(regular); string(b) != "keep" {
		t.Errorf("the regular file given as --out now holds %q", b)
	}
}

// TestOutputLock: while one capsim holds an --out folder, a second run into
// it fails at once with exit 2 and says why; once the first is done, the
// folder is free again.
func TestOutputLock(t *testing.T) {
	dir := t.TempDir()
	sc := writeScenario(t, short)
	if code, _, stderr := capsim(t, "run", "-q", "--out", dir, sc); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "result.json"))
	held, err := output.OpenFolder(dir, []string{"result.json"})
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "-q", "--out", dir, sc},
		{"compare", "--out", dir, sc},
		{"sweep", "--out", dir, writeScenario(t, sweepScenario)},
	} {
		code, _, stderr := capsim(t, args...)
		if code != 2 || !strings.Contains(stderr, "another capsim is writing into this folder") {
			t.Errorf("%s while the folder is held: exit %d, %q; want exit 2 and the lock message", args[0], code, stderr)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "result.json")); string(after) != string(before) {
		t.Error("a run that could not take the lock changed result.json")
	}
	held.Close()
	if code, _, stderr := capsim(t, "run", "-q", "--seed", "9", "--out", dir, sc); code != 0 {
		t.Fatalf("after the lock is released: exit %d: %s", code, stderr)
	}
}

// TestHostileNamesOnTheTerminalAndInMarkdown: a scenario and a variant
// named to inject markup and escape sequences (issue 9, item 7). Nothing
// printed carries a control character; compare.md and check.md show the
// names as text (reports.TestMarkdownEscapesHostileNames renders them).
func TestHostileNamesOnTheTerminalAndInMarkdown(t *testing.T) {
	hostile := strings.Replace(short, "name: short", `name: "base\e[2J\e]0;pwned\a ![px](http://127.0.0.1:9/px.png) @someone"`, 1) +
		"variants:\n  - name: \"v\\r| x | y |\\e[31m [click](http://127.0.0.1:9/) <b>x</b>\"\n    set: {\"scaling.policies[0].target\": 80}\n"
	p := writeScenario(t, hostile)
	dir := t.TempDir()
	md := filepath.Join(dir, "check.md")
	for _, args := range [][]string{
		{"compare", "--out", dir, p},
		{"check", "--variants", "--markdown", md, p},
		{"run", "-q", "--json", filepath.Join(dir, "r.json"), p},
		{"run", "-q", "--out", dir, p},
		// The "wrote …" line quotes the path as given.
		{"run", "-q", "--out", filepath.Join(dir, "x\x1b[31my"), p},
	} {
		code, stdout, stderr := capsim(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if strings.ContainsAny(stdout+stderr, "\x1b\a\r") {
			t.Errorf("%s printed a control character: %q", args[0], stdout+stderr)
		}
	}
	for _, f := range []string{filepath.Join(dir, "compare.md"), md} {
		b, _ := os.ReadFile(f)
		s := string(b)
		for _, bad := range []string{"\x1b", "\a", "\r", "](http", "<b>", "@someone", "| x |"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q:\n%s", filepath.Base(f), bad, s)
			}
		}
		if !strings.Contains(s, `!\[px\]\(http\:\/\/127\.0\.0\.1\:9\/px\.png\)`) {
			t.Errorf("%s does not show the name escaped:\n%s", filepath.Base(f), s)
		}
	}
	// The JSON keeps the name exactly (escaped the JSON way).
	b, _ := os.ReadFile(filepath.Join(dir, "r.json"))
	if !strings.Contains(string(b), `"name": "base\u001b[2J\u001b]0;pwned\u0007 ![px]`) {
		t.Errorf("result.json does not keep the name: %.300s", b)
	}
	// An error message quoting a hostile path reaches stderr without it.
	_, _, stderr := capsim(t, "run", "-q", filepath.Join(t.TempDir(), "x\x1b[2Jy.yaml"))
	if strings.Contains(stderr, "\x1b") || !strings.Contains(stderr, "x[2Jy.yaml") {
		t.Errorf("stderr: %q", stderr)
	}
}
