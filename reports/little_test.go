package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// littleRun is a fleet of 4 instances of 2 vCPU under Poisson arrivals at
// 100 req/s with exponential 50-ms service (62.5 % busy), for two hours, no
// load-balancer overhead (so end-to-end latency is the time inside an
// instance); scaled adds target tracking on a load that steps up and down
// and a 200-ms client timeout, so instances come and go and requests time
// out.
func littleRun(t *testing.T, scaled bool) *Document {
	t.Helper()
	cfg := &sim.Config{
		Seed: 11, Duration: 2 * sim.Hour,
		Traffic:    &sim.ConstantRate{RPS: 100},
		Service:    sim.Exponential{MeanSeconds: 0.050},
		Timeout:    30 * sim.Second,
		QueueLimit: 1000,
		Fleet: sim.FleetConfig{
			Type: sim.InstanceType{Name: "t", VCPU: 2, Speed: 1},
			Min:  4, Max: 4, Desired: 4, Zones: 1,
			BootTime: sim.Constant{Value: 60}, Warmup: 60 * sim.Second,
		},
		Balancer:     &policies.RoundRobin{},
		HealthCheck:  sim.HealthCheck{Interval: 10 * sim.Second, HealthyThreshold: 2, UnhealthyThreshold: 2},
		MetricPeriod: sim.Minute, PublishDelay: sim.Minute, EvalInterval: sim.Minute,
	}
	if scaled {
		cfg.Traffic = &sim.FuncRate{F: func(t sim.Time) float64 {
			if t >= 30*sim.Minute && t < 80*sim.Minute {
				return 300
			}
			return 100
		}}
		cfg.Timeout = 200 * sim.Millisecond
		cfg.Fleet.Min, cfg.Fleet.Max = 2, 20
		cfg.Scalers = []sim.Scaler{policies.NewTargetTracking("cpu50", sim.MetricCPU, 50)}
	}
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return Build(Input{Result: res, Start: time.Unix(0, 0)})
}

// littleOutputs decodes the keys a user would read from the JSON result.
type littleOutputs struct {
	Summary struct {
		InSystem struct {
			Mean       float64 `json:"mean"`
			LeftRPS    float64 `json:"left_rps"`
			MeanTimeMs float64 `json:"mean_time_ms"`
		} `json:"in_system"`
	} `json:"summary"`
	Timeseries []struct {
		Completed     int64    `json:"completed"`
		TimedOut      int64    `json:"timed_out"`
		InSystem      float64  `json:"in_system"`
		MeanLatencyMs *float64 `json:"mean_latency_ms"`
	} `json:"timeseries"`
}

func decodeLittle(t *testing.T, d *Document) littleOutputs {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, d); err != nil {
		t.Fatal(err)
	}
	var out littleOutputs
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func relDiff(a, b float64) float64 { return math.Abs(a-b) / math.Max(math.Abs(b), 1e-12) }

// TestLittlesLaw: L = λW (J. D. C. Little, "A proof for the queuing formula
// L = λW", Operations Research 9(3), 1961) holds on a run's outputs. Over a
// finite run the two sides differ only by the requests inside at the start
// (none) and at the end (a few out of hundreds of thousands) and, in the
// scaled run, requests cut off by a termination; the tolerance is 1 %.
//
//   - summary: in_system.mean = left_rps × mean_time_ms / 1000;
//   - the per-minute in_system averages to the summary's mean (to its
//     rounding);
//   - per minute, with no timeouts and no overhead (latency = time inside):
//     in_system = completed / 60 s × mean_latency_ms / 1000 within 2 %, the
//     requests that straddle the minute's edges being the difference.
func TestLittlesLaw(t *testing.T) {
	for _, scaled := range []bool{false, true} {
		out := decodeLittle(t, littleRun(t, scaled))
		s := out.Summary.InSystem
		if s.Mean <= 0 || s.LeftRPS <= 0 || s.MeanTimeMs <= 0 {
			t.Fatalf("scaled %v: summary in_system %+v", scaled, s)
		}
		if lw := s.LeftRPS * s.MeanTimeMs / 1000; relDiff(s.Mean, lw) > 0.01 {
			t.Errorf("scaled %v: L = %.4f, λW = %.4f × %.3f ms = %.4f: off by %.2f %% (> 1 %%)", scaled, s.Mean, s.LeftRPS, s.MeanTimeMs, lw, 100*relDiff(s.Mean, lw))
		}
		var area float64
		for _, m := range out.Timeseries {
			area += m.InSystem
		}
		if avg := area / float64(len(out.Timeseries)); relDiff(avg, s.Mean) > 1e-4 {
			t.Errorf("scaled %v: per-minute in_system averages %.6f, summary mean %.6f", scaled, avg, s.Mean)
		}
		if scaled {
			timedOut := int64(0)
			for _, m := range out.Timeseries {
				timedOut += m.TimedOut
			}
			if timedOut == 0 {
				t.Error("scaled run: no request timed out, the case tests less than it says")
			}
			continue
		}
		for i, m := range out.Timeseries {
			if m.MeanLatencyMs == nil || m.TimedOut != 0 {
				t.Fatalf("minute %d: %+v", i, m)
			}
			lw := float64(m.Completed) / 60 * *m.MeanLatencyMs / 1000
			if relDiff(m.InSystem, lw) > 0.02 {
				t.Errorf("minute %d: L = %.4f, λW = %d/60 s × %.3f ms = %.4f (> 2 %%)", i, m.InSystem, m.Completed, *m.MeanLatencyMs, lw)
			}
		}
	}
}

// TestLittleCSVColumns: timeseries.csv carries the same two columns, after
// the old ones (existing column positions are unchanged).
func TestLittleCSVColumns(t *testing.T) {
	d := littleRun(t, false)
	var b bytes.Buffer
	if err := WriteCSV(&b, d); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	if n := len(head); n < 2 || head[n-2] != "in_system" || head[n-1] != "mean_latency_ms" || head[n-3] != "capacity_rps" {
		t.Fatalf("header %v", head)
	}
	r, n := d.Timeseries[5], len(head)
	if got := rows[6][n-2]; got != strconv.FormatFloat(r.InSystem, 'f', -1, 64) {
		t.Errorf("in_system %s, JSON %g", got, r.InSystem)
	}
	if got := rows[6][n-1]; r.MeanLatencyMs == nil || got != strconv.FormatFloat(*r.MeanLatencyMs, 'f', -1, 64) {
		t.Errorf("mean_latency_ms %s, JSON %v", got, r.MeanLatencyMs)
	}
}
