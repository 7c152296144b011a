package pricing

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/capsim/capsim/internal/bounded"
	"github.com/capsim/capsim/sim"
)

// The default spot price is the on-demand price times the median
// spot/on-demand ratio of the type's family in a sample of us-east-1 Linux
// spot prices (the last price per type and zone in a 6-hour window of
// 2022-05-31, 1,558 rows, testdata/
// ec2_spot_linux_us-east-1_2022-05-31_sample.csv.gz), or the median over all
// rows (0.374, a 62.6 % discount) for a family the sample lacks. The
// embedded file holds only that summary; spot_test.go recomputes it from
// the sample.
const SpotRatioSource = "median spot/on-demand ratio per family, us-east-1 Linux sample of 2022-05-31"

//go:embed data/spot_ratio_linux_us-east-1_2022-05-31.csv
var spotRatioCSV []byte

var spotRatios = sync.OnceValue(func() map[string]float64 {
	rows, err := csv.NewReader(bytes.NewReader(spotRatioCSV)).ReadAll()
	if err != nil {
		panic("pricing: embedded spot ratios: " + err.Error())
	}
	m := map[string]float64{}
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			panic("pricing: embedded spot ratios: " + err.Error())
		}
		m[r[0]] = v
	}
	return m
})

// DefaultSpotRatio is the spot/on-demand price ratio capsim assumes for a
// type when the scenario gives neither a discount nor a price file: its
// family's median in the embedded sample, else the overall median.
func DefaultSpotRatio(instanceType string) float64 {
	m := spotRatios()
	fam, _ := SplitType(instanceType)
	if v, ok := m[fam]; ok {
		return v
	}
	return m["*"]
}

// SpotPricer gives the spot price in effect, USD per hour, for an
// instance type in a zone (the record's zone index) at a simulated time.
type SpotPricer interface {
	SpotPrice(instanceType string, zone int, at sim.Time) float64
	Source() string
}

// SpotDiscount prices spot as a fixed discount from on-demand: Discount
// (0–1) when set, else DefaultSpotRatio's family median.
type SpotDiscount struct {
	Discount *float64
	OnDemand PriceFunc
}

func (s SpotDiscount) SpotPrice(t string, _ int, _ sim.Time) float64 {
	if s.Discount != nil {
		return s.OnDemand(t) * (1 - *s.Discount)
	}
	return s.OnDemand(t) * DefaultSpotRatio(t)
}

func (s SpotDiscount) Source() string {
	if s.Discount != nil {
		return fmt.Sprintf("on-demand less %.4g %% (scenario)", *s.Discount*100)
	}
	return SpotRatioSource
}

// SpotPoint is one spot price change, as EC2 DescribeSpotPriceHistory
// reports it: the price holds from Time until the next change (§6.2).
type SpotPoint struct {
	Time time.Time
	Zone string
	USD  float64
}

// SpotSeries is a spot price history per instance type, from a file. The
// price in effect at wall-clock time w in a zone is the latest change at or
// before w (the earliest one before the series starts). Zone index i of a
// run maps to the i-th zone name of the type, sorted; a type with no
// history falls back to Fallback.
type SpotSeries struct {
	Start    time.Time // wall clock of t = 0
	File     string
	points   map[string]map[string][]SpotPoint // type → zone → points by time
	zones    map[string][]string
	Fallback SpotPricer
}

// SpotPriceHeader is the column order of a spot price file (written by
// `capsim pricing update --spot`).
var SpotPriceHeader = []string{"instance_type", "availability_zone", "timestamp", "usd_per_hour"}

// LoadSpotSeries reads a spot price file: a header with instance_type,
// timestamp (RFC 3339) and usd_per_hour columns, and optionally
// availability_zone. The 2022 sample's column names (spot_usd_per_hour,
// price_timestamp_utc, availability_zone_id) are accepted too.
func LoadSpotSeries(path string) (*SpotSeries, error) {
	f, err := bounded.OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := ReadSpotSeries(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.File = path
	return s, nil
}

// ReadSpotSeries reads a spot price file (see LoadSpotSeries).
func ReadSpotSeries(r io.Reader) (*SpotSeries, error) {
	cr := newCSV(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %v", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	pick := func(names ...string) int {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return i
			}
		}
		return -1
	}
	ci, cz := pick("instance_type"), pick("availability_zone", "availability_zone_id")
	ct, cu := pick("timestamp", "price_timestamp_utc"), pick("usd_per_hour", "spot_usd_per_hour")
	if ci < 0 || ct < 0 || cu < 0 {
		return nil, fmt.Errorf("header needs instance_type, timestamp and usd_per_hour columns (got %s)", strings.Join(head, ","))
	}
	s := &SpotSeries{points: map[string]map[string][]SpotPoint{}, zones: map[string][]string{}}
	err = eachRow(cr, head, func(line int, rec []string) error {
		ts, err := time.Parse(time.RFC3339, strings.TrimSpace(rec[ct]))
		if err != nil {
			return fmt.Errorf("line %d: timestamp %s is not RFC 3339", line, bounded.Quote(rec[ct]))
		}
		usd, err := strconv.ParseFloat(strings.TrimSpace(rec[cu]), 64)
		if err != nil || usd < 0 || usd != usd || usd > 1e6 {
			return fmt.Errorf("line %d: bad usd_per_hour %s", line, bounded.Quote(rec[cu]))
		}
		t, zone := strings.TrimSpace(rec[ci]), ""
		if t == "" {
			return fmt.Errorf("line %d: empty instance_type", line)
		}
		if cz >= 0 {
			zone = strings.TrimSpace(rec[cz])
		}
		if s.points[t] == nil {
			s.points[t] = map[string][]SpotPoint{}
		}
		if _, seen := s.points[t][zone]; !seen {
			s.zones[t] = append(s.zones[t], zone)
		}
		s.points[t][zone] = append(s.points[t][zone], SpotPoint{ts, zone, usd})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(s.points) == 0 {
		return nil, fmt.Errorf("no prices after the header")
	}
	for t, zs := range s.points {
		slices.Sort(s.zones[t])
		for z, ps := range zs {
			slices.SortStableFunc(ps, func(a, b SpotPoint) int { return a.Time.Compare(b.Time) })
			zs[z] = ps
		}
	}
	return s, nil
}

// Types lists the instance types the series has prices for.
func (s *SpotSeries) Types() []string {
	var out []string
	for t := range s.points {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

func (s *SpotSeries) SpotPrice(t string, zone int, at sim.Time) float64 {
	zs := s.zones[t]
	if len(zs) == 0 {
		if s.Fallback != nil {
			return s.Fallback.SpotPrice(t, zone, at)
		}
		return 0
	}
	ps := s.points[t][zs[((zone%len(zs))+len(zs))%len(zs)]]
	w := s.Start.Add(at.Duration())
	i, _ := slices.BinarySearchFunc(ps, w, func(p SpotPoint, w time.Time) int {
		if p.Time.After(w) {
			return 1
		}
		return -1
	})
	// i is the first point after w: the one before it is in effect.
	if i == 0 {
		return ps[0].USD
	}
	return ps[i-1].USD
}

func (s *SpotSeries) Source() string { return "spot price file " + s.File }

// WriteSpotRecords writes a spot price file that LoadSpotSeries reads.
func WriteSpotRecords(w io.Writer, recs []SpotRecord) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SpotPriceHeader); err != nil {
		return err
	}
	for _, r := range recs {
		if err := cw.Write([]string{r.Type, r.Zone, r.Time.UTC().Format(time.RFC3339), strconv.FormatFloat(r.USD, 'f', -1, 64)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
