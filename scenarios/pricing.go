package scenarios

import (
	"fmt"
	"path/filepath"

	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// Pricing is how the run is billed: the price list, the operating system,
// spot prices, commitments (Reserved Instances, Savings Plans), burstable
// credits and the extra lines of a real bill. Every rate has a documented
// default (see pricing.Charge) that these keys override.
type Pricing struct {
	Region       string            `yaml:"region" json:"region" jsonschema_description:"AWS region of the prices (default us-east-1; another region needs a catalogue file of that region)"`
	Catalogue    string            `yaml:"catalogue,omitempty" json:"catalogue,omitempty" jsonschema_description:"price list file written by capsim pricing update (path relative to the scenario file); default: the embedded us-east-1 Linux catalogue"`
	OS           string            `yaml:"os" json:"os" jsonschema:"enum=linux,enum=rhel,enum=suse,enum=windows" jsonschema_description:"operating system: linux and windows bill per second with a 60-s minimum, rhel and suse per started hour (default linux)"`
	Spot         *SpotPricing      `yaml:"spot,omitempty" json:"spot,omitempty" jsonschema_description:"spot price of spot instances (default: on-demand × the family's median spot ratio of a 2022 us-east-1 sample)"`
	Reserved     []ReservedSpec    `yaml:"reserved,omitempty" json:"reserved,omitempty" jsonschema_description:"Reserved Instances, billed every hour whether used or not"`
	SavingsPlans []SavingsPlanSpec `yaml:"savings_plans,omitempty" json:"savings_plans,omitempty" jsonschema_description:"Savings Plans: hourly commitments applied after RIs"`
	Burstable    BurstablePricing  `yaml:"burstable" json:"burstable"`
	EBS          EBSPricing        `yaml:"ebs" json:"ebs"`
	LoadBalancer LBPricing         `yaml:"load_balancer" json:"load_balancer"`
	DataTransfer TransferPricing   `yaml:"data_transfer" json:"data_transfer"`
	WhatIf       WhatIfPricing     `yaml:"savings_plan_what_if" json:"savings_plan_what_if"`

	cat      *pricing.Catalogue // the price list in use, found by Parse
	series   *pricing.SpotSeries
	warnings Errors
}

// SpotPricing is exactly one of a discount off on-demand or a price file.
type SpotPricing struct {
	Discount  *float64 `yaml:"discount,omitempty" json:"discount,omitempty" jsonschema:"minimum=0,exclusiveMaximum=1" jsonschema_description:"fraction off the on-demand price, 0 ≤ d < 1"`
	PriceFile string   `yaml:"price_file,omitempty" json:"price_file,omitempty" jsonschema_description:"spot price history CSV (instance_type, availability_zone, timestamp, usd_per_hour), as capsim pricing update --spot writes; the price in effect is the latest change before each moment"`
}

// ReservedSpec is Count Reserved Instances of a type, or of a family and size.
type ReservedSpec struct {
	Type         string   `yaml:"type,omitempty" json:"type,omitempty" jsonschema_description:"instance type, e.g. m5.large (or give family and size)"`
	Family       string   `yaml:"family,omitempty" json:"family,omitempty" jsonschema_description:"instance family, e.g. m5, with size"`
	Size         string   `yaml:"size,omitempty" json:"size,omitempty" jsonschema_description:"with family: the RI's size, e.g. large (normalization factor 4)"`
	Count        int      `yaml:"count" json:"count" jsonschema:"required,minimum=1"`
	USDPerHour   *float64 `yaml:"usd_per_hour,omitempty" json:"usd_per_hour,omitempty" jsonschema_description:"effective hourly cost of one RI (upfront amortised + recurring); or give discount"`
	Discount     *float64 `yaml:"discount,omitempty" json:"discount,omitempty" jsonschema_description:"fraction off the type's on-demand price; or give usd_per_hour"`
	SizeFlexible *bool    `yaml:"size_flexible,omitempty" json:"size_flexible,omitempty" jsonschema_description:"regional Linux RIs cover any size of their family by normalization factor (default true for os linux; false = zonal or exact type)"`
}

// SavingsPlanSpec is one Savings Plan.
type SavingsPlanSpec struct {
	Kind       string             `yaml:"kind" json:"kind" jsonschema:"required,enum=compute,enum=ec2_instance"`
	Family     string             `yaml:"family,omitempty" json:"family,omitempty" jsonschema_description:"ec2_instance plans: the instance family they cover"`
	USDPerHour float64            `yaml:"usd_per_hour" json:"usd_per_hour" jsonschema:"required,minimum=0" jsonschema_description:"hourly commitment, billed every hour used or not"`
	Discount   float64            `yaml:"discount" json:"discount" jsonschema:"minimum=0,exclusiveMaximum=1" jsonschema_description:"the plan's rate: on-demand less this fraction (or give rates or rates_file)"`
	Rates      map[string]float64 `yaml:"rates,omitempty" json:"rates,omitempty" jsonschema_description:"USD per hour per instance type, overriding discount and rates_file"`
	RatesFile  string             `yaml:"rates_file,omitempty" json:"rates_file,omitempty" jsonschema_description:"rates per instance type from capsim pricing update --savings-plans (DescribeSavingsPlansOfferingRates); same kind and region"`
}

// BurstablePricing is the CPU credit mode of t2/t3/t3a/t4g types.
type BurstablePricing struct {
	Mode           string   `yaml:"mode,omitempty" json:"mode,omitempty" jsonschema:"enum=standard,enum=unlimited" jsonschema_description:"default: AWS's (standard for t2, unlimited for t3, t3a, t4g)"`
	USDPerVCPUHour *float64 `yaml:"usd_per_vcpu_hour,omitempty" json:"usd_per_vcpu_hour,omitempty" jsonschema_description:"unlimited-mode surplus credit charge (default 0.05, Linux)"`
}

// EBSPricing is the volumes line.
type EBSPricing struct {
	GBPerInstance float64 `yaml:"gb_per_instance" json:"gb_per_instance" jsonschema:"minimum=0" jsonschema_description:"EBS GB attached to each instance (default 0: no line)"`
	USDPerGBMonth float64 `yaml:"usd_per_gb_month" json:"usd_per_gb_month" jsonschema:"minimum=0" jsonschema_description:"default 0.08 (gp3, us-east-1)"`
}

// LBPricing is the Application Load Balancer line.
type LBPricing struct {
	Enabled               *bool   `yaml:"enabled,omitempty" json:"enabled,omitempty" jsonschema_description:"bill the ALB (default true)"`
	USDPerHour            float64 `yaml:"usd_per_hour" json:"usd_per_hour" jsonschema:"minimum=0" jsonschema_description:"default 0.0225 (us-east-1)"`
	USDPerLCUHour         float64 `yaml:"usd_per_lcu_hour" json:"usd_per_lcu_hour" jsonschema:"minimum=0" jsonschema_description:"default 0.008 (us-east-1)"`
	RequestsPerConnection float64 `yaml:"requests_per_connection" json:"requests_per_connection" jsonschema_description:"requests per new client connection, for the LCU's 25 new connections/s (default 1)"`
}

// TransferPricing is the data-out line.
type TransferPricing struct {
	ResponseBytes float64 `yaml:"response_bytes" json:"response_bytes" jsonschema:"minimum=0" jsonschema_description:"bytes sent per completed request (default 0: no line); also the ALB's processed bytes"`
	USDPerGB      float64 `yaml:"usd_per_gb" json:"usd_per_gb" jsonschema:"minimum=0" jsonschema_description:"data out to the internet (default 0.09, first 10 TB a month, us-east-1)"`
}

// WhatIfPricing sets the Savings Plan what-if of the cost report.
type WhatIfPricing struct {
	Discount float64 `yaml:"discount" json:"discount" jsonschema_description:"Compute Savings Plan discount the what-if assumes (default: the first compute plan's, else 0.28, an assumption — set your own rate)"`
}

// defaultWhatIfDiscount is an assumption, not an AWS figure: a 1-year,
// no-upfront Compute Savings Plan discount of the order AWS's calculator
// shows for current general-purpose types. The report says so.
const defaultWhatIfDiscount = 0.28

// Warnings returns problems that do not stop a run (an RI for a type the
// fleet does not run, ...), placed like errors.
func (s *Scenario) Warnings() Errors {
	ws := append(Errors(nil), s.Pricing.warnings...)
	ws.Sort()
	return ws
}

// PriceList is the catalogue the scenario's prices come from.
func (s *Scenario) PriceList() *pricing.Catalogue {
	if s.Pricing.cat != nil {
		return s.Pricing.cat
	}
	return pricing.Embedded()
}

func (s *Scenario) resolvePath(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.dir, p)
}

