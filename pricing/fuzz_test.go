package pricing

import (
	"bytes"
	"strings"
	"testing"

	"github.com/capsim/capsim/internal/bounded"
)

// FuzzReadCatalogue: no price file makes the reader panic, and what it
// accepts writes back and reads again the same.
func FuzzReadCatalogue(f *testing.F) {
	f.Add(string(catalogueCSV[:2000]))
	f.Add("instance_type,vcpu,memory_gib,ondemand_usd_per_hour\nm5.large,2,8,0.096\n")
	f.Add("instance_type,vcpu,memory_gib,ondemand_usd_per_hour,region\nx,1,1,1e400,a\n")
	f.Add("\"unterminated\n")
	f.Add("instance_type,vcpu,memory_gib,ondemand_usd_per_hour\n" + strings.Repeat("m", bounded.MaxLine+1) + "\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ReadCatalogue(strings.NewReader(in), "fuzz")
		if longestLine(in) > bounded.MaxLine && err == nil {
			t.Fatalf("a %d-byte line passed the line limit", longestLine(in))
		}
		if err != nil {
			if len(err.Error()) > 1000 {
				t.Fatalf("the error quotes the file: %d bytes", len(err.Error()))
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteCatalogue(&buf, c); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCatalogue(&buf, "again")
		if err != nil {
			t.Fatalf("written catalogue does not read back: %v\n%s", err, buf.String())
		}
		for _, n := range c.Types() {
			a, _ := c.Lookup(n)
			b, ok := back.Lookup(n)
			if !ok || a.USDPerHour != b.USDPerHour || a.VCPU != b.VCPU {
				t.Fatalf("%q: %+v became %+v", n, a, b)
			}
		}
	})
}

// FuzzReadSpotSeries: no spot price file makes the reader or the lookup
// panic.
func FuzzReadSpotSeries(f *testing.F) {
	f.Add("instance_type,availability_zone,timestamp,usd_per_hour\nm5.large,a,2026-03-01T00:00:00Z,0.03\n")
	f.Add("instance_type,timestamp,usd_per_hour\nm5.large,2026-03-01T00:00:00Z,0.03\nm5.large,2025-03-01T00:00:00Z,0.02\n")
	f.Add("instance_type,timestamp,usd_per_hour\n" + strings.Repeat("1", bounded.MaxLine+1))
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ReadSpotSeries(strings.NewReader(in))
		if longestLine(in) > bounded.MaxLine && err == nil {
			t.Fatalf("a %d-byte line passed the line limit", longestLine(in))
		}
		if err != nil {
			return
		}
		for _, ty := range s.Types() {
			for z := -1; z < 3; z++ {
				if p := s.SpotPrice(ty, z, 0); p < 0 {
					t.Fatalf("negative price %g", p)
				}
			}
		}
	})
}

func longestLine(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, len(l))
	}
	return n
}
