package traces

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/capsim/capsim/sim"
)

func TestFitDurations(t *testing.T) {
	src := rand.NewPCG(1, 2)
	ln := distuv.LogNormal{Mu: math.Log(0.04), Sigma: 0.5, Src: src}
	g := distuv.Gamma{Alpha: 3, Beta: 3 / 0.06, Src: src} // mean 60 ms, cv 1/√3
	x, y := make([]float64, 20000), make([]float64, 20000)
	for i := range x {
		x[i], y[i] = ln.Rand(), g.Rand()
	}
	slices.Sort(x)
	slices.Sort(y)

	f, err := FitDurations(x, "lognormal")
	if err != nil {
		t.Fatal(err)
	}
	wantP99 := sim.LogNormal{Mu: math.Log(0.04), Sigma: 0.5}.P99()
	if math.Abs(f.Median.Seconds()-0.04) > 0.001 || math.Abs(f.P99.Seconds()-wantP99)/wantP99 > 0.03 || f.KS > 0.015 {
		t.Errorf("lognormal fit %+v (want median 40ms, p99 %.4fs)", f, wantP99)
	}
	f, err = FitDurations(y, "gamma")
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(f.MeanParam.Seconds()-0.06) > 0.001 || math.Abs(f.CV-1/math.Sqrt(3)) > 0.01 || f.KS > 0.015 {
		t.Errorf("gamma fit %+v (want mean 60ms, cv %.4f)", f, 1/math.Sqrt(3))
	}
	// The wrong family fits measurably worse.
	if bad, _ := FitDurations(y, "lognormal"); bad.KS < 2*f.KS {
		t.Errorf("lognormal on gamma data: KS %g, gamma's %g", bad.KS, f.KS)
	}
	if _, err := FitDurations([]float64{0, 0, 0.1}, "gamma"); err == nil {
		t.Error("one positive value fitted")
	}
	if _, err := FitDurations([]float64{0.1, 0.1, 0.1}, "lognormal"); err == nil {
		t.Error("a constant fitted as lognormal")
	}
}
