package scenarios

import (
	"os"

	"github.com/capsim/capsim/internal/bounded"
)

// OpenTraceFile opens a trace for reading. A trace is read twice, once by
// Parse to check every line and once by the run to replay it, so it must
// be a regular file (bounded.OpenRegular says why not, before opening).
func OpenTraceFile(path string) (*os.File, error) { return bounded.OpenRegular(path) }
