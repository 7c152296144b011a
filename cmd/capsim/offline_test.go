package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOnlineReportNote: a capsim built without the ECharts bundle writes
// every file and says once, on stderr, that report.html needs the network
// and how to build the offline one; a capsim with the bundle says nothing.
func TestOnlineReportNote(t *testing.T) {
	t.Cleanup(func() { echartsEmbedded = defaultEChartsEmbedded })
	sc := writeScenario(t, short+"variants:\n  - name: cpu-80\n    set: {\"scaling.policies[0].target\": 80}\n")
	for _, embedded := range []bool{false, true} {
		echartsEmbedded = func() bool { return embedded }
		for _, args := range [][]string{{"run", "--quiet", sc}, {"compare", sc}} {
			dir := t.TempDir()
			code, _, stderr := capsim(t, append(args, "--out", dir)...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, "report.html")); err != nil {
				t.Errorf("%v: %v", args, err)
			}
			n := strings.Count(stderr, "needs the network")
			if embedded && n != 0 || !embedded && (n != 1 || !strings.Contains(stderr, "report.html loads ECharts from cdn.jsdelivr.net, so it needs the network") || !strings.Contains(stderr, "make assets && go install ./cmd/capsim")) {
				t.Errorf("%v (bundle embedded: %v): stderr %q", args, embedded, stderr)
			}
		}
	}
}
