package pricing

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	awspricing "github.com/aws/aws-sdk-go-v2/service/pricing"
	ptypes "github.com/aws/aws-sdk-go-v2/service/pricing/types"

	"github.com/capsim/capsim/sim"
)

// PriceListRegion is the region whose Price List API endpoint to call for
// prices of region (docs/aws-model.md §6.1: only a few regions host the API;
// Karpenter calls us-east-1, ap-south-1 from ap-*, eu-central-1 from eu-*,
// cn-northwest-1 from China).
func PriceListRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "cn-northwest-1"
	case strings.HasPrefix(region, "ap-"):
		return "ap-south-1"
	case strings.HasPrefix(region, "eu-"):
		return "eu-central-1"
	}
	return "us-east-1"
}

// priceListOS is the Price List's operatingSystem value of an OS name.
var priceListOS = map[string]string{OSLinux: "Linux", OSRHEL: "RHEL", OSSUSE: "SUSE", OSWindows: "Windows"}

// spotProduct is DescribeSpotPriceHistory's product description of an OS.
var spotProduct = map[string]string{OSLinux: "Linux/UNIX", OSRHEL: "Red Hat Enterprise Linux", OSSUSE: "SUSE Linux", OSWindows: "Windows"}

// OnDemandFilters are the GetProducts filters of docs/aws-model.md §6.1 (as
// Karpenter uses them), plus instanceType when one type is asked for.
func OnDemandFilters(region, osName, instanceType string) []ptypes.Filter {
	f := func(field, value string) ptypes.Filter {
		return ptypes.Filter{Type: ptypes.FilterTypeTermMatch, Field: aws.String(field), Value: aws.String(value)}
	}
	out := []ptypes.Filter{
		f("regionCode", region),
		f("operatingSystem", priceListOS[osName]),
		f("preInstalledSw", "NA"),
		f("capacitystatus", "Used"),
		f("marketoption", "OnDemand"),
		f("tenancy", "Shared"),
		f("productFamily", "Compute Instance"),
	}
	if instanceType != "" {
		out = append(out, f("instanceType", instanceType))
	}
	return out
}

// priceListItem is the part of a PriceList JSON document capsim reads
// (docs/aws-model.md §6.1).
type priceListItem struct {
	Product struct {
		Attributes map[string]string `json:"attributes"`
	} `json:"product"`
	Terms struct {
		OnDemand map[string]struct {
			PriceDimensions map[string]struct {
				Unit         string            `json:"unit"`
				PricePerUnit map[string]string `json:"pricePerUnit"`
			} `json:"priceDimensions"`
		} `json:"OnDemand"`
	} `json:"terms"`
}

