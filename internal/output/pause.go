package output

import (
	"os"
	"strings"
	"time"
)

// testPauseEnv is empty in every real build. The kill test builds capsim
// with -ldflags "-X …/internal/output.testPauseEnv=NAME"; such a binary,
// run with NAME=STEP:MARKER in its environment, creates the file MARKER
// and sleeps when it reaches STEP ("swap": the new folder is complete and
// not yet exchanged; "cleanup": exchanged, old folder not yet removed;
// "rename": between two renames in place), so the test can SIGKILL it at
// exactly that point.
var testPauseEnv string

func pause(step string) {
	if testPauseEnv == "" {
		return
	}
	at, marker, ok := strings.Cut(os.Getenv(testPauseEnv), ":")
	if !ok || at != step {
		return
	}
	_ = os.WriteFile(marker, []byte(step), 0o644)
	time.Sleep(time.Hour)
}
