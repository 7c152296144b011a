package pricing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/savingsplans"
)

// TestFetchSavingsPlanRates runs the real savingsplans client against a
// server speaking restJson1: the request's filters, two pages, only the
// asked term and the shared-tenancy BoxUsage rate kept.
func TestFetchSavingsPlanRates(t *testing.T) {
	var got []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if r.Method != http.MethodPost || r.URL.Path != "/DescribeSavingsPlansOfferingRates" || json.NewDecoder(r.Body).Decode(&in) != nil {
			http.Error(w, `{"message":"bad request"}`, 400)
			return
		}
		got = append(got, in)
		rate := func(t, usage, years, usd string) string {
			return `{"savingsPlanOffering":{"offeringId":"o","paymentOption":"No Upfront","planType":"Compute","durationSeconds":` + years +
				`,"currency":"USD","planDescription":"1 year No Upfront Compute Savings Plan"},"rate":"` + usd + `","unit":"Hrs","productType":"EC2",` +
				`"serviceCode":"AmazonEC2","usageType":"` + usage + `","operation":"RunInstances","properties":[{"name":"instanceType","value":"` + t +
				`"},{"name":"region","value":"eu-west-1"},{"name":"tenancy","value":"shared"}]}`
		}
		w.Header().Set("Content-Type", "application/json")
		if fmt.Sprint(in["products"]) == "[Fargate]" {
			// The Compute plan's Fargate rows: Linux/x86 vCPU and GB kept;
			// ARM, Spot and the 3-year rate not.
			fg := func(usage, years, usd string) string {
				return `{"savingsPlanOffering":{"offeringId":"f","paymentOption":"No Upfront","planType":"Compute","durationSeconds":` + years +
					`,"currency":"USD"},"rate":"` + usd + `","unit":"Hrs","productType":"Fargate","serviceCode":"AmazonECS","usageType":"` + usage +
					`","operation":"","properties":[{"name":"region","value":"eu-west-1"}]}`
			}
			fmt.Fprint(w, `{"searchResults":[`+fg("EU-Fargate-vCPU-Hours:perCPU", "31536000", "0.0301")+","+fg("EU-Fargate-GB-Hours", "31536000", "0.0033")+","+
				fg("EU-Fargate-ARM-vCPU-Hours:perCPU", "31536000", "0.02")+","+fg("EU-SpotUsage-Fargate-GB-Hours", "31536000", "0.001")+","+
				fg("EU-Fargate-GB-Hours", "94608000", "0.0020")+`]}`)
			return
		}
		if in["nextToken"] == nil {
			fmt.Fprint(w, `{"searchResults":[`+rate("m5.large", "EU-BoxUsage:m5.large", "31536000", "0.0750")+","+
				rate("m5.large", "EU-BoxUsage:m5.large", "94608000", "0.0500")+","+rate("m5.large", "EU-HostBoxUsage:m5.large", "31536000", "0.01")+
				`],"nextToken":"n2"}`)
			return
		}
		fmt.Fprint(w, `{"searchResults":[`+rate("c5.large", "EU-BoxUsage:c5.large", "31536000", "0.0670")+`]}`)
	}))
	defer srv.Close()
	client := savingsplans.NewFromConfig(testConfig(t, "us-east-1", srv.URL))
	r, err := FetchSavingsPlanRates(context.Background(), client, ComputeSP, 1, NoUpfront, "eu-west-1", OSLinux, []string{"m5.large", "c5.large"})
	if err != nil {
		t.Fatal(err)
	}
	// The Fargate rows as the Compute Savings Plans price list names them
	// (https://aws.amazon.com/savingsplans/compute-pricing/: Fargate vCPU
	// and memory, by region).
	if len(got) != 3 || fmt.Sprint(r.Rates) != "map[Fargate-GB-Hours:0.0033 Fargate-vCPU-Hours:perCPU:0.0301 c5.large:0.067 m5.large:0.075]" {
		t.Fatalf("%d requests, rates %v", len(got), r.Rates)
	}
	if fg := fmt.Sprint(got[2]); !strings.Contains(fg, "serviceCodes:[AmazonECS]") || !strings.Contains(fg, "map[name:region values:[eu-west-1]]") {
		t.Errorf("Fargate request %s", fg)
	}
	req := fmt.Sprint(got[0])
	for _, w := range []string{"savingsPlanTypes:[Compute]", "savingsPlanPaymentOptions:[No Upfront]", "products:[EC2]", "serviceCodes:[AmazonEC2]",
		"operations:[RunInstances]", "map[name:region values:[eu-west-1]]", "map[name:instanceType values:[m5.large c5.large]]", "map[name:tenancy values:[shared]]"} {
		if !strings.Contains(req, w) {
			t.Errorf("request lacks %s: %s", w, req)
		}
	}
	if _, err := FetchSavingsPlanRates(context.Background(), client, ComputeSP, 1, NoUpfront, "eu-west-1", OSLinux, []string{"x1.large"}); err == nil {
		t.Error("no error for a type without a rate")
	}
	// Round trip through the file a scenario names.
	r.Date, r.Source = "2026-11-26", "test"
	var buf bytes.Buffer
	if err := WriteSavingsPlanRates(&buf, r); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "sp.csv")
	os.WriteFile(p, buf.Bytes(), 0o644)
	back, err := LoadSavingsPlanRates(p)
	if err != nil || back.Kind != ComputeSP || back.TermYears != 1 || back.Rates["c5.large"] != 0.067 || back.Region != "eu-west-1" || back.Rates[FargateGBHours] != 0.0033 {
		t.Errorf("read back %+v, %v", back, err)
	}
	os.WriteFile(p, []byte("kind,term_years\n"), 0o644)
	if _, err := LoadSavingsPlanRates(p); err == nil || !strings.Contains(err.Error(), "want the header") {
		t.Errorf("bad file: %v", err)
	}
}
