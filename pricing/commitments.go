package pricing

import "fmt"

// normalizationFactors are the size-flexibility units of regional Linux
// Reserved Instances (docs/aws-model.md §5.3, EC2-UG apply_ri.md).
var normalizationFactors = map[string]float64{
	"nano": 0.25, "micro": 0.5, "small": 1, "medium": 2, "large": 4, "xlarge": 8,
	"2xlarge": 16, "3xlarge": 24, "4xlarge": 32, "6xlarge": 48, "8xlarge": 64, "9xlarge": 72,
	"10xlarge": 80, "12xlarge": 96, "16xlarge": 128, "18xlarge": 144, "24xlarge": 192,
	"32xlarge": 256, "48xlarge": 384, "56xlarge": 448, "112xlarge": 896,
}

// NormalizationFactor returns the units of an instance size ("xlarge" →
// 8, "m5.xlarge" → 8). The §5.3 table stops at 24xlarge; the sizes it
// does not list (3xlarge, 6xlarge, 32xlarge, ...) follow its own rule of 8
// units per xlarge [DERIVED]. ok is false for sizes such as "metal".
func NormalizationFactor(sizeOrType string) (float64, bool) {
	if _, s := SplitType(sizeOrType); s != "" {
		sizeOrType = s
	}
	f, ok := normalizationFactors[sizeOrType]
	return f, ok
}

// Reservation is Reserved Instances of one type (or family and size):
// Count of them, billed every clock-hour of the run whether used or not
// (docs/aws-model.md §5.3). Each covers 3600 instance-seconds per clock-hour.
// With Flexible (regional Linux RIs) the coverage is in normalization
// units across the whole family, applied to the smallest sizes first;
// otherwise it covers its exact type only.
type Reservation struct {
	Type       string  // e.g. m5.large
	Count      int     //
	USDPerHour float64 // effective hourly cost of one RI (upfront amortised + recurring)
	Flexible   bool
}

func (r Reservation) String() string {
	return fmt.Sprintf("%d × %s RI at $%.4g/h", r.Count, r.Type, r.USDPerHour)
}

// Savings Plan kinds (docs/aws-model.md §5.3).
const (
	ComputeSP     = "compute"
	EC2InstanceSP = "ec2_instance"
)

// SavingsPlan is an hourly dollar commitment. An EC2 Instance plan covers
// one family; a Compute plan any type, and on-demand Fargate usage when
// Rates holds its rates (FargateVCPUHours, FargateGBHours: Discount never
// applies to Fargate, whose plan rate is AWS's, not a guess). Usage it covers costs the plan's
// rate — the on-demand price less Discount, or Rates[type] when given —
// paid out of the commitment; the commitment is billed in full every
// clock-hour, used or not.
type SavingsPlan struct {
	Kind       string  // compute | ec2_instance
	Family     string  // ec2_instance only
	USDPerHour float64 // the commitment
	Discount   float64 // 0–1 off on-demand
	Rates      map[string]float64
}

func (p SavingsPlan) covers(t string) bool {
	if IsFargateUsage(t) {
		_, ok := p.Rates[t]
		return p.Kind == ComputeSP && ok
	}
	if p.Kind == EC2InstanceSP {
		fam, _ := SplitType(t)
		return fam == p.Family
	}
	return true
}

// rate is the plan's USD per hour for a type of on-demand price od.
func (p SavingsPlan) rate(t string, od float64) float64 {
	if r, ok := p.Rates[t]; ok {
		return r
	}
	return od * (1 - p.Discount)
}