// catalogue loads pricing.catalogue before instance types are resolved.
func (c *checker) catalogue() {
	p := &c.s.Pricing
	if !c.has("pricing.catalogue") || p.Catalogue == "" {
		return
	}
	cat, err := pricing.LoadCatalogue(c.s.resolvePath(p.Catalogue))
	if err != nil {
		c.bad("pricing.catalogue", "%v", err)
		return
	}
	p.cat = cat
}

func (c *checker) warn(path, format string, a ...any) {
	at := c.d.Pos(path)
	c.s.Pricing.warnings = append(c.s.Pricing.warnings, Error{File: c.d.File, Line: at.Line, Column: at.Col, Field: path, Msg: "warning: " + fmt.Sprintf(format, a...)})
}

func (c *checker) pricing() {
	p := &c.s.Pricing
	cat := c.s.PriceList()
	switch {
	case !c.has("pricing.region"):
		p.Region = cat.Region
		if p.Region == "" {
			p.Region = pricing.CatalogueRegion
		}
	case p.cat == nil && p.Region != pricing.CatalogueRegion:
		c.bad("pricing.region", "no prices for region %q: the embedded catalogue (%s) covers %s only; fetch one with `capsim pricing update --region %s --out prices.csv` and set pricing.catalogue", p.Region, pricing.CatalogueSource, pricing.CatalogueRegion, p.Region)
	case p.cat != nil && cat.Region != "" && p.Region != cat.Region:
		c.bad("pricing.region", "is %q but the catalogue %s holds prices for %s", p.Region, p.Catalogue, cat.Region)
	}
	if c.enum("pricing.os", &p.OS, pricing.OSLinux, pricing.OSLinux, pricing.OSRHEL, pricing.OSSUSE, pricing.OSWindows) &&
		p.OS != cat.OS && !c.given("instance_types") {
		c.warn("pricing.os", "the catalogue (%s) has %s prices; os %s changes the billing granularity, not the prices (fetch %s prices with capsim pricing update --os %s)", cat.Source, cat.OS, p.OS, p.OS, p.OS)
	}
	c.spot()
	c.reserved()
	c.savingsPlans()
	if c.enum("pricing.burstable.mode", &p.Burstable.Mode, "", pricing.Standard, pricing.Unlimited) &&
		p.Burstable.Mode != "" && !pricing.Burstable(c.s.Fleet.InstanceType) {
		c.warn("pricing.burstable.mode", "the fleet runs %s, which earns no CPU credits (t2, t3, t3a, t4g do): the mode changes nothing", c.s.Fleet.InstanceType)
	}
	if v := p.Burstable.USDPerVCPUHour; v != nil && *v < 0 {
		c.bad("pricing.burstable.usd_per_vcpu_hour", "must not be negative, got %g", *v)
	}
	nonNeg := func(path string, v *float64, def float64) {
		if !c.has(path) {
			*v = def
		} else if *v < 0 {
			c.bad(path, "must not be negative, got %g", *v)
		}
	}
	nonNeg("pricing.ebs.gb_per_instance", &p.EBS.GBPerInstance, 0)
	nonNeg("pricing.ebs.usd_per_gb_month", &p.EBS.USDPerGBMonth, pricing.DefaultEBSUSDPerGBMonth)
	if p.LoadBalancer.Enabled == nil {
		on := true
		p.LoadBalancer.Enabled = &on
	}
	nonNeg("pricing.load_balancer.usd_per_hour", &p.LoadBalancer.USDPerHour, pricing.DefaultALBUSDPerHour)
	nonNeg("pricing.load_balancer.usd_per_lcu_hour", &p.LoadBalancer.USDPerLCUHour, pricing.DefaultALBUSDPerLCUHour)
	c.positiveFloat("pricing.load_balancer.requests_per_connection", &p.LoadBalancer.RequestsPerConnection, 1)
	nonNeg("pricing.data_transfer.response_bytes", &p.DataTransfer.ResponseBytes, 0)
	nonNeg("pricing.data_transfer.usd_per_gb", &p.DataTransfer.USDPerGB, pricing.DefaultTransferUSDPerGB)
	if !c.has("pricing.savings_plan_what_if.discount") {
		p.WhatIf.Discount = defaultWhatIfDiscount
		ft, _ := c.s.resolveType(c.s.Fleet.InstanceType)
		for _, sp := range p.SavingsPlans {
			if sp.Kind != pricing.ComputeSP {
				continue
			}
			if r, ok := sp.Rates[ft.Name]; ok && ft.USDPerHour > 0 && r < ft.USDPerHour {
				p.WhatIf.Discount = 1 - r/ft.USDPerHour
				break
			}
			if sp.Discount > 0 && sp.Discount < 1 {
				p.WhatIf.Discount = sp.Discount
				break
			}
		}
	} else if d := p.WhatIf.Discount; d <= 0 || d >= 1 {
		c.bad("pricing.savings_plan_what_if.discount", "is a fraction off on-demand: greater than 0 and less than 1, got %g", d)
	}
}

