package sim

import (
	"math"
	"testing"
)

// TestErlangC against textbook values (Kleinrock, "Queueing Systems" vol. 1,
// §3.5): M/M/2 with offered load 1 waits with probability 1/3; M/M/1 with
// ρ = 0.8 with probability 0.8.
func TestErlangC(t *testing.T) {
	for _, tc := range []struct {
		c    int
		a    float64
		want float64
	}{{2, 1, 1.0 / 3}, {1, 0.8, 0.8}, {3, 2, 4.0 / 9}} {
		if got := erlangC(tc.c, tc.a); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("C(%d, %g) = %g, want %g", tc.c, tc.a, got, tc.want)
		}
	}
}

// TestAllenCunneenExact: the approximation is exact for M/M/c (ca² = cs² =
// 1: Wq = C/(cμ − λ)) and for M/G/1 (Pollaczek–Khinchine: M/D/1 waits
// ρ/(2μ(1 − ρ))).
func TestAllenCunneenExact(t *testing.T) {
	s, ok := ggc(1.5, 1, 2, 1, 1, 100)
	if !ok {
		t.Fatal("unstable")
	}
	c := erlangC(2, 1.5)
	if want := c / (2 - 1.5); math.Abs(s.pWait*s.meanWait-want) > 1e-12 {
		t.Errorf("M/M/2 Wq = %g, want %g", s.pWait*s.meanWait, want)
	}
	s, _ = ggc(0.8, 1, 1, 1, 0, 100)
	if want := 0.8 / (2 * 0.2); math.Abs(s.pWait*s.meanWait-want) > 1e-12 {
		t.Errorf("M/D/1 Wq = %g, want %g", s.pWait*s.meanWait, want)
	}
	if _, ok := ggc(2, 1, 2, 1, 1, 100); ok {
		t.Error("ρ = 1 reported stable")
	}
}
