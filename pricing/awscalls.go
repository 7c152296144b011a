package pricing

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
)

// CallPolicy bounds every AWS call capsim makes: each attempt gets
// AttemptTimeout (connecting, sending and reading the whole answer), and
// a call makes at most Attempts of them with at most MaxBackoff between
// two. So an endpoint that accepts a connection and never answers costs
// at most Attempts × AttemptTimeout plus the backoffs, never for ever.
// docs/reliability.md lists the defaults.
type CallPolicy struct {
	AttemptTimeout time.Duration
	Attempts       int
	MaxBackoff     time.Duration
}

// DefaultCallPolicy: a GetProducts page of 100 products answers in about
// a second; 30 s covers a slow link, three attempts a transient failure.
var DefaultCallPolicy = CallPolicy{AttemptTimeout: 30 * time.Second, Attempts: 3, MaxBackoff: 5 * time.Second}

// ConfigOptions are the SDK options that apply the policy.
func (p CallPolicy) ConfigOptions() []func(*config.LoadOptions) error {
	p = p.withDefaults()
	return []func(*config.LoadOptions) error{
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(p.AttemptTimeout)),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = p.Attempts
				o.MaxBackoff = p.MaxBackoff
			})
		}),
	}
}

func (p CallPolicy) withDefaults() CallPolicy {
	if p.AttemptTimeout <= 0 {
		p.AttemptTimeout = DefaultCallPolicy.AttemptTimeout
	}
	if p.Attempts <= 0 {
		p.Attempts = DefaultCallPolicy.Attempts
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultCallPolicy.MaxBackoff
	}
	return p
}

// String is the policy as an error message states it.
func (p CallPolicy) String() string {
	p = p.withDefaults()
	return fmt.Sprintf("each AWS call: at most %d attempt(s) of %v each, %v apart at most", p.Attempts, p.AttemptTimeout, p.MaxBackoff)
}

// Explain adds the policy to an error from an AWS call, so that a timeout
// says what it waited for and how to wait longer.
func (p CallPolicy) Explain(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w (%s; --aws-timeout and --aws-attempts change it)", err, p)
}
