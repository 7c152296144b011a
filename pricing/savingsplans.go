package pricing

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/savingsplans"
	sptypes "github.com/aws/aws-sdk-go-v2/service/savingsplans/types"

	"github.com/capsim/capsim/internal/bounded"
)

// Savings Plan payment options, as capsim spells them.
const (
	NoUpfront      = "no_upfront"
	PartialUpfront = "partial_upfront"
	AllUpfront     = "all_upfront"
)

var spPayment = map[string]sptypes.SavingsPlanPaymentOption{
	NoUpfront: sptypes.SavingsPlanPaymentOptionNoUpfront, PartialUpfront: sptypes.SavingsPlanPaymentOptionPartialUpfront,
	AllUpfront: sptypes.SavingsPlanPaymentOptionAllUpfront,
}

var spKind = map[string]sptypes.SavingsPlanType{ComputeSP: sptypes.SavingsPlanTypeCompute, EC2InstanceSP: sptypes.SavingsPlanTypeEc2Instance}

// runInstancesOperation is the EC2 billing operation of each OS (the
// operation a Savings Plan rate applies to).
var runInstancesOperation = map[string]string{OSLinux: "RunInstances", OSRHEL: "RunInstances:0010", OSSUSE: "RunInstances:000g", OSWindows: "RunInstances:0002"}

// SavingsPlanRates are the hourly rates of one kind of Savings Plan, one
// term and payment option, in one region, per instance type: what
// `capsim pricing update --savings-plans` writes and a scenario's
// savings_plans[].rates_file reads.
type SavingsPlanRates struct {
	Kind      string // compute | ec2_instance
	TermYears int    // 1 | 3
	Payment   string // no_upfront | partial_upfront | all_upfront
	Region    string
	Date      string
	Source    string
	Rates     map[string]float64 // instance type → USD per hour
}

// SavingsPlanHeader is the column order of a Savings Plan rates file.
var SavingsPlanHeader = []string{"kind", "term_years", "payment_option", "region", "instance_type", "usd_per_hour", "source_date", "source"}

