package bounded

import (
	"errors"
	"fmt"
	"os"
)

// OpenRegular opens a file capsim reads more than once (a trace: checked,
// then replayed; a price or duration file: read again for every variant),
// which must therefore be a regular file: a FIFO would hang the second
// open, and a device such as /dev/zero never ends. The check is on the
// path, before opening, because opening a FIFO blocks until something
// writes to it. The error is an *os.PathError whose Err says why.
func OpenRegular(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if why := notRegular(st); why != "" {
		return nil, &os.PathError{Op: "open", Path: path, Err: errors.New(why)}
	}
	return os.Open(path)
}

// notRegular says why a file that is not regular cannot be read ("" if it
// is regular).
func notRegular(st os.FileInfo) string {
	m := st.Mode()
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		return "it is a directory, not a file"
	case m&os.ModeNamedPipe != 0:
		return "it is a FIFO: capsim reads this file more than once (to check it, then to use it), so it must be a regular file (copy the stream into one)"
	case m&os.ModeDevice != 0:
		return "it is a device, not a file: capsim reads only regular files here"
	}
	return fmt.Sprintf("it is not a regular file (%v)", m.Type())
}