// FetchOnDemand asks the Price List API (GetProducts, paginated, 100 per
// page) for the on-demand prices, vCPUs and memory of types in region
// (every type when types is empty), for an operating system (linux, rhel,
// suse, windows). The client must be configured for
// PriceListRegion(region).
func FetchOnDemand(ctx context.Context, client awspricing.GetProductsAPIClient, region, osName string, types []string) ([]sim.InstanceType, error) {
	if _, ok := priceListOS[osName]; !ok {
		return nil, fmt.Errorf("unknown os %q (linux, rhel, suse, windows)", osName)
	}
	currency := "USD"
	if strings.HasPrefix(region, "cn-") {
		currency = "CNY"
	}
	queries := types
	if len(queries) == 0 {
		queries = []string{""}
	}
	found := map[string]sim.InstanceType{}
	for _, t := range queries {
		in := &awspricing.GetProductsInput{
			ServiceCode:   aws.String("AmazonEC2"),
			FormatVersion: aws.String("aws_v1"),
			MaxResults:    aws.Int32(100),
			Filters:       OnDemandFilters(region, osName, t),
		}
		for p := awspricing.NewGetProductsPaginator(client, in); p.HasMorePages(); {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("GetProducts: %w", err)
			}
			for _, doc := range page.PriceList {
				it, ok, err := parsePriceListItem(doc, currency)
				if err != nil {
					return nil, err
				}
				if ok {
					found[it.Name] = it
				}
			}
		}
	}
	for _, t := range types {
		if _, ok := found[t]; !ok {
			return nil, fmt.Errorf("the Price List has no on-demand %s price for %s in %s", priceListOS[osName], t, region)
		}
	}
	out := make([]sim.InstanceType, 0, len(found))
	for _, it := range found {
		out = append(out, it)
	}
	slices.SortFunc(out, func(a, b sim.InstanceType) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// parsePriceListItem reads one PriceList document: ok is false for one
// with no non-zero on-demand price (skipped, as Karpenter does).
func parsePriceListItem(doc, currency string) (sim.InstanceType, bool, error) {
	var item priceListItem
	if err := json.Unmarshal([]byte(doc), &item); err != nil {
		return sim.InstanceType{}, false, fmt.Errorf("a PriceList document is not JSON: %w", err)
	}
	a := item.Product.Attributes
	name := a["instanceType"]
	if name == "" {
		return sim.InstanceType{}, false, nil
	}
	var usd float64
	// Several terms are possible; take the first non-zero price in key order
	// so the result does not depend on map order.
	termKeys := sortedKeys(item.Terms.OnDemand)
	for _, tk := range termKeys {
		dims := item.Terms.OnDemand[tk].PriceDimensions
		for _, dk := range sortedKeys(dims) {
			s, ok := dims[dk].PricePerUnit[currency]
			if !ok {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			// ParseFloat reads "Inf" and "NaN" too: neither is a price.
			if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return sim.InstanceType{}, false, fmt.Errorf("%s: bad price %q", name, s)
			}
			if v > 0 && usd == 0 {
				usd = v
			}
		}
	}
	if usd == 0 {
		return sim.InstanceType{}, false, nil
	}
	vcpu, err := strconv.Atoi(a["vcpu"])
	if err != nil || vcpu < 1 {
		return sim.InstanceType{}, false, fmt.Errorf("%s: bad vcpu %q", name, a["vcpu"])
	}
	memText := strings.ReplaceAll(strings.TrimSpace(strings.TrimSuffix(a["memory"], "GiB")), ",", "")
	mem, err := strconv.ParseFloat(strings.TrimSpace(memText), 64)
	if err != nil || mem < 0 || math.IsNaN(mem) || math.IsInf(mem, 0) {
		return sim.InstanceType{}, false, fmt.Errorf("%s: bad memory %q", name, a["memory"])
	}
	arch := "amd64"
	if strings.Contains(a["physicalProcessor"], "Graviton") {
		arch = "arm64"
	}
	return sim.InstanceType{Name: name, VCPU: vcpu, MemoryGiB: mem, Speed: 1, USDPerHour: usd, Arch: arch, Burstable: Burstable(name)}, true, nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// FetchSpot asks EC2 DescribeSpotPriceHistory (paginated) for the spot
// price changes of types since since (docs/aws-model.md §6.2: with since =
// now, the price in effect now in each zone). The client must be
// configured for the region itself.
func FetchSpot(ctx context.Context, client ec2.DescribeSpotPriceHistoryAPIClient, osName string, types []string, since time.Time) ([]SpotRecord, error) {
	prod, ok := spotProduct[osName]
	if !ok {
		return nil, fmt.Errorf("unknown os %q (linux, rhel, suse, windows)", osName)
	}
	in := &ec2.DescribeSpotPriceHistoryInput{
		StartTime:           aws.Time(since),
		ProductDescriptions: []string{prod},
		MaxResults:          aws.Int32(1000),
	}
	for _, t := range types {
		in.InstanceTypes = append(in.InstanceTypes, ec2types.InstanceType(t))
	}
	var out []SpotRecord
	for p := ec2.NewDescribeSpotPriceHistoryPaginator(client, in); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("DescribeSpotPriceHistory: %w", err)
		}
		for _, sp := range page.SpotPriceHistory {
			v, err := strconv.ParseFloat(aws.ToString(sp.SpotPrice), 64)
			if err != nil || v < 0 {
				return nil, fmt.Errorf("%s: bad spot price %q", sp.InstanceType, aws.ToString(sp.SpotPrice))
			}
			out = append(out, SpotRecord{Type: string(sp.InstanceType), Zone: aws.ToString(sp.AvailabilityZone), Time: aws.ToTime(sp.Timestamp).UTC(), USD: v})
		}
	}
	slices.SortStableFunc(out, func(a, b SpotRecord) int {
		if c := strings.Compare(a.Type, b.Type); c != 0 {
			return c
		}
		if c := strings.Compare(a.Zone, b.Zone); c != 0 {
			return c
		}
		return a.Time.Compare(b.Time)
	})
	return out, nil
}

// SpotRecord is one spot price change, for a spot price file.
type SpotRecord struct {
	Type, Zone string
	Time       time.Time
	USD        float64
}
