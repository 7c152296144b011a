package scenarios

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/internal/bounded"
	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/traces"
)

// nesting builds depth levels of one kind of YAML nesting.
func nesting(kind uint8, depth int) string {
	switch kind % 4 {
	case 0:
		return strings.Repeat("- ", depth) + "x\n"
	case 1:
		return "a: " + strings.Repeat("[", depth) + "\n"
	case 2:
		return "a: " + strings.Repeat("{b: ", depth) + "\n"
	}
	var b strings.Builder // block mappings, one indentation step a level
	for i := range depth {
		fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat(" ", i), i)
	}
	return b.String()
}

// FuzzYAMLLimits: whatever follows it, nesting past the pre-scan's depth
// is refused before the parser runs, fast; nesting within it never trips
// the pre-scan; and no input gets past the token or alias limits.
func FuzzYAMLLimits(f *testing.F) {
	f.Add(uint8(0), uint16(60_000), []byte(""))
	f.Add(uint8(1), uint16(200), []byte("]"))
	f.Add(uint8(2), uint16(129), []byte("\"unclosed"))
	f.Add(uint8(3), uint16(300), []byte("  |\n    text"))
	f.Add(uint8(0), uint16(20), []byte("# comment [[[["))
	f.Add(uint8(1), uint16(10), []byte(strings.Repeat("*a,", 1100)))
	f.Add(uint8(2), uint16(5), []byte(strings.Repeat("x ", 100_001)))
	f.Fuzz(func(t *testing.T, kind uint8, depth uint16, tail []byte) {
		if kind%4 == 3 && depth > 1400 {
			return // indentation grows with the square of the depth: over maxFileSize
		}
		data := append([]byte(nesting(kind, int(depth))), tail...)
		if len(data) > maxFileSize {
			return
		}
		t0 := time.Now()
		_, err := Parse("fuzz.yaml", data, "testdata")
		if d := time.Since(t0); d > 5*time.Second {
			t.Fatalf("Parse took %v", d)
		}
		e := strictyaml.Prescan(data)
		if int(depth) > strictyaml.ScanMaxDepth {
			if e == nil || !strings.Contains(e.Msg, "nested more than") {
				t.Fatalf("depth %d of kind %d got past the pre-scan (%v)", depth, kind%4, e)
			}
			if err == nil {
				t.Fatalf("Parse accepted depth %d", depth)
			}
		}
		if e != nil && strings.Contains(e.Msg, "nested") && int(depth) <= strictyaml.MaxDepth && !bytes.ContainsAny(tail, "[{-:\n ") {
			t.Fatalf("depth %d (within the decoder's %d) refused by the pre-scan: %s", depth, strictyaml.MaxDepth, e.Msg)
		}
		if n := bytes.Count(data, []byte("*")); n > strictyaml.ScanMaxAliases && e == nil && !bytes.ContainsAny(data, "\"'#") {
			t.Fatalf("%d aliases passed the pre-scan", n)
		}
	})
}

// FuzzReaderLineLimits: every reader stops at a line longer than the
// limit, with the right line number, however the lines before it look.
func FuzzReaderLineLimits(f *testing.F) {
	f.Add(uint8(0), uint8(1), uint32(70_000))
	f.Add(uint8(1), uint8(3), uint32(1<<20))
	f.Add(uint8(2), uint8(0), uint32(65_537))
	f.Add(uint8(3), uint8(2), uint32(100_000))
	f.Add(uint8(4), uint8(5), uint32(66_000))
	f.Fuzz(func(t *testing.T, reader, good uint8, length uint32) {
		if length <= bounded.MaxLine+1 || length > 4<<20 {
			return
		}
		formats := []struct {
			name       string
			head, line string
			read       func(data []byte) error
		}{
			{"rate-csv", "t,v\n", "%d,1\n", func(b []byte) error {
				_, err := traces.ScanRateCSV(bytes.NewReader(b), "x", traces.RateCSVOptions{Interval: time.Second})
				return err
			}},
			{"requests-csv", "t\n", "%d\n", func(b []byte) error {
				_, _, err := traces.ScanLog(bytes.NewReader(b), "x", "requests-csv", traces.LogOptions{})
				return err
			}},
			{"clf", "", `h - - [01/Aug/1995:02:00:%02d +0000] "GET / HTTP/1.0" 200 1` + "\n", func(b []byte) error {
				_, _, err := traces.ScanLog(bytes.NewReader(b), "x", "clf", traces.LogOptions{MaxBadLines: 1000})
				return err
			}},
			{"alb", "", `http 2018-07-02T22:23:%02dZ app/lb/1 1.2.3.4:1 - -1 -1 -1 503 - 34 366 "GET / HTTP/1.1" "-"` + "\n", func(b []byte) error {
				_, _, err := traces.ScanLog(bytes.NewReader(b), "x", "alb", traces.LogOptions{MaxBadLines: 1000})
				return err
			}},
			{"empirical", "", "0.%d\n", func(b []byte) error { _, err := traces.ReadEmpirical(bytes.NewReader(b), "x"); return err }},
		}
		r := formats[int(reader)%len(formats)]
		var b bytes.Buffer
		b.WriteString(r.head)
		n := int(good % 50)
		for i := range n {
			fmt.Fprintf(&b, r.line, i+1)
		}
		b.Write(bytes.Repeat([]byte("9"), int(length)))
		b.WriteString("\n")
		want := fmt.Sprintf("x:%d: the line is longer than 64 KiB", strings.Count(r.head, "\n")+n+1)
		err := r.read(b.Bytes())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("%s after %d good lines, a %d-byte line: got %v, want %q", r.name, n, length, err, want)
		}
		if len(err.Error()) > 200 {
			t.Fatalf("%s: the error quotes the line: %d bytes", r.name, len(err.Error()))
		}
	})
}
