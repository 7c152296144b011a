package humanize

import (
	"math"
	"testing"
	"time"
)

func TestSig(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0"}, {22.852865526270836, "22.9"}, {72.2817541166146, "72.3"}, {99.94107907916667, "99.9"},
		{99.96, "100"}, {100, "100"}, {251.1, "251"}, {999.6, "1,000"}, {10712.3, "10,712"},
		{1.071e4, "10,710"}, {5, "5"}, {10, "10"}, {0.5, "0.5"}, {1.25, "1.25"}, {1.256, "1.26"},
		{0.000123456, "0.000123"}, {0.0215, "0.0215"}, {-3.14159, "-3.14"}, {-1234.5, "-1,235"},
		{9.996, "10"}, {math.NaN(), "n/a"}, {math.Inf(1), "∞"}, {math.Inf(-1), "−∞"},
	} {
		if got := Sig(c.in); got != c.want {
			t.Errorf("Sig(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMillis(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0 ms"}, {0.25, "0.25 ms"}, {41.07, "41.1 ms"}, {251.1, "251 ms"}, {500, "500 ms"},
		{999.4, "999 ms"}, {999.6, "1 s"}, {1000, "1 s"}, {10712, "10.7 s"}, {59_990, "1 min"},
		{90_000, "1.5 min"}, {3_600_000, "1 h"}, {86_400_000, "24 h"}, {259_200_000, "72 h"},
	} {
		if got := Millis(c.in); got != c.want {
			t.Errorf("Millis(%v) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		in   time.Duration
		want string
	}{
		{24 * time.Hour, "24 h"}, {20 * time.Minute, "20 min"}, {90 * time.Minute, "1.5 h"}, {30 * time.Second, "30 s"},
	} {
		if got := Duration(c.in); got != c.want {
			t.Errorf("Duration(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPercentIntFixedUSD(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Percent(0.28), "28 %"}, {Percent(0.5649), "56.5 %"}, {Percent(0.000215), "0.0215 %"},
		{Percent(0.001), "0.1 %"}, {Percent(0), "0 %"}, {Percent(1), "100 %"},
		{Int(0), "0"}, {Int(999), "999"}, {Int(21557275), "21,557,275"}, {Int(-1234), "-1,234"},
		{Fixed(1234.56, 1), "1,234.6"}, {Fixed(-0.04, 1), "-0.0"}, {Fixed(1e6, 0), "1,000,000"},
		{Fixed(1196.44, 1), "1,196.4"}, {Fixed(-1234567, 0), "-1,234,567"}, {Fixed(0.5, 2), "0.50"},
		{USD(0.0961), "$0.0961"}, {USD(44.071), "$44.07"}, {USD(5361.344), "$5,361.34"}, {USD(-2.5), "-$2.50"},
		{USD(0), "$0.00"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
