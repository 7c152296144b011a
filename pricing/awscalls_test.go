package pricing

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"
)

// TestCallPolicyBoundsASilentEndpoint: an endpoint that accepts every
// request and never answers (a black-holed proxy) makes each call give up
// after Attempts × AttemptTimeout, and the error states the policy.
func TestCallPolicyBoundsASilentEndpoint(t *testing.T) {
	attempts := make(chan struct{}, 16)
	quit := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts <- struct{}{}
		select { // never answer
		case <-r.Context().Done():
		case <-quit:
		}
	}))
	defer srv.Close()
	defer close(quit)
	p := CallPolicy{AttemptTimeout: 500 * time.Millisecond, Attempts: 2, MaxBackoff: 50 * time.Millisecond}
	opts := append(p.ConfigOptions(), config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")),
		config.WithSharedConfigFiles([]string{}), config.WithSharedCredentialsFiles([]string{}),
		config.WithBaseEndpoint(srv.URL))
	cfg, err := config.LoadDefaultConfig(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	// A backstop, so that without the policy the test fails, not hangs.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{"GetProducts", func() error {
			_, err := FetchOnDemand(ctx, awspricing.NewFromConfig(cfg), "us-east-1", OSLinux, []string{"m5.large"})
			return err
		}},
		{"DescribeSpotPriceHistory", func() error {
			_, err := FetchSpot(ctx, ec2.NewFromConfig(cfg), OSLinux, []string{"m5.large"}, time.Time{})
			return err
		}},
	}
	for _, c := range calls {
		for len(attempts) > 0 {
			<-attempts
		}
		t0 := time.Now()
		err := p.Explain(c.call())
		took := time.Since(t0)
		if err == nil {
			t.Fatalf("%s: a silent endpoint gave no error", c.name)
		}
		if took > 4*time.Second {
			t.Errorf("%s: took %v; the policy allows about %v", c.name, took, 2*500*time.Millisecond+50*time.Millisecond)
		}
		// On a loaded machine an attempt can time out before its request
		// reaches the server, so fewer may arrive; never more.
		if n := len(attempts); n < 1 || n > p.Attempts {
			t.Errorf("%s: %d attempts reached the server, want 1 to %d", c.name, n, p.Attempts)
		}
		for _, want := range []string{"at most 2 attempt(s) of 500ms each", "--aws-timeout"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not state the policy (%q)", c.name, err, want)
			}
		}
	}
}
