package s3store

import (
	"testing"
)

// FuzzParse: Parse reads the s3:// URLs given to --out and merge. It must
// not panic; a URL it accepts has a bucket, and (without percent escapes,
// which url.Parse decodes) prints back as a URL that parses the same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"s3://my-bucket/sweeps/run-1", "s3://my-bucket/sweeps/run-1/merged", "s3://b", "s3://b/",
		"s3://b/sweep-0-of-2.json", "s3://user@b/k", "s3://b:9000/k", "s3://b/k?x=1", "s3://b/k#f", "s3:///k", "s3://b/a%20b", "http://b/k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := Parse(s)
		if err != nil {
			return
		}
		if u.Bucket == "" {
			t.Fatalf("%q: accepted with no bucket", s)
		}
		again, err := Parse(u.String())
		if err != nil || again != u {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, u, u.String(), again, err)
		}
	})
}
