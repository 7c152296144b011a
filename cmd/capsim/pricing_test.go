package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// fakePriceAPIs answers GetProducts (awsJson1_1, two pages) and
// DescribeSpotPriceHistory (ec2query XML, one page) like AWS does.
func fakePriceAPIs(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/DescribeSavingsPlansOfferingRates" { // restJson1
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"searchResults":[{"savingsPlanOffering":{"paymentOption":"No Upfront","planType":"Compute","durationSeconds":31536000,"currency":"USD"},`+
				`"rate":"0.0749","unit":"Hrs","productType":"EC2","serviceCode":"AmazonEC2","usageType":"EU-BoxUsage:m5.large","operation":"RunInstances",`+
				`"properties":[{"name":"instanceType","value":"m5.large"},{"name":"region","value":"eu-west-1"}]}]}`)
			return
		}
		if r.Header.Get("X-Amz-Target") == "AWSPriceListService.GetProducts" {
			var in struct{ NextToken string }
			json.Unmarshal(body, &in)
			doc := func(t, usd string) string {
				return fmt.Sprintf(`{"product":{"attributes":{"instanceType":%q,"vcpu":"2","memory":"8 GiB","physicalProcessor":"Intel"}},"terms":{"OnDemand":{"A.B":{"priceDimensions":{"A.B.C":{"unit":"Hrs","pricePerUnit":{"USD":%q}}}}}}}`, t, usd)
			}
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			if in.NextToken == "" {
				json.NewEncoder(w).Encode(map[string]any{"FormatVersion": "aws_v1", "PriceList": []string{doc("m5.large", "0.107")}, "NextToken": "2"})
			} else {
				json.NewEncoder(w).Encode(map[string]any{"FormatVersion": "aws_v1", "PriceList": []string{doc("t3.large", "0.0912")}})
			}
			return
		}
		form, _ := url.ParseQuery(string(body))
		if form.Get("Action") != "DescribeSpotPriceHistory" {
			http.Error(w, "unexpected", 400)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>x</requestId><spotPriceHistorySet>`+
			`<item><instanceType>m5.large</instanceType><productDescription>Linux/UNIX</productDescription><spotPrice>0.040000</spotPrice><timestamp>2026-11-26T00:00:00Z</timestamp><availabilityZone>eu-west-1a</availabilityZone></item>`+
			`</spotPriceHistorySet></DescribeSpotPriceHistoryResponse>`)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// isolateAWS keeps the SDK away from the user's AWS files and the network.
func isolateAWS(t *testing.T) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "", "AWS_MAX_ATTEMPTS": "1",
	} {
		t.Setenv(k, v)
	}
}

// TestPricingUpdateShowRun: fetch a catalogue and spot prices through the
// real SDK clients, show them, and run a scenario that names them.
func TestPricingUpdateShowRun(t *testing.T) {
	isolateAWS(t)
	srv, calls := fakePriceAPIs(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "eu.csv")
	code, stdout, stderr := capsim(t, "pricing", "update", "--region", "eu-west-1", "--spot", "--savings-plans", "compute", "--out", out, "--endpoint-url", srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Five calls: products, spot prices, and the Savings Plans offering
	// rates twice (EC2 instances, then AWS Fargate: docs/ecs.md "Fargate and
	// Savings Plans"; the fake has no Fargate rows, which is no error).
	if calls.Load() != 5 || !strings.Contains(stdout, "wrote 2 instance types to "+out+" and 1 spot prices to "+filepath.Join(dir, "eu-spot.csv")+
		" and 1 compute Savings Plan rates to "+filepath.Join(dir, "eu-savings-plans.csv")) {
		t.Errorf("%d calls; stdout %q", calls.Load(), stdout)
	}
	code, stdout, stderr = capsim(t, "pricing", "show", "--catalogue", out, "m5.large", "t3.large")
	if code != 0 || !strings.Contains(stdout, "region eu-west-1, linux, taken 20") || !strings.Contains(stdout, "0.1070") ||
		!strings.Contains(stdout, "AWS Price List API GetProducts (eu-central-1 endpoint)") || !strings.Contains(stdout, "36, 864, 30 %, unlimited") {
		t.Errorf("show: exit %d\n%s%s", code, stdout, stderr)
	}
	sc := writeScenario(t, short+fmt.Sprintf("pricing: {catalogue: %s, spot: {price_file: %s}, savings_plans: [{kind: compute, usd_per_hour: 0.01, rates_file: %s}]}\n",
		out, filepath.Join(dir, "eu-spot.csv"), filepath.Join(dir, "eu-savings-plans.csv")))
	code, stdout, stderr = capsim(t, "run", "--quiet", "--json", "-", sc)
	// The what-if's discount comes from the fetched rate: 1 − 0.0749/0.107 = 0.3.
	if code != 0 || !strings.Contains(stdout, `"region": "eu-west-1"`) || !strings.Contains(stdout, `"m5.large": 0.`) ||
		!strings.Contains(stdout, `"discount": 0.3,`) || !strings.Contains(stdout, `"discount_source": "the scenario's compute Savings Plan"`) {
		t.Errorf("run: exit %d %s\n%s", code, stderr, stdout[strings.Index(stdout, `"savings_plan_what_if"`):][:400])
	}
	code, stdout, _ = capsim(t, "pricing", "show", "--scenario", sc, "m5.large")
	if code != 0 || !strings.Contains(stdout, "0.0400") || !strings.Contains(stdout, "spot price file") {
		t.Errorf("show --scenario: exit %d\n%s", code, stdout)
	}
}

// TestPricingBadInput: exit 2 for what the user got wrong, 1 for AWS failing.
func TestPricingBadInput(t *testing.T) {
	isolateAWS(t)
	empty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		fmt.Fprint(w, `{"FormatVersion":"aws_v1","PriceList":[]}`)
	}))
	defer empty.Close()
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("instance_type,vcpu,memory_gib,ondemand_usd_per_hour\nm5.large,two,8,0.1\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"pricing", "update", "--region", "Europe"}, exitInput, "not an AWS region name"},
		{[]string{"pricing", "update", "--region", "eu-west-1", "--os", "beos"}, exitInput, "unknown --os"},
		{[]string{"pricing", "update"}, exitInput, "region"},
		{[]string{"pricing", "show"}, exitInput, "at least one instance type"},
		{[]string{"pricing", "update", "--region", "xx-nowhere-1", "--out", filepath.Join(t.TempDir(), "x.csv"), "--endpoint-url", empty.URL}, exitInput, `no on-demand linux prices for region "xx-nowhere-1"`},
		{[]string{"pricing", "show", "m5.lrge"}, exitInput, `unknown instance type "m5.lrge" in AWS Price List API via Karpenter, us-east-1, 2026-07-20 (us-east-1) (did you mean "m5.large"?)`},
		{[]string{"pricing", "show", "--catalogue", bad, "m5.large"}, exitInput, "line 2: bad vcpu"},
		{[]string{"pricing", "update", "--region", "eu-west-1", "--out", filepath.Join(t.TempDir(), "x.csv"), "--endpoint-url", "http://127.0.0.1:1"}, exitFailed, "GetProducts"},
	} {
		code, _, stderr := capsim(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.msg)
		}
	}
}
