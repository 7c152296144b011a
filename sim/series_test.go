package sim_test

import (
	"math"
	"testing"

	"github.com/capsim/capsim/sim"
)

// runAt runs cfg with the time series at resolution res.
func runAt(t *testing.T, cfg *sim.Config, res sim.Time) *sim.Result {
	t.Helper()
	cfg.Resolution = res
	r, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, r)
	return r
}

// The resolution changes what is written, never what is simulated: the
// same run at a minute and at an hour per row has the same totals, and each
// hourly row is its minutes aggregated column by column as sim/series.go
// says — counts summed, gauges at the row's end with their max, CPU
// weighted by capacity (a fixed fleet: the minutes' plain mean), and
// latency percentiles from the row's own histogram.
func TestHourlyRowsAggregateTheirMinutes(t *testing.T) {
	// stepLoad scales 2 → 4 or so and back over 3 hours and a half: the
	// hours see launches, terminations and a queue.
	mk := func() *sim.Config { c := stepLoad(5); c.Duration = 3*sim.Hour + 30*sim.Minute; return c }
	byMinute := runAt(t, mk(), 0)
	byHour := runAt(t, mk(), sim.Hour)
	if byMinute.Requests != byHour.Requests || byMinute.MeanInService != byHour.MeanInService ||
		byMinute.PeakInService != byHour.PeakInService || byMinute.MeanCPU != byHour.MeanCPU {
		t.Fatalf("the resolution changed the run: %+v vs %+v", byMinute.Requests, byHour.Requests)
	}
	if len(byMinute.Minutes) != 210 || len(byHour.Minutes) != 4 {
		t.Fatalf("%d minute rows and %d hour rows, want 210 and 4 (the last half an hour)", len(byMinute.Minutes), len(byHour.Minutes))
	}
	if byHour.Resolution != sim.Hour || byHour.RowSpan(3) != 30*sim.Minute || byHour.RowSpan(0) != sim.Hour {
		t.Errorf("resolution %v, spans %v and %v", byHour.Resolution, byHour.RowSpan(0), byHour.RowSpan(3))
	}
	for h, row := range byHour.Minutes {
		mins := byMinute.Minutes[h*60 : min(len(byMinute.Minutes), (h+1)*60)]
		var arr, done, rej, to int64
		var latSum, inSys float64
		desiredMax, cpuMax, endOf := 0, 0.0, mins[len(mins)-1]
		for _, m := range mins {
			arr += m.Arrivals
			done += m.Completed
			rej += m.Rejected
			to += m.TimedOut
			latSum += m.LatencySum
			inSys += m.InSystem
			desiredMax = max(desiredMax, m.Desired)
			cpuMax = max(cpuMax, m.CPUPercent)
		}
		if row.Start != sim.Time(h)*sim.Hour || row.Arrivals != arr || row.Completed != done || row.Rejected != rej || row.TimedOut != to {
			t.Errorf("hour %d: start %v, counts %d/%d/%d/%d, want the minutes' sums %d/%d/%d/%d", h, row.Start,
				row.Arrivals, row.Completed, row.Rejected, row.TimedOut, arr, done, rej, to)
		}
		if !near(row.LatencySum, latSum, 1e-9) || !near(row.InSystem, inSys/float64(len(mins)), 1e-9) {
			t.Errorf("hour %d: latency sum %v in system %v, want %v and the minutes' mean %v", h, row.LatencySum, row.InSystem, latSum, inSys/float64(len(mins)))
		}
		if row.InService != endOf.InService || row.Pending != endOf.Pending || row.Desired != endOf.Desired {
			t.Errorf("hour %d: gauges %d/%d/%d, want the last minute's %d/%d/%d", h, row.InService, row.Pending, row.Desired,
				endOf.InService, endOf.Pending, endOf.Desired)
		}
		if row.DesiredMax != desiredMax || row.CPUPercentMax != cpuMax {
			t.Errorf("hour %d: desired max %d cpu max %v, want %d and %v", h, row.DesiredMax, row.CPUPercentMax, desiredMax, cpuMax)
		}
		// The peak is exact (tracked at each change), so it is at least
		// the largest minute-end count and at most the run's peak.
		peak := 0
		for _, m := range mins {
			peak = max(peak, m.InService)
		}
		if row.InServiceMax < peak || row.InServiceMax > byHour.PeakInService {
			t.Errorf("hour %d: in-service max %d, want between %d and %d", h, row.InServiceMax, peak, byHour.PeakInService)
		}
	}
	// The time-weighted means of the rows add up to the run's.
	var w float64
	for i, row := range byHour.Minutes {
		w += row.InServiceMean * byHour.RowSpan(i).Seconds()
	}
	if got := w / byHour.Duration.Seconds(); !near(got, byHour.MeanInService, 1e-9) {
		t.Errorf("rows' mean in service %v, the run's %v", got, byHour.MeanInService)
	}
}

// A one-hour run at an hour per row has one row, and that row's every
// aggregate is the run's own: the mean and peak in service, CPU, requests
// in the system, and the p50 and p99 of all its latencies (the row's
// histogram has 2 significant digits, the run's 3: within 1 %). The mean
// of the minutes' p99s is not the hour's p99 on this run: the load steps
// up in the middle of the hour, so averaging percentiles would be wrong.
func TestOneHourRowIsTheRun(t *testing.T) {
	cfg := fixed(2, sim.Hour)
	cfg.Traffic = &sim.FuncRate{F: func(t sim.Time) float64 {
		if t >= 40*sim.Minute {
			return 360 // 90 % of the two instances' 400 requests/s: a queue
		}
		return 100
	}}
	cfg.Service = sim.Exponential{MeanSeconds: 0.010}
	r := runAt(t, cfg, sim.Hour)
	if len(r.Minutes) != 1 {
		t.Fatalf("%d rows, want 1", len(r.Minutes))
	}
	row := r.Minutes[0]
	if !near(row.InServiceMean, r.MeanInService, 1e-12) || row.InServiceMax != r.PeakInService ||
		!near(row.CPUPercent, r.MeanCPU, 1e-9) || !near(row.InSystem, r.MeanInSystem, 1e-9) {
		t.Errorf("row mean %v max %d cpu %v in system %v; run %v %d %v %v", row.InServiceMean, row.InServiceMax, row.CPUPercent,
			row.InSystem, r.MeanInService, r.PeakInService, r.MeanCPU, r.MeanInSystem)
	}
	for _, q := range []float64{50, 99} {
		want, got := r.LatencyMs(q), row.P50
		if q == 99 {
			got = row.P99
		}
		if math.Abs(got-want) > 0.01*want {
			t.Errorf("row p%v %v ms, the run's %v ms", q, got, want)
		}
	}
	perMinute := runAt(t, cfg, 0)
	var mean float64
	for _, m := range perMinute.Minutes {
		mean += m.P99 / float64(len(perMinute.Minutes))
	}
	if math.Abs(mean-row.P99) < 0.05*row.P99 {
		t.Errorf("the mean of the minutes' p99 (%v) is within 5 %% of the hour's (%v): the test cannot tell them apart", mean, row.P99)
	}
}

func TestResolutionValidated(t *testing.T) {
	for _, res := range []sim.Time{30 * sim.Second, 7 * sim.Minute, 90 * sim.Second} {
		c := fixed(1, sim.Hour)
		c.Resolution = res
		if _, err := sim.Run(c); err == nil {
			t.Errorf("resolution %v accepted", res.Duration())
		}
	}
}

func near(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
