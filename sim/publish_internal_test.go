package sim

import (
	"slices"
	"testing"
)

// TestPublishWindow: the moving window of publish holds, after every
// datapoint, exactly the datapoints the plain rule holds (append, and past
// keep+keep/4 keep the newest keep: CloudWatch's retention, docs/aws-model.md
// §2.1), so policies read the same series however it is stored.
func TestPublishWindow(t *testing.T) {
	for _, c := range []struct{ keep, periods int }{{1, 50}, {4, 100}, {10, 11}, {10, 14}, {10, 1000}, {180, 3000}, {1081, 15000}} {
		keep, periods := c.keep, c.periods
		var m meter
		var want []Datapoint
		for i := 0; i < periods; i++ {
			d := Datapoint{Start: Time(i) * Minute, Value: float64(i)}
			m.publish(MetricCPU, d, keep, periods)
			want = append(want, d)
			if len(want) >= keep+keep/4 {
				want = append(want[:0], want[len(want)-keep:]...)
			}
			if got := m.series[MetricCPU]; !slices.Equal(got, want) {
				t.Fatalf("keep %d, after %d datapoints: held %d, want %d (%v)", keep, i+1, len(got), len(want), want[0].Start)
			}
		}
		if c := cap(m.series[MetricCPU]); c > 2*keep+keep/4+8 && keep > 8 {
			t.Errorf("keep %d: the series' array holds %d datapoints, want about 2·keep", keep, c)
		}
	}
}
