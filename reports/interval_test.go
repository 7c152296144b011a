package reports

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestMeanInterval: the 95 % Student-t interval of 1..5 is 3 ± t(0.975, 4)
// × √2.5/√5; t(0.975, 4) = 2.776 in the table of the NIST/SEMATECH
// e-Handbook of Statistical Methods, §1.3.6.7.2
// (https://www.itl.nist.gov/div898/handbook/eda/section3/eda3672.htm).
func TestMeanInterval(t *testing.T) {
	m, iv := MeanInterval([]float64{1, 2, 3, 4, 5}, 0.95)
	h := 2.776 * math.Sqrt(2.5) / math.Sqrt(5)
	if m != 3 || !near(iv.Low, 3-h, 1e-3) || !near(iv.High, 3+h, 1e-3) || iv.Method != MethodStudent {
		t.Errorf("mean %g, interval %+v, want 3 ± %.4f", m, iv, h)
	}
	if _, iv := MeanInterval([]float64{7}, 0.95); iv.Low != 7 || iv.High != 7 || iv.Method != MethodNone {
		t.Errorf("one value: %+v", iv)
	}
	if _, iv := MeanInterval([]float64{4, 4, 4}, 0.95); iv.Low != 4 || iv.High != 4 {
		t.Errorf("no spread: %+v", iv)
	}
}

// TestDiffInterval works the three cases by hand.
func TestDiffInterval(t *testing.T) {
	base := []float64{10, 12, 11, 13, 14}
	cand := []float64{11, 14, 12, 15, 16} // base + {1, 2, 1, 2, 2}
	// Paired: the differences 1,2,1,2,2 have mean 1.6 and variance 0.3.
	d, iv := DiffInterval(base, cand, true, 0.95)
	h := 2.776 * math.Sqrt(0.3/5)
	if !near(d, 1.6, 1e-12) || !near(iv.Low, 1.6-h, 1e-3) || !near(iv.High, 1.6+h, 1e-3) || iv.Method != MethodPaired {
		t.Errorf("paired: %g %+v, want 1.6 ± %.4f", d, iv, h)
	}
	// Welch: variances 2.5 and 4.3 over n = 5: se² = 0.5 + 0.86 = 1.36,
	// df = 1.36² / (0.5²/4 + 0.86²/4) = 7.48 (between the table's
	// t(0.975, 7) = 2.365 and t(0.975, 8) = 2.306).
	d, iv = DiffInterval(base, cand, false, 0.95)
	lo, hi := 1.6-2.365*math.Sqrt(1.36), 1.6-2.306*math.Sqrt(1.36)
	if iv.Method != MethodWelch || iv.Low < lo || iv.Low > hi || !near(iv.High-d, d-iv.Low, 1e-9) {
		t.Errorf("welch: %g %+v, want a low bound in [%.4f, %.4f]", d, iv, lo, hi)
	}
	// The paired interval is the narrower: the shared noise cancels.
	if _, p := DiffInterval(base, cand, true, 0.95); p.High-p.Low >= iv.High-iv.Low {
		t.Errorf("paired %+v not narrower than Welch %+v", p, iv)
	}
	// One baseline value, taken as exact: the candidate's interval shifted.
	d, iv = DiffInterval([]float64{10}, cand, false, 0.95)
	_, ci := MeanInterval(cand, 0.95)
	if !near(d, 3.6, 1e-12) || !near(iv.Low, ci.Low-10, 1e-12) || iv.Method != MethodFixedBaseline {
		t.Errorf("fixed baseline: %g %+v", d, iv)
	}
	if _, iv := DiffInterval([]float64{1}, []float64{2}, true, 0.95); iv.Method != MethodNone || iv.Low != 1 || iv.High != 1 {
		t.Errorf("one each: %+v", iv)
	}
}

// TestJudge: a regression only when the lower bound exceeds the limit.
func TestJudge(t *testing.T) {
	for _, c := range []struct {
		lo, hi, limit float64
		want          string
	}{
		{0.12, 0.2, 0.1, VerdictRegression},
		{0.08, 0.2, 0.1, VerdictWithinLimit}, // the point estimate may exceed the limit: not proven
		{-0.02, 0.2, 0.01, VerdictNotSignificant},
		{-0.2, -0.01, 0.1, VerdictImproved},
		{0, 0, 0.1, VerdictNoChange},
		{0.001, 0.002, 0, VerdictRegression},
	} {
		if got := judge(Interval{Low: c.lo, High: c.hi}, c.limit); got != c.want {
			t.Errorf("judge([%g, %g], %g) = %s, want %s", c.lo, c.hi, c.limit, got, c.want)
		}
	}
}

// TestDeriveSeeds: replication 1 keeps the seed; the others are
// SplitMix64's outputs, whose first output for seed 0 is
// 0xE220A8397B1DCDAF in the reference code (https://prng.di.unimi.it/splitmix64.c).
func TestDeriveSeeds(t *testing.T) {
	s := DeriveSeeds(0, 3)
	if s[0] != 0 || s[1] != 0xE220A8397B1DCDAF || s[2] == s[1] {
		t.Errorf("DeriveSeeds(0, 3) = %#x", s)
	}
	a, b := DeriveSeeds(1, 50), DeriveSeeds(2, 50)
	seen := map[uint64]bool{}
	for _, v := range append(a, b...) {
		if seen[v] {
			t.Fatalf("seed %d repeats between the replications of seeds 1 and 2", v)
		}
		seen[v] = true
	}
}
