package pricing

import (
	"math"
	"testing"
)

// FuzzParsePriceListItem: no Price List document (the JSON strings
// GetProducts answers, docs/aws-model.md §6.1) makes the reader panic; an
// item it keeps has a name, a finite positive price, at least one vCPU
// and a finite, non-negative memory size. Seeded with fetch_test.go's
// documents, in the shape AWS answers.
func FuzzParsePriceListItem(f *testing.F) {
	f.Add(product("m5.large", "2", "8 GiB", "Intel Xeon Platinum 8175", "0.1070000000"))
	f.Add(product("m7g.large", "2", "8 GiB", "AWS Graviton3 Processor", "0.0000000000"))
	f.Add(product("x2iedn.32xlarge", "128", "4,096 GiB", "Intel Xeon Scalable (Icelake)", "26.676"))
	f.Add(product("m5.large", "2", "8 GiB", "x", "Inf"))
	f.Add(product("m5.large", "2", "NaN GiB", "x", "0.1"))
	f.Add(`{"product": {"attributes": {"instanceType": "a"}}, "terms": {"OnDemand": {"t": {"priceDimensions": {"d": {"pricePerUnit": {"USD": "-1"}}}}}}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		it, ok, err := parsePriceListItem(doc, "USD")
		if err != nil || !ok {
			return
		}
		if it.Name == "" || !(it.USDPerHour > 0) || math.IsInf(it.USDPerHour, 0) || it.VCPU < 1 ||
			!(it.MemoryGiB >= 0) || math.IsInf(it.MemoryGiB, 0) {
			t.Fatalf("kept %+v", it)
		}
	})
}
