// Package safetext removes the characters that let a user's string (a
// scenario or variant name, a path, a reason) act on a terminal or a
// renderer instead of being shown: control characters (ESC sequences, CR,
// backspace, the C1 range) and the Unicode bidirectional overrides that
// reorder what a reader sees (docs/reliability.md, "Output files").
package safetext

import (
	"strings"
	"unicode/utf8"
)

// dropped reports the runes Clean removes. Tab and newline are kept: they
// are layout, not commands.
func dropped(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true // C0, DEL, C1 (0x9b alone is a CSI on some terminals)
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidirectional embeddings, overrides, isolates and marks
	}
	return false
}

// Clean returns s without control characters and bidirectional controls;
// invalid UTF-8 becomes U+FFFD, so a lone 0x9b byte cannot pass either.
func Clean(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || dropped(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !dropped(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Line is Clean for a value shown inside one line (a table cell, an XML
// attribute): newlines and tabs become spaces too.
func Line(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, Clean(s))
}
