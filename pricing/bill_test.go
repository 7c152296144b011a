package pricing

import (
	"math"
	"testing"

	"github.com/capsim/capsim/sim"
)

func flat(usd float64) PriceFunc { return func(string) float64 { return usd } }

// TestOnDemandMinimum checks EC2's per-second billing with a 60-s minimum per
// launch (docs/aws-model.md §5.3) at its edges.
func TestOnDemandMinimum(t *testing.T) {
	const price = 0.096 // m5.large, USD/h
	cases := []struct {
		name    string
		life    sim.Time
		running bool
		want    float64 // billed seconds
	}{
		{"terminated after 1s pays 60s", sim.Second, false, 60},
		{"terminated after 59.9s pays 60s", 59900 * sim.Millisecond, false, 60},
		{"terminated after exactly 60s pays 60s", sim.Minute, false, 60},
		{"terminated after 61s pays 61s", 61 * sim.Second, false, 61},
		{"an hour pays an hour", sim.Hour, false, 3600},
		{"still running at 10s pays what ran", 10 * sim.Second, true, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := []sim.InstanceRecord{{Type: "m5.large", Launch: 30 * sim.Second, Terminated: 30*sim.Second + c.life, Running: c.running}}
			b := OnDemand(rec, flat(price), 2*sim.Hour)
			want := c.want * price / 3600
			if math.Abs(b.TotalUSD-want) > 1e-12 {
				t.Errorf("total %.9f, want %.9f", b.TotalUSD, want)
			}
			checkAdditive(t, b)
		})
	}
}

// TestOnDemandAdditive: lines and minutes add up to the total, never negative.
func TestOnDemandAdditive(t *testing.T) {
	recs := []sim.InstanceRecord{
		{Type: "a", Launch: 0, Terminated: 90 * sim.Minute},
		{Type: "b", Launch: 17 * sim.Second, Terminated: 20 * sim.Second},
		{Type: "a", Launch: 59 * sim.Minute, Terminated: 2 * sim.Hour, Running: true},
	}
	b := OnDemand(recs, func(s string) float64 { return map[string]float64{"a": 0.1, "b": 0.2}[s] }, 2*sim.Hour)
	want := 1.5*0.1 + 60.0/3600*0.2 + (61.0/60)*0.1
	if math.Abs(b.TotalUSD-want) > 1e-12 {
		t.Errorf("total %.9f, want %.9f", b.TotalUSD, want)
	}
	checkAdditive(t, b)
}

func checkAdditive(t *testing.T, b Bill) {
	t.Helper()
	var byType, byOpt, byMin float64
	for _, v := range b.ByInstanceType {
		byType += v
	}
	for _, v := range b.ByPurchaseOption {
		byOpt += v
	}
	for _, v := range b.PerMinute {
		if v < 0 {
			t.Fatalf("negative minute cost %g", v)
		}
		byMin += v
	}
	for name, v := range map[string]float64{"by type": byType, "by purchase option": byOpt, "per minute": byMin} {
		if math.Abs(v-b.TotalUSD) > 1e-9 {
			t.Errorf("%s sums to %.9f, total is %.9f", name, v, b.TotalUSD)
		}
	}
}
