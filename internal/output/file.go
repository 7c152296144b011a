package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// File is one output path, checked by Check before the work starts and
// written once, at the end, by Write or WriteWith.
type File struct {
	name   string    // as the user gave it, for messages
	path   string    // where the bytes go: a symlink's target for a symlink
	stream bool      // write directly: "-", a character device or a FIFO
	stdout io.Writer // where "-" goes
}

// Name is the path as the user gave it.
func (f *File) Name() string { return f.name }

// Streamed says the output is written directly (standard output, a
// device or a FIFO) rather than renamed into place.
func (f *File) Streamed() bool { return f.stream }

// Check resolves path (following symlinks), refuses what capsim must not
// write, checks that the file can be created, and removes temporary files
// a killed capsim left beside it. It writes nothing. "-" means stdout.
func Check(path string, stdout io.Writer) (*File, error) {
	f := &File{name: path, path: path, stdout: stdout}
	if path == "-" {
		f.stream = true
		return f, nil
	}
	if path == "" {
		return nil, fmt.Errorf("empty output path")
	}
	target, fi, err := resolve(path)
	if err != nil {
		return nil, err
	}
	f.path = target
	if fi != nil && streamable(fi.Mode()) {
		f.stream = true
		if err := unix.Access(path, unix.W_OK); err != nil {
			return nil, fmt.Errorf("%s: cannot write: %w", path, err)
		}
		return f, nil
	}
	dir := filepath.Dir(target)
	if err := checkCreatable(dir, target != path); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	removeStale(dir, tempPrefix(filepath.Base(target)))
	return f, nil
}

// streamable reports the kinds of file written directly, never replaced.
func streamable(m fs.FileMode) bool {
	return m&os.ModeNamedPipe != 0 || m&os.ModeCharDevice != 0
}

// kindName names a file mode for messages.
func kindName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a block device"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSymlink != 0:
		return "a symlink"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}

// resolve follows path to what will be written: the final path and its
// FileInfo (nil when it does not exist yet). It refuses folders and kinds
// of file capsim must not write.
func resolve(path string) (string, fs.FileInfo, error) {
	li, err := os.Lstat(path)
	if os.IsNotExist(err) || errors.Is(err, unix.ENOTDIR) {
		return path, nil, nil // checkCreatable says what is wrong with the folder
	}
	if err != nil {
		return "", nil, err
	}
	target := path
	fi := li
	if li.Mode()&os.ModeSymlink != 0 {
		fi, err = os.Stat(path)
		switch {
		case os.IsNotExist(err):
			// A dangling symlink: create its target.
			if target, err = danglingTarget(path); err != nil {
				return "", nil, err
			}
			return target, nil, nil
		case err != nil:
			return "", nil, fmt.Errorf("%s: cannot follow the symlink: %w", path, err)
		case fi.Mode().IsRegular():
			if target, err = filepath.EvalSymlinks(path); err != nil {
				return "", nil, fmt.Errorf("%s: cannot follow the symlink: %w", path, err)
			}
		}
	}
	m := fi.Mode()
	switch {
	case m.IsRegular(), streamable(m):
		return target, fi, nil
	case m.IsDir():
		return "", nil, fmt.Errorf("%s is a folder: give a file name", describe(path, li))
	}
	return "", nil, fmt.Errorf("%s is %s: capsim writes only regular files (replaced), character devices, FIFOs or - (written directly)", describe(path, li), kindName(m))
}

// describe names path, saying when it was reached through a symlink.
func describe(path string, li fs.FileInfo) string {
	if li.Mode()&os.ModeSymlink != 0 {
		return path + " (a symlink) leads to what"
	}
	return path
}

// danglingTarget follows a chain of symlinks whose last one points at
// nothing, and returns that missing path.
func danglingTarget(path string) (string, error) {
	p := path
	for range 40 { // the kernel's own limit on symlinks in a path
		t, err := os.Readlink(p)
		if err != nil {
			return "", fmt.Errorf("%s: cannot follow the symlink: %w", path, err)
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(p), t)
		}
		li, err := os.Lstat(t)
		if os.IsNotExist(err) {
			return t, nil
		}
		if err != nil || li.Mode()&os.ModeSymlink == 0 {
			return "", fmt.Errorf("%s: cannot follow the symlink to %s", path, t)
		}
		p = t
	}
	return "", fmt.Errorf("%s: too many levels of symlinks", path)
}

// checkCreatable says whether a file can be created in dir. A missing
// folder is created at write time, unless the path came through a
// symlink: a symlink's target must be in an existing folder.
func checkCreatable(dir string, viaSymlink bool) error {
	d := dir
	for {
		fi, err := os.Stat(d)
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("%s is not a folder", d)
			}
			break
		}
		if !os.IsNotExist(err) {
			return err
		}
		if viaSymlink {
			return fmt.Errorf("the symlink's target folder %s does not exist", dir)
		}
		up := filepath.Dir(d)
		if up == d {
			return err
		}
		d = up
	}
	if err := unix.Access(d, unix.W_OK|unix.X_OK); err != nil {
		return fmt.Errorf("cannot create files in %s: %w", d, err)
	}
	return nil
}

// Write writes b to the output (see WriteWith).
func (f *File) Write(b []byte) error {
	return f.WriteWith(func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// WriteWith lets fill write the output. A stream is written as fill goes;
// a file is filled under a temporary name and renamed into place only if
// fill succeeds, so a failure leaves the old file as it was.
func (f *File) WriteWith(fill func(io.Writer) error) error {
	if !f.stream {
		return replaceFile(f.path, fill)
	}
	if f.name == "-" {
		return fill(f.stdout)
	}
	// No O_CREATE, no O_TRUNC: a device or FIFO is opened as it is, and a
	// path that vanished since Check is not created as a regular file.
	w, err := os.OpenFile(f.name, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if fi, err := w.Stat(); err != nil || !streamable(fi.Mode()) {
		w.Close()
		return fmt.Errorf("%s changed since capsim checked it: no longer a device or FIFO", f.name)
	}
	err = fill(w)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// replaceFile fills a locked temporary file beside path and renames it
// over path, keeping the mode of the file it replaces.
func replaceFile(path string, fill func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	t, err := createTemp(dir, tempPrefix(filepath.Base(path)))
	if err != nil {
		return err
	}
	defer t.discard()
	_ = t.f.Chmod(mode)
	if err := fill(t.f); err != nil {
		return err
	}
	if err := t.f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := stillReplaceable(path); err != nil {
		return err
	}
	if err := os.Rename(t.path, path); err != nil {
		return err
	}
	t.renamed = true
	return nil
}

// stillReplaceable checks, just before the rename, that path is still a
// regular file or absent: something put there since Check is not replaced.
func stillReplaceable(path string) error {
	li, err := os.Lstat(path)
	if os.IsNotExist(err) || err == nil && li.Mode().IsRegular() {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%s became %s while capsim ran: not replaced", path, kindName(li.Mode()))
}
