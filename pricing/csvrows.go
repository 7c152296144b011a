package pricing

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// eachRow calls fn for every data row of a price file after its header,
// with the row's line number; a row with another field count than the
// header is an error naming its line.
func eachRow(cr *csv.Reader, head []string, fn func(line int, rec []string) error) error {
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(head) {
			return fmt.Errorf("line %d: %d fields, the header has %d", line, len(rec), len(head))
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}
