package traces

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/capsim/capsim/sim"
)

// Durations is a uniform sample of a log's recorded service times:
// reservoir sampling keeps at most Max of them, so a log of any length
// fits in memory.
type Durations struct {
	Sample  []float64 // seconds, sorted
	Seen    int64     // requests with a recorded duration
	Missing int64     // requests without one (ALB -1, empty cells)
}

// CollectDurations reads the recorded durations of a request log (ALB
// target_processing_time, or requests-csv's duration column).
func CollectDurations(r io.Reader, name string, o TraceOptions, maxN int, seed uint64) (*Durations, error) {
	f, ok := Lookup(o.Format)
	if !ok || !f.Log {
		return nil, fmt.Errorf("%s: durations come from a request log (%s), not %s", name, strings.Join(durationSources(""), ", or "), o.Format)
	}
	if !f.Durations {
		return nil, fmt.Errorf("%s: a %s log records no service times: use %s", name, f.Name, OrList(durationSources(" log"), "or"))
	}
	if f.Takes("duration_column") && o.Log.DurationColumn == "" {
		return nil, fmt.Errorf("%s: name the %s column of durations (--duration-column)", name, f.Name)
	}
	l, err := NewRequestLog(r, name, o.Format, o.Log)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x6669742d776f726b))
	d := &Durations{}
	for rec, err := range l.Records() {
		if err != nil {
			return nil, err
		}
		if math.IsNaN(rec.Duration) {
			d.Missing++
			continue
		}
		d.Seen++
		if len(d.Sample) < maxN {
			d.Sample = append(d.Sample, rec.Duration)
		} else if j := rng.Int64N(d.Seen); j < int64(maxN) {
			d.Sample[j] = rec.Duration
		}
	}
	slices.Sort(d.Sample)
	return d, nil
}

// durationSources lists the formats that record service times, those
// that always do first: "alb", "requests-csv with a duration column"
// (suffix " log": "an alb log").
func durationSources(suffix string) []string {
	var always, column []string
	for _, f := range formats {
		switch {
		case !f.Durations:
		case f.Takes("duration_column"):
			column = append(column, f.Name+" with a duration column")
		case suffix != "":
			always = append(always, "an "+f.Name+suffix)
		default:
			always = append(always, f.Name)
		}
	}
	return append(always, column...)
}

// Fit is a fitted service-time distribution and how well it fits.
type Fit struct {
	Dist string
	// The fitted parameters, rounded to three significant digits as a
	// scenario's service_time gives them: lognormal Median and P99, gamma
	// MeanParam and CV (empirical has none).
	Median, P99, MeanParam time.Duration
	CV                     float64
	// KS is the Kolmogorov–Smirnov distance between the sample and the
	// fitted distribution (0 = identical), PValue its asymptotic p-value.
	KS, PValue float64
	// Used is the sample size fitted; Zeros were left out (log and gamma
	// fits need positive values; ALB logs round to the millisecond).
	Used, Zeros int
	Mean        float64 // of the fitted distribution, seconds
	Note        string
}

// FitDurations fits lognormal (maximum likelihood on the logs), gamma
// (maximum likelihood: Minka's start, then Newton on the shape), or
// empirical (the sample itself) to a sorted sample of seconds.
func FitDurations(sorted []float64, dist string) (Fit, error) {
	pos := sorted
	zeros := 0
	for len(pos) > 0 && pos[0] <= 0 {
		pos = pos[1:]
		zeros++
	}
	if len(pos) < 2 {
		return Fit{}, fmt.Errorf("%d positive durations: too few to fit", len(pos))
	}
	f := Fit{Dist: dist, Used: len(pos), Zeros: zeros}
	var cdf func(float64) float64 // the fitted distribution's
	switch dist {
	case "lognormal":
		logs := make([]float64, len(pos))
		for i, x := range pos {
			logs[i] = math.Log(x)
		}
		mu := stat.Mean(logs, nil)
		v := 0.0
		for _, y := range logs {
			v += (y - mu) * (y - mu)
		}
		sigma := math.Sqrt(v / float64(len(logs)))
		if sigma == 0 {
			return Fit{}, fmt.Errorf("every duration is the same: use {dist: constant, value: %v}", FormatDuration(secondsDuration(pos[0])))
		}
		ln := distuv.LogNormal{Mu: mu, Sigma: sigma}
		cdf = ln.CDF
		f.Mean = ln.Mean()
		fitted := sim.LogNormal{Mu: mu, Sigma: sigma}
		f.Median, f.P99 = secondsDuration(fitted.Median()), secondsDuration(fitted.P99())
	case "gamma":
		k, theta, err := fitGamma(pos)
		if err != nil {
			return Fit{}, err
		}
		g := distuv.Gamma{Alpha: k, Beta: 1 / theta}
		cdf = g.CDF
		f.Mean = k * theta
		f.MeanParam, f.CV = secondsDuration(k*theta), roundSig(1/math.Sqrt(k), 4)
	case "empirical":
		f.Mean = stat.Mean(pos, nil)
		f.Note = "the empirical distribution is the sample itself (KS 0 by construction; draws interpolate between its values)"
	default:
		return Fit{}, fmt.Errorf("unknown dist %q (lognormal, gamma or empirical)", dist)
	}
	if dist != "empirical" {
		f.KS = ksDistance(pos, cdf)
	}
	f.PValue = ksPValue(f.KS, len(pos))
	return f, nil
}