func (c *checker) spot() {
	sp := c.s.Pricing.Spot
	if sp == nil || !c.has("pricing.spot") {
		return
	}
	switch d, f := c.given("pricing.spot.discount"), c.given("pricing.spot.price_file"); {
	case d && f:
		c.bad("pricing.spot", "has both discount and price_file: give one")
	case !d && !f:
		c.bad("pricing.spot", "needs discount (a fraction off on-demand) or price_file (a spot price history)")
	case d && sp.Discount != nil && (*sp.Discount < 0 || *sp.Discount >= 1):
		c.bad("pricing.spot.discount", "is a fraction off on-demand: at least 0 and less than 1, got %g", *sp.Discount)
	case f && c.has("pricing.spot.price_file"):
		series, err := pricing.LoadSpotSeries(c.s.resolvePath(sp.PriceFile))
		if err != nil {
			c.bad("pricing.spot.price_file", "%v", err)
			return
		}
		c.s.Pricing.series = series
	}
}

func (c *checker) reserved() {
	p := &c.s.Pricing
	fleetFam, _ := pricing.SplitType(c.s.Fleet.InstanceType)
	for i := range p.Reserved {
		r := &p.Reserved[i]
		at := strictyaml.IndexPath("pricing.reserved", i)
		switch t, f := c.given(at+".type"), c.given(at+".family"); {
		case t && f:
			c.bad(at, "has both type and family: give a type (m5.large), or a family and size")
			continue
		case !t && !f:
			c.bad(at, "needs a type (m5.large), or a family (m5) and size (large)")
			continue
		case f && !c.given(at+".size"):
			c.bad(at, "family %s needs a size (nano … 24xlarge): the RI's normalization factor depends on it", r.Family)
			continue
		case t && c.given(at+".size"):
			c.bad(at+".size", "goes with family, not type")
		}
		name := r.Type
		if name == "" {
			name = r.Family + "." + r.Size
		}
		_, known := c.s.resolveType(name)
		if !known {
			field := at + ".type"
			if r.Type == "" {
				field = at + ".family"
			}
			c.bad(field, "unknown instance type %q%s", name, hint(c.s.nearTypes(name)))
			continue
		}
		if r.Count < 1 {
			c.bad(at+".count", "must be at least 1, got %d", r.Count)
		}
		flex := p.OS == pricing.OSLinux
		if r.SizeFlexible != nil {
			if *r.SizeFlexible && p.OS != pricing.OSLinux {
				c.bad(at+".size_flexible", "size flexibility applies to Linux regional RIs only, not os %s (docs/aws-model.md §5.3)", p.OS)
			}
			flex = *r.SizeFlexible
		}
		if _, ok := pricing.NormalizationFactor(name); flex && !ok {
			c.bad(at, "size of %s has no normalization factor: set size_flexible: false", name)
		}
		switch {
		case r.USDPerHour != nil && r.Discount != nil:
			c.bad(at, "has both usd_per_hour and discount: give one")
		case r.USDPerHour == nil && r.Discount == nil:
			c.bad(at, "needs usd_per_hour (the RI's effective hourly cost) or discount (off on-demand)")
		case r.USDPerHour != nil && *r.USDPerHour < 0:
			c.bad(at+".usd_per_hour", "must not be negative, got %g", *r.USDPerHour)
		case r.Discount != nil && (*r.Discount < 0 || *r.Discount >= 1):
			c.bad(at+".discount", "is a fraction off on-demand: at least 0 and less than 1, got %g", *r.Discount)
		}
		fam, _ := pricing.SplitType(name)
		if flex && fam != fleetFam || !flex && name != c.s.Fleet.InstanceType {
			what := "type " + name
			if flex {
				what = "family " + fam
			}
			c.warn(at, "the fleet runs %s, not the %s: this RI will be billed and cover nothing", c.s.Fleet.InstanceType, what)
		}
	}
}

