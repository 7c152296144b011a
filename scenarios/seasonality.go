package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/capsim/capsim/internal/strictyaml"
)

// Long-horizon traffic (docs/fluid.md): a synthetic shape multiplied by
// compound growth, a yearly season and holiday factors. All three are
// factors on the shape, before noise and spikes:
//
//	rate(τ) = shape(τ) × (1+g)^(τ/year) × (1 + a·cos(2π(day(τ) − peak)/year)) × holiday(τ)
//
// with a = (p − 1)/(p + 1) for yearly_peak_to_trough p (the season's mean
// is the shape's), day(τ) the wall-clock day since 1970-01-01 (the
// season's phase drifts less than a day over centuries), and holiday(τ)
// the factor of the holiday covering τ, 1 elsewhere.

// Growth is a compound growth rate written "20%/year" or "1.5%/month"; it
// holds the yearly fraction (0.2).
type Growth float64

const yearSeconds = 365.2425 * 86400

// UnmarshalText parses "N%/year" or "N%/month".
func (g *Growth) UnmarshalText(b []byte) error {
	s := strings.ReplaceAll(strings.TrimSpace(string(b)), " ", "")
	num, per, ok := strings.Cut(s, "%/")
	v, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || (per != "year" && per != "month") {
		return fmt.Errorf("%q is not a growth rate (write it like 20%%/year or 1.5%%/month)", string(b))
	}
	f := v / 100
	if per == "month" {
		f = math.Pow(1+f, 12) - 1
	}
	if f <= -1 {
		return fmt.Errorf("growth %q shrinks the traffic to nothing: it must be above -100%%/year", string(b))
	}
	*g = Growth(f)
	return nil
}

// MarshalText writes the yearly rate back: "20%/year".
func (g Growth) MarshalText() ([]byte, error) {
	return []byte(strconv.FormatFloat(float64(g)*100, 'g', 6, 64) + "%/year"), nil
}

// JSONSchema describes Growth as a string.
func (Growth) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: `^-?[0-9]+(\.[0-9]*)?\s*%\s*/\s*(year|month)$`,
		Description: "compound growth of the rate, like 20%/year or 1.5%/month"}
}

// Holiday multiplies the rate by Factor from the start of Date (UTC) for
// For (default 24h).
type Holiday struct {
	Date   string   `yaml:"date" json:"date" jsonschema:"required" jsonschema_description:"YYYY-MM-DD, UTC"`
	Factor float64  `yaml:"factor" json:"factor" jsonschema:"required" jsonschema_description:"rate multiplier, ≥ 0 (3: three times the usual traffic)"`
	For    Duration `yaml:"for,omitempty" json:"for,omitempty" jsonschema_description:"how long (default 24h)"`
}

// seasonality checks the long-horizon fields of the synthetic traffic.
func (c *checker) seasonality() {
	const p = "traffic.synthetic"
	y := c.s.Traffic.Synthetic
	if c.has(p+".yearly_peak_to_trough") && *y.YearlyPeakToTrough < 1 {
		c.bad(p+".yearly_peak_to_trough", "must be at least 1, got %g", *y.YearlyPeakToTrough)
	}
	if c.has(p + ".yearly_peak_day") {
		if d := *y.YearlyPeakDay; d < 1 || d > 366 {
			c.bad(p+".yearly_peak_day", "must be a day of the year, 1 to 366, got %d", d)
		}
		if !c.given(p + ".yearly_peak_to_trough") {
			c.bad(p+".yearly_peak_day", "needs yearly_peak_to_trough: the season's size")
		}
	}
	if c.has(p+".resolution") && (y.Resolution < Duration(time.Second) || y.Resolution > Duration(24*time.Hour)) {
		c.bad(p+".resolution", "must be 1s to 24h, got %v", y.Resolution)
	}
	for i := range y.Holidays {
		h := &y.Holidays[i]
		q := strictyaml.IndexPath(p+".holidays", i)
		if _, err := time.Parse(time.DateOnly, h.Date); c.has(q+".date") && err != nil {
			c.bad(q+".date", "%q is not a date: write it YYYY-MM-DD", h.Date)
		} else if !c.given(q + ".date") {
			c.bad(q, "a holiday needs a date")
		}
		if !c.given(q + ".factor") {
			c.bad(q, "a holiday needs a factor")
		} else if c.has(q+".factor") && h.Factor < 0 {
			c.bad(q+".factor", "must not be negative, got %g", h.Factor)
		}
		if !c.has(q + ".for") {
			h.For = Duration(24 * time.Hour)
		} else if h.For <= 0 {
			c.bad(q+".for", "must be greater than 0, got %v", h.For)
		}
	}
}

