package scenarios

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/capsim/capsim/internal/bounded"
	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/sim"
	"github.com/capsim/capsim/traces"
)

// debugPanics lets a test see a panic's stack instead of an Error.
var debugPanics = false

// maxFileSize bounds a scenario file; real ones are a few kilobytes.
const maxFileSize = 1 << 20

var tooLargeMsg = fmt.Sprintf("the file is larger than %s, the most a scenario file may be (real ones are a few KiB)", bounded.Size(maxFileSize))

// Load reads, strictly decodes and validates a scenario file. Relative
// trace paths resolve against the file's directory. Problems come back as
// Errors, every one of them, each as "file:line:column: field: message".
func Load(path string) (*Scenario, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read scenario: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("cannot read scenario: %s is a directory", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read scenario: %w", err)
	}
	defer f.Close()
	// Measured while reading: stat says 0 for /dev/zero and FIFOs.
	data, err := bounded.ReadAll(f, maxFileSize)
	var tooLarge *bounded.TooLargeError
	if errors.As(err, &tooLarge) {
		return nil, Errors{{File: path, Line: 1, Column: 1, Msg: tooLargeMsg}}
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read scenario: %w", err)
	}
	return Parse(path, data, filepath.Dir(path))
}

// Parse reads a scenario from data. name is the file name used in error
// messages (and, without its extension, the default scenario name); dir
// is the directory relative trace paths resolve against ("" for the
// working directory). The trace file, if any, is read once here, streaming,
// so that a malformed row is reported before anything runs.
func Parse(name string, data []byte, dir string) (_ *Scenario, err error) {
	if name == "" {
		name = "scenario"
	}
	defer func() {
		// A defect here must not crash the caller; the fuzz test fails on it.
		if debugPanics {
			return
		}
		if r := recover(); r != nil {
			err = Errors{{File: name, Line: 1, Column: 1, Msg: fmt.Sprintf("internal error (please report it with this file): %v", r)}}
		}
	}()
	if len(data) > maxFileSize {
		return nil, Errors{{File: name, Line: 1, Column: 1, Msg: tooLargeMsg}}
	}
	// A byte order mark is not content; editors on Windows write one.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if line, col, ok := firstInvalidUTF8(data); !ok {
		return nil, Errors{{File: name, Line: line, Column: col, Msg: "the file is not valid UTF-8 here (YAML is UTF-8 text; save the file as UTF-8)"}}
	}
	if e := strictyaml.Prescan(data); e != nil {
		return nil, Errors{{File: name, Line: e.Line, Column: e.Col, Msg: e.Msg}}
	}
	body, perr := strictyaml.Parse(name, data)
	if perr != nil {
		return nil, Errors{*perr}
	}
	d := strictyaml.NewDecoder(name)
	ranges := newRangeCheck(d)
	s := &Scenario{file: name, dir: dir}
	if body == nil {
		return nil, Errors{{File: name, Line: 1, Column: 1, Msg: "the file is empty: a scenario needs at least traffic, workload and fleet"}}
	}
	d.Decode(body, s)
	if !d.TooBig {
		(&checker{d: d, s: s}).check()
		ranges.checkLowerBounds()
	}
	if len(d.Errs) > 0 {
		d.Errs.Sort()
		return nil, d.Errs
	}
	s.at = d.At
	if t, ok := d.ToAny("", body).(map[string]any); ok {
		s.tree = t
	}
	return s, nil
}

// firstInvalidUTF8 finds the first byte that is not UTF-8, as a line and
// column (counted in characters); ok is true when there is none.
func firstInvalidUTF8(data []byte) (line, col int, ok bool) {
	if utf8.Valid(data) {
		return 0, 0, true
	}
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, col, false
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return line, col, false
}

// Default returns the embedded default scenario, a diurnal day of web
// traffic on an Auto Scaling group with target tracking on CPU, and its
// YAML. Each call returns a new Scenario.
func Default() (*Scenario, []byte) {
	s, err := Parse("default.yaml", defaultYAML, "")
	if err != nil {
		// The file is embedded and tested; failing here is a build defect.
		panic("scenarios: the embedded default scenario is invalid: " + err.Error())
	}
	return s, append([]byte(nil), defaultYAML...)
}

//go:embed examples/default.yaml
var defaultYAML []byte

// InstanceType returns the fleet's instance type, resolved against the
// scenario's instance_types and the embedded catalogue, with its price and
// the price's source. It is the zero value if the type is unknown.
func (s *Scenario) InstanceType() sim.InstanceType {
	it, _ := s.resolveType(s.Fleet.InstanceType)
	return it
}

// Trace returns what Parse found in the trace file, if traffic is a trace.
func (s *Scenario) Trace() (traces.TraceInfo, bool) {
	if s.trace == nil {
		return traces.TraceInfo{}, false
	}
	return *s.trace, true
}
