package main

import (
	"context"
	"errors"
	"fmt"

	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/urfave/cli/v2"

	"github.com/capsim/capsim/internal/output"
	"github.com/capsim/capsim/internal/s3store"
	"github.com/capsim/capsim/reports"
)

// endpointFlag points the S3 client at an S3-compatible store.
var endpointFlag = &cli.StringFlag{Name: "endpoint-url", EnvVars: []string{"CAPSIM_S3_ENDPOINT_URL"},
	Usage: "send S3 requests to `URL` (MinIO, Ceph, LocalStack ...) with path-style addressing"}

// sweepSink is where sweep and merge put their files: a local folder
// (internal/output: atomic, locked) or an S3 prefix.
type sweepSink interface {
	Commit(files map[string][]byte) error
	Close() error
	Where(name string) string // the file's full name, for messages
}

type folderSink struct {
	*output.Folder
	dir string
}

func (f folderSink) Where(name string) string { return filepath.Join(f.dir, name) }

// s3Sink writes each file as one object under a prefix. The Markdown goes
// first and the JSON last, so a shard whose JSON is listed is complete.
type s3Sink struct {
	ctx   context.Context
	store *s3store.Store
	at    s3store.URL
}

func (s s3Sink) Commit(files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if ja, jb := strings.HasSuffix(a, ".json"), strings.HasSuffix(b, ".json"); ja != jb {
			if ja {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	for _, n := range names {
		if err := s.store.Put(s.ctx, s.at.Join(n), files[n]); err != nil {
			return err
		}
	}
	return nil
}

func (s s3Sink) Close() error             { return nil }
func (s s3Sink) Where(name string) string { return s.at.Join(name).String() }

// sweepOut opens --out: an s3:// prefix, or a local folder for names.
func sweepOut(c *cli.Context, names ...string) (sweepSink, error) {
	out := c.Path("out")
	if !s3store.IsURL(out) {
		d, err := outFolder(c, names...)
		if err != nil {
			return nil, err
		}
		return folderSink{d, out}, nil
	}
	u, err := s3store.Parse(out)
	if err != nil {
		return nil, badInput(fmt.Errorf("--out: %w", err))
	}
	st, err := newS3(c)
	if err != nil {
		return nil, err
	}
	if err := st.CheckCredentials(c.Context); err != nil {
		return nil, err
	}
	return s3Sink{ctx: c.Context, store: st, at: u}, nil
}

func newS3(c *cli.Context) (*s3store.Store, error) {
	return s3store.New(c.Context, s3store.Options{EndpointURL: c.String(endpointFlag.Name)})
}

// shardFile is the name `capsim sweep --shard I/K` writes.
var shardFile = regexp.MustCompile(`^sweep-([0-9]+)-of-([0-9]+)\.json$`)

// shardSource is one shard file's bytes and where they came from.
type shardSource struct {
	name string
	data []byte
}

// readShards reads merge's arguments: local files, s3:// objects (a key
// ending in .json), or s3:// prefixes, which stand for every shard file
// directly under them (all of one shard count).
func readShards(c *cli.Context, args []string) ([]shardSource, error) {
	var st *s3store.Store
	var out []shardSource
	for _, a := range args {
		if !s3store.IsURL(a) {
			b, err := reports.ReadJSONFile(a)
			if err != nil {
				return nil, badInput(err)
			}
			out = append(out, shardSource{a, b})
			continue
		}
		u, err := s3store.Parse(a)
		if err != nil {
			return nil, badInput(err)
		}
		if st == nil {
			if st, err = newS3(c); err != nil {
				return nil, err
			}
		}
		keys := []string{u.Key}
		if !strings.HasSuffix(u.Key, ".json") {
			if keys, err = shardKeys(c.Context, st, u); err != nil {
				return nil, err
			}
		}
		for _, k := range keys {
			obj := s3store.URL{Bucket: u.Bucket, Key: k}
			b, err := st.Get(c.Context, obj)
			if err != nil {
				var missing *types.NoSuchKey
				if errors.As(err, &missing) {
					return nil, badInput(err)
				}
				return nil, err
			}
			out = append(out, shardSource{obj.String(), b})
		}
	}
	return out, nil
}

// shardKeys lists the shard files under a prefix and checks that they
// come from one shard count.
func shardKeys(ctx context.Context, st *s3store.Store, u s3store.URL) ([]string, error) {
	all, err := st.List(ctx, u)
	if err != nil {
		return nil, err
	}
	var keys, counts []string
	for _, k := range all {
		m := shardFile.FindStringSubmatch(path.Base(k))
		if m == nil {
			continue
		}
		keys = append(keys, k)
		if !slices.Contains(counts, m[2]) {
			counts = append(counts, m[2])
		}
	}
	switch {
	case len(keys) == 0:
		return nil, badInput(fmt.Errorf("merge: no shard files (sweep-I-of-K.json) under %s", u))
	case len(counts) > 1:
		return nil, badInput(fmt.Errorf("merge: %s holds shards of %d different counts (of %s): name the files, or keep one sweep per prefix",
			u, len(counts), strings.Join(counts, ", ")))
	}
	return keys, nil
}
