package traces

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/capsim/capsim/internal/bounded"
)

// FuzzReadEmpirical: no durations file ({dist: empirical, file: …})
// makes the reader panic; an error names the file and line; a sample it
// accepts is finite and non-negative, and every draw lies within it.
func FuzzReadEmpirical(f *testing.F) {
	// As `capsim fit-workload --dist empirical --samples-out` writes it
	// (seconds, one a line), plus the Go durations and comments it allows.
	f.Add("0.012\n0.015\n0.042\n0.2\n")
	f.Add("# from an ALB log\n250ms\n\n1.5s\n 3 \n")
	for _, s := range []string{"", "#\n", "-1\n", "NaN\n", "1e400\n", "1e9\n1e10\n", "-1ms\n", "9223372036s\n", strings.Repeat("1", bounded.MaxLine+1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		e, err := ReadEmpirical(strings.NewReader(in), "fuzz.txt")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.txt:") || len(err.Error()) > 1000 {
				t.Fatalf("error does not name the file and line, or quotes too much: %.200v", err)
			}
			return
		}
		lo, hi := e.x[0], e.x[len(e.x)-1]
		if lo < 0 || math.IsInf(hi, 0) || math.IsNaN(e.Mean()) || math.IsInf(e.Mean(), 0) {
			t.Fatalf("sample [%v, %v], mean %v", lo, hi, e.Mean())
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for range 20 {
			if v := e.Sample(rng); v < lo || v > hi || math.IsNaN(v) {
				t.Fatalf("draw %v outside the sample [%v, %v]", v, lo, hi)
			}
		}
	})
}
