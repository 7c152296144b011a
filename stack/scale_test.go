package stack

import (
	"math"
	"testing"
	"time"
)

func TestScale(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name string
		in   Shape
		want Shape
		k    float64
	}{
		{"fits as it is", Shape{Rate: 100, Instances: 2, Slots: 2, Service: 20 * ms}, Shape{Rate: 100, Instances: 2, Slots: 2, Service: 20 * ms}, 1},
		{"too many instances", Shape{Rate: 200, Instances: 20, Slots: 2, Service: 50 * ms}, Shape{Rate: 80, Instances: 8, Slots: 2, Service: 50 * ms}, 1},
		{"rate too high: slower time", Shape{Rate: 800, Instances: 4, Slots: 2, Service: 5 * ms}, Shape{Rate: 300, Instances: 4, Slots: 2, Service: 40 * ms / 3}, 8.0 / 3},
		{"rate too high, one instance: slower time", Shape{Rate: 1200, Instances: 1, Slots: 16, Service: 10 * ms}, Shape{Rate: 300, Instances: 1, Slots: 16, Service: 40 * ms}, 4},
		{"rate too high at the slowest time: fewer instances", Shape{Rate: 3000, Instances: 8, Slots: 64, Service: 150 * ms}, Shape{Rate: 281.25, Instances: 1, Slots: 64, Service: 200 * ms}, 4.0 / 3},
		{"rate too high on one instance at the slowest time: fewer slots", Shape{Rate: 600, Instances: 1, Slots: 128, Service: 200 * ms}, Shape{Rate: 300, Instances: 1, Slots: 64, Service: 200 * ms}, 1},
		{"overloaded single slot: slower time", Shape{Rate: 400, Instances: 1, Slots: 1, Service: 5 * ms}, Shape{Rate: 300, Instances: 1, Slots: 1, Service: 20 * ms / 3}, 4.0 / 3},
		{"fast service stretched", Shape{Rate: 100, Instances: 1, Slots: 1, Service: 1 * ms}, Shape{Rate: 20, Instances: 1, Slots: 1, Service: 5 * ms}, 5},
		{"slow service compressed", Shape{Rate: 2, Instances: 2, Slots: 2, Service: 800 * ms}, Shape{Rate: 8, Instances: 2, Slots: 2, Service: 200 * ms}, 0.25},
		{"default scenario (diurnal mean 400/s on 4 × m5.large, 40 ms)", Shape{Rate: 400, Instances: 4, Slots: 2, Service: 40 * ms}, Shape{Rate: 300, Instances: 4, Slots: 2, Service: 160 * ms / 3}, 4.0 / 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Scale(c.in, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			got := p.To
			if got.Instances != c.want.Instances || got.Slots != c.want.Slots || !near(got.Rate, c.want.Rate) ||
				!near(float64(got.Service), float64(c.want.Service)) || !near(p.TimeFactor, c.k) {
				t.Errorf("Scale(%+v) = %+v, k %g; want %+v, k %g\nnotes: %q", c.in, got, p.TimeFactor, c.want, c.k, p.Notes)
			}
			// The invariant: the per-slot utilisation is kept, the limits hold.
			if !near(got.Utilisation(), c.in.Utilisation()) {
				t.Errorf("utilisation %g → %g", c.in.Utilisation(), got.Utilisation())
			}
			if got.Rate > DefaultLimits.MaxRate+1e-9 || got.Instances > DefaultLimits.MaxInstances {
				t.Errorf("limits broken: %+v", got)
			}
			if (got != c.in) != (len(p.Notes) > 0) {
				t.Errorf("notes %q should say what changed (%+v → %+v)", p.Notes, c.in, got)
			}
		})
	}
}

func TestScaleRejects(t *testing.T) {
	for _, s := range []Shape{{Rate: 0, Instances: 1, Slots: 1, Service: time.Millisecond}, {Rate: 1, Instances: 0, Slots: 1, Service: time.Millisecond}, {Rate: 1, Instances: 1, Slots: 1}} {
		if _, err := Scale(s, DefaultLimits); err == nil {
			t.Errorf("Scale(%+v): want an error", s)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }
