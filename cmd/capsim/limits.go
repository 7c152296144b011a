package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/capsim/capsim/reports"
)

// limitFlags are check's allowed increases: the flag, the metric it
// limits, its default and the unit it is written in ("%" of the
// baseline's mean, or "pp", percentage points of a share).
var limitFlags = []struct {
	flag, metric, def, unit, usage string
}{
	{"max-cost-increase", "cost_per_month_usd", "5%", "%", "fail when the cost per month rises by more than `PCT` (e.g. 5%) of the baseline's"},
	{"max-p99-increase", "p99_ms", "10%", "%", "fail when p99 latency rises by more than `PCT` (e.g. 10%) of the baseline's"},
	{"max-error-rate-increase", "error_rate", "0.1pp", "pp", "fail when the error rate rises by more than `PP` percentage points (e.g. 0.1pp)"},
}

// parseLimit reads an allowed increase such as "5%" or "0.1pp". A limit
// in another unit than the flag's is refused rather than guessed: 0.1%
// of an error rate could mean either.
func parseLimit(flag, metric, unit, text string) (reports.GateRule, error) {
	num, ok := strings.CutSuffix(strings.TrimSpace(text), unit)
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if !ok || err != nil || v < 0 {
		return reports.GateRule{}, fmt.Errorf("--%s %q: want a number of %s, not negative, such as %s", flag, text, unitName[unit], example[unit])
	}
	return reports.GateRule{Metric: metric, Max: v / 100, Relative: unit == "%", Text: text}, nil
}

var unitName = map[string]string{"%": "percent (of the baseline)", "pp": "percentage points"}
var example = map[string]string{"%": "5%", "pp": "0.1pp"}
