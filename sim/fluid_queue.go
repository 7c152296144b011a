package sim

import "math"

// The queueing approximations behind fluid mode (docs/fluid.md). A
// target is a G/G/c queue: c worker slots, arrivals of squared coefficient
// of variation ca2, service times of squared coefficient of variation cs2.
//
//   - The probability that an arrival waits is Erlang C, computed through
//     the Erlang B recursion (stable for any c).
//   - The mean wait is Allen–Cunneen's: Wq = C(c, a)/(cμ − λ) × (ca2+cs2)/2
//     (A. O. Allen, "Probability, Statistics, and Queueing Theory", 1990,
//     §6; exact for M/M/c, where ca2 = cs2 = 1).
//   - The wait of those who wait is exponential with mean Wq / C, the
//     fitted tail: exact for M/M/c, the heavy-traffic limit for G/G/c
//     (Kingman).
//   - A queue of limit Q overflows with probability C · ρ^(Q·2/(ca2+cs2)):
//     M/M/c's geometric queue-length tail, its decay slowed by the same
//     variability factor as the wait.

// queueShape is one stationary queue's waiting behaviour.
type queueShape struct {
	pWait    float64 // probability an arrival waits
	meanWait float64 // mean wait of those who wait, seconds
	overflow float64 // probability an arrival finds the queue full
	lq       float64 // mean queue length
	rho      float64 // utilisation
}

// erlangC is the probability of waiting in M/M/c with offered load a =
// λ/μ (a < c).
func erlangC(c int, a float64) float64 {
	if a <= 0 {
		return 0
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	rho := a / float64(c)
	return b / (1 - rho*(1-b))
}

// ggc returns the shape of a G/G/c queue with arrival rate lambda,
// service rate mu per slot, c slots and a queue limit of qlimit, or
// ok = false when it is not stable (ρ ≥ 1).
func ggc(lambda, mu float64, c int, ca2, cs2 float64, qlimit float64) (queueShape, bool) {
	a := lambda / mu
	rho := a / float64(c)
	if rho >= 1 {
		return queueShape{rho: rho}, false
	}
	if lambda <= 0 {
		return queueShape{}, true
	}
	pc := erlangC(c, a)
	v := (ca2 + cs2) / 2
	wq := pc / (float64(c)*mu - lambda) * v
	s := queueShape{pWait: pc, lq: lambda * wq, rho: rho}
	if pc > 0 {
		s.meanWait = wq / pc
	}
	if v > 0 {
		s.overflow = pc * math.Pow(rho, qlimit/v)
	} else if qlimit == 0 {
		s.overflow = pc
	}
	return s, true
}
