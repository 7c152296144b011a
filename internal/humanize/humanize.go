// Package humanize writes numbers for people: the terminal summary, the
// Markdown comparison, the HTML report and scaling reasons all round the
// same way (docs/outputs.md). Exact values belong in the JSON result and
// the CSV time series, never here.
package humanize

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Digits is how many significant digits a measured value keeps.
const Digits = 3

// Sig writes v to three significant digits without an exponent, grouping
// thousands: 72.2817 → "72.3", 0.000123456 → "0.000123", 10 → "10",
// 22852.8 → "22,853" (integer digits are never dropped).
func Sig(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	r := round(v, Digits)
	if r == 0 {
		return "0"
	}
	if math.Abs(r) >= 100 {
		return Int(int64(math.Round(v)))
	}
	decimals := Digits - 1 - int(math.Floor(math.Log10(math.Abs(r))))
	s := strconv.FormatFloat(r, 'f', max(decimals, 0), 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// round rounds v to n significant digits.
func round(v float64, n int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, float64(n-1)-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// durationUnits are the units Millis writes in, smallest first; each is
// used below its limit (1000 ms, 60 s, 60 min).
var durationUnits = []struct {
	name      string
	ms, below float64
}{
	{"ms", 1, 1000}, {"s", 1e3, 60}, {"min", 60e3, 60}, {"h", 3600e3, math.Inf(1)},
}

// Millis writes a duration given in milliseconds to three significant
// digits in the unit that suits it: 0.25 → "0.25 ms", 251.1 → "251 ms",
// 10712 → "10.7 s", 90000 → "1.5 min", 86400000 → "24 h".
func Millis(ms float64) string {
	if math.IsNaN(ms) || math.IsInf(ms, 0) {
		return Sig(ms) + " ms"
	}
	for _, u := range durationUnits {
		if v := ms / u.ms; math.Abs(round(v, Digits)) < u.below {
			return Sig(v) + " " + u.name
		}
	}
	return "" // not reached: the last unit has no limit
}

// Duration writes d like Millis: 24h → "24 h", 20m → "20 min".
func Duration(d time.Duration) string {
	return Millis(float64(d) / float64(time.Millisecond))
}

// Percent writes a share (0.28 is 28 %) to three significant digits:
// 0.000215 → "0.0215 %", 0.5649 → "56.5 %", 0.28 → "28 %".
func Percent(share float64) string {
	return Sig(share*100) + " %"
}

// Int groups thousands: 21557275 → "21,557,275".
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Fixed writes v with digits decimals and thousands separators:
// Fixed(1234.56, 1) → "1,234.6".
func Fixed(v float64, digits int) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	whole, frac, found := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || whole == "-0" {
		return s
	}
	if !found {
		return Int(n)
	}
	return Int(n) + "." + frac
}

// USD writes dollars with cents, and four decimals below $1 so that small
// rates stay readable: $0.0961, $44.07, $5,361.34, -$2.50.
func USD(v float64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	if v > 0 && v < 1 {
		return sign + "$" + strconv.FormatFloat(v, 'f', 4, 64)
	}
	return sign + "$" + Fixed(v, 2)
}
