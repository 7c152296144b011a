package pricing

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"
)

// product is a PriceList document in the shape of docs/aws-model.md §6.1.
func product(t, vcpu, mem, cpu, usd string) string {
	return fmt.Sprintf(`{"product":{"productFamily":"Compute Instance","attributes":{"instanceType":%q,"regionCode":"eu-west-1","operatingSystem":"Linux","tenancy":"Shared","vcpu":%q,"memory":%q,"physicalProcessor":%q},"sku":"SKU%s"},`+
		`"terms":{"OnDemand":{"SKU%s.JRTCKXETXF":{"offerTermCode":"JRTCKXETXF","priceDimensions":{"SKU%s.JRTCKXETXF.6YS6EN2CT7":{"unit":"Hrs","pricePerUnit":{"USD":%q}}}}},"Reserved":{}}}`,
		t, vcpu, mem, cpu, t, t, t, usd)
}

// fakeAWS answers GetProducts (awsJson1_1) and DescribeSpotPriceHistory
// (ec2query XML), two pages each, and records what it was asked.
type fakeAWS struct {
	mu      sync.Mutex
	filters map[string]string
	regions []string // signing regions, from Authorization
	pages   int
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pages++
	if auth := r.Header.Get("Authorization"); auth != "" {
		// Credential=AKID/20261126/<region>/<service>/aws4_request
		if _, rest, ok := strings.Cut(auth, "Credential="); ok {
			parts := strings.Split(rest, "/")
			if len(parts) > 3 {
				f.regions = append(f.regions, parts[2]+"/"+parts[3])
			}
		}
	}
	if r.Header.Get("X-Amz-Target") == "AWSPriceListService.GetProducts" {
		var in struct {
			ServiceCode, FormatVersion, NextToken string
			MaxResults                            int
			Filters                               []struct{ Type, Field, Value string }
		}
		if err := json.Unmarshal(body, &in); err != nil || in.ServiceCode != "AmazonEC2" || in.MaxResults != 100 || in.FormatVersion != "aws_v1" {
			http.Error(w, `{"__type":"InvalidParameterException","message":"bad request"}`, 400)
			return
		}
		f.filters = map[string]string{}
		for _, fl := range in.Filters {
			if fl.Type != "TERM_MATCH" {
				http.Error(w, `{"__type":"InvalidParameterException","message":"filter type"}`, 400)
				return
			}
			f.filters[fl.Field] = fl.Value
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		var out map[string]any
		if in.NextToken == "" {
			out = map[string]any{"FormatVersion": "aws_v1", "NextToken": "page2", "PriceList": []string{
				product("m5.large", "2", "8 GiB", "Intel Xeon Platinum 8175", "0.1070000000"),
				product("m7g.large", "2", "8 GiB", "AWS Graviton3 Processor", "0.0000000000"), // no price: skipped
			}}
		} else {
			out = map[string]any{"FormatVersion": "aws_v1", "PriceList": []string{
				product("m7g.large", "2", "8 GiB", "AWS Graviton3 Processor", "0.0908000000"),
				product("x2iedn.32xlarge", "128", "4,096 GiB", "Intel Xeon Scalable (Icelake)", "26.676"),
			}}
		}
		json.NewEncoder(w).Encode(out)
		return
	}
	form, _ := url.ParseQuery(string(body))
	if form.Get("Action") != "DescribeSpotPriceHistory" || form.Get("ProductDescription.1") != "Linux/UNIX" || form.Get("StartTime") == "" {
		http.Error(w, "<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>bad</Message></Error></Errors></Response>", 400)
		return
	}
	item := func(t, zone, usd, ts string) string {
		return "<item><instanceType>" + t + "</instanceType><productDescription>Linux/UNIX</productDescription><spotPrice>" + usd +
			"</spotPrice><timestamp>" + ts + "</timestamp><availabilityZone>" + zone + "</availabilityZone></item>"
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	if form.Get("NextToken") == "" {
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r1</requestId><spotPriceHistorySet>`+
			item("m5.large", "eu-west-1b", "0.038800", "2026-11-26T10:00:00.000Z")+item("m5.large", "eu-west-1a", "0.036100", "2026-11-26T09:00:00.000Z")+
			`</spotPriceHistorySet><nextToken>more</nextToken></DescribeSpotPriceHistoryResponse>`)
		return
	}
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r2</requestId><spotPriceHistorySet>`+
		item("m5.large", "eu-west-1a", "0.035000", "2026-11-26T08:00:00.000Z")+`</spotPriceHistorySet><nextToken></nextToken></DescribeSpotPriceHistoryResponse>`)
}

func testConfig(t *testing.T, region, endpoint string) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")),
		config.WithSharedConfigFiles([]string{}), config.WithSharedCredentialsFiles([]string{}),
		config.WithBaseEndpoint(endpoint), config.WithRetryMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestFetchOnDemand runs the real pricing client against a server speaking
// awsJson1_1: the §6.1 filters, pagination, zero prices skipped, memory
// with a thousands separator, Graviton → arm64, the eu-* API region.
func TestFetchOnDemand(t *testing.T) {
	fake := &fakeAWS{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	if got := PriceListRegion("eu-west-1"); got != "eu-central-1" {
		t.Fatalf("API region for eu-west-1 = %s", got)
	}
	for r, want := range map[string]string{"us-west-2": "us-east-1", "ap-northeast-1": "ap-south-1", "cn-north-1": "cn-northwest-1", "sa-east-1": "us-east-1"} {
		if got := PriceListRegion(r); got != want {
			t.Errorf("PriceListRegion(%s) = %s, want %s", r, got, want)
		}
	}
	client := awspricing.NewFromConfig(testConfig(t, PriceListRegion("eu-west-1"), srv.URL))
	types, err := FetchOnDemand(context.Background(), client, "eu-west-1", OSLinux, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"regionCode": "eu-west-1", "operatingSystem": "Linux", "preInstalledSw": "NA", "capacitystatus": "Used",
		"marketoption": "OnDemand", "tenancy": "Shared", "productFamily": "Compute Instance"}
	if fmt.Sprint(fake.filters) != fmt.Sprint(want) {
		t.Errorf("filters %v, want %v", fake.filters, want)
	}
	if fake.pages != 2 || len(fake.regions) != 2 || fake.regions[0] != "eu-central-1/pricing" {
		t.Errorf("pages %d, signed for %v", fake.pages, fake.regions)
	}
	if len(types) != 3 {
		t.Fatalf("types %+v", types)
	}
	got := fmt.Sprintf("%+v", types)
	for _, w := range []string{"Name:m5.large VCPU:2 MemoryGiB:8 Speed:1 USDPerHour:0.107", "Name:m7g.large VCPU:2 MemoryGiB:8 Speed:1 USDPerHour:0.0908 PriceSource: Arch:arm64",
		"Name:x2iedn.32xlarge VCPU:128 MemoryGiB:4096"} {
		if !strings.Contains(got, w) {
			t.Errorf("types lack %q:\n%s", w, got)
		}
	}
	// One type: the instanceType filter; a type the list lacks is an error.
	if _, err := FetchOnDemand(context.Background(), client, "eu-west-1", OSRHEL, []string{"m5.large", "zz.large"}); err == nil || !strings.Contains(err.Error(), "no on-demand RHEL price for zz.large") {
		t.Errorf("error %v", err)
	}
	if fake.filters["instanceType"] != "zz.large" || fake.filters["operatingSystem"] != "RHEL" {
		t.Errorf("filters %v", fake.filters)
	}
}

// TestFetchSpot runs the real EC2 client against a server speaking the
// ec2query protocol (XML), with pagination.
func TestFetchSpot(t *testing.T) {
	fake := &fakeAWS{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := ec2.NewFromConfig(testConfig(t, "eu-west-1", srv.URL))
	recs, err := FetchSpot(context.Background(), client, OSLinux, []string{"m5.large"}, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if fake.pages != 2 || len(recs) != 3 || fake.regions[0] != "eu-west-1/ec2" {
		t.Fatalf("pages %d, regions %v, records %+v", fake.pages, fake.regions, recs)
	}
	if r := recs[0]; r.Zone != "eu-west-1a" || r.USD != 0.035 || r.Time.Hour() != 8 {
		t.Errorf("first record %+v, want eu-west-1a 08:00 0.035 (sorted by type, zone, time)", r)
	}
	var buf strings.Builder
	if err := WriteSpotRecords(&buf, recs); err != nil {
		t.Fatal(err)
	}
	s, err := ReadSpotSeries(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	s.Start = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	if got := s.SpotPrice("m5.large", 0, 0); got != 0.0361 {
		t.Errorf("price in effect at 09:30 in zone a = %g, want 0.0361", got)
	}
}
