package pricing

import (
	"slices"
	"strings"
	"testing"
)

func TestLookupSpotChecks(t *testing.T) {
	// Prices checked by hand against the AWS price list (data/README.md).
	cases := []struct {
		name      string
		usd       float64
		vcpu      int
		memoryGiB float64
	}{
		{"t2.micro", 0.0116, 1, 1},
		{"m5.large", 0.096, 2, 8},
		{"c5.large", 0.085, 2, 4},
		{"m7g.large", 0.0816, 2, 8},
	}
	for _, c := range cases {
		it, ok := Lookup(c.name)
		if !ok {
			t.Errorf("Lookup(%q): not found", c.name)
			continue
		}
		if it.Name != c.name || it.USDPerHour != c.usd || it.VCPU != c.vcpu || it.MemoryGiB != c.memoryGiB {
			t.Errorf("Lookup(%q) = %+v, want %g USD/h, %d vCPU, %g GiB", c.name, it, c.usd, c.vcpu, c.memoryGiB)
		}
		if it.Speed != 1 {
			t.Errorf("Lookup(%q).Speed = %g, want 1", c.name, it.Speed)
		}
		if it.PriceSource != CatalogueSource {
			t.Errorf("Lookup(%q).PriceSource = %q, want %q", c.name, it.PriceSource, CatalogueSource)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, n := range []string{"", "m5.lrge", "M5.LARGE", "m5.large "} {
		if it, ok := Lookup(n); ok {
			t.Errorf("Lookup(%q) = %+v, want not found", n, it)
		}
	}
}

func TestTypes(t *testing.T) {
	names := Types()
	if len(names) != 1345 {
		t.Fatalf("Types() has %d names, want 1345 (the rows of the embedded file)", len(names))
	}
	if !slices.IsSorted(names) {
		t.Error("Types() is not sorted")
	}
	names[0] = "changed"
	if Types()[0] == "changed" {
		t.Error("Types() returns the catalogue's own slice")
	}
	for _, n := range Types() {
		it, ok := Lookup(n)
		if !ok || it.VCPU < 1 || it.USDPerHour <= 0 {
			t.Fatalf("Lookup(%q) = %+v, %v", n, it, ok)
		}
	}
}

func TestParseCatalogueErrors(t *testing.T) {
	cases := map[string]string{
		"":                     "header",
		"instance_type,vcpu\n": `no column "memory_gib"`,
		"instance_type,vcpu,memory_gib,ondemand_usd_per_hour\nx,0,1,1\n":  "line 2: bad vcpu",
		"instance_type,vcpu,memory_gib,ondemand_usd_per_hour\nx,1,1,-1\n": "line 2: bad ondemand_usd_per_hour",
		"instance_type,vcpu,memory_gib,ondemand_usd_per_hour\nx,1,z,1\n":  "line 2: bad memory_gib",
	}
	for in, want := range cases {
		_, err := ReadCatalogue(strings.NewReader(in), "test")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadCatalogue(%q) error = %v, want it to contain %q", in, err, want)
		}
	}
}
