package pricing

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"

	"github.com/capsim/capsim/sim"
)

// The catalogue's provenance, for reports and error messages.
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

var catalogue = sync.OnceValues(func() (map[string]sim.InstanceType, []string) {
	types, err := parseCatalogue(bytes.NewReader(catalogueCSV))
	if err != nil {
		// The file is embedded at build time and checked by the tests, so
		// this is a build defect, not an input error.
		panic("pricing: embedded catalogue: " + err.Error())
	}
	m := make(map[string]sim.InstanceType, len(types))
	names := make([]string, 0, len(types))
	for _, t := range types {
		m[t.Name] = t
		names = append(names, t.Name)
	}
	slices.Sort(names)
	return m, names
})

// Lookup returns the on-demand Linux instance type of this name in
// CatalogueRegion, with its price and PriceSource set to CatalogueSource.
// Speed is 1.0: the catalogue has no per-vCPU speed figures.
func Lookup(name string) (sim.InstanceType, bool) {
	m, _ := catalogue()
	t, ok := m[name]
	return t, ok
}

// Types returns every instance type name in the catalogue, sorted.
func Types() []string {
	_, names := catalogue()
	return slices.Clone(names)
}

// parseCatalogue reads the Karpenter-style price file: a header naming at
// least instance_type, vcpu, memory_gib and ondemand_usd_per_hour.
func parseCatalogue(r io.Reader) ([]sim.InstanceType, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	need := []string{"instance_type", "vcpu", "memory_gib", "ondemand_usd_per_hour"}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("header has no column %q", n)
		}
	}
	var out []sim.InstanceType
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		vcpu, err := strconv.Atoi(rec[col["vcpu"]])
		if err != nil || vcpu < 1 {
			return nil, fmt.Errorf("line %d: bad vcpu %q", line, rec[col["vcpu"]])
		}
		mem, err := strconv.ParseFloat(rec[col["memory_gib"]], 64)
		if err != nil || mem < 0 {
			return nil, fmt.Errorf("line %d: bad memory_gib %q", line, rec[col["memory_gib"]])
		}
		usd, err := strconv.ParseFloat(rec[col["ondemand_usd_per_hour"]], 64)
		if err != nil || usd < 0 {
			return nil, fmt.Errorf("line %d: bad ondemand_usd_per_hour %q", line, rec[col["ondemand_usd_per_hour"]])
		}
		out = append(out, sim.InstanceType{
			Name:        rec[col["instance_type"]],
			VCPU:        vcpu,
			MemoryGiB:   mem,
			Speed:       1,
			USDPerHour:  usd,
			PriceSource: CatalogueSource,
		})
	}
}