// seasonal wraps a shape in growth, the yearly season and the holidays;
// it returns base itself when none is set (request-mode results of
// existing scenarios stay as they were).
func seasonal(base func(float64) float64, y *Synthetic, start time.Time) func(float64) float64 {
	growth := float64(y.Growth)
	amp, peak := 0.0, 349.0 // default peak: mid-December
	if y.YearlyPeakToTrough != nil {
		p := *y.YearlyPeakToTrough
		amp = (p - 1) / (p + 1)
	}
	if y.YearlyPeakDay != nil {
		peak = float64(*y.YearlyPeakDay - 1)
	}
	type span struct{ from, to, factor float64 }
	var hol []span
	for _, h := range y.Holidays {
		d, err := time.Parse(time.DateOnly, h.Date)
		if err != nil {
			continue // reported by the checker
		}
		from := d.Sub(start).Seconds()
		hol = append(hol, span{from, from + h.For.Seconds(), h.Factor})
	}
	if growth == 0 && amp == 0 && len(hol) == 0 {
		return base
	}
	startDays := float64(start.Unix())/86400 + float64(start.Nanosecond())/86400e9
	lg := math.Log1p(growth)
	return func(tau float64) float64 {
		r := base(tau)
		if growth != 0 {
			r *= math.Exp(lg * tau / yearSeconds)
		}
		if amp != 0 {
			day, length := dayOfYear(startDays + tau/86400)
			r *= 1 + amp*math.Cos(2*math.Pi*(day-peak)/length)
		}
		for _, h := range hol {
			if tau >= h.from && tau < h.to {
				r *= h.factor
			}
		}
		return r
	}
}

// jan1 holds the day number (since 1970-01-01) of January 1st of every
// year the scenarios support (minStart to maxStart).
var jan1 = func() []float64 {
	var d []float64
	for y := minStart.Year(); y <= maxStart.Year()+1; y++ {
		d = append(d, float64(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix()/86400))
	}
	return d
}()

// dayOfYear returns the fractional day of the year (0 at January 1st) of
// the day number days since 1970-01-01, and that year's length in days.
func dayOfYear(days float64) (day, length float64) {
	i := int((days - jan1[0]) / 365.2425)
	i = min(max(i, 0), len(jan1)-2)
	for i > 0 && jan1[i] > days {
		i--
	}
	for i < len(jan1)-2 && jan1[i+1] <= days {
		i++
	}
	return days - jan1[i], jan1[i+1] - jan1[i]
}

// seasonalMean is the mean of the growth and holiday factors over tau
// seconds of traffic (the yearly season's mean is 1), for the request
// estimate: growth's mean ((1+g)^T − 1)/(T·ln(1+g)) over T years, each
// holiday's extra (factor − 1) for its share of the run.
func seasonalMean(y *Synthetic, tau float64) float64 {
	m := 1.0
	if g := float64(y.Growth); g != 0 && tau > 0 {
		T := tau / yearSeconds
		m = math.Expm1(T*math.Log1p(g)) / (T * math.Log1p(g))
	}
	if tau > 0 {
		extra := 0.0
		for _, h := range y.Holidays {
			extra += (h.Factor - 1) * min(h.For.Seconds(), tau) / tau
		}
		m *= max(0, 1+extra)
	}
	return m
}