// FetchSavingsPlanRates asks the savingsplans API
// (DescribeSavingsPlansOfferingRates, paged by NextToken) for the rates of
// a kind of plan for types in region (shared tenancy, the OS's
// RunInstances operation), keeping the offerings of the given term and
// payment option.
func FetchSavingsPlanRates(ctx context.Context, client *savingsplans.Client, kind string, termYears int, payment, region, osName string, types []string) (*SavingsPlanRates, error) {
	k, ok := spKind[kind]
	if !ok {
		return nil, fmt.Errorf("unknown Savings Plan kind %s (compute, ec2_instance)", bounded.Quote(kind))
	}
	po, ok := spPayment[payment]
	if !ok {
		return nil, fmt.Errorf("unknown payment option %s (no_upfront, partial_upfront, all_upfront)", bounded.Quote(payment))
	}
	if termYears != 1 && termYears != 3 {
		return nil, fmt.Errorf("a Savings Plan term is 1 or 3 years, not %d", termYears)
	}
	op, ok := runInstancesOperation[osName]
	if !ok {
		return nil, fmt.Errorf("unknown os %s (linux, rhel, suse, windows)", bounded.Quote(osName))
	}
	filters := []sptypes.SavingsPlanOfferingRateFilterElement{
		{Name: sptypes.SavingsPlanRateFilterAttributeRegion, Values: []string{region}},
		{Name: sptypes.SavingsPlanRateFilterAttributeTenancy, Values: []string{"shared"}},
	}
	if len(types) > 0 {
		filters = append(filters, sptypes.SavingsPlanOfferingRateFilterElement{Name: sptypes.SavingsPlanRateFilterAttributeInstanceType, Values: types})
	}
	in := &savingsplans.DescribeSavingsPlansOfferingRatesInput{
		SavingsPlanTypes:          []sptypes.SavingsPlanType{k},
		SavingsPlanPaymentOptions: []sptypes.SavingsPlanPaymentOption{po},
		Products:                  []sptypes.SavingsPlanProductType{sptypes.SavingsPlanProductTypeEc2},
		ServiceCodes:              []sptypes.SavingsPlanRateServiceCode{sptypes.SavingsPlanRateServiceCodeEc2},
		Operations:                []string{op},
		Filters:                   filters,
		MaxResults:                1000,
	}
	out := &SavingsPlanRates{Kind: kind, TermYears: termYears, Payment: payment, Region: region, Rates: map[string]float64{}}
	for page := 0; ; page++ {
		if page > 10000 {
			return nil, fmt.Errorf("DescribeSavingsPlansOfferingRates: more than 10000 pages")
		}
		res, err := client.DescribeSavingsPlansOfferingRates(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("DescribeSavingsPlansOfferingRates: %w", err)
		}
		for _, r := range res.SearchResults {
			if o := r.SavingsPlanOffering; o == nil || o.DurationSeconds != int64(termYears)*365*24*3600 {
				continue
			}
			props := map[string]string{}
			for _, p := range r.Properties {
				props[aws.ToString(p.Name)] = aws.ToString(p.Value)
			}
			t := props["instanceType"]
			usage := aws.ToString(r.UsageType)
			// Only the shared-tenancy instance-hour rate ("…BoxUsage:m5.large").
			if t == "" || !strings.HasSuffix(usage, "BoxUsage:"+t) || strings.Contains(usage, "HostBoxUsage") {
				continue
			}
			v, err := strconv.ParseFloat(aws.ToString(r.Rate), 64)
			if err != nil || v < 0 {
				return nil, fmt.Errorf("%s: bad rate %s", t, bounded.Quote(aws.ToString(r.Rate)))
			}
			out.Rates[t] = v
		}
		if aws.ToString(res.NextToken) == "" {
			break
		}
		in.NextToken = res.NextToken
	}
	for _, t := range types {
		if _, ok := out.Rates[t]; !ok {
			return nil, fmt.Errorf("no %s Savings Plan rate for %s in %s (%d year, %s)", kind, t, region, termYears, payment)
		}
	}
	if kind == ComputeSP && osName == OSLinux {
		if err := fetchFargateRates(ctx, client, out, po); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fetchFargateRates adds a Compute plan's Fargate rates to out: the
// Fargate product of AmazonECS in the region, the Linux/x86 usage types
// "<region code>-Fargate-vCPU-Hours:perCPU" and "…-Fargate-GB-Hours"
// (docs/ecs.md "Fargate and Savings Plans"). None found is no error: the
// plan then covers no Fargate usage, and the bill says so.
func fetchFargateRates(ctx context.Context, client *savingsplans.Client, out *SavingsPlanRates, po sptypes.SavingsPlanPaymentOption) error {
	in := &savingsplans.DescribeSavingsPlansOfferingRatesInput{
		SavingsPlanTypes:          []sptypes.SavingsPlanType{sptypes.SavingsPlanTypeCompute},
		SavingsPlanPaymentOptions: []sptypes.SavingsPlanPaymentOption{po},
		Products:                  []sptypes.SavingsPlanProductType{sptypes.SavingsPlanProductTypeFargate},
		ServiceCodes:              []sptypes.SavingsPlanRateServiceCode{sptypes.SavingsPlanRateServiceCodeFargate},
		Filters:                   []sptypes.SavingsPlanOfferingRateFilterElement{{Name: sptypes.SavingsPlanRateFilterAttributeRegion, Values: []string{out.Region}}},
		MaxResults:                1000,
	}
	for page := 0; ; page++ {
		if page > 10000 {
			return fmt.Errorf("DescribeSavingsPlansOfferingRates (Fargate): more than 10000 pages")
		}
		res, err := client.DescribeSavingsPlansOfferingRates(ctx, in)
		if err != nil {
			return fmt.Errorf("DescribeSavingsPlansOfferingRates (Fargate): %w", err)
		}
		for _, r := range res.SearchResults {
			if o := r.SavingsPlanOffering; o == nil || o.DurationSeconds != int64(out.TermYears)*365*24*3600 {
				continue
			}
			usage := aws.ToString(r.UsageType)
			for _, key := range []string{FargateVCPUHours, FargateGBHours} {
				// "USE1-Fargate-GB-Hours", not "…-Fargate-ARM-…" nor "…-SpotUsage-…".
				if prefix, ok := strings.CutSuffix(usage, "-"+key); !ok || strings.Contains(prefix, "-") {
					continue
				}
				v, err := strconv.ParseFloat(aws.ToString(r.Rate), 64)
				if err != nil || v < 0 {
					return fmt.Errorf("%s: bad rate %s", usage, bounded.Quote(aws.ToString(r.Rate)))
				}
				out.Rates[key] = v
			}
		}
		if aws.ToString(res.NextToken) == "" {
			return nil
		}
		in.NextToken = res.NextToken
	}
}

// WriteSavingsPlanRates writes a rates file that LoadSavingsPlanRates reads.
func WriteSavingsPlanRates(w io.Writer, r *SavingsPlanRates) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SavingsPlanHeader); err != nil {
		return err
	}
	types := make([]string, 0, len(r.Rates))
	for t := range r.Rates {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		if err := cw.Write([]string{r.Kind, strconv.Itoa(r.TermYears), r.Payment, r.Region, t,
			strconv.FormatFloat(r.Rates[t], 'f', -1, 64), r.Date, r.Source}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// LoadSavingsPlanRates reads a Savings Plan rates file: one kind, term,
// payment option and region, a rate per instance type.
func LoadSavingsPlanRates(path string) (*SavingsPlanRates, error) {
	f, err := bounded.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadSavingsPlanRates(f, path)
}

// ReadSavingsPlanRates reads a Savings Plan rates file from r; path is its
// name in messages.
func ReadSavingsPlanRates(r io.Reader, path string) (*SavingsPlanRates, error) {
	cr := newCSV(r)
	cr.FieldsPerRecord = 0 // every row as long as the header
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) < 2 || !slices.Equal(rows[0], SavingsPlanHeader) {
		return nil, fmt.Errorf("%s: want the header %s and at least one row", path, strings.Join(SavingsPlanHeader, ","))
	}
	out := &SavingsPlanRates{Rates: map[string]float64{}}
	for i, row := range rows[1:] {
		years, err := strconv.Atoi(row[1])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: term_years %s is not a whole number", path, i+2, bounded.Quote(row[1]))
		}
		v, err := strconv.ParseFloat(row[5], 64)
		if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s:%d: usd_per_hour %s is not a price (a number ≥ 0)", path, i+2, bounded.Quote(row[5]))
		}
		if i == 0 {
			out.Kind, out.TermYears, out.Payment, out.Region, out.Date, out.Source = row[0], years, row[2], row[3], row[6], row[7]
		} else if row[0] != out.Kind || years != out.TermYears || row[2] != out.Payment || row[3] != out.Region {
			return nil, fmt.Errorf("%s:%d: one file holds one kind, term, payment option and region", path, i+2)
		}
		if _, twice := out.Rates[row[4]]; twice {
			return nil, fmt.Errorf("%s:%d: instance_type %s has a rate already", path, i+2, bounded.Quote(row[4]))
		}
		out.Rates[row[4]] = v
	}
	if _, ok := spKind[out.Kind]; !ok {
		return nil, fmt.Errorf("%s:2: unknown kind %s", path, bounded.Quote(out.Kind))
	}
	return out, nil
}
