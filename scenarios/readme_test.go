package scenarios

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeExamples: the scaling-policy and lifecycle examples of the
// scenario reference (docs/scenario.md) are valid scenario YAML, so the
// documentation cannot drift from the code.
func TestReadmeExamples(t *testing.T) {
	b, err := os.ReadFile("../docs/scenario.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	block := func(heading string) string {
		i := strings.Index(readme, heading)
		if i < 0 {
			t.Fatalf("docs/scenario.md lacks %q", heading)
		}
		start := strings.Index(readme[i:], "```yaml\n") + i + len("```yaml\n")
		end := strings.Index(readme[start:], "```") + start
		return readme[start:end]
	}
	policies := block("### Scaling policies")
	lifecycle := strings.Replace(block("### Fleet lifecycle and load balancer options"), "fleet:\n",
		"fleet:\n  instance_type: m5.large\n  min: 2\n  max: 10\n", 1)
	doc := "duration: 2h\ntraffic:\n  synthetic: {shape: constant, rps: 100}\nworkload:\n  service_time: {dist: exponential, mean: 50ms}\n" + lifecycle + policies
	s, err := Parse("docs/scenario.md", []byte(doc), ".")
	if err != nil {
		t.Fatalf("the examples of docs/scenario.md do not parse:\n%v", err)
	}
	if _, c, err := s.Build(nil); err != nil {
		t.Fatal(err)
	} else {
		c.Close()
	}
	if n := len(s.Scaling.Policies); n < 8 {
		t.Errorf("%d policies parsed from the docs/scenario.md example", n)
	}
}
