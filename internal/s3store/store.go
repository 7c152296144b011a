// Package s3store keeps sweep shard files in Amazon S3 (or an S3-compatible
// store): put, get and list under an s3://bucket/prefix, each call bounded
// by a timeout and retried within a budget (docs/distributed.md).
package s3store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The limits every call runs under. A call is one S3 operation with all its
// attempts: CallTimeout bounds the whole, MaxAttempts the tries. Retries
// also draw on the SDK's retry token bucket (500 tokens, 5 to 14 per retry,
// shared by every call of one Store), so a store that keeps failing stops
// being retried instead of multiplying the load on it
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
const (
	CallTimeout = 60 * time.Second
	MaxAttempts = 5
	MaxBackoff  = 5 * time.Second
	// MaxObjectBytes bounds what Get reads: a shard file is a few MB at
	// most (time series only with --full); anything larger is not one.
	MaxObjectBytes = 1 << 30
)

// URL is a parsed s3://bucket/key-or-prefix.
type URL struct {
	Bucket string
	Key    string // no leading slash; may be empty (the bucket's root)
}

func (u URL) String() string { return "s3://" + u.Bucket + "/" + u.Key }

// Join appends name to the URL's key as a path element.
func (u URL) Join(name string) URL {
	k := strings.TrimSuffix(u.Key, "/")
	if k != "" {
		k += "/"
	}
	return URL{Bucket: u.Bucket, Key: k + name}
}

// IsURL says whether s names an S3 location rather than a local path.
func IsURL(s string) bool { return strings.HasPrefix(s, "s3://") }

// Parse reads s3://bucket/key as the AWS CLI does: the key is everything
// after the bucket's slash, literally (no percent-decoding: s3://b/a%41 is
// the key "a%41", and '?' or '#' are part of the key, as S3 allows them,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
// The bucket must be a plain name (letters, digits, '.', '-', '_': no
// user, port or query); the key may be empty (the bucket's root).
func Parse(s string) (URL, error) {
	if !IsURL(s) {
		return URL{}, fmt.Errorf("%q: not an s3:// URL", s)
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(s, "s3://"), "/")
	if bucket == "" || strings.IndexFunc(bucket, notBucketRune) >= 0 {
		return URL{}, fmt.Errorf("%q: want s3://bucket/prefix", s)
	}
	return URL{Bucket: bucket, Key: key}, nil
}

// notBucketRune is true of a character no bucket name holds
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html;
// upper case and '_' only in legacy us-east-1 names).
func notBucketRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
}

// Options configure a Store.
type Options struct {
	// EndpointURL, if set, sends requests to an S3-compatible endpoint
	// (MinIO, Ceph, a test server) with path-style addressing.
	EndpointURL string
	// Region overrides the SDK's (AWS_REGION, the profile); us-east-1 when
	// neither names one.
	Region string
	// CallTimeout overrides the package constant (tests).
	CallTimeout time.Duration
}

// Store is an S3 client with capsim's limits.
type Store struct {
	client  *s3.Client
	creds   aws.CredentialsProvider
	timeout time.Duration
}

// New loads the AWS configuration the usual way (environment, shared
// files, instance or task role) and makes a client.
func New(ctx context.Context, o Options) (*Store, error) {
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = MaxAttempts
				so.MaxBackoff = MaxBackoff
			})
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("s3: AWS configuration: %w", err)
	}
	if o.Region != "" {
		cfg.Region = o.Region
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(cfg, func(so *s3.Options) {
		if o.EndpointURL != "" {
			so.BaseEndpoint = aws.String(o.EndpointURL)
			so.UsePathStyle = true
		}
		// Checksums only where S3 requires them: several S3-compatible
		// stores reject the newer default (a CRC32 trailer on every PUT).
		so.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		so.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	t := o.CallTimeout
	if t <= 0 {
		t = CallTimeout
	}
	return &Store{client: client, creds: cfg.Credentials, timeout: t}, nil
}

// CheckCredentials resolves the credentials now, so that a sweep without
// any fails before it simulates, not when it writes its results.
func (s *Store) CheckCredentials(ctx context.Context) error {
	if s.creds == nil {
		return errors.New("s3: no AWS credentials found (environment, shared files, web identity, container or instance role)")
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if _, err := s.creds.Retrieve(ctx); err != nil {
		return fmt.Errorf("s3: AWS credentials: %w", err)
	}
	return nil
}

// Put writes body to u.
func (s *Store) Put(ctx context.Context, u URL, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(u.Bucket), Key: aws.String(u.Key),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))),
		ContentType: aws.String(contentType(u.Key)),
	})
	if err != nil {
		return fmt.Errorf("s3: put %s: %w", u, err)
	}
	return nil
}

// Get reads the object at u.
func (s *Store) Get(ctx context.Context, u URL) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(u.Bucket), Key: aws.String(u.Key)})
	if err != nil {
		return nil, fmt.Errorf("s3: get %s: %w", u, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(io.LimitReader(out.Body, MaxObjectBytes+1))
	if err != nil {
		return nil, fmt.Errorf("s3: get %s: %w", u, err)
	}
	if len(b) > MaxObjectBytes {
		return nil, fmt.Errorf("s3: get %s: larger than %d bytes: not a shard file", u, MaxObjectBytes)
	}
	return b, nil
}

// List returns the keys directly under the prefix u (u.Key as a folder:
// "a/b" lists a/b/x but not a/b/c/y nor a/bx), in S3's (byte) order. Each
// page is one call with its own timeout.
func (s *Store) List(ctx context.Context, u URL) ([]string, error) {
	prefix := strings.TrimSuffix(u.Key, "/")
	if prefix != "" {
		prefix += "/"
	}
	in := &s3.ListObjectsV2Input{Bucket: aws.String(u.Bucket), Prefix: aws.String(prefix), Delimiter: aws.String("/")}
	var keys []string
	for {
		page, err := s.listPage(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("s3: list %s: %w", u, err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
		if !aws.ToBool(page.IsTruncated) {
			return keys, nil
		}
		if page.NextContinuationToken == nil {
			return nil, fmt.Errorf("s3: list %s: %w", u, errors.New("a truncated page without a continuation token"))
		}
		in.ContinuationToken = page.NextContinuationToken
	}
}

func (s *Store) listPage(ctx context.Context, in *s3.ListObjectsV2Input) (*s3.ListObjectsV2Output, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.client.ListObjectsV2(ctx, in)
}

func contentType(key string) string {
	switch {
	case strings.HasSuffix(key, ".json"):
		return "application/json"
	case strings.HasSuffix(key, ".md"):
		return "text/markdown; charset=utf-8"
	}
	return "application/octet-stream"
}
