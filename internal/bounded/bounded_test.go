package bounded

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzLineLimit: LineLimit passes a stream through unchanged when no line
// is longer than the limit, and otherwise fails at the first long line,
// naming it; however the reads are split.
func FuzzLineLimit(f *testing.F) {
	f.Add([]byte("a\nbb\nccc\n"), uint8(2), false)
	f.Add([]byte("a\nbbbbbbbbbb"), uint8(3), true)
	f.Add([]byte("\n\n\n"), uint8(0), true)
	f.Add(bytes.Repeat([]byte("x"), 1000), uint8(200), false)
	f.Fuzz(func(t *testing.T, data []byte, max uint8, oneByte bool) {
		limit := int(max) + 1
		var r io.Reader = bytes.NewReader(data)
		if oneByte {
			r = iotest.OneByteReader(r)
		}
		got, err := io.ReadAll(NewLineLimit(r, limit))
		wantLine := 0
		for i, l := range strings.Split(string(data), "\n") {
			if len(l) > limit {
				wantLine = i + 1
				break
			}
		}
		var long *LineTooLongError
		switch {
		case wantLine == 0 && err != nil:
			t.Fatalf("no line over %d, got %v", limit, err)
		case wantLine == 0 && !bytes.Equal(got, data):
			t.Fatalf("changed the stream")
		case wantLine > 0 && (!errors.As(err, &long) || long.Line != wantLine):
			t.Fatalf("line %d is over %d: got %v", wantLine, limit, err)
		case wantLine > 0 && len(got) > len(data):
			t.Fatalf("read past the data")
		}
	})
}

func TestReadAllAndSizeLimit(t *testing.T) {
	var tl *TooLargeError
	if _, err := ReadAll(strings.NewReader(strings.Repeat("x", 11)), 10); !errors.As(err, &tl) {
		t.Errorf("11 bytes over a limit of 10: %v", err)
	}
	if b, err := ReadAll(strings.NewReader(strings.Repeat("x", 10)), 10); err != nil || len(b) != 10 {
		t.Errorf("10 bytes within a limit of 10: %d, %v", len(b), err)
	}
	if _, err := io.ReadAll(NewSizeLimit(strings.NewReader(strings.Repeat("x", 11)), 10)); !errors.As(err, &tl) {
		t.Errorf("SizeLimit: 11 bytes over 10: %v", err)
	}
	if b, err := io.ReadAll(NewSizeLimit(strings.NewReader(strings.Repeat("x", 10)), 10)); err != nil || len(b) != 10 {
		t.Errorf("SizeLimit: 10 bytes within 10: %d, %v", len(b), err)
	}
}

func TestClip(t *testing.T) {
	for in, want := range map[string]string{
		"short":                 "short",
		strings.Repeat("a", 40): strings.Repeat("a", 32) + "…",
		strings.Repeat("é", 20): strings.Repeat("é", 16) + "…", // 2 bytes each: cut at a boundary
	} {
		if got := Clip(in); got != want {
			t.Errorf("Clip(%q) = %q, want %q", in, got, want)
		}
	}
}