func (c *checker) savingsPlans() {
	p := &c.s.Pricing
	for i := range p.SavingsPlans {
		sp := &p.SavingsPlans[i]
		at := strictyaml.IndexPath("pricing.savings_plans", i)
		if !c.enum(at+".kind", &sp.Kind, "", pricing.ComputeSP, pricing.EC2InstanceSP) {
			continue
		}
		switch {
		case sp.Kind == pricing.EC2InstanceSP && sp.Family == "":
			c.bad(at, "an ec2_instance plan needs the family it covers (e.g. family: m5)")
		case sp.Kind == pricing.ComputeSP && sp.Family != "":
			c.bad(at+".family", "a compute plan covers every family; family goes with kind ec2_instance")
		}
		if !c.given(at + ".usd_per_hour") {
			c.bad(at, "needs usd_per_hour, the hourly commitment")
		} else if sp.USDPerHour < 0 {
			c.bad(at+".usd_per_hour", "a commitment cannot be negative, got %g", sp.USDPerHour)
		}
		if c.has(at+".rates_file") && sp.RatesFile != "" {
			c.ratesFile(at, sp)
		}
		if !c.given(at+".discount") && len(sp.Rates) == 0 && !c.given(at+".rates_file") {
			c.bad(at, "needs discount (a fraction off on-demand), rates per instance type, or a rates_file")
		} else if sp.Discount < 0 || sp.Discount >= 1 {
			c.bad(at+".discount", "is a fraction off on-demand: at least 0 and less than 1, got %g", sp.Discount)
		}
		for t, r := range sp.Rates {
			if r < 0 {
				c.bad(strictyaml.JoinPath(at+".rates", t), "must not be negative, got %g", r)
			}
			if pricing.IsFargateUsage(t) && sp.Kind != pricing.ComputeSP {
				c.bad(strictyaml.JoinPath(at+".rates", t), "only compute plans cover Fargate (docs/ecs.md, \"Fargate and Savings Plans\")")
			}
		}
		fleetFam, _ := pricing.SplitType(c.s.Fleet.InstanceType)
		if sp.Kind == pricing.EC2InstanceSP && sp.Family != "" && sp.Family != fleetFam {
			c.warn(at+".family", "the fleet runs %s, not the %s family: this plan will be billed and cover nothing", c.s.Fleet.InstanceType, sp.Family)
		}
	}
}

