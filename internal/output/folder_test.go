package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

var set3 = []string{"result.json", "timeseries.csv", "report.html"}

func files(tag string) map[string][]byte {
	m := map[string][]byte{}
	for _, n := range set3 {
		m[n] = []byte(tag + " " + n)
	}
	return m
}

func commit(t *testing.T, dir, tag string) *Folder {
	t.Helper()
	d, err := OpenFolder(dir, set3)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Commit(files(tag)); err != nil {
		t.Fatal(err)
	}
	return d
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFolderSwapKeepsOtherEntries(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if d := commit(t, dir, "old"); d.InPlace() != "" {
		t.Fatalf("a fresh folder was not swapped: %s", d.InPlace())
	}
	// A file capsim does not write (another sweep shard's, a user's note)
	// and a symlinked output pointing out of the folder.
	os.WriteFile(filepath.Join(dir, "sweep-1-of-2.json"), []byte("shard 1"), 0o644)
	elsewhere := filepath.Join(t.TempDir(), "kept-report.html")
	os.WriteFile(elsewhere, []byte("old"), 0o644)
	os.Remove(filepath.Join(dir, "report.html"))
	os.Symlink(elsewhere, filepath.Join(dir, "report.html"))
	before, _ := os.Stat(dir)

	d := commit(t, dir, "new")
	if d.InPlace() != "" {
		t.Fatalf("not swapped: %s", d.InPlace())
	}
	after, _ := os.Stat(dir)
	if os.SameFile(before, after) {
		t.Errorf("the folder was not swapped (same inode)")
	}
	for _, n := range []string{"result.json", "timeseries.csv"} {
		if got := read(t, filepath.Join(dir, n)); got != "new "+n {
			t.Errorf("%s holds %q", n, got)
		}
	}
	if got := read(t, filepath.Join(dir, "sweep-1-of-2.json")); got != "shard 1" {
		t.Errorf("an entry capsim does not write was lost: %q", got)
	}
	if fi, _ := os.Lstat(filepath.Join(dir, "report.html")); fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlinked report.html was replaced by %v", fi.Mode())
	}
	if got := read(t, elsewhere); got != "new report.html" {
		t.Errorf("the symlink's target holds %q", got)
	}
	assertNoTemps(t, filepath.Dir(dir))
	assertNoTemps(t, dir)
}

func TestFolderInPlaceWhenItHoldsASubfolder(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "keep"), 0o755)
	d := commit(t, dir, "new")
	if !strings.Contains(d.InPlace(), "subfolder") {
		t.Errorf("InPlace = %q, want the subfolder reason", d.InPlace())
	}
	if got := read(t, filepath.Join(dir, "result.json")); got != "new result.json" {
		t.Errorf("got %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "keep")); err != nil {
		t.Error("subfolder lost")
	}
	assertNoTemps(t, dir)
}

func TestFolderInPlaceWhenItIsTheWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	d := commit(t, ".", "new")
	if !strings.Contains(d.InPlace(), "current directory") {
		t.Errorf("InPlace = %q", d.InPlace())
	}
	if got := read(t, filepath.Join(dir, "result.json")); got != "new result.json" {
		t.Errorf("got %q", got)
	}
}

func TestFolderLock(t *testing.T) {
	dir := t.TempDir()
	first, err := OpenFolder(dir, set3)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenFolder(dir, set3)
	var busy BusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), "another capsim is writing into this folder") {
		t.Fatalf("second open: %v, want BusyError", err)
	}
	// Still locked after the first one's swap: a second run must not
	// start between the exchange and the first one's exit.
	if err := first.Commit(files("a")); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFolder(dir, set3); !errors.As(err, &busy) {
		t.Fatalf("open after the swap: %v, want BusyError", err)
	}
	first.Close()
	second, err := OpenFolder(dir, set3)
	if err != nil {
		t.Fatalf("open after Close: %v", err)
	}
	second.Close()
}

func TestFolderRefusals(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	os.WriteFile(file, nil, 0o644)
	withDirOutput := filepath.Join(base, "d")
	os.MkdirAll(filepath.Join(withDirOutput, "result.json"), 0o755)
	for _, c := range []struct{ name, dir, want string }{
		{"--out is a file", file, "is a regular file, not a folder"},
		{"an output name is a folder", withDirOutput, "result.json is a folder"},
		{"parent is a file", filepath.Join(file, "out"), "is not a folder"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := OpenFolder(c.dir, set3); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestFolderOutputsToFIFOAndDevice(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "timeseries.csv")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	got := readFIFO(t, fifo)
	d, err := OpenFolder(dir, set3)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(files("new")); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if s := <-got; s != "new timeseries.csv" {
		t.Errorf("FIFO reader got %q", s)
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO became %v", fi.Mode())
	}
	if got := read(t, filepath.Join(dir, "result.json")); got != "new result.json" {
		t.Errorf("got %q", got)
	}
}

func TestFolderStaleStagingAndLegacyTempsRemoved(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "out")
	commit(t, dir, "old")
	staleStage := filepath.Join(base, stagingPrefix("out")+"99")
	os.Mkdir(staleStage, 0o755)
	os.WriteFile(filepath.Join(staleStage, "result.json"), []byte("half"), 0o644)
	legacy := filepath.Join(dir, ".report.html.123456")
	os.WriteFile(legacy, []byte("2 MB cut short"), 0o644)
	stale := filepath.Join(dir, tempPrefix("result.json")+"7")
	os.WriteFile(stale, nil, 0o644)
	d, err := OpenFolder(dir, set3)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	for _, p := range []string{staleStage, legacy, stale} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s kept", p)
		}
	}
}
