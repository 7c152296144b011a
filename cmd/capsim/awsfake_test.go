package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// fakeAutoScaling is a loopback server speaking the Auto Scaling query
// protocol as the SDK's client does (a form-encoded POST naming its
// Action; an XML answer wrapped in <ActionResponse> in the 2011-01-01
// namespace; https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonParameters.html).
// reply answers each call with the XML inside the response element; every
// call must be signed with the key awsEnv sets.
func fakeAutoScaling(t *testing.T, reply func(action string, form url.Values) string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		a := r.Form.Get("Action")
		if !strings.Contains(r.Header.Get("Authorization"), "AKIDTEST/") {
			t.Errorf("%s not signed with the environment's key", a)
		}
		fmt.Fprintf(w, `<%sResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">%s<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></%sResponse>`, a, reply(a, r.Form), a)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// awsEnv points the SDK's default chain at endpoint with a test key and
// region, and keeps every other source (files, instance metadata) out.
func awsEnv(t *testing.T, endpoint string) {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "s3cr3t-value",
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"), "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_PROFILE": "", "AWS_SESSION_TOKEN": "",
	} {
		t.Setenv(k, v)
	}
}
