package policies

import (
	"math"
	"strings"
	"testing"

	"github.com/capsim/capsim/sim"
)

func TestExpressionParse(t *testing.T) {
	for _, c := range []struct {
		src  string
		vals map[sim.Metric]float64
		want float64
		ok   bool
	}{
		{"errors / request_count * 100", map[sim.Metric]float64{sim.MetricErrors: 5, sim.MetricRequestCount: 200}, 2.5, true},
		{"(cpu + 10) * 2", map[sim.Metric]float64{sim.MetricCPU: 40}, 100, true},
		{"1 + 2 * cpu", map[sim.Metric]float64{sim.MetricCPU: 3}, 7, true},
		{"errors / request_count", map[sim.Metric]float64{sim.MetricErrors: 1, sim.MetricRequestCount: 0}, 0, false},
		{"latency - cpu", map[sim.Metric]float64{sim.MetricCPU: 1}, 0, false},
	} {
		e, err := ParseExpression(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		got, ok := e.root.eval(c.vals)
		if ok != c.ok || (ok && math.Abs(got-c.want) > 1e-12) {
			t.Errorf("%s = %g (%v), want %g (%v)", c.src, got, ok, c.want, c.ok)
		}
	}
	for _, bad := range []struct{ src, want string }{
		{"cpu +", "ends too soon"}, {"(cpu", "missing )"}, {"cpus * 2", `unknown metric "cpus"`}, {"2 * 3", "names no metric"}, {"cpu $ 2", "unexpected"},
	} {
		if _, err := ParseExpression(bad.src); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.src, err, bad.want)
		}
	}
}
