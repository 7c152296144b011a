package sim_test

import (
	"math"
)

// erlangC is the probability that an arrival waits in an M/M/c queue with
// offered load a = λ/μ Erlangs (a < c), by the stable recurrence for
// Erlang B: B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), then
// C = c·B / (c − a·(1 − B)).
func erlangC(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return float64(c) * b / (float64(c) - a*(1-b))
}

// mmcWait is the mean queue wait of M/M/c in units of the mean service
// time: Wq·μ = C(c, a) / (c − a).
func mmcWait(c int, rho float64) float64 {
	a := rho * float64(c)
	return erlangC(c, a) / (float64(c) - a)
}

func relErr(got, want float64) float64 { return math.Abs(got-want) / want }
