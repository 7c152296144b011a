package bounded

import (
	"fmt"
	"io"
)

// TooLargeError says a file is larger than the most its reader accepts.
type TooLargeError struct{ Max int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the file is larger than %s, the most this reader accepts", Size(e.Max))
}

// ReadAll reads r to its end, or fails with a *TooLargeError as soon as
// more than max bytes arrive (so /dev/zero costs max+1 bytes, not all of
// memory).
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, &TooLargeError{Max: max}
	}
	return b, nil
}

// Size prints a byte count in the largest binary unit that divides it.
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// SizeLimit passes a stream through and fails with a *TooLargeError once
// more than its limit has arrived: for readers that keep what they read
// (a price file read whole, a sample of durations).
type SizeLimit struct {
	r    io.Reader
	left int64
	max  int64
}

// NewSizeLimit wraps r to at most max bytes.
func NewSizeLimit(r io.Reader, max int64) *SizeLimit { return &SizeLimit{r: r, left: max, max: max} }

func (s *SizeLimit) Read(p []byte) (int, error) {
	if s.left < 0 {
		return 0, &TooLargeError{Max: s.max}
	}
	if int64(len(p)) > s.left+1 {
		p = p[:s.left+1]
	}
	n, err := s.r.Read(p)
	s.left -= int64(n)
	if s.left < 0 {
		return 0, &TooLargeError{Max: s.max}
	}
	return n, err
}
