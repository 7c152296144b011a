package scenarios

import (
	"slices"
	"strings"
)

// distParams lists the parameter sets each distribution accepts.
var distParams = map[string][][]string{
	"exponential": {{"mean"}},
	"lognormal":   {{"median", "p99"}, {"mean", "cv"}},
	"constant":    {{"value"}},
	"gamma":       {{"mean", "cv"}},
	"erlang":      {{"k", "mean"}},
}

// dist checks a distribution. allowZero permits a zero constant (an
// instant boot, say).
func (c *checker) dist(p string, d *DistSpec, allowZero bool) {
	if !c.given(p + ".dist") {
		c.bad(p, "needs dist: exponential, lognormal, constant, gamma or erlang")
		return
	}
	if d.Dist == "empirical" {
		c.empirical(p, d)
		return
	}
	sets, known := distParams[d.Dist]
	if !known {
		c.bad(p+".dist", "unknown dist %q%s", d.Dist, choices(d.Dist, []string{"exponential", "lognormal", "constant", "gamma", "erlang"}))
		return
	}
	all := []string{"mean", "median", "p99", "value", "cv", "k", "file"}
	var takes []string
	for _, set := range sets {
		takes = append(takes, strings.Join(set, " and "))
	}
	// The parameter set in use: the first one any of whose keys is given.
	use := sets[0]
	for _, set := range sets {
		if slices.ContainsFunc(set, func(k string) bool { return c.given(p + "." + k) }) {
			use = set
			break
		}
	}
	for _, k := range all {
		if c.given(p+"."+k) && !slices.Contains(use, k) {
			c.bad(p+"."+k, "does not apply to dist %s (it takes %s)", d.Dist, strings.Join(takes, ", or "))
		}
	}
	for _, k := range use {
		if !c.given(p + "." + k) {
			c.bad(p, "dist %s needs %s", d.Dist, strings.Join(use, " and "))
			return
		}
	}
	pos := func(k string, v Duration) {
		if v <= 0 {
			c.bad(p+"."+k, "must be greater than 0, got %v", v)
		}
	}
	switch {
	case slices.Contains(use, "median"):
		pos("median", d.Median)
		pos("p99", d.P99)
		if d.Median > 0 && d.P99 > 0 && d.P99 < d.Median {
			c.bad(p+".p99", "p99 (%v) is less than median (%v)", d.P99, d.Median)
		}
	case slices.Contains(use, "value"):
		if d.Value < 0 || d.Value == 0 && !allowZero {
			c.bad(p+".value", "must be greater than 0, got %v", d.Value)
		}
	default:
		pos("mean", d.Mean)
	}
	if slices.Contains(use, "cv") && d.CV <= 0 {
		c.bad(p+".cv", "must be greater than 0, got %g", d.CV)
	}
	if slices.Contains(use, "k") && (d.K < 1 || d.K > 1000) {
		c.bad(p+".k", "must be between 1 and 1000, got %d", d.K)
	}
	c.distMean(p, d)
}

// distMean checks the distribution the parameters make: a derived
// quantity no single field's range bounds.
func (c *checker) distMean(p string, d *DistSpec) {
	if hasErrorUnder(c.d.Errs, p) || !c.ok(p) {
		return
	}
	dist, err := d.build()
	if err != nil {
		c.bad(p, "%v", err)
		return
	}
	if m := dist.Mean(); !(m >= 0 && m <= maxDistMean) {
		c.bad(p, "the distribution's mean is %s s, more than a year (%d s): check its parameters", num(m), maxDistMean)
	}
}
