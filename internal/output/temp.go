package output

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Temporary names: ".<base>.capsim-tmp.<random>" for a file being written,
// ".<base>.capsim-new.<random>" for an --out folder being staged. The owner
// holds an exclusive flock on each for as long as it lives, so a name that
// nobody holds a lock on was left by a killed capsim.
func tempPrefix(base string) string    { return "." + base + ".capsim-tmp." }
func stagingPrefix(base string) string { return "." + base + ".capsim-new." }

// temp is a locked temporary file.
type temp struct {
	f       *os.File
	path    string
	renamed bool
}

// createTemp creates and locks a temporary file in dir. It checks, once
// locked, that the name is still its own: a cleaner may have taken the
// lock between the create and the flock and removed it.
func createTemp(dir, prefix string) (*temp, error) {
	for {
		f, err := os.CreateTemp(dir, prefix+"*")
		if err != nil {
			return nil, err
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
		if sameFile(f, f.Name()) {
			return &temp{f: f, path: f.Name()}, nil
		}
		f.Close()
	}
}

// discard closes the file (releasing its lock) and removes it unless it
// was renamed into place.
func (t *temp) discard() {
	if !t.renamed {
		os.Remove(t.path)
	}
	t.f.Close()
}

// sameFile reports whether path still names the file f has open.
func sameFile(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Lstat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// removeStale removes the entries of dir whose names start with prefix and
// that no live process holds a lock on. Failures are ignored: cleaning up
// is a courtesy, never a reason to fail a run.
func removeStale(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || !ownRegularOrFolder(e) {
			continue
		}
		removeIfUnlocked(filepath.Join(dir, e.Name()))
	}
}

// ownRegularOrFolder reports a regular file or folder that this user owns:
// nothing else is ever opened or removed.
func ownRegularOrFolder(e os.DirEntry) bool {
	if !e.Type().IsRegular() && !e.IsDir() {
		return false
	}
	fi, err := e.Info()
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Geteuid()
}

// removeIfUnlocked removes path (a file or a folder) if it can take its
// lock: its owner is gone. It holds the lock while removing, so an owner
// that is just starting sees its name vanish and starts again.
func removeIfUnlocked(path string) bool {
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		return false
	}
	return os.RemoveAll(path) == nil
}

// RemoveStale removes the folders and files in dir whose names start with
// prefix and that no live process holds (see LockedTempDir): what a
// SIGKILL left of an earlier run.
func RemoveStale(dir, prefix string) { removeStale(dir, prefix) }

// LockedTempDir makes a temporary folder in dir (os.TempDir() if empty)
// named prefix followed by random characters, and holds a lock on it until
// release is called, so RemoveStale in a later process leaves it alone
// while this one lives.
func LockedTempDir(dir, prefix string) (path string, release func(), err error) {
	for {
		p, err := os.MkdirTemp(dir, prefix+"*")
		if err != nil {
			return "", nil, err
		}
		f, err := lockDir(p)
		if err != nil {
			os.RemoveAll(p)
			return "", nil, err
		}
		if sameFile(f, p) {
			return p, func() { f.Close() }, nil
		}
		f.Close()
	}
}

// lockDir opens a folder and takes an exclusive lock on it (blocking).
func lockDir(p string) (*os.File, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
