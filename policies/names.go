package policies

import (
	"fmt"
	"strings"
)

// names is an enumeration's spellings, in value order: the one table its
// String, its Parse function, the scenario checks and the JSON Schema
// read (ComparisonNames, MissingDataNames, ...).
type names[T ~uint8] []string

func (n names[T]) format(v T, typ string) string {
	if int(v) < len(n) {
		return n[v]
	}
	return fmt.Sprintf("%s(%d)", typ, v)
}

func (n names[T]) parse(s string) (T, bool) {
	for i, name := range n {
		if s == name {
			return T(i), true
		}
	}
	return 0, false
}

// list is a copy of the names, for callers to keep.
func (n names[T]) list() []string { return append([]string(nil), n...) }

// orList joins the names as "a, b or c".
func (n names[T]) orList() string {
	if len(n) < 2 {
		return strings.Join(n, "")
	}
	return strings.Join(n[:len(n)-1], ", ") + " or " + n[len(n)-1]
}

// ComparisonNames lists the alarm comparison operators as AWS spells them.
func ComparisonNames() []string { return comparisonNames.list() }

// MissingDataNames lists the TreatMissingData values.
func MissingDataNames() []string { return missingNames.list() }

// AdjustmentTypeNames lists the step and simple adjustment types.
func AdjustmentTypeNames() []string { return adjustmentNames.list() }

// AggregationNames lists the step policy's MetricAggregationType values.
func AggregationNames() []string { return aggregationNames.list() }

// StatNames lists the named statistics (percentiles are written pNN).
func StatNames() []string { return statNames.list() }

// ParseComparison reads a ComparisonOperator as AWS spells it.
func ParseComparison(s string) (Comparison, error) {
	if c, ok := comparisonNames.parse(s); ok {
		return c, nil
	}
	return 0, fmt.Errorf("unknown comparison %q", s)
}
