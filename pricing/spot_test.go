package pricing

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/capsim/capsim/sim"
)

// TestSpotRatioSummary recomputes the embedded summary from the sample it
// was made from (testdata/README.md gives its source).
func TestSpotRatioSummary(t *testing.T) {
	f, err := os.Open("testdata/ec2_spot_linux_us-east-1_2022-05-31_sample.csv.gz")
	if err != nil {
		t.Fatalf("the sample is needed to check the embedded summary: %v", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "spot_to_ondemand_ratio")
	byFam := map[string][]float64{}
	var all []float64
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			t.Fatal(err)
		}
		fam, _ := SplitType(r[0])
		byFam[fam] = append(byFam[fam], v)
		all = append(all, v)
	}
	median := func(v []float64) float64 {
		v = slices.Clone(v)
		slices.Sort(v)
		n := len(v)
		if n%2 == 1 {
			return v[n/2]
		}
		return (v[n/2-1] + v[n/2]) / 2
	}
	var want bytes.Buffer
	fmt.Fprintf(&want, "family,samples,median_spot_to_ondemand_ratio\n*,%d,%.4f\n", len(all), median(all))
	fams := make([]string, 0, len(byFam))
	for k := range byFam {
		fams = append(fams, k)
	}
	slices.Sort(fams)
	for _, k := range fams {
		fmt.Fprintf(&want, "%s,%d,%.4f\n", k, len(byFam[k]), median(byFam[k]))
	}
	if got := string(spotRatioCSV); got != want.String() {
		t.Errorf("embedded summary differs from the sample's:\n%s", firstDiff(got, want.String()))
	}
	if m := median(all); m < 0.37 || m > 0.38 {
		t.Errorf("overall median %g, the data README says 0.374", m)
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d: embedded %q, computed %q", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines vs %d", len(al), len(bl))
}

// TestCatalogueRoundTrip: what pricing update writes, scenarios read back,
// with the source and date.
func TestCatalogueRoundTrip(t *testing.T) {
	m5, _ := Lookup("m5.large")
	t3, _ := Lookup("t3.large")
	c := NewCatalogue("AWS Price List API GetProducts", "2026-11-26", "eu-west-1", OSLinux, []sim.InstanceType{m5, t3})
	var buf bytes.Buffer
	if err := WriteCatalogue(&buf, c); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCatalogue(&buf, "file.csv")
	if err != nil {
		t.Fatal(err)
	}
	if back.Region != "eu-west-1" || back.Date != "2026-11-26" || back.Source != "AWS Price List API GetProducts" || back.OS != OSLinux {
		t.Errorf("provenance lost: %+v", back)
	}
	got, ok := back.Lookup("t3.large")
	if !ok || got.USDPerHour != 0.0832 || got.VCPU != 2 || !got.Burstable || got.Arch != t3.Arch || !strings.Contains(got.PriceSource, "2026-11-26") {
		t.Errorf("t3.large = %+v", got)
	}
	for in, want := range map[string]string{
		"instance_type,vcpu,memory_gib,ondemand_usd_per_hour\n":                              "no instance types",
		"instance_type,vcpu,memory_gib,ondemand_usd_per_hour\nx,1,1,1\nx,1,1,1\n":            "line 3: instance_type \"x\" appears twice",
		"instance_type,vcpu,memory_gib,ondemand_usd_per_hour,region\nx,1,1,1,a\ny,1,1,1,b\n": "line 3: region",
		"instance_type,vcpu,memory_gib,ondemand_usd_per_hour\nx,1,1\n":                       "line 2: 3 fields",
		"instance_type,vcpu,memory_gib,ondemand_usd_per_hour\n,1,1,1\n":                      "line 2: empty instance_type",
		"instance_type,vcpu,memory_gib,ondemand_usd_per_hour\nx,1,1,NaN\n":                   "line 2: bad ondemand_usd_per_hour",
	} {
		if _, err := ReadCatalogue(strings.NewReader(in), "t"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadCatalogue(%q) error = %v, want %q", in, err, want)
		}
	}
}