// ratesFile merges a Savings Plan rates file into the plan's rates (the
// scenario's own rates win).
func (c *checker) ratesFile(at string, sp *SavingsPlanSpec) {
	r, err := pricing.LoadSavingsPlanRates(c.s.resolvePath(sp.RatesFile))
	switch {
	case err != nil:
		c.bad(at+".rates_file", "%v", err)
		return
	case r.Kind != sp.Kind:
		c.bad(at+".rates_file", "holds %s plan rates, not %s", r.Kind, sp.Kind)
		return
	case r.Region != c.s.Pricing.Region:
		c.bad(at+".rates_file", "holds rates for %s, the scenario prices %s", r.Region, c.s.Pricing.Region)
		return
	}
	if sp.Rates == nil {
		sp.Rates = map[string]float64{}
	}
	for t, v := range r.Rates {
		if _, own := sp.Rates[t]; !own {
			sp.Rates[t] = v
		}
	}
}

// PricingPlan is how pricing.Charge bills this scenario's runs.
func (s *Scenario) PricingPlan() pricing.Plan {
	p := s.Pricing
	price := func(t string) float64 {
		it, _ := s.resolveType(t)
		return it.USDPerHour
	}
	plan := pricing.Plan{
		Start: s.Start, OS: p.OS, OnDemand: price, CreditMode: p.Burstable.Mode,
		EBS: pricing.EBS{GBPerInstance: p.EBS.GBPerInstance, USDPerGBMonth: p.EBS.USDPerGBMonth},
		LoadBalancer: pricing.LoadBalancerCost{
			Enabled: p.LoadBalancer.Enabled == nil || *p.LoadBalancer.Enabled, USDPerHour: p.LoadBalancer.USDPerHour,
			USDPerLCUHour: p.LoadBalancer.USDPerLCUHour, RequestsPerConnection: p.LoadBalancer.RequestsPerConnection,
			ResponseBytes: p.DataTransfer.ResponseBytes,
		},
		DataTransfer:   pricing.DataTransfer{ResponseBytes: p.DataTransfer.ResponseBytes, USDPerGB: p.DataTransfer.USDPerGB},
		WhatIfDiscount: p.WhatIf.Discount,
		Fargate:        s.FargateRates(),
		WhatIfSource:   "pricing.savings_plan_what_if.discount",
	}
	if !s.has("pricing.savings_plan_what_if.discount") {
		plan.WhatIfSource = "assumed (no compute plan in the scenario): set pricing.savings_plan_what_if.discount to your rate"
		for _, sp := range p.SavingsPlans {
			if sp.Kind == pricing.ComputeSP && p.WhatIf.Discount != defaultWhatIfDiscount || sp.Kind == pricing.ComputeSP && sp.Discount == p.WhatIf.Discount {
				plan.WhatIfSource = "the scenario's compute Savings Plan"
				break
			}
		}
	}
	if p.Burstable.USDPerVCPUHour != nil {
		plan.SurplusUSDPerVCPUHour = *p.Burstable.USDPerVCPUHour
	}
	def := pricing.SpotDiscount{OnDemand: price}
	plan.Spot = def
	if p.Spot != nil && p.Spot.Discount != nil {
		plan.Spot = pricing.SpotDiscount{Discount: p.Spot.Discount, OnDemand: price}
	}
	if p.series != nil {
		series := *p.series
		series.Start, series.Fallback = s.Start, def
		plan.Spot = &series
	}
	for _, r := range p.Reserved {
		name := r.Type
		if name == "" {
			name = r.Family + "." + r.Size
		}
		res := pricing.Reservation{Type: name, Count: r.Count, Flexible: p.OS == pricing.OSLinux}
		if r.SizeFlexible != nil {
			res.Flexible = *r.SizeFlexible
		}
		if r.USDPerHour != nil {
			res.USDPerHour = *r.USDPerHour
		} else if r.Discount != nil {
			res.USDPerHour = price(name) * (1 - *r.Discount)
		}
		plan.Reserved = append(plan.Reserved, res)
	}
	plan.SavingsPlans = s.PricingPlanSavingsPlans()
	return plan
}

// has says the parsed file gave path a value.
func (s *Scenario) has(path string) bool {
	_, ok := s.at[path]
	return ok
}

// hint suggests names after an unknown one.
func hint(near []string) string {
	if len(near) == 0 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", near[0])
}

// ResolveType finds an instance type by name: the scenario's
// instance_types over its catalogue (pricing.catalogue or the embedded
// one), with its price and the price's source.
func (s *Scenario) ResolveType(name string) (sim.InstanceType, bool) { return s.resolveType(name) }
