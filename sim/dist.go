package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Dist is a distribution of non-negative durations, in seconds. It is plain
// data: the caller passes the random stream to sample from, so each purpose
// draws from its own seeded stream.
type Dist interface {
	Sample(r *rand.Rand) float64
	Mean() float64
	String() string
}

var (
	_ Dist = Constant{}
	_ Dist = Exponential{}
	_ Dist = LogNormal{}
	_ Dist = Gamma{}
)

// Constant always yields Value.
type Constant struct{ Value float64 }

func (c Constant) Sample(*rand.Rand) float64 { return c.Value }
func (c Constant) Mean() float64             { return c.Value }
func (c Constant) String() string            { return fmt.Sprintf("constant{%gs}", c.Value) }

// Exponential has the given mean: the service time of an M/M/c queue.
type Exponential struct{ MeanSeconds float64 }

// Sample uses the stream's ziggurat exponential directly: it is the hot path
// of every M/M/c run and needs no wrapper.
func (e Exponential) Sample(r *rand.Rand) float64 { return r.ExpFloat64() * e.MeanSeconds }
func (e Exponential) Mean() float64               { return e.MeanSeconds }
func (e Exponential) String() string              { return fmt.Sprintf("exponential{mean %gs}", e.MeanSeconds) }

// LogNormal is exp(N(Mu, Sigma²)), in seconds.
type LogNormal struct{ Mu, Sigma float64 }

// z99 is the 0.99 quantile of the standard normal distribution.
var z99 = distuv.UnitNormal.Quantile(0.99)

// LogNormalMedianP99 fits a lognormal to a median and a 99th percentile:
// mu = ln(median), sigma = ln(p99/median) / z(0.99).
func LogNormalMedianP99(median, p99 float64) (LogNormal, error) {
	if median <= 0 || p99 < median {
		return LogNormal{}, fmt.Errorf("lognormal needs 0 < median <= p99 (got median %gs, p99 %gs)", median, p99)
	}
	return LogNormal{Mu: math.Log(median), Sigma: math.Log(p99/median) / z99}, nil
}

// LogNormalMeanCV fits a lognormal to a mean and a coefficient of variation:
// sigma² = ln(1+cv²), mu = ln(mean) − sigma²/2.
func LogNormalMeanCV(mean, cv float64) (LogNormal, error) {
	if mean <= 0 || cv < 0 {
		return LogNormal{}, fmt.Errorf("lognormal needs mean > 0 and cv >= 0 (got mean %gs, cv %g)", mean, cv)
	}
	s2 := math.Log1p(cv * cv)
	return LogNormal{Mu: math.Log(mean) - s2/2, Sigma: math.Sqrt(s2)}, nil
}

func (l LogNormal) Sample(r *rand.Rand) float64 {
	return distuv.LogNormal{Mu: l.Mu, Sigma: l.Sigma, Src: r}.Rand()
}
func (l LogNormal) Mean() float64 { return math.Exp(l.Mu + l.Sigma*l.Sigma/2) }

// Median is exp(mu).
func (l LogNormal) Median() float64 { return math.Exp(l.Mu) }

// P99 is the 99th percentile, exp(mu + z(0.99)·sigma): with Median, the
// two numbers a scenario file gives.
func (l LogNormal) P99() float64 { return math.Exp(l.Mu + z99*l.Sigma) }

func (l LogNormal) String() string {
	return fmt.Sprintf("lognormal{median %.4gs, p99 %.4gs}", l.Median(), l.P99())
}

// Gamma has shape Alpha and rate Beta; an Erlang-k is a Gamma with Alpha = k.
type Gamma struct{ Alpha, Beta float64 }

// GammaMeanCV returns the gamma distribution with this mean and coefficient
// of variation: alpha = 1/cv², beta = alpha/mean.
func GammaMeanCV(mean, cv float64) (Gamma, error) {
	if mean <= 0 || cv <= 0 {
		return Gamma{}, fmt.Errorf("gamma needs mean > 0 and cv > 0 (got mean %gs, cv %g)", mean, cv)
	}
	a := 1 / (cv * cv)
	return Gamma{Alpha: a, Beta: a / mean}, nil
}

// Erlang returns the Erlang-k distribution with this mean.
func Erlang(k int, mean float64) (Gamma, error) {
	if k < 1 || mean <= 0 {
		return Gamma{}, fmt.Errorf("erlang needs k >= 1 and mean > 0 (got k %d, mean %gs)", k, mean)
	}
	return Gamma{Alpha: float64(k), Beta: float64(k) / mean}, nil
}

func (g Gamma) Sample(r *rand.Rand) float64 {
	return distuv.Gamma{Alpha: g.Alpha, Beta: g.Beta, Src: r}.Rand()
}
func (g Gamma) Mean() float64 { return g.Alpha / g.Beta }
func (g Gamma) String() string {
	return fmt.Sprintf("gamma{mean %gs, cv %.3g}", g.Mean(), 1/math.Sqrt(g.Alpha))
}
