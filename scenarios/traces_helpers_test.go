package scenarios

import (
	"io"

	"github.com/capsim/capsim/traces"
)

const (
	tracesDir     = "examples/data/"
	nasaPerMinute = tracesDir + "nasa_1995_per_minute.csv.gz"
	nasaLog       = tracesDir + "nasa_1995-08-01_access.log.gz"
)

// readInput is os.ReadFile through traces.OpenInput.
func readInput(path string) ([]byte, error) {
	in, err := traces.OpenInput(path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	return io.ReadAll(in)
}
