package output

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// mknodNull makes a character device with /dev/null's numbers (1, 3) in
// dir: writing to it discards the bytes. Creating device nodes needs
// CAP_MKNOD; without it the test is skipped, except in CI (CI=true), where
// a skipped device case would hide a regression.
func mknodNull(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "null")
	if err := unix.Mknod(p, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mknod %s: %v (CI=true: the character-device case must run)", p, err)
		}
		t.Skipf("mknod not permitted here (%v): the character-device case needs CAP_MKNOD; it runs in CI", err)
	}
	return p
}

// readFIFO opens a FIFO for reading in the background and returns what
// was written to it once the writer closes it.
func readFIFO(t *testing.T, p string) <-chan string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(p)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	return got
}

func mustBeCharDevice(t *testing.T, p string) {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a character device: %v %v", p, fi.Mode(), err)
	}
}

func TestCheckWriteSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "old.json")
	os.WriteFile(regular, []byte("old"), 0o600)
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	link := func(name, to string) string {
		p := filepath.Join(dir, name)
		if err := os.Symlink(to, p); err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("stdout", func(t *testing.T) {
		var out bytes.Buffer
		f, err := Check("-", &out)
		if err != nil || !f.Streamed() {
			t.Fatal(err)
		}
		f.Write([]byte("x"))
		if out.String() != "x" {
			t.Errorf("stdout got %q", out.String())
		}
	})
	t.Run("regular file replaced, mode kept", func(t *testing.T) {
		f, err := Check(regular, nil)
		if err != nil || f.Streamed() {
			t.Fatal(err)
		}
		if err := f.Write([]byte("new")); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(regular)
		fi, _ := os.Stat(regular)
		if string(b) != "new" || fi.Mode().Perm() != 0o600 {
			t.Errorf("got %q mode %v", b, fi.Mode())
		}
	})
	t.Run("fifo streamed, stays a fifo", func(t *testing.T) {
		f, err := Check(fifo, nil)
		if err != nil || !f.Streamed() {
			t.Fatalf("%v streamed=%v", err, f != nil && f.Streamed())
		}
		got := readFIFO(t, fifo)
		if err := f.Write([]byte("through the pipe")); err != nil {
			t.Fatal(err)
		}
		if s := <-got; s != "through the pipe" {
			t.Errorf("reader got %q", s)
		}
		if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the FIFO became %v", fi.Mode())
		}
	})
	t.Run("character device streamed, stays a device", func(t *testing.T) {
		dev := mknodNull(t, t.TempDir())
		f, err := Check(dev, nil)
		if err != nil || !f.Streamed() {
			t.Fatal(err)
		}
		if err := f.Write([]byte("discarded")); err != nil {
			t.Fatal(err)
		}
		mustBeCharDevice(t, dev)
		// Through a symlink too.
		l := filepath.Join(filepath.Dir(dev), "null-link")
		os.Symlink(dev, l)
		if f, err = Check(l, nil); err != nil || !f.Streamed() {
			t.Fatal(err)
		}
		if err := f.Write([]byte("discarded")); err != nil {
			t.Fatal(err)
		}
		mustBeCharDevice(t, dev)
		if fi, _ := os.Lstat(l); fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the symlink became %v", fi.Mode())
		}
	})
	t.Run("symlink to a regular file: the target is replaced, the link stays", func(t *testing.T) {
		target := filepath.Join(sub, "target.json")
		os.WriteFile(target, []byte("old"), 0o644)
		l := link("to-regular", target)
		f, err := Check(l, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Write([]byte("new")); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Lstat(l); fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the symlink was replaced by %v", fi.Mode())
		}
		if b, _ := os.ReadFile(target); string(b) != "new" {
			t.Errorf("target holds %q", b)
		}
	})
	t.Run("dangling symlink: its target is created", func(t *testing.T) {
		target := filepath.Join(sub, "created.json")
		l := link("dangling", "sub/created.json")
		f, err := Check(l, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Write([]byte("new")); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(target); string(b) != "new" {
			t.Errorf("target holds %q", b)
		}
		if fi, _ := os.Lstat(l); fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the symlink was replaced by %v", fi.Mode())
		}
	})
	for _, c := range []struct{ name, path, want string }{
		{"folder", sub, "is a folder: give a file name"},
		{"symlink to a folder", link("to-dir", sub), "(a symlink) leads to what is a folder"},
		{"dangling symlink into a missing folder", link("nowhere", "missing/x.json"), "target folder"},
		{"parent is a file", filepath.Join(regular, "x.json"), "is not a folder"},
		{"symlink loop", link("loop", "loop"), "symlink"},
	} {
		t.Run("refused: "+c.name, func(t *testing.T) {
			before, _ := os.Lstat(c.path)
			_, err := Check(c.path, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
			after, _ := os.Lstat(c.path)
			if before != nil && (after == nil || before.Mode() != after.Mode()) {
				t.Errorf("%s changed", c.path)
			}
		})
	}
	t.Run("refused: block device", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "blk")
		// 7,0 is loop0's numbers; capsim must refuse it without opening it.
		if err := unix.Mknod(p, unix.S_IFBLK|0o600, int(unix.Mkdev(7, 0))); err != nil {
			t.Skipf("mknod of a block device not permitted: %v", err)
		}
		if _, err := Check(p, nil); err == nil || !strings.Contains(err.Error(), "is a block device") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a failed fill leaves the old file", func(t *testing.T) {
		f, _ := Check(regular, nil)
		err := f.WriteWith(func(w io.Writer) error {
			w.Write([]byte("half"))
			return errors.New("boom")
		})
		if err == nil {
			t.Fatal("no error")
		}
		if b, _ := os.ReadFile(regular); string(b) != "new" {
			t.Errorf("old file now holds %q", b)
		}
		assertNoTemps(t, dir)
	})
}

func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".capsim-") {
			t.Errorf("temporary %s left in %s", e.Name(), dir)
		}
	}
}

func TestStaleTempsRemovedLiveOnesKept(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "result.json")
	stale := filepath.Join(dir, tempPrefix("result.json")+"123")
	os.WriteFile(stale, []byte("cut short"), 0o644)
	live, err := createTemp(dir, tempPrefix("result.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer live.discard()
	if _, err := Check(out, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary file kept: %v", err)
	}
	if _, err := os.Stat(live.path); err != nil {
		t.Errorf("a live (locked) temporary file was removed: %v", err)
	}
}

func TestLockedTempDir(t *testing.T) {
	base := t.TempDir()
	stale := filepath.Join(base, "capsim-validate-1234")
	os.Mkdir(stale, 0o700)
	os.WriteFile(filepath.Join(stale, "haproxy.cfg"), nil, 0o600)
	live, release, err := LockedTempDir(base, "capsim-validate-")
	if err != nil {
		t.Fatal(err)
	}
	RemoveStale(base, "capsim-validate-")
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale folder kept")
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("live folder removed")
	}
	release()
	deadline := time.Now().Add(time.Second)
	for RemoveStale(base, "capsim-validate-"); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(live); os.IsNotExist(err) {
			return
		}
		RemoveStale(base, "capsim-validate-")
	}
	t.Errorf("released folder not removed")
}
