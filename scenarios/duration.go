package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/capsim/capsim/internal/bounded"
	"github.com/capsim/capsim/sim"
	"github.com/capsim/capsim/traces"
)

// Duration is a scenario duration written as a Go duration string ("90s",
// "250ms", "1h30m", "24h"). A bare number is an error: it has no unit. It
// marshals back to the shortest such string ("24h", not "24h0m0s").
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Sim returns d in simulated time.
func (d Duration) Sim() sim.Time { return sim.FromDuration(time.Duration(d)) }

// Seconds returns d in seconds.
func (d Duration) Seconds() float64 { return time.Duration(d).Seconds() }

// String formats d like time.Duration.String without zero trailing units.
func (d Duration) String() string { return traces.FormatDuration(time.Duration(d)) }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	v, err := time.ParseDuration(s)
	if err != nil {
		if _, nerr := strconv.ParseFloat(s, 64); nerr == nil && s != "0" {
			return fmt.Errorf("%s is not a duration: add a unit, e.g. %ss or %sms", bounded.Quote(s), s, s)
		}
		return fmt.Errorf("%s is not a duration (write it like 90s, 250ms, 5m or 24h)", bounded.Quote(s))
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes d as a Go duration string, so JSON and YAML get "90s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// durationPattern matches what time.ParseDuration accepts, without a sign.
const durationPattern = `^(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))+$`

// JSONSchema describes Duration as a string in the JSON Schema.
func (Duration) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		Type:        "string",
		Pattern:     durationPattern,
		Description: "a Go duration string such as 90s, 250ms, 5m or 24h",
		Examples:    []any{"90s", "250ms", "24h"},
	}
}

// YAMLKind names a duration in decoding messages.
func (Duration) YAMLKind() string { return "duration such as 90s" }
