package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/capsim/capsim/internal/bounded"
)

// MaxJSONFile is the largest capsim JSON file read back (a baseline, a
// sweep shard): the same bound s3store puts on a shard object, far above
// a real one (a few MB, time series only with --full). Past it the read
// stops, so /dev/zero or a huge file costs this much and no more.
const MaxJSONFile = 1 << 30

// ReadJSONFile reads a capsim JSON file whole, within MaxJSONFile. The
// file must be regular: a directory, a FIFO or a device is refused with
// a message saying which, before it is opened.
func ReadJSONFile(path string) ([]byte, error) {
	return readJSONFile(path, MaxJSONFile)
}

func readJSONFile(path string, max int64) ([]byte, error) {
	f, err := bounded.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := bounded.ReadAll(f, max)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// DecodeJSON decodes b, the contents of file name, into v; a syntax or
// type error names the file, line and column (see jsonError).
func DecodeJSON(name string, b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return jsonError(name, b, err)
	}
	return nil
}

// jsonError names the file, line and column of a JSON syntax or type
// error: the offending character of a syntax error, the last character of
// a value of the wrong type (encoding/json reports where it stopped
// reading).
func jsonError(path string, b []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(b, syn.Offset)
		return fmt.Errorf("%s:%d:%d: JSON syntax error: %v", path, line, col, syn)
	case errors.As(err, &typ):
		line, col := lineCol(b, typ.Offset)
		if typ.Field == "" {
			return fmt.Errorf("%s:%d:%d: the file is a JSON %s, not an object", path, line, col, typ.Value)
		}
		return fmt.Errorf("%s:%d:%d: field %s: %s where %s belongs", path, line, col, typ.Field, typ.Value, jsonKind(typ.Type))
	}
	return fmt.Errorf("%s: %w", path, err)
}

// jsonKind names what a Go type reads as JSON: "an object", not
// "reports.Shard", for a struct; Go's name for a scalar ("a uint64"),
// which says the range too.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	if name := t.String(); strings.HasPrefix(name, "int") {
		return "an " + name
	}
	return "a " + t.String()
}

// lineCol turns a byte offset (just past the offending byte, as
// encoding/json reports it) into a 1-based line and column.
func lineCol(b []byte, off int64) (line, col int) {
	if len(b) == 0 {
		return 1, 1
	}
	off = min(max(off, 1), int64(len(b)))
	before := b[:off-1]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n') - 1
	return line, col
}
