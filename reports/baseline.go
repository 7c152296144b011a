package reports

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/capsim/capsim/internal/safetext"
)

// BaselineFile is what `capsim check --baseline` compares against: the
// runs of a result.json (one run, one replication), a compare.json (one
// replication per run) or a `check --json` output (its replications and
// seeds, so the candidate can rerun on the same seeds).
type BaselineFile struct {
	Baseline
	Runs []GateRun
}

// LoadBaseline reads and recognises a baseline file. A JSON syntax error
// names the file, line and column; a file of none of the three kinds says
// what it expected.
func LoadBaseline(path string) (*BaselineFile, error) {
	b, err := ReadJSONFile(path)
	if err != nil {
		return nil, err
	}
	return ParseBaseline(path, b)
}

// ParseBaseline recognises the contents b of the baseline file path (the
// name in its messages).
func ParseBaseline(path string, b []byte) (*BaselineFile, error) {
	var probe struct {
		SchemaVersion string            `json:"schema_version"`
		Kind          string            `json:"kind"`
		Runs          []json.RawMessage `json:"runs"`
		Summary       json.RawMessage   `json:"summary"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, jsonError(path, b, err)
	}
	if probe.SchemaVersion == "" {
		return nil, fmt.Errorf("%s: not a capsim result.json, compare.json or check --json output (no schema_version)", path)
	}
	if major, _, _ := strings.Cut(probe.SchemaVersion, "."); major != strings.SplitN(SchemaVersion, ".", 2)[0] {
		return nil, fmt.Errorf("%s: schema_version %q: this capsim reads %s.x", path, safetext.Line(probe.SchemaVersion), strings.SplitN(SchemaVersion, ".", 2)[0])
	}
	out := &BaselineFile{Baseline: Baseline{File: path}}
	switch {
	case probe.Kind == GateKind:
		var g Gate
		if err := json.Unmarshal(b, &g); err != nil {
			return nil, jsonError(path, b, err)
		}
		out.Kind, out.Runs = "check", g.Runs
	case probe.Runs != nil:
		var c Comparison
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, jsonError(path, b, err)
		}
		out.Kind = "compare"
		for _, d := range c.Runs {
			out.Runs = append(out.Runs, NewGateRun(d.Name, []*Document{d}))
		}
	case probe.Summary != nil:
		var d Document
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, jsonError(path, b, err)
		}
		out.Kind = "result"
		out.Runs = []GateRun{NewGateRun(d.Name, []*Document{&d})}
	default:
		return nil, fmt.Errorf("%s: not a capsim result.json, compare.json or check --json output (no summary, runs or kind)", path)
	}
	if len(out.Runs) == 0 {
		return nil, fmt.Errorf("%s: a %s file with no runs: nothing to compare with", path, out.Kind)
	}
	for i, r := range out.Runs {
		if len(r.Replications) == 0 {
			return nil, fmt.Errorf("%s: runs[%d] (%s) has no replications", path, i, safetext.Line(r.Name))
		}
	}
	return out, nil
}

// Find returns the baseline run named name, or an error listing the runs
// the file holds: a baseline of another scenario is bad input.
func (b *BaselineFile) Find(name string) (GateRun, error) {
	var names []string
	for _, r := range b.Runs {
		if r.Name == name {
			return r, nil
		}
		if r.Name == "" {
			names = append(names, "(a run with no name)")
		} else {
			names = append(names, safetext.Line(r.Name))
		}
	}
	return GateRun{}, fmt.Errorf("%s holds %s, not %q: a baseline of another scenario (name the run to compare with --baseline-variant)",
		b.File, strings.Join(names, ", "), safetext.Line(name))
}
