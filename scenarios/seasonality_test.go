package scenarios

import (
	"math"
	"strings"
	"testing"
)

const seasonBase = `name: s
start: 2026-01-01T00:00:00Z
duration: 8760h
workload: {service_time: {dist: exponential, mean: 10ms}}
fleet: {instance_type: m5.large, min: 1, max: 4, desired: 1}
`

func TestSeasonality(t *testing.T) {
	sc, err := Parse("s.yaml", []byte(seasonBase+`traffic:
  synthetic:
    shape: constant
    rps: 100
    growth: 20%/year
    yearly_peak_to_trough: 2
    yearly_peak_day: 1
    holidays: [{date: 2026-07-04, factor: 3}]
    resolution: 1h
`), ".")
	if err != nil {
		t.Fatal(err)
	}
	f, err := sc.shape(1)
	if err != nil {
		t.Fatal(err)
	}
	day := 86400.0
	a := 1.0 / 3                                                                 // (2 − 1)/(2 + 1)
	season := func(d float64) float64 { return 1 + a*math.Cos(2*math.Pi*d/365) } // 2026 has 365 days
	for _, tc := range []struct {
		name string
		tau  float64
		want float64
	}{
		{"start: the season's peak", 0, 100 * (1 + a)},
		{"half a year on: the trough, grown", 365.0 / 2 * day, 100 * (1 - a) * math.Pow(1.2, 182.5/365.2425)},
		{"July 4: the holiday", (31+28+31+30+31+30+3)*day + 12*3600, 100 * season(184.5) * math.Pow(1.2, 184.5/365.2425) * 3},
		{"July 5: no holiday", (31+28+31+30+31+30+4)*day + 12*3600, 100 * season(185.5) * math.Pow(1.2, 185.5/365.2425)},
		{"a year on: the peak of 2027, grown", 365 * day, 100 * math.Pow(1.2, 365/365.2425) * (1 + a)},
	} {
		if got := f.base(tc.tau); math.Abs(got-tc.want) > 1e-6*tc.want {
			t.Errorf("%s: rate %g, want %g", tc.name, got, tc.want)
		}
	}
	// Resolution: an hour per segment.
	src, _, err := sc.trafficSource(1)
	if err != nil {
		t.Fatal(err)
	}
	seg, _ := src.NextSegment()
	if seg.End-seg.Start != 3600e9 {
		t.Errorf("segment %v, want an hour", seg.End-seg.Start)
	}
}

func TestSeasonalityErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"growth: 20%", `not a growth rate`},
		{"growth: -100%/year", `above -100%/year`},
		{"yearly_peak_to_trough: 0.5", "traffic.synthetic.yearly_peak_to_trough"},
		{"yearly_peak_day: 400", "traffic.synthetic.yearly_peak_day"},
		{"yearly_peak_day: 10", "needs yearly_peak_to_trough"},
		{"holidays: [{date: 2026-13-01, factor: 2}]", "traffic.synthetic.holidays[0].date"},
		{"holidays: [{date: 2026-12-25}]", "needs a factor"},
		{"holidays: [{date: 2026-12-25, factor: -1}]", "holidays[0].factor"},
		{"resolution: 48h", "traffic.synthetic.resolution"},
	} {
		_, err := Parse("s.yaml", []byte(seasonBase+"traffic:\n  synthetic:\n    shape: constant\n    rps: 100\n    "+tc.yaml+"\n"), ".")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.yaml, err, tc.want)
		}
	}
}

func TestGrowthMonthly(t *testing.T) {
	var g Growth
	if err := g.UnmarshalText([]byte("1.5%/month")); err != nil {
		t.Fatal(err)
	}
	if want := math.Pow(1.015, 12) - 1; math.Abs(float64(g)-want) > 1e-12 {
		t.Errorf("1.5%%/month = %g a year, want %g", float64(g), want)
	}
	b, _ := Growth(0.2).MarshalText()
	if string(b) != "20%/year" {
		t.Errorf("marshal %q", b)
	}
}
