package reports

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a two-sided confidence interval for a mean or a difference
// of means (docs/ci.md, "How a change is judged"). Method says how it was
// computed; an interval with Method "none" has no width: one value on each
// side, nothing to estimate the noise from.
type Interval struct {
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
	Method string  `json:"method"`
}

// Interval methods.
const (
	MethodNone          = "none"           // one value on each side
	MethodStudent       = "student-t"      // the mean of one sample
	MethodPaired        = "paired-t"       // replications paired by seed: the mean of the differences
	MethodWelch         = "welch-t"        // independent samples, unequal variances
	MethodFixedBaseline = "fixed-baseline" // one side is a single value, taken as exact
)

// tHalfWidth is t(1−α/2, df) × se: the half width of a Student-t interval
// with confidence conf. A zero standard error gives a zero width whatever
// df is (every replication gave the same value).
func tHalfWidth(conf, df, se float64) float64 {
	if se == 0 {
		return 0
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1 - (1-conf)/2)
	return t * se
}

// MeanInterval is the Student-t interval of the mean of xs. With fewer
// than two values it has no width.
func MeanInterval(xs []float64, conf float64) (mean float64, iv Interval) {
	if len(xs) < 2 {
		m := stat.Mean(xs, nil)
		return m, Interval{Low: m, High: m, Method: MethodNone}
	}
	m, sd := stat.MeanStdDev(xs, nil)
	h := tHalfWidth(conf, float64(len(xs)-1), sd/math.Sqrt(float64(len(xs))))
	return m, Interval{Low: m - h, High: m + h, Method: MethodStudent}
}

// DiffInterval is the interval of mean(cand) − mean(base). paired says the
// two samples pair up by seed (common random numbers: cand[i] and base[i]
// ran on the same seed), and gives the paired-t interval on the
// differences, which removes the noise both sides share; otherwise Welch's
// interval with the Welch–Satterthwaite degrees of freedom. When one side
// holds a single value, it is taken as exact and the interval is the
// other side's Student-t interval, shifted.
func DiffInterval(base, cand []float64, paired bool, conf float64) (diff float64, iv Interval) {
	mb, mc := stat.Mean(base, nil), stat.Mean(cand, nil)
	diff = mc - mb
	switch {
	case len(base) < 2 && len(cand) < 2:
		return diff, Interval{Low: diff, High: diff, Method: MethodNone}
	case paired && len(base) == len(cand):
		d := make([]float64, len(base))
		for i := range base {
			d[i] = cand[i] - base[i]
		}
		_, iv = MeanInterval(d, conf)
		iv.Method = MethodPaired
		return diff, iv
	case len(base) < 2:
		_, iv = MeanInterval(cand, conf)
		return diff, Interval{Low: iv.Low - mb, High: iv.High - mb, Method: MethodFixedBaseline}
	case len(cand) < 2:
		_, iv = MeanInterval(base, conf)
		return diff, Interval{Low: mc - iv.High, High: mc - iv.Low, Method: MethodFixedBaseline}
	}
	vb := stat.Variance(base, nil) / float64(len(base))
	vc := stat.Variance(cand, nil) / float64(len(cand))
	se := math.Sqrt(vb + vc)
	df := math.Inf(1)
	if se > 0 {
		df = (vb + vc) * (vb + vc) /
			(vb*vb/float64(len(base)-1) + vc*vc/float64(len(cand)-1))
	}
	h := tHalfWidth(conf, df, se)
	return diff, Interval{Low: diff - h, High: diff + h, Method: MethodWelch}
}
