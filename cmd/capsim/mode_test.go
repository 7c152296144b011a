package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModeFlag: --mode sets the mode every output names; auto says what
// it picked on stderr; the request budget holds request mode only.
func TestModeFlag(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.json")
	code, _, errs := capsim(t, "run", "--quiet", "--mode", "auto", "--json", out, filepath.Join(examplesDir, "sweep.yaml"))
	if code != 0 || !strings.Contains(errs, "mode auto: request mode") {
		t.Fatalf("auto: exit %d, stderr %q", code, errs)
	}
	var doc struct{ Mode string }
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &doc); err != nil || doc.Mode != "request" {
		t.Errorf("mode %q (%v)", doc.Mode, err)
	}
	code, _, errs = capsim(t, "run", "--quiet", "--mode", "fluid", "--json", out, filepath.Join(examplesDir, "sweep.yaml"))
	b, _ = os.ReadFile(out)
	if err := json.Unmarshal(b, &doc); code != 0 || err != nil || doc.Mode != "fluid" {
		t.Errorf("fluid: exit %d, mode %q, stderr %q", code, doc.Mode, errs)
	}
	// A year at 2,000 req/s is over the budget in request mode only.
	code, _, errs = capsim(t, "run", "--quiet", "--mode", "request", "--json", out, filepath.Join(examplesDir, "year-fluid.yaml"))
	if code != 2 || !strings.Contains(errs, "--max-requests") {
		t.Errorf("request mode over budget: exit %d, stderr %q", code, errs)
	}
	code, _, errs = capsim(t, "run", "--quiet", "--mode", "sideways", "--json", out, filepath.Join(examplesDir, "sweep.yaml"))
	if code != 2 || !strings.Contains(errs, "unknown mode") {
		t.Errorf("bad mode: exit %d, stderr %q", code, errs)
	}
}
