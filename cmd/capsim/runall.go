package main

import (
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// batch is a set of runs (variants, sweep points, checked scenarios),
// every one built before any simulates: a bad value fails at once, not
// after an hour of runs.
type batch struct {
	runs    []*scenarios.Scenario
	cfgs    []*sim.Config
	closers []io.Closer
}

// buildAll builds every run on one seed (common random numbers: the same
// arrivals and service demands in each). A build error is bad input.
func buildAll(runs []*scenarios.Scenario, seed *uint64) (*batch, error) {
	b := &batch{runs: runs, cfgs: make([]*sim.Config, len(runs))}
	for i, r := range runs {
		cfg, closer, err := r.Build(seed)
		if err != nil {
			b.Close()
			return nil, badInput(err)
		}
		b.cfgs[i] = cfg
		b.closers = append(b.closers, closer)
	}
	return b, nil
}

// Close closes the runs' trace files.
func (b *batch) Close() {
	for _, c := range b.closers {
		c.Close()
	}
	b.closers = nil
}

// runAll simulates the runs in parallel, one per core, and returns their
// reports in the runs' order; the first failure (in that order) is the
// error.
func (b *batch) runAll() ([]*reports.Document, error) {
	docs := make([]*reports.Document, len(b.runs))
	errs := make([]error, len(b.runs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range b.runs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := sim.Run(b.cfgs[i])
			if err != nil {
				errs[i] = fmt.Errorf("%s: simulation failed: %w", b.runs[i].Name, err)
				return
			}
			docs[i] = reportFor(b.runs[i], b.cfgs[i], res)
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return docs, nil
}
