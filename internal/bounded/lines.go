package bounded

import (
	"bytes"
	"fmt"
	"io"
)

// MaxLine is the longest line any capsim reader accepts (a request log's
// longest real lines, with long URLs and user agents, are a few KiB).
const MaxLine = 64 << 10

// LineTooLongError says line Line is longer than Max bytes.
type LineTooLongError struct{ Line, Max int }

func (e *LineTooLongError) Error() string {
	return fmt.Sprintf("line %d is longer than %s (the longest line capsim reads)", e.Line, Size(int64(e.Max)))
}

// LineLimit passes a stream through and fails with a *LineTooLongError
// once a line grows past its limit. It sits under readers that buffer a
// whole line or record (encoding/csv, bufio.Scanner) so that neither ever
// holds more than one limit's worth of a line.
type LineLimit struct {
	r    io.Reader
	max  int
	run  int // bytes since the last '\n'
	line int // 1-based number of the line being read
	err  error
}

// NewLineLimit wraps r; max ≤ 0 means MaxLine.
func NewLineLimit(r io.Reader, max int) *LineLimit {
	if max <= 0 {
		max = MaxLine
	}
	return &LineLimit{r: r, max: max, line: 1}
}

func (l *LineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			l.run += n - i
			break
		}
		l.run += j
		if l.run > l.max {
			break
		}
		l.run = 0
		l.line++
		i += j + 1
	}
	if l.run > l.max {
		l.err = &LineTooLongError{Line: l.line, Max: l.max}
		// Hand over what came before the long line; the error follows.
		return 0, l.err
	}
	return n, err
}
