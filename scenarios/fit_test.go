package scenarios

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	if math.Abs(f.Spec.Median.Seconds()-0.04) > 0.001 || math.Abs(f.Spec.P99.Seconds()-wantP99)/wantP99 > 0.03 || f.KS > 0.015 {
		t.Errorf("lognormal fit %+v (want median 40ms, p99 %.4fs)", f, wantP99)
	}
	f, err = FitDurations(y, "gamma")
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(f.Spec.Mean.Seconds()-0.06) > 0.001 || math.Abs(f.Spec.CV-1/math.Sqrt(3)) > 0.01 || f.KS > 0.015 {
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

func TestEmpirical(t *testing.T) {
	e, err := ReadEmpirical(strings.NewReader("# service times\n0.010\n\n30ms\n0.020\n"), "st.txt")
	if err != nil {
		t.Fatal(err)
	}
	if m := e.Mean(); math.Abs(m-0.02) > 1e-12 {
		t.Errorf("mean %g", m)
	}
	r := rand.New(rand.NewPCG(3, 4))
	sum := 0.0
	for i := 0; i < 100000; i++ {
		x := e.Sample(r)
		if x < 0.01 || x > 0.03 {
			t.Fatalf("sample %g outside [10ms, 30ms]", x)
		}
		sum += x
	}
	if m := sum / 100000; math.Abs(m-0.02) > 0.0002 {
		t.Errorf("sample mean %g", m)
	}
	for _, c := range []struct{ in, want string }{
		{"", "st.txt:1: no durations"},
		{"0.1\nabc\n", `st.txt:2: "abc" is neither seconds nor a duration`},
		{"-1\n", `st.txt:1: "-1" is not a duration in seconds`},
	} {
		if _, err := ReadEmpirical(strings.NewReader(c.in), "st.txt"); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "st.txt"), []byte("0.01\n0.02\n0.03\n"), 0o644)
	base := "duration: 1m\ntraffic: {synthetic: {shape: constant, rps: 5}}\nfleet: {instance_type: c5.large, min: 1, max: 1}\n"
	s, err := Parse("e.yaml", []byte(base+"workload: {service_time: {dist: empirical, file: st.txt}}\n"), dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := s.Build(nil)
	if err != nil || math.Abs(cfg.Service.Mean()-0.02) > 1e-12 {
		t.Fatalf("build: %v, %v", cfg, err)
	}
	_, err = Parse("e.yaml", []byte(base+"workload: {service_time: {dist: empirical, file: nope.txt, mean: 1s}}\n"), dir)
	if err == nil || !strings.Contains(err.Error(), "e.yaml:4:66: workload.service_time.mean: does not apply to dist empirical") ||
		!strings.Contains(err.Error(), "workload.service_time.file: cannot open nope.txt") {
		t.Errorf("errors: %v", err)
	}
}
