package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// TestFluidAccuracy runs scenarios in request and fluid mode and compares
// them on docs/fluid.md's figures. It takes minutes (request mode on a
// day at 2,000 requests/s, or 30 days of the NASA trace), so it runs on
// demand only:
//
//	CAPSIM_FLUID_ACCURACY=examples go test ./cmd/capsim -run TestFluidAccuracy -v -timeout 2h
//	CAPSIM_FLUID_ACCURACY=testdata/fluid/nasa-30d-2000rps.yaml go test ./cmd/capsim -run TestFluidAccuracy -v -timeout 2h
//
// Each run prints one row of the table in docs/fluid.md; a run outside the
// bounds fails unless auto mode would not pick fluid for it (the misses
// docs/fluid.md lists).
func TestFluidAccuracy(t *testing.T) {
	what := os.Getenv("CAPSIM_FLUID_ACCURACY")
	if what == "" {
		t.Skip("on demand: set CAPSIM_FLUID_ACCURACY=examples or a scenario path")
	}
	files := strings.Split(what, ",")
	if what == "examples" {
		files, _ = filepath.Glob("../../scenarios/examples/*.yaml")
	}
	t.Log("| scenario | cost | mean inst. | peak inst. | activities | p50 | p99 | request s | fluid s |")
	t.Log("|---|---|---|---|---|---|---|---|---|")
	for _, f := range files {
		sc, err := scenarios.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		runs, err := sc.Runs()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			row, ok := compareModes(t, r)
			t.Log(row)
			if !ok {
				t.Errorf("%s: outside docs/fluid.md's bounds", r.Name)
			}
		}
	}
}

// compareModes runs r both ways and returns its table row, and whether it
// is within the bounds (or auto mode would not pick fluid for it).
func compareModes(t *testing.T, r *scenarios.Scenario) (string, bool) {
	t.Helper()
	type out struct {
		res  *sim.Result
		cost float64
		secs float64
	}
	var got [2]out
	var cfg *sim.Config
	for i, m := range []string{"request", "fluid"} {
		if err := r.SetMode(m); err != nil {
			t.Fatal(err)
		}
		c, closer, err := r.Build(nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.Requests != nil {
			closer.Close()
			return fmt.Sprintf("| %s | (a request log: request mode only) |||||||", r.Name), true
		}
		cfg = c
		start := nowSeconds()
		res, err := sim.Run(c)
		closer.Close()
		if err != nil {
			t.Fatal(err)
		}
		got[i] = out{res, pricing.Charge(r.PricingPlan(), res).TotalUSD, nowSeconds() - start}
	}
	rq, fl := got[0], got[1]
	e := sim.CompareFluid(fl.res, rq.res)
	cost := relErr(fl.cost, rq.cost)
	within := math.Abs(cost) <= 0.02 && math.Abs(e.MeanInService) <= 0.03 &&
		abs(e.PeakInService) <= max(1, int(0.03*float64(rq.res.PeakInService))) &&
		math.Abs(e.Activities) <= 0.10 && math.Abs(e.P50) <= 0.10 && math.Abs(e.P99) <= 0.20
	mode, why := sim.ChooseMode(cfg, 1e18) // as if large: is fluid ruled out?
	note := ""
	if mode != sim.FluidMode {
		note = " (auto: request mode — " + why + ")"
	}
	pct := func(x float64) string { return fmt.Sprintf("%+.1f %%", 100*x) }
	row := fmt.Sprintf("| %s%s | %s | %s | %+d of %d | %s (%d vs %d) | %s | %s | %.1f | %.2f |", r.Name, note, pct(cost), pct(e.MeanInService),
		e.PeakInService, rq.res.PeakInService, pct(e.Activities), fl.res.ScalingActivities(), rq.res.ScalingActivities(),
		pct(e.P50), pct(e.P99), rq.secs, fl.secs)
	return row, within || mode != sim.FluidMode
}

func relErr(got, want float64) float64 {
	if want == 0 {
		return 0
	}
	return (got - want) / want
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func nowSeconds() float64 { return float64(time.Now().UnixNano()) / 1e9 }
