package scenarios

import (
	"errors"
	"fmt"
	"os"
)

// OpenTraceFile opens a trace for reading. A trace is read twice, once
// by Parse to check every line and once by the run to replay it, so it
// must be a regular file: a FIFO would hang the second open, and a device
// such as /dev/zero never ends. The check is on the path, before opening:
// opening a FIFO blocks until something writes to it.
func OpenTraceFile(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if why := notRegular(st); why != "" {
		return nil, &os.PathError{Op: "open", Path: path, Err: errors.New(why)}
	}
	return os.Open(path)
}

// notRegular says why a file that is not regular cannot be a trace ("" if
// it is regular).
func notRegular(st os.FileInfo) string {
	m := st.Mode()
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		return "it is a directory, not a trace file"
	case m&os.ModeNamedPipe != 0:
		return "it is a FIFO: capsim reads a trace twice (to check it, then to replay it), so it must be a regular file (copy the stream into one)"
	case m&os.ModeDevice != 0:
		return "it is a device, not a trace file: a trace must be a regular file"
	}
	return fmt.Sprintf("it is not a regular file (%v): a trace must be a regular file", m.Type())
}
