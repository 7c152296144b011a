package traces

import (
	"io"
)

// readInput is os.ReadFile through OpenInput.
func readInput(path string) ([]byte, error) {
	in, err := OpenInput(path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	return io.ReadAll(in)
}

// The repository's gzipped NASA log, a plain copy of it, and a gzipped copy
// under a name without .gz give the same scenario: the same start,
// duration and every request in the same place.
// A damaged gzip file fails with its name and says what is wrong, wherever
// the damage is; a file that merely is not gzip reads as it is.
// A durations file for dist: empirical reads the same gzipped.