// fitGamma is the gamma maximum-likelihood fit: s = ln(mean) − mean(ln x);
// the shape k solves ln k − ψ(k) = s (Minka 2002's start, then Newton);
// scale θ = mean / k.
func fitGamma(x []float64) (k, theta float64, err error) {
	mean := stat.Mean(x, nil)
	ml := 0.0
	for _, v := range x {
		ml += math.Log(v)
	}
	ml /= float64(len(x))
	s := math.Log(mean) - ml
	if !(s > 0) {
		return 0, 0, fmt.Errorf("every duration is the same: use {dist: constant}")
	}
	k = (3 - s + math.Sqrt((s-3)*(s-3)+24*s)) / (12 * s)
	for i := 0; i < 50; i++ {
		f := math.Log(k) - mathext.Digamma(k) - s
		h := 1e-6 * k
		trigamma := (mathext.Digamma(k+h) - mathext.Digamma(k-h)) / (2 * h)
		df := 1/k - trigamma
		step := f / df
		next := k - step
		if next <= 0 {
			next = k / 2
		}
		if math.Abs(next-k) < 1e-12*k {
			k = next
			break
		}
		k = next
	}
	return k, mean / k, nil
}

// ksDistance is sup |F_n(x) − F(x)| over a sorted sample.
// Tied values (durations logged to the millisecond) are one step of the
// sample's CDF, from i/n to j/n.
func ksDistance(sorted []float64, cdf func(float64) float64) float64 {
	n := float64(len(sorted))
	d := 0.0
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		F := cdf(sorted[i])
		d = max(d, F-float64(i)/n, float64(j)/n-F)
		i = j
	}
	return d
}

// ksPValue is the asymptotic Kolmogorov p-value of distance d for n
// samples (Marsaglia–Tsang–Wang's correction of λ). Fitting the
// parameters from the same sample makes it optimistic.
func ksPValue(d float64, n int) float64 {
	sn := math.Sqrt(float64(n))
	lambda := (sn + 0.12 + 0.11/sn) * d
	if lambda < 1e-3 {
		return 1
	}
	p := 0.0
	for k := 1; k <= 100; k++ {
		term := 2 * math.Pow(-1, float64(k-1)) * math.Exp(-2*float64(k*k)*lambda*lambda)
		p += term
		if math.Abs(term) < 1e-12 {
			break
		}
	}
	return math.Min(1, math.Max(0, p))
}

func secondsDuration(s float64) time.Duration {
	d := time.Duration(s * 1e9)
	// Three significant digits read better in a scenario file.
	switch {
	case d >= time.Second:
		d = d.Round(time.Millisecond)
	case d >= time.Millisecond:
		d = d.Round(10 * time.Microsecond)
	default:
		d = d.Round(10 * time.Nanosecond)
	}
	return d
}

func roundSig(x float64, digits int) float64 {
	if x == 0 {
		return 0
	}
	p := math.Pow(10, float64(digits)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

// FormatDuration formats d like time.Duration.String without zero
// trailing units (1m, not 1m0s), as scenario files write durations.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
