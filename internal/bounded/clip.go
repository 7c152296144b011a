package bounded

import (
	"strconv"
	"unicode/utf8"
)

// MaxQuoted is how many bytes of a value from a file a message quotes:
// enough to recognise a timestamp or a number, too few to leak a line.
const MaxQuoted = 32

// Clip cuts s to at most MaxQuoted bytes at a character boundary, adding
// "…" when it cut, so that a message quotes a short value, never a whole
// line of someone's file.
func Clip(s string) string { return ClipTo(s, MaxQuoted) }

// ClipTo is Clip with another length.
func ClipTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Quote is strconv.Quote of the clipped value.
func Quote(s string) string { return strconv.Quote(Clip(s)) }
