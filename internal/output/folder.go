package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/sys/unix"
)

// Folder is an --out folder that one command writes a set of files into.
// OpenFolder checks and locks it before the work starts; Commit puts the
// whole set in place at the end; Close releases the lock.
//
// Commit swaps the folder: the new set is written into a fresh sibling
// folder, every other entry of the folder is hard-linked beside it, and
// one renameat2(RENAME_EXCHANGE) puts the new folder where the old one
// was. A reader sees the old set or the new one, never a mix. When the
// folder cannot be swapped (see InPlace) the files are renamed into it one
// at a time: each file is whole, but a kill between two renames can leave
// a mix.
type Folder struct {
	dir      string           // the folder, symlinks resolved
	locks    []*os.File       // the folder's lock
	releases []func()         // after a swap: the new folder's lock
	through  map[string]*File // outputs that are symlinks, devices or FIFOs: written through
	inPlace  string           // why the folder cannot be swapped ("" when it can)
}

// BusyError says another capsim holds the folder's lock.
type BusyError struct{ Dir string }

func (e BusyError) Error() string {
	return fmt.Sprintf("%s: another capsim is writing into this folder (it holds the folder's lock); wait for it to finish or choose another --out", e.Dir)
}

// OpenFolder checks dir (following a symlink; it must be a folder or not
// exist yet, and is then created), takes its lock without waiting
// (BusyError if another capsim holds it), removes what a killed capsim
// left behind, and checks each output name inside it by Check's rules.
func OpenFolder(dir string, names []string) (*Folder, error) {
	if dir == "" {
		return nil, fmt.Errorf("empty output folder")
	}
	fi, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err) || errors.Is(err, unix.ENOTDIR):
		if li, lerr := os.Lstat(dir); lerr == nil && li.Mode()&os.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s is a symlink to a folder that does not exist", dir)
		}
		if err := checkCreatable(filepath.Dir(filepath.Clean(dir)), false); err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case !fi.IsDir():
		return nil, fmt.Errorf("%s is %s, not a folder: --out names the folder capsim writes its files into", dir, kindName(fi.Mode()))
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	if real, err = filepath.Abs(real); err != nil {
		return nil, err
	}
	lock, err := lockFolder(real)
	if err != nil {
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, BusyError{dir}
		}
		return nil, fmt.Errorf("%s: cannot lock the folder: %w", dir, err)
	}
	d := &Folder{dir: real, locks: []*os.File{lock}, through: map[string]*File{}}
	removeStale(filepath.Dir(real), stagingPrefix(filepath.Base(real)))
	for _, name := range names {
		removeStale(real, tempPrefix(name))
		removeLegacy(real, name)
		p := filepath.Join(real, name)
		li, err := os.Lstat(p)
		if os.IsNotExist(err) || err == nil && li.Mode().IsRegular() {
			continue
		}
		f, err := Check(p, nil)
		if err != nil {
			d.Close()
			return nil, err
		}
		d.through[name] = f
	}
	d.inPlace = swappable(real)
	return d, nil
}

// lockFolder takes the folder's flock without waiting. A swap by the
// previous holder can put another folder at the path between the open and
// the flock; then the lock is on the old folder, so it tries again.
func lockFolder(dir string) (*os.File, error) {
	for range 100 {
		f, err := os.Open(dir)
		if err != nil {
			return nil, err
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			return nil, err
		}
		if sameFile(f, dir) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("the folder keeps being replaced")
}

// removeLegacy removes the temporary files capsim named ".NAME.DIGITS"
// (os.CreateTemp's suffix) before this package; the caller holds the
// folder's lock, so none of them is live.
func removeLegacy(dir, name string) {
	re := regexp.MustCompile(`^\.` + regexp.QuoteMeta(name) + `\.[0-9]+$`)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if re.MatchString(e.Name()) && e.Type().IsRegular() {
			removeIfUnlocked(filepath.Join(dir, e.Name()))
		}
	}
}

// swappable says why the folder cannot be swapped, or "" if it can.
func swappable(dir string) string {
	parent := filepath.Dir(dir)
	if parent == dir {
		return "it is the root folder"
	}
	if wd, err := os.Getwd(); err == nil {
		if wd, err = filepath.EvalSymlinks(wd); err == nil && (wd == dir || strings.HasPrefix(wd, dir+string(filepath.Separator))) {
			return "it is (or holds) the current directory"
		}
	}
	var a, b unix.Stat_t
	if unix.Stat(dir, &a) != nil || unix.Stat(parent, &b) != nil || a.Dev != b.Dev {
		return "it is a mount point"
	}
	if unix.Access(parent, unix.W_OK|unix.X_OK) != nil {
		return "its parent folder is not writable"
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err.Error()
	}
	for _, e := range entries {
		if e.IsDir() {
			return "it holds a subfolder (" + e.Name() + ")"
		}
	}
	return ""
}

