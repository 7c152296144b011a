package s3store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/internal/s3store/s3fake"
)

// testEnv gives the SDK static test credentials and nothing from this
// machine (no profile, no instance metadata).
func testEnv(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func newStore(t *testing.T, fake *s3fake.Server, timeout time.Duration) *Store {
	t.Helper()
	testEnv(t)
	s, err := New(context.Background(), Options{EndpointURL: fake.URL, CallTimeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParse(t *testing.T) {
	for in, want := range map[string]URL{
		"s3://bucket":             {Bucket: "bucket"},
		"s3://bucket/":            {Bucket: "bucket"},
		"s3://bucket/a/b":         {Bucket: "bucket", Key: "a/b"},
		"s3://bucket/a/b/":        {Bucket: "bucket", Key: "a/b/"},
		"s3://my.bucket-1/x.json": {Bucket: "my.bucket-1", Key: "x.json"},
		// Keys are literal, as the AWS CLI takes them: no percent-decoding,
		// and '?' and '#' belong to the key.
		"s3://bucket/a%41":   {Bucket: "bucket", Key: "a%41"},
		"s3://bucket/a?x=1":  {Bucket: "bucket", Key: "a?x=1"},
		"s3://bucket/a#f":    {Bucket: "bucket", Key: "a#f"},
		"s3://bucket/a//b c": {Bucket: "bucket", Key: "a//b c"},
	} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"bucket/a", "s3:///a", "s3://user@bucket/a", "s3://bucket?x=1", "s3://bucket:9000/a", "S3://bucket/a", "s3://bu cket/a"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q): no error", bad)
		}
	}
	if got := (URL{Bucket: "b", Key: "p/"}).Join("x.json").String(); got != "s3://b/p/x.json" {
		t.Errorf("Join = %s", got)
	}
	if got := (URL{Bucket: "b"}).Join("x.json").String(); got != "s3://b/x.json" {
		t.Errorf("Join at the root = %s", got)
	}
}

// TestPutGetList writes objects, reads one back, and lists a prefix over
// pages of two keys: only the keys directly under it, in order.
func TestPutGetList(t *testing.T) {
	fake := s3fake.New()
	defer fake.Close()
	fake.PageSize = 2
	s := newStore(t, fake, 5*time.Second)
	ctx := context.Background()
	keys := []string{"run/a/s-0.json", "run/a/s-1.json", "run/a/s-2.json", "run/a/s-3.json", "run/a/s-4.json",
		"run/a/deeper/x.json", "run/ab/sibling.json", "other/y.json"}
	for i, k := range keys {
		if err := s.Put(ctx, URL{"b", k}, fmt.Appendf(nil, "body %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Get(ctx, URL{"b", "run/a/s-3.json"})
	if err != nil || string(got) != "body 3" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if b, _ := fake.Object("b", "run/a/s-3.json"); string(b) != "body 3" {
		t.Errorf("stored %q", b)
	}
	listed, err := s.List(ctx, URL{"b", "run/a"})
	if err != nil {
		t.Fatal(err)
	}
	if want := keys[:5]; !slices.Equal(listed, want) {
		t.Errorf("List = %v, want %v", listed, want)
	}
	lists := 0
	for _, l := range fake.Log {
		if strings.Contains(l, "list-type=2") {
			lists++
		}
	}
	if lists < 3 {
		t.Errorf("%d list calls, want at least 3 pages of 2: %v", lists, fake.Log)
	}
	if _, err := s.Get(ctx, URL{"b", "run/a/missing.json"}); err == nil || !strings.Contains(err.Error(), "s3://b/run/a/missing.json") {
		t.Errorf("Get of a missing key: %v", err)
	}
}

// TestRetries: transient failures are retried, up to MaxAttempts tries.
func TestRetries(t *testing.T) {
	fake := s3fake.New()
	defer fake.Close()
	s := newStore(t, fake, 10*time.Second)
	fake.FailNext = MaxAttempts - 1
	if err := s.Put(context.Background(), URL{"b", "k"}, []byte("x")); err != nil {
		t.Fatalf("Put after %d failures: %v", MaxAttempts-1, err)
	}
	if n := len(fake.Log); n != MaxAttempts {
		t.Errorf("%d requests, want %d: %v", n, MaxAttempts, fake.Log)
	}
	fake.Log = nil
	fake.FailNext = 100
	err := s.Put(context.Background(), URL{"b", "k2"}, []byte("x"))
	if err == nil {
		t.Fatal("Put against a failing store succeeded")
	}
	if n := len(fake.Log); n != MaxAttempts {
		t.Errorf("%d requests to a failing store, want %d (the retry limit): %v", n, MaxAttempts, fake.Log)
	}
}

// TestTimeout: a store that does not answer fails the call after the call
// timeout, retries included, not after the server's delay.
func TestTimeout(t *testing.T) {
	fake := s3fake.New()
	defer fake.Close()
	fake.Delay = 5 * time.Second
	s := newStore(t, fake, 300*time.Millisecond)
	start := time.Now()
	_, err := s.Get(context.Background(), URL{"b", "k"})
	if err == nil {
		t.Fatal("Get from a silent store succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Get took %v, want about the 300ms call timeout", d)
	}
}

// TestCheckCredentials: without any credentials the store says so before
// any request is made; with them it is ready.
func TestCheckCredentials(t *testing.T) {
	fake := s3fake.New()
	defer fake.Close()
	s := newStore(t, fake, 5*time.Second)
	if err := s.CheckCredentials(context.Background()); err != nil {
		t.Errorf("with static credentials: %v", err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "")
	none, err := New(context.Background(), Options{EndpointURL: fake.URL, CallTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := none.CheckCredentials(context.Background()); err == nil {
		t.Error("no credentials anywhere, yet CheckCredentials is satisfied")
	}
	if len(fake.Log) != 0 {
		t.Errorf("requests to S3 while checking credentials: %v", fake.Log)
	}
}
