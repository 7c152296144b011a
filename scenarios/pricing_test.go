package scenarios

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/capsim/capsim/pricing"
)

// pricingBase is the errors test's valid scenario over two hours; the
// cases append a pricing block.
var pricingBase = strings.Replace(valid, "duration: 1h", "duration: 2h", 1)

// TestPricingErrors: each mistake in pricing is reported at its key with
// line and column (exit 2 in the CLI).
func TestPricingErrors(t *testing.T) {
	cases := []struct {
		name, pricing string
		want          []want
	}{
		{"unknown region without a catalogue", "pricing: {region: eu-west-1}",
			[]want{{"10:19", "pricing.region", `no prices for region "eu-west-1"`}}},
		{"negative savings plan commitment", "pricing:\n  savings_plans: [{kind: compute, usd_per_hour: -1, discount: 0.3}]",
			[]want{{"11:49", "pricing.savings_plans[0].usd_per_hour", "a commitment cannot be negative, got -1"}}},
		{"unknown plan kind", "pricing:\n  savings_plans:\n    - {kind: ec2, usd_per_hour: 1, discount: 0.3}",
			[]want{{"12:14", "pricing.savings_plans[0].kind", `unknown kind "ec2"`}}},
		{"ec2_instance plan without a family", "pricing:\n  savings_plans:\n    - {kind: ec2_instance, usd_per_hour: 1, discount: 0.3}",
			[]want{{"12:7", "pricing.savings_plans[0]", "needs the family"}}},
		{"discount of 1", "pricing:\n  savings_plans:\n    - {kind: compute, usd_per_hour: 1, discount: 1}",
			[]want{{"12:50", "pricing.savings_plans[0].discount", "less than 1, got 1"}}},
		{"RI with both type and family", "pricing:\n  reserved:\n    - {type: m5.large, family: m5, count: 1, discount: 0.3}",
			[]want{{"12:7", "pricing.reserved[0]", "has both type and family"}}},
		{"RI with no price", "pricing:\n  reserved:\n    - {type: m5.large, count: 2}",
			[]want{{"12:7", "pricing.reserved[0]", "needs usd_per_hour"}}},
		{"RI count 0", "pricing:\n  reserved:\n    - {type: m5.large, count: 0, usd_per_hour: 0.06}",
			[]want{{"12:31", "pricing.reserved[0].count", "must be at least 1, got 0"}}},
		{"RI of an unknown type", "pricing:\n  reserved:\n    - {type: m5.lrge, count: 1, discount: 0.3}",
			[]want{{"12:14", "pricing.reserved[0].type", `unknown instance type "m5.lrge" (did you mean "m5.large"`}}},
		{"family RI without size", "pricing:\n  reserved:\n    - {family: m5, count: 1, discount: 0.3}",
			[]want{{"12:7", "pricing.reserved[0]", "family m5 needs a size"}}},
		{"size flexibility on RHEL", "pricing:\n  os: rhel\n  reserved:\n    - {type: m5.large, count: 1, usd_per_hour: 0.06, size_flexible: true}",
			[]want{{"13:69", "pricing.reserved[0].size_flexible", "Linux regional RIs only"}}},
		{"unknown os", "pricing: {os: macos}",
			[]want{{"10:15", "pricing.os", `unknown os "macos"`}}},
		{"spot with both", "pricing:\n  spot: {discount: 0.5, price_file: spot-prices.csv}",
			[]want{{"11:3", "pricing.spot", "has both discount and price_file"}}},
		{"spot discount out of range", "pricing:\n  spot: {discount: -0.1}",
			[]want{{"11:20", "pricing.spot.discount", "got -0.1"}}},
		{"missing spot price file", "pricing:\n  spot: {price_file: nope.csv}",
			[]want{{"11:22", "pricing.spot.price_file", "nope.csv"}}},
		{"catalogue with bad rows", "pricing: {catalogue: bad_row.csv}",
			[]want{{"10:22", "pricing.catalogue", "bad_row.csv: header has no column"}}},
		{"region not the catalogue's", "pricing: {catalogue: prices-eu-west-1.csv, region: us-east-1}",
			[]want{{"10:52", "pricing.region", "holds prices for eu-west-1"}}},
		{"negative EBS", "pricing:\n  ebs: {gb_per_instance: -8}",
			[]want{{"11:26", "pricing.ebs.gb_per_instance", "must not be negative"}}},
		{"burstable mode", "pricing:\n  burstable: {mode: turbo}",
			[]want{{"11:21", "pricing.burstable.mode", `unknown mode "turbo"`}}},
		{"rates file of another kind", "pricing:\n  savings_plans:\n    - {kind: ec2_instance, family: m5, usd_per_hour: 1, rates_file: sp-compute-us-east-1.csv}",
			[]want{{"12:69", "pricing.savings_plans[0].rates_file", "holds compute plan rates, not ec2_instance"}}},
		{"what-if discount", "pricing:\n  savings_plan_what_if: {discount: 1.5}",
			[]want{{"11:36", "pricing.savings_plan_what_if.discount", "1.5 is out of range: it must be ≥ 0 and ≤ 1 (a fraction)"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := pricingBase + c.pricing + "\n"
			wantProblems(t, "testdata", src, c.want)
		})
	}
}

// TestPricingPlan: the keys reach the billing plan, with their defaults.
func TestPricingPlan(t *testing.T) {
	src := pricingBase + `pricing:
  os: linux
  spot: {price_file: spot-prices.csv}
  reserved:
    - {type: m5.large, count: 2, discount: 0.4}
    - {family: c5, size: xlarge, count: 1, usd_per_hour: 0.1}
  savings_plans:
    - {kind: compute, usd_per_hour: 0.5, discount: 0.3}
    - {kind: ec2_instance, family: m5, usd_per_hour: 0.2, discount: 0.4}
  ebs: {gb_per_instance: 8}
  data_transfer: {response_bytes: 20000}
`
	s, err := Parse("p.yaml", []byte(src), "testdata")
	if err != nil {
		t.Fatal(err)
	}
	p := s.PricingPlan()
	if p.OS != "linux" || len(p.Reserved) != 2 || len(p.SavingsPlans) != 2 {
		t.Fatalf("plan %+v", p)
	}
	if r := p.Reserved[0]; r.Type != "m5.large" || r.Count != 2 || !r.Flexible || r.USDPerHour != 0.096*0.6 {
		t.Errorf("RI %+v", r)
	}
	if r := p.Reserved[1]; r.Type != "c5.xlarge" || r.USDPerHour != 0.1 {
		t.Errorf("family RI %+v", r)
	}
	if p.EBS.USDPerGBMonth != pricing.DefaultEBSUSDPerGBMonth || p.EBS.GBPerInstance != 8 {
		t.Errorf("EBS %+v", p.EBS)
	}
	if !p.LoadBalancer.Enabled || p.LoadBalancer.USDPerHour != pricing.DefaultALBUSDPerHour || p.LoadBalancer.ResponseBytes != 20000 {
		t.Errorf("LB %+v", p.LoadBalancer)
	}
	if p.DataTransfer.USDPerGB != pricing.DefaultTransferUSDPerGB || p.WhatIfDiscount != 0.3 || !strings.Contains(p.WhatIfSource, "compute Savings Plan") {
		t.Errorf("data transfer %+v, what-if %g %q", p.DataTransfer, p.WhatIfDiscount, p.WhatIfSource)
	}
	if got := p.Spot.SpotPrice("m5.large", 1, 0); got != 0.037 {
		t.Errorf("spot price zone 1 = %g, want 0.037 from the file", got)
	}
	if len(s.Warnings()) != 1 || !strings.Contains(s.Warnings()[0].Error(), "p.yaml:15:7: pricing.reserved[1]: warning: the fleet runs m5.large, not the family c5") {
		t.Errorf("warnings %v", s.Warnings())
	}
}

// TestPricingRatesFile: fetched Savings Plan rates reach the plan and set
// the what-if's discount (1 − 0.069/0.096).
func TestPricingRatesFile(t *testing.T) {
	s, err := Parse("r.yaml", []byte(pricingBase+"pricing:\n  savings_plans: [{kind: compute, usd_per_hour: 0.1, rates_file: sp-compute-us-east-1.csv}]\n"), "testdata")
	if err != nil {
		t.Fatal(err)
	}
	p := s.PricingPlan()
	if p.SavingsPlans[0].Rates["m5.large"] != 0.069 || math.Abs(p.WhatIfDiscount-(1-0.069/0.096)) > 1e-12 || !strings.Contains(p.WhatIfSource, "compute Savings Plan") {
		t.Errorf("plan %+v, what-if %g %q", p.SavingsPlans, p.WhatIfDiscount, p.WhatIfSource)
	}
}

// TestPricingWarnings: settings that cannot matter are warnings.
func TestPricingWarnings(t *testing.T) {
	s, err := Parse("w.yaml", []byte(pricingBase+"pricing:\n  burstable: {mode: standard}\n  savings_plans: [{kind: ec2_instance, family: c5, usd_per_hour: 1, discount: 0.3}]\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	ws := s.Warnings()
	if len(ws) != 2 || !strings.Contains(ws[0].Error(), "w.yaml:11:21: pricing.burstable.mode: warning: the fleet runs m5.large, which earns no CPU credits") ||
		!strings.Contains(ws[1].Error(), "w.yaml:12:48: pricing.savings_plans[0].family: warning: the fleet runs m5.large, not the c5 family") {
		t.Errorf("warnings:\n%v", ws)
	}
}

// TestPricingCatalogueFile: a catalogue file sets the region, the prices
// and their source.
func TestPricingCatalogueFile(t *testing.T) {
	s, err := Parse("c.yaml", []byte(pricingBase+"pricing: {catalogue: prices-eu-west-1.csv}\n"), "testdata")
	if err != nil {
		t.Fatal(err)
	}
	it := s.InstanceType()
	if s.Pricing.Region != "eu-west-1" || it.USDPerHour != 0.107 || !strings.Contains(it.PriceSource, "test fixture") || s.PriceList().Date != "2026-11-26" {
		t.Errorf("region %q, type %+v, list %+v", s.Pricing.Region, it, s.PriceList())
	}
	// A type the file lacks is unknown, with the file's names as hints.
	_, err = Parse("c.yaml", []byte(strings.Replace(pricingBase, "m5.large", "c5.large", 1)+"pricing: {catalogue: prices-eu-west-1.csv}\n"), "testdata")
	if err == nil || !strings.Contains(err.Error(), "c5.large") {
		t.Errorf("error %v", err)
	}
}

// TestREADMEPricingExample parses the pricing example of the scenario
// reference, docs/scenario.md (its catalogue file aside), so the
// documentation cannot drift from the keys.
func TestREADMEPricingExample(t *testing.T) {
	b, err := os.ReadFile("../docs/scenario.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i := strings.Index(readme, "```yaml\npricing:\n  region")
	if i < 0 {
		t.Fatal("docs/scenario.md has no pricing example")
	}
	block := readme[i+len("```yaml\n"):]
	block = block[:strings.Index(block, "```")]
	var kept []string
	for _, l := range strings.Split(block, "\n") {
		if !strings.HasPrefix(l, "  catalogue:") {
			kept = append(kept, l)
		}
	}
	s, err := Parse("readme.yaml", []byte(pricingBase+strings.Join(kept, "\n")), "")
	if err != nil {
		t.Fatalf("the pricing example of docs/scenario.md does not parse:\n%v", err)
	}
	if p := s.PricingPlan(); len(p.Reserved) != 2 || len(p.SavingsPlans) != 2 || p.DataTransfer.ResponseBytes != 20000 {
		t.Errorf("plan %+v", p)
	}
	// The example and the resolved scenario both fit the JSON Schema.
	sch := compiledSchema(t)
	j, err := yaml.YAMLToJSON([]byte(pricingBase + strings.Join(kept, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	resolved, _ := json.Marshal(s)
	for name, doc := range map[string][]byte{"example": j, "resolved": resolved} {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("the pricing %s of docs/scenario.md does not fit the schema: %v", name, err)
		}
	}
}
