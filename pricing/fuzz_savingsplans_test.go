package pricing

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// FuzzReadSavingsPlanRates: no rates file (pricing.savings_plans[].
// rates_file) makes the reader panic; every error names the file; what it
// accepts is finite, writes back and reads again the same.
func FuzzReadSavingsPlanRates(f *testing.F) {
	// What WriteSavingsPlanRates makes of `capsim pricing update
	// --savings-plans` (savingsplans_test.go's rates).
	var real bytes.Buffer
	if err := WriteSavingsPlanRates(&real, &SavingsPlanRates{Kind: ComputeSP, TermYears: 1, Payment: NoUpfront, Region: "eu-west-1",
		Date: "2026-11-26", Source: "test", Rates: map[string]float64{"m5.large": 0.075, "c5.large": 0.067}}); err != nil {
		f.Fatal(err)
	}
	f.Add(real.String())
	head := strings.Join(SavingsPlanHeader, ",") + "\n"
	for _, s := range []string{"", head, head + "compute,1,no_upfront,r,m5.large,+Inf,d,s\n", head + "compute,x,no_upfront,r,m5.large,1,d,s\n",
		head + "nope,1,no_upfront,r,m5.large,1,d,s\n", head + "compute,1,no_upfront,r,a,1,d,s\ncompute,3,no_upfront,r,b,1,d,s\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := ReadSavingsPlanRates(strings.NewReader(in), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") || len(err.Error()) > 1000 {
				t.Fatalf("error does not name the file, or quotes too much: %.200v", err)
			}
			return
		}
		for ty, v := range r.Rates {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s: rate %v accepted", ty, v)
			}
		}
		var buf bytes.Buffer
		if err := WriteSavingsPlanRates(&buf, r); err != nil {
			t.Fatal(err)
		}
		back, err := ReadSavingsPlanRates(&buf, "again")
		if err != nil {
			t.Fatalf("written rates do not read back: %v\n%s", err, buf.String())
		}
		if back.Kind != r.Kind || back.TermYears != r.TermYears || back.Payment != r.Payment || back.Region != r.Region || len(back.Rates) != len(r.Rates) {
			t.Fatalf("%+v became %+v", r, back)
		}
		for ty, v := range r.Rates {
			if back.Rates[ty] != v {
				t.Fatalf("%s: %v became %v", ty, v, back.Rates[ty])
			}
		}
	})
}
