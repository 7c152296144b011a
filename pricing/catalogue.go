package pricing

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/capsim/capsim/internal/bounded"
	"github.com/capsim/capsim/sim"
)

// The embedded catalogue's provenance, for reports and error messages.
const (
	// CatalogueSource says where the embedded prices come from.
	CatalogueSource = "AWS Price List API via Karpenter, us-east-1, 2026-07-20"
	// CatalogueRegion is the only region the embedded catalogue covers.
	CatalogueRegion = "us-east-1"
	// CatalogueDate is the day the embedded prices were taken.
	CatalogueDate = "2026-07-20"
)

//go:embed data/ec2_ondemand_linux_us-east-1_2026-07-20.csv
var catalogueCSV []byte

// Catalogue is a price list of instance types in one region: the embedded
// one, or a file written by `capsim pricing update` that a scenario names
// with pricing.catalogue. Every price in it carries Source and Date.
type Catalogue struct {
	Source string // where the prices come from
	Date   string // the day they were taken (YYYY-MM-DD)
	Region string
	OS     string // linux | rhel | suse | windows: the operating system priced
	types  map[string]sim.InstanceType
	names  []string
}

var embedded = sync.OnceValue(func() *Catalogue {
	c, err := ReadCatalogue(bytes.NewReader(catalogueCSV), "embedded catalogue")
	if err != nil {
		// The file is embedded at build time and checked by the tests, so
		// this is a build defect, not an input error.
		panic("pricing: embedded catalogue: " + err.Error())
	}
	c.Source, c.Date, c.Region, c.OS = CatalogueSource, CatalogueDate, CatalogueRegion, "linux"
	for n, t := range c.types {
		t.PriceSource = CatalogueSource
		c.types[n] = t
	}
	return c
})

// Embedded returns the catalogue built into capsim (us-east-1, Linux).
func Embedded() *Catalogue { return embedded() }

// Lookup returns the on-demand Linux instance type of this name in
// CatalogueRegion, with its price and PriceSource set to CatalogueSource.
// Speed is 1.0: the catalogue has no per-vCPU speed figures.
func Lookup(name string) (sim.InstanceType, bool) { return embedded().Lookup(name) }

// Types returns every instance type name in the embedded catalogue, sorted.
func Types() []string { return embedded().Types() }

// Lookup returns the instance type of this name, with its price source.
func (c *Catalogue) Lookup(name string) (sim.InstanceType, bool) {
	t, ok := c.types[name]
	return t, ok
}

// Types returns every instance type name in the catalogue, sorted.
func (c *Catalogue) Types() []string { return slices.Clone(c.names) }

// LoadCatalogue reads a catalogue file (see ReadCatalogue).
func LoadCatalogue(path string) (*Catalogue, error) {
	f, err := bounded.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := ReadCatalogue(f, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// CatalogueHeader is the column order `capsim pricing update` writes. Only
// instance_type, vcpu, memory_gib and ondemand_usd_per_hour are required
// to read a file; region, source_date, source and operating_system, when
// present, must be the same on every row.
var CatalogueHeader = []string{"instance_type", "family", "region", "vcpu", "memory_gib", "arch",
	"ondemand_usd_per_hour", "source_date", "operating_system", "source"}

// ReadCatalogue reads a catalogue CSV: a header row naming at least
// instance_type, vcpu, memory_gib and ondemand_usd_per_hour, then one row
// per type. Errors name the line. name is used as the source when the file
// has no source column.
func ReadCatalogue(r io.Reader, name string) (*Catalogue, error) {
	cr := newCSV(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("header: the file is empty")
		}
		return nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	for _, n := range []string{"instance_type", "vcpu", "memory_gib", "ondemand_usd_per_hour"} {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("header has no column %s (want %s)", bounded.Quote(n), strings.Join(CatalogueHeader, ","))
		}
	}
	c := &Catalogue{Source: name, OS: "linux", types: map[string]sim.InstanceType{}}
	same := map[string]string{}
	err = eachRow(cr, head, func(line int, rec []string) error {
		get := func(n string) string {
			if i, ok := col[n]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		vcpu, err := strconv.Atoi(get("vcpu"))
		if err != nil || vcpu < 1 {
			return fmt.Errorf("line %d: bad vcpu %s", line, bounded.Quote(get("vcpu")))
		}
		mem, err := strconv.ParseFloat(get("memory_gib"), 64)
		if err != nil || mem < 0 || mem != mem {
			return fmt.Errorf("line %d: bad memory_gib %s", line, bounded.Quote(get("memory_gib")))
		}
		usd, err := strconv.ParseFloat(get("ondemand_usd_per_hour"), 64)
		if err != nil || usd < 0 || usd != usd || usd > 1e6 {
			return fmt.Errorf("line %d: bad ondemand_usd_per_hour %s", line, bounded.Quote(get("ondemand_usd_per_hour")))
		}
		n := get("instance_type")
		if n == "" {
			return fmt.Errorf("line %d: empty instance_type", line)
		}
		if _, dup := c.types[n]; dup {
			return fmt.Errorf("line %d: instance_type %s appears twice", line, bounded.Quote(n))
		}
		for _, k := range []string{"region", "source_date", "source", "operating_system"} {
			v := get(k)
			if prev, seen := same[k]; seen && prev != v {
				return fmt.Errorf("line %d: %s %s differs from earlier rows (%s): one catalogue holds one %s", line, k, bounded.Quote(v), bounded.Quote(prev), k)
			}
			same[k] = v
		}
		c.types[n] = sim.InstanceType{
			Name: n, VCPU: vcpu, MemoryGiB: mem, Speed: 1, USDPerHour: usd,
			Arch: get("arch"), Burstable: Burstable(n),
		}
		c.names = append(c.names, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(c.names) == 0 {
		return nil, fmt.Errorf("no instance types after the header")
	}
	if v := same["source"]; v != "" {
		c.Source = v
	}
	c.Date, c.Region = same["source_date"], same["region"]
	if v := same["operating_system"]; v != "" {
		c.OS = v
	}
	slices.Sort(c.names)
	src := c.Source
	if c.Date != "" && !strings.Contains(src, c.Date) {
		src += ", " + c.Date
	}
	for n, t := range c.types {
		t.PriceSource = src
		c.types[n] = t
	}
	return c, nil
}

// WriteCatalogue writes types as a catalogue file that ReadCatalogue and
// scenarios (pricing.catalogue) read back.
func WriteCatalogue(w io.Writer, c *Catalogue) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CatalogueHeader); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, n := range c.names {
		t := c.types[n]
		fam, _ := SplitType(n)
		if err := cw.Write([]string{n, fam, c.Region, strconv.Itoa(t.VCPU), f(t.MemoryGiB), t.Arch,
			f(t.USDPerHour), c.Date, c.OS, c.Source}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// NewCatalogue makes a catalogue from types (for `capsim pricing update`).
func NewCatalogue(source, date, region, osName string, types []sim.InstanceType) *Catalogue {
	c := &Catalogue{Source: source, Date: date, Region: region, OS: osName, types: map[string]sim.InstanceType{}}
	for _, t := range types {
		if _, dup := c.types[t.Name]; !dup {
			c.names = append(c.names, t.Name)
		}
		t.Burstable = Burstable(t.Name)
		c.types[t.Name] = t
	}
	slices.Sort(c.names)
	return c
}

// SplitType splits "m5.xlarge" into its family "m5" and size "xlarge".
func SplitType(name string) (family, size string) {
	family, size, _ = strings.Cut(name, ".")
	return family, size
}
