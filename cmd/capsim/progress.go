package main

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/capsim/capsim/sim"
)

// progress shows simulated time on a terminal; it stays silent when stderr
// is not a terminal (CI logs, pipes) or with --quiet.
type progress struct{ bar *progressbar.ProgressBar }

func newProgress(w io.Writer, quiet bool, end sim.Time) *progress {
	f, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions64(int64(end/sim.Minute),
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("simulating"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("sim-min"),
		progressbar.OptionShowIts(),
		progressbar.OptionThrottle(100e6),
		progressbar.OptionClearOnFinish(),
	)}
}

func (p *progress) update(now, _ sim.Time) {
	if p.bar != nil {
		_ = p.bar.Set64(int64(now / sim.Minute))
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
