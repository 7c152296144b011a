package pricing

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/capsim/capsim/internal/bounded"
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

// maxPriceFile bounds a price file: a region's whole catalogue is a few
// hundred KiB.
const maxPriceFile = 64 << 20

// newCSV reads a price file within maxPriceFile and bounded.MaxLine, so
// that /dev/zero or one endless line is an error, not all of memory.
func newCSV(r io.Reader) *csv.Reader {
	cr := csv.NewReader(bounded.NewLineLimit(bounded.NewSizeLimit(r, maxPriceFile), 0))
	cr.FieldsPerRecord = -1
	return cr
}
