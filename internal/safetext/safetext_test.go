package safetext

import (
	"bytes"
	"testing"
)

func TestClean(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain café\tok\n", "plain café\tok\n"},
		{"\x1b[31mred\x1b[0m", "[31mred[0m"},
		{"a\rb\bc\x00d\x7fe", "abcde"},
		{"c1 \u009b31m", "c1 31m"},
		{"lone byte \x9b31m", "lone byte \ufffd31m"},
		{"\u202egnp.exe\u2066\u200f", "gnp.exe"},
	} {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Line("a\nb\tc"); got != "a b c" {
		t.Errorf("Line = %q", got)
	}
}

// TestWriterJoinsSplitRunes: a C1 control (two bytes in UTF-8) and an
// ordinary multi-byte rune cut between two writes are handled whole.
func TestWriterJoinsSplitRunes(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	for _, part := range []string{"x\xc2", "\x9by caf\xc3", "\xa9\x1b[0m\n"} {
		if n, err := w.Write([]byte(part)); err != nil || n != len(part) {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if got := out.String(); got != "xy café[0m\n" {
		t.Errorf("got %q", got)
	}
}
