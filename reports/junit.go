package reports

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/capsim/capsim/internal/safetext"
)

// JUnit XML, the format CI systems read: one test suite per run, one test
// case per SLO check (docs/outputs.md).
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Name    string       `xml:"name,attr"`
	Tests   int          `xml:"tests,attr"`
	Fails   int          `xml:"failures,attr"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name  string      `xml:"name,attr"`
	Tests int         `xml:"tests,attr"`
	Fails int         `xml:"failures,attr"`
	Cases []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name    string        `xml:"name,attr"`
	Class   string        `xml:"classname,attr"`
	Failure *junitFailure `xml:"failure,omitempty"`
	Out     string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes each run's SLO checks as JUnit test cases: the case
// name is the check's key (p99_ms), the failure message is for people
// (p99 10.7 s exceeds its limit 500 ms), system-out keeps the exact values. A run with
// no objectives gets one case that records that nothing was checked.
func WriteJUnit(w io.Writer, docs ...*Document) error {
	out := junitSuites{Name: "capsim"}
	for _, d := range docs {
		// Control characters are not allowed in XML 1.0 and would reach the
		// CI log raw: they go (safetext.Line); encoding/xml escapes the rest.
		name := safetext.Line(d.Name)
		s := junitSuite{Name: name}
		for _, c := range d.Summary.SLO.Checks {
			jc := junitCase{Name: c.Name, Class: "capsim." + name,
				Out: fmt.Sprintf("%s = %g (limit %g)", c.Name, c.Value, c.Limit)}
			if !c.Met {
				v, l := c.Human()
				jc.Failure = &junitFailure{Message: fmt.Sprintf("%s %s exceeds its limit %s", c.Label(), v, l),
					Text: fmt.Sprintf("scenario %s, seed %d, %s simulated", name, d.Seed, d.Duration)}
				s.Fails++
			}
			s.Cases = append(s.Cases, jc)
		}
		if len(s.Cases) == 0 {
			s.Cases = append(s.Cases, junitCase{Name: "no_slo", Class: "capsim." + name, Out: "the scenario sets no slo: nothing to check"})
		}
		s.Tests = len(s.Cases)
		out.Tests += s.Tests
		out.Fails += s.Fails
		out.Suites = append(out.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
