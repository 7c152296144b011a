package scenarios

import (
	"errors"

	"github.com/capsim/capsim/internal/strictyaml"
)

// Error is one problem in a scenario file, printed as
//
//	file:line:column: field.path: message
//
// (see strictyaml.Error).
type Error = strictyaml.Error

// Errors is every problem found in one file, sorted by line and column.
type Errors = strictyaml.Errors

// AsErrors returns the problems in err if it is (or wraps) Errors.
func AsErrors(err error) (Errors, bool) {
	var es Errors
	if errors.As(err, &es) {
		return es, true
	}
	return nil, false
}

// maxPrinted bounds Errors.Error: past it, the rest are counted.
const maxPrinted = strictyaml.MaxPrinted
