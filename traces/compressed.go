package traces

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/capsim/capsim/internal/bounded"
)

// gzipMagic opens every gzip stream (RFC 1952 §2.3.1). It is the content,
// not the name, that decides: ALB access logs arrive as .log.gz, and a
// renamed or extension-less copy must read the same.
var gzipMagic = []byte{0x1f, 0x8b}

// Input is a trace, request log or durations file opened for reading,
// decompressed on the fly when it is gzip.
//
// It deliberately does not embed *os.File: the file's WriteTo, ReadAt and
// Seek would hand out the compressed bytes.
type Input struct {
	f *os.File
	r io.Reader
}

// OpenInput opens path; a gzip file (recognised by its first two bytes) reads
// as its decompressed content, anything else as it is. Only a regular
// file opens (bounded.OpenRegular): a trace is read twice (checked, then
// replayed) and a durations file once per variant, so a FIFO would hang
// the second open and /dev/zero never ends. A damaged gzip header fails here, damage further in fails the Read that
// meets it; both errors name the file.
func OpenInput(path string) (*Input, error) {
	f, err := bounded.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	in := &Input{f: f, r: f}
	if st, err := f.Stat(); err != nil || st.IsDir() {
		return in, nil
	}
	br := bufio.NewReader(f)
	in.r = br
	if magic, _ := br.Peek(len(gzipMagic)); !bytes.Equal(magic, gzipMagic) {
		return in, nil
	}
	gz, err := gzip.NewReader(br)
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("starts like gzip but its header is unreadable: %v", err)}
	}
	in.r = &gunzipping{gz: gz, path: path}
	return in, nil
}

func (in *Input) Read(p []byte) (int, error) { return in.r.Read(p) }

// Stat describes the file on disk (its compressed size, for a gzip file).
func (in *Input) Stat() (fs.FileInfo, error) { return in.f.Stat() }

func (in *Input) Close() error { return in.f.Close() }

// gunzipping names the file in decompression errors, which the trace
// readers would otherwise report as a bare "flate: corrupt input" or
// "unexpected EOF" at some line.
type gunzipping struct {
	gz   *gzip.Reader
	path string
}

func (g *gunzipping) Read(p []byte) (int, error) {
	n, err := g.gz.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: the gzip data is damaged or cut short: %w", g.path, err)
	}
	return n, err
}