// InPlace says why Commit will rename files one at a time instead of
// swapping the folder, or "" when it will swap.
func (d *Folder) InPlace() string { return d.inPlace }

// Commit writes the set: files maps a name inside the folder to its
// bytes. Outputs that are symlinks, devices or FIFOs are written through
// first (they are not part of the all-or-nothing set).
func (d *Folder) Commit(files map[string][]byte) error {
	set := map[string][]byte{}
	for name, b := range files {
		if f, ok := d.through[name]; ok {
			if err := f.Write(b); err != nil {
				return err
			}
			continue
		}
		set[name] = b
	}
	if d.inPlace == "" {
		err := d.swap(set)
		if !errors.Is(err, errCannotSwap) {
			return err
		}
		d.inPlace = err.Error()
	}
	return d.renameEach(set)
}

var errCannotSwap = errors.New("the folder cannot be swapped")

// swap builds the new folder beside the old one and exchanges them. Any
// failure before the exchange returns errCannotSwap (wrapped), having
// changed nothing; Commit then writes in place.
func (d *Folder) swap(set map[string][]byte) error {
	parent, base := filepath.Dir(d.dir), filepath.Base(d.dir)
	stage, release, err := LockedTempDir(parent, stagingPrefix(base))
	if err != nil {
		return fmt.Errorf("%w: %v", errCannotSwap, err)
	}
	fail := func(err error) error {
		os.RemoveAll(stage)
		release()
		return fmt.Errorf("%w: %v", errCannotSwap, err)
	}
	if fi, err := os.Stat(d.dir); err == nil {
		_ = os.Chmod(stage, fi.Mode().Perm())
	}
	for _, name := range sortedNames(set) {
		if err := writeNew(filepath.Join(stage, name), set[name], modeOf(filepath.Join(d.dir, name))); err != nil {
			return fail(err)
		}
	}
	// Everything else in the folder comes along (the link is to the same
	// file; a symlink is linked as a symlink).
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return fail(err)
	}
	for _, e := range entries {
		if _, ours := set[e.Name()]; ours {
			continue
		}
		if err := os.Link(filepath.Join(d.dir, e.Name()), filepath.Join(stage, e.Name())); err != nil {
			return fail(err)
		}
	}
	pause("swap")
	if err := exchange(stage, d.dir); err != nil {
		return fail(err)
	}
	// The new folder is in place and still locked by release's lock; the
	// old one, at the staging name, holds our first lock until Close.
	d.releases = append(d.releases, release)
	pause("cleanup")
	// An entry someone created in the old folder while this one was being
	// built goes back into the new one.
	if late, err := os.ReadDir(stage); err == nil {
		for _, e := range late {
			if _, err := os.Lstat(filepath.Join(d.dir, e.Name())); os.IsNotExist(err) {
				_ = os.Rename(filepath.Join(stage, e.Name()), filepath.Join(d.dir, e.Name()))
			}
		}
	}
	// The set is in place: a folder left here by a failure is stale and the
	// next run removes it, so this run does not fail for it.
	_ = os.RemoveAll(stage)
	return nil
}

// renameEach writes every file under a temporary name in the folder, then
// renames them into place one after the other.
func (d *Folder) renameEach(set map[string][]byte) error {
	var temps []*temp
	defer func() {
		for _, t := range temps {
			t.discard()
		}
	}()
	names := sortedNames(set)
	for _, name := range names {
		t, err := createTemp(d.dir, tempPrefix(name))
		if err != nil {
			return err
		}
		temps = append(temps, t)
		_ = t.f.Chmod(modeOf(filepath.Join(d.dir, name)))
		if _, err := t.f.Write(set[name]); err != nil {
			return fmt.Errorf("writing %s: %w", filepath.Join(d.dir, name), err)
		}
		if err := t.f.Sync(); err != nil {
			return fmt.Errorf("writing %s: %w", filepath.Join(d.dir, name), err)
		}
	}
	for i, name := range names {
		if i > 0 {
			pause("rename")
		}
		p := filepath.Join(d.dir, name)
		if err := stillReplaceable(p); err != nil {
			return err
		}
		if err := os.Rename(temps[i].path, p); err != nil {
			return err
		}
		temps[i].renamed = true
	}
	return nil
}

// Close releases the folder's locks.
func (d *Folder) Close() error {
	for _, r := range d.releases {
		r()
	}
	for _, f := range d.locks {
		if f != nil {
			f.Close()
		}
	}
	return nil
}

// writeNew creates path (which must not exist) with b and syncs it.
func writeNew(path string, b []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_ = f.Chmod(mode) // OpenFile's mode is cut by the umask
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// modeOf is the permission of the file at path, or 0644 for a new one.
func modeOf(path string) fs.FileMode {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		return fi.Mode().Perm()
	}
	return 0o644
}

func sortedNames(m map[string][]byte) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}
