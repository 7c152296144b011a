package traces

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/capsim/capsim/internal/bounded"
	"github.com/capsim/capsim/sim"
)

// Empirical is the distribution of a sample of durations: a draw picks a
// uniform point of the sample's quantile function, interpolating linearly
// between neighbouring order statistics (so it is continuous between the
// smallest and the largest value). capsim fit-workload --dist empirical
// --samples-out writes such a file from an ALB log.
type Empirical struct {
	x    []float64 // seconds, sorted
	mean float64
	name string
}

var _ sim.Dist = (*Empirical)(nil)

// maxEmpirical bounds the values of an empirical file (80 MB of float64).
const maxEmpirical = 10_000_000

// ReadEmpirical reads durations, one a line (seconds, or a Go duration
// such as 250ms); blank lines and lines starting with # are skipped.
func ReadEmpirical(r io.Reader, name string) (*Empirical, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), bounded.MaxLine)
	e := &Empirical{name: name}
	line := 0
	sum := 0.0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || t[0] == '#' {
			continue
		}
		v, err := parseSeconds(t)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		if len(e.x) == maxEmpirical {
			return nil, fmt.Errorf("%s:%d: more than %d values", name, line, maxEmpirical)
		}
		e.x = append(e.x, v)
		sum += v
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return nil, fmt.Errorf("%s:%d: the line is longer than %s: not a duration", name, line+1, bounded.Size(bounded.MaxLine))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", name, line+1, err)
	}
	if len(e.x) == 0 {
		return nil, fmt.Errorf("%s:1: no durations in the file (one a line: 0.042 or 42ms)", name)
	}
	slices.Sort(e.x)
	e.mean = sum / float64(len(e.x))
	return e, nil
}

// Sample draws the quantile at a uniform point.
func (e *Empirical) Sample(r *rand.Rand) float64 {
	if len(e.x) == 1 {
		return e.x[0]
	}
	u := r.Float64() * float64(len(e.x)-1)
	i := int(u)
	if i >= len(e.x)-1 {
		return e.x[len(e.x)-1]
	}
	f := u - float64(i)
	return e.x[i] + f*(e.x[i+1]-e.x[i])
}

// Mean is the mean of the interpolated distribution: the trapezoid mean
// of the order statistics.
func (e *Empirical) Mean() float64 {
	n := len(e.x)
	if n == 1 {
		return e.x[0]
	}
	s := 0.0
	for i := 0; i+1 < n; i++ {
		s += (e.x[i] + e.x[i+1]) / 2
	}
	return s / float64(n-1)
}

func (e *Empirical) String() string {
	return fmt.Sprintf("empirical{%s, %d values, median %.4gs}", e.name, len(e.x), e.x[len(e.x)/2])
}

// SampleMean is the plain mean of the values read (a check that they are
// usable; Mean is the distribution's).
func (e *Empirical) SampleMean() float64 { return e.mean }
