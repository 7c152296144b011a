package stack

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/capsim/capsim/internal/output"
)

// TestValidateRemovesStaleTempDirs: a capsim-validate-* folder nobody holds
// (what a SIGKILLed validate leaves: its lock died with it) is removed at
// the next start; one a live validate holds is kept; the run removes its
// own folder.
func TestValidateRemovesStaleTempDirs(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	stale := filepath.Join(tmp, validateTempPrefix+"4242")
	if err := os.Mkdir(stale, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(stale, "haproxy.cfg"), []byte("global\n"), 0o600)
	live, release, err := output.LockedTempDir("", validateTempPrefix)
	if err != nil {
		t.Fatal(err)
	}
	defer release()

	rep, _ := Validate(context.Background(), parse(t, mdc), Options{
		Duration: 5 * time.Second, Backend: testLauncher(t), HAProxy: "/nonexistent/haproxy",
	})
	if rep != nil {
		assertGone(t, rep.PIDs)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale %s kept (%v)", stale, err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the live folder %s was removed: %v", live, err)
	}
	left, _ := filepath.Glob(filepath.Join(tmp, validateTempPrefix+"*"))
	if len(left) != 1 {
		t.Errorf("folders left: %v, want only the live one", left)
	}
}
