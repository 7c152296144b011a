package main

import (
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/reports"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// The one way compare, sweep and check run a batch: every run (variant,
// sweep point, checked scenario) on each of its seeds is built before any
// simulates, so a bad value fails at once, not after an hour of runs; then
// they simulate in parallel, one per core.

// simulateReplications runs every run on each of its seeds, as many at
// once as there are CPUs; docs[i][k] is run i on seeds[i][k].
func simulateReplications(c *cli.Context, runs []*scenarios.Scenario, seeds [][]uint64) ([][]*reports.Document, error) {
	r, err := buildReplications(c, runs, seeds)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.simulate()
}

// replications are the configurations of every run on each of its seeds,
// built (a scenario error is bad input) before any simulation starts.
type replications struct {
	runs    []*scenarios.Scenario
	seeds   [][]uint64
	cfgs    [][]*sim.Config
	closers []io.Closer
}

func buildReplications(c *cli.Context, runs []*scenarios.Scenario, seeds [][]uint64) (*replications, error) {
	r := &replications{runs: runs, seeds: seeds, cfgs: make([][]*sim.Config, len(runs))}
	for i := range runs {
		for k := range seeds[i] {
			cfg, closer, err := buildRun(c, runs[i], &seeds[i][k])
			if err != nil {
				r.Close()
				return nil, err
			}
			r.closers = append(r.closers, closer)
			r.cfgs[i] = append(r.cfgs[i], cfg)
		}
	}
	return r, nil
}

// Close releases what the configurations hold open (trace files).
func (r *replications) Close() error {
	for _, c := range r.closers {
		c.Close()
	}
	return nil
}

func (r *replications) simulate() ([][]*reports.Document, error) {
	type job struct{ i, k int }
	var jobs []job
	docs := make([][]*reports.Document, len(r.runs))
	for i := range r.runs {
		docs[i] = make([]*reports.Document, len(r.seeds[i]))
		for k := range r.seeds[i] {
			jobs = append(jobs, job{i, k})
		}
	}
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for j, jb := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cfg := r.cfgs[jb.i][jb.k]
			res, err := sim.Run(cfg)
			if err != nil {
				errs[j] = fmt.Errorf("%s (seed %d): simulation failed: %w", r.runs[jb.i].Name, r.seeds[jb.i][jb.k], err)
				return
			}
			docs[jb.i][jb.k] = reportFor(r.runs[jb.i], cfg, res)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return docs, nil
}
