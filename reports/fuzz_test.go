package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The seeds are real capsim outputs of small scenarios; testdata/fuzzseed/
// README.md says how each was made.
func fuzzSeeds(f *testing.F, names ...string) {
	f.Helper()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", "fuzzseed", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		// The same file cut short: the commonest bad input (a copy that
		// did not finish, a shard from a run that died).
		f.Add(b[:len(b)/2])
	}
	for _, s := range []string{``, `[]`, `null`, `{"schema_version": "1.0"}`, `{"schema_version": 1}`,
		`{"schema_version": "1.0", "kind": "capsim check", "runs": [{"name": "a", "replications": [{"seed": "x"}]}]}`,
		`{"schema_version": "2.0", "summary": {}}`} {
		f.Add([]byte(s))
	}
}

// positioned is the head of a JSON syntax error's message: the file, line
// and column, so an editor can jump there.
var positioned = regexp.MustCompile(`^fuzz\.json:[0-9]+:[0-9]+: JSON syntax error: `)

// checkBadJSON: any error names the file; invalid JSON says where.
func checkBadJSON(t *testing.T, b []byte, err error) {
	t.Helper()
	if !strings.HasPrefix(err.Error(), "fuzz.json") {
		t.Fatalf("error does not name the file: %v", err)
	}
	if !json.Valid(b) && !positioned.MatchString(err.Error()) {
		t.Fatalf("invalid JSON, but the error has no line and column: %v", err)
	}
}

// hangGuard crashes the fuzz worker if an input runs for more than a few
// seconds: go test -fuzz has no time limit per input, and a hang would
// otherwise end as PASS at -fuzztime; a crash makes Go save the input
// under testdata/fuzz. Use: defer hangGuard()().
func hangGuard() func() {
	t := time.AfterFunc(5*time.Second, func() { panic("fuzz input ran for more than 5 s") })
	return func() { t.Stop() }
}

// FuzzParseBaseline: `capsim check --baseline FILE`'s reader.
func FuzzParseBaseline(f *testing.F) {
	fuzzSeeds(f, "result.json", "compare.json", "check.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		defer hangGuard()()
		base, err := ParseBaseline("fuzz.json", b)
		if err != nil {
			checkBadJSON(t, b, err)
			return
		}
		if base.File != "fuzz.json" || len(base.Runs) == 0 {
			t.Fatalf("accepted a baseline with no runs: %+v", base)
		}
		for _, r := range base.Runs {
			if len(r.Replications) == 0 {
				t.Fatalf("run %q accepted with no replications", r.Name)
			}
			if got, err := base.Find(r.Name); err != nil || got.Name != r.Name {
				t.Fatalf("Find(%q) = %q, %v", r.Name, got.Name, err)
			}
		}
	})
}

// FuzzDocumentDecode: a result.json read back (Document.UnmarshalJSON,
// used by the baseline, merge and compare readers) and written again is a
// fixed point: a second round trip changes nothing.
func FuzzDocumentDecode(f *testing.F) {
	fuzzSeeds(f, "result.json")
	f.Add([]byte(`{"name": "n", "scenario": {"scaling": {"policies": [{"name": "a", "metric": "cpu"}, {"name": "a", "metric": 3}]}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		defer hangGuard()()
		var d Document
		if json.Unmarshal(b, &d) != nil {
			return
		}
		var first bytes.Buffer
		if err := WriteJSON(&first, &d); err != nil {
			t.Fatalf("a document read back cannot be written: %v", err)
		}
		var back Document
		if err := json.Unmarshal(first.Bytes(), &back); err != nil {
			t.Fatalf("capsim cannot read what it wrote: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		if err := WriteJSON(&second, &back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("round trip changed the bytes:\n%s\nthen\n%s", first.Bytes(), second.Bytes())
		}
	})
}

// FuzzParseSweep: `capsim merge`'s shard reader, and the merge of what
// it accepts (one file alone, and the file twice).
func FuzzParseSweep(f *testing.F) {
	fuzzSeeds(f, "sweep-0-of-2.json", "sweep-1-of-2.json")
	f.Add([]byte(`{"schema_version": "1.0", "points": 9000000000000000000, "shard": {}, "comparison": [{"point": 3}]}`))
	f.Add([]byte(`{"schema_version": "1.0", "points": 2, "shard": {}, "comparison": [{"point": -1}, {"point": 5}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		defer hangGuard()()
		sw, err := ParseSweep("fuzz.json", b)
		if err != nil {
			checkBadJSON(t, b, err)
			return
		}
		m, err := MergeSweeps([]*Sweep{sw})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "merge: ") {
				t.Fatalf("merge error without its prefix: %v", err)
			}
		} else {
			if len(m.Table) != m.Points {
				t.Fatalf("merged %d rows for %d points", len(m.Table), m.Points)
			}
			for i, r := range m.Table {
				if r.Point != i {
					t.Fatalf("row %d is point %d", i, r.Point)
				}
			}
		}
		if len(sw.Table) > 0 {
			if _, err := MergeSweeps([]*Sweep{sw, sw}); err == nil {
				t.Fatal("merged a shard with itself: every point twice")
			}
		}
	})
}

// TestReadJSONFileBounded: an over-large file is refused once the limit
// is read past, naming the file; a directory is refused before opening.
func TestReadJSONFileBounded(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "big.json")
	os.WriteFile(p, bytes.Repeat([]byte(" "), 2000), 0o644)
	if _, err := readJSONFile(p, 1000); err == nil || !strings.Contains(err.Error(), p+": the file is larger than 1000 bytes") {
		t.Errorf("over-large file: %v", err)
	}
	if b, err := readJSONFile(p, 2000); err != nil || len(b) != 2000 {
		t.Errorf("a file at the limit: %d bytes, %v", len(b), err)
	}
	if _, err := ReadJSONFile(dir); err == nil || !strings.Contains(err.Error(), "it is a directory") || !strings.Contains(err.Error(), dir) {
		t.Errorf("directory: %v", err)
	}
}

// TestJSONErrorKinds: a wrong-kind JSON value says what it is, in JSON's
// words, with the field path.
func TestJSONErrorKinds(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"[1,\n2]", "fuzz.json:1:1: the file is a JSON array, not an object"},
		{`{"schema_version": "1.0", "points": 2, "shard": 3, "comparison": []}`, `fuzz.json:1:49: field shard: number where an object belongs`},
		{`{"schema_version": "1.0", "points": "two", "shard": {}, "comparison": []}`, `fuzz.json:1:41: field points: string where an int belongs`},
		{`{"schema_version": "1.0", "points": 2, "shard": {}, "comparison": [{"point": true}]}`, `field comparison.point: bool where an int belongs`},
	} {
		if _, err := ParseSweep("fuzz.json", []byte(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.in, err, c.want)
		}
	}
}
