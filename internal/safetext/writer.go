package safetext

import (
	"io"
	"unicode/utf8"
)

// Writer cleans everything written through it (Clean) before passing it on:
// the CLI's terminal output goes through one, so no message, table or
// name can send an escape sequence to the terminal. A UTF-8 sequence cut
// between two writes is held back until it is complete.
type Writer struct {
	w    io.Writer
	held []byte
}

// NewWriter returns a Writer in front of w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Underlying is the writer the cleaned text goes to (the progress bar
// needs the terminal itself).
func (c *Writer) Underlying() io.Writer { return c.w }

func (c *Writer) Write(p []byte) (int, error) {
	b := append(c.held, p...)
	c.held = nil
	// Keep an incomplete trailing sequence (at most 3 bytes) for the next write.
	for i := 1; i <= 3 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				c.held = append([]byte(nil), b[len(b)-i:]...)
				b = b[:len(b)-i]
			}
			break
		}
	}
	if _, err := io.WriteString(c.w, Clean(string(b))); err != nil {
		return 0, err
	}
	return len(p), nil
}
