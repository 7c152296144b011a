package stack

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/capsim/capsim/sim"
)

// Tolerance is how far the real stack may be from the simulation and the
// validation still pass. A latency passes when |real − sim| ≤ max(Rel × sim,
// AbsMs): relative, with an absolute floor for latencies so small that the
// stack's own jitter (a timer tick, a scheduler delay on two busy cores)
// is a large share of them.
//
// Why these numbers: the generator replays the simulation's own arrivals
// and service demands (common random numbers) and the simulation is given
// the stack's measured fixed overhead, so what is left is the stack's
// noise and the models' real differences: time.Sleep overshoot and
// scheduling delays on two shared cores (a few per cent of each service
// time, more under load), HAProxy handing a freed slot to the next queued
// request a little later than the model, and, with queueing in HAProxy, one
// queue for the whole fleet where the model (an ALB) has one per instance.
// The median is set by many requests and moves little: 20 %. The p90 and
// p99 sit in the queueing tail, where a small change of service time is
// amplified (the wait grows like 1/(1−ρ)) and the p99 of a 20-s run rests
// on a few dozen requests: 25 % and 35 %. Throughput is the offered rate
// for both unless requests fail: 5 %. Errors (timeouts, failures) may
// exceed the simulation's by ErrorPoints percentage points.
type Tolerance struct {
	P50Rel      float64 `json:"p50_rel"`
	P90Rel      float64 `json:"p90_rel"`
	P99Rel      float64 `json:"p99_rel"`
	AbsMs       float64 `json:"abs_ms"`
	RateRel     float64 `json:"throughput_rel"`
	ErrorPoints float64 `json:"error_points"`
}

// DefaultTolerance is the tolerance `capsim validate` applies.
var DefaultTolerance = Tolerance{P50Rel: 0.20, P90Rel: 0.25, P99Rel: 0.35, AbsMs: 2, RateRel: 0.05, ErrorPoints: 0.5}

func (t Tolerance) String() string {
	return fmt.Sprintf("p50 ±%.0f %%, p90 ±%.0f %%, p99 ±%.0f %% (each at least ±%g ms), throughput ±%.0f %%, errors at most +%g points",
		t.P50Rel*100, t.P90Rel*100, t.P99Rel*100, t.AbsMs, t.RateRel*100, t.ErrorPoints)
}

// Stats are one side's numbers.
type Stats struct {
	Requests   int64   `json:"requests"`
	Completed  int64   `json:"completed"`
	TimedOut   int64   `json:"timed_out"`
	Failed     int64   `json:"failed"`
	InFlight   int64   `json:"in_flight_at_end"` // unanswered when the run's duration ended: not in the latencies
	ErrorPct   float64 `json:"error_percent"`
	MeanMs     float64 `json:"mean_ms"`
	P50Ms      float64 `json:"p50_ms"`
	P90Ms      float64 `json:"p90_ms"`
	P99Ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
	Throughput float64 `json:"throughput_rps"` // completed ÷ duration
	// Real side only.
	SendLagP99Ms   float64 `json:"send_lag_p99_ms,omitempty"`
	SendLagMaxMs   float64 `json:"send_lag_max_ms,omitempty"`
	HostCPUPercent float64 `json:"host_cpu_percent,omitempty"`
	// ServiceInflationPct is how much longer the backends held their
	// slots than the service times asked for (sleep overshoot, waiting
	// for a core): it raises the real utilisation above the model's.
	ServiceInflationPct float64 `json:"service_inflation_percent,omitempty"`
	FirstError          string  `json:"first_error,omitempty"`
}

// Row is one compared metric.
type Row struct {
	Metric  string  `json:"metric"`
	Sim     float64 `json:"sim"`
	Real    float64 `json:"real"`
	DiffPct float64 `json:"diff_percent"` // (real − sim) ÷ sim × 100
	Limit   string  `json:"limit"`
	OK      bool    `json:"ok"`
}

// PlanJSON is the scaled run, for the report.
type PlanJSON struct {
	FromRate      float64  `json:"from_rate_rps"`
	FromInstances int      `json:"from_instances"`
	FromSlots     int      `json:"from_slots"`
	FromServiceMs float64  `json:"from_mean_service_ms"`
	Rate          float64  `json:"rate_rps"`
	Instances     int      `json:"instances"`
	Slots         int      `json:"slots"`
	ServiceMs     float64  `json:"mean_service_ms"`
	TimeoutMs     float64  `json:"timeout_ms"`
	TimeFactor    float64  `json:"time_factor"`
	Utilisation   float64  `json:"utilisation"`
	Notes         []string `json:"notes"`
}

func planJSON(p Plan, timeout time.Duration) PlanJSON {
	return PlanJSON{
		FromRate: p.From.Rate, FromInstances: p.From.Instances, FromSlots: p.From.Slots, FromServiceMs: ms64(p.From.Service),
		Rate: p.To.Rate, Instances: p.To.Instances, Slots: p.To.Slots, ServiceMs: ms64(p.To.Service),
		TimeoutMs: ms64(timeout), TimeFactor: p.TimeFactor, Utilisation: p.To.Utilisation(), Notes: p.Notes,
	}
}

func ms64(d time.Duration) float64 { return d.Seconds() * 1000 }

// Report is a validation run: what was run, both sides, and the verdict.
type Report struct {
	Scenario   string    `json:"scenario"`
	Seed       uint64    `json:"seed"`
	Algorithm  string    `json:"algorithm"`
	Balance    string    `json:"haproxy_balance"`
	Queue      string    `json:"queue"`
	Duration   string    `json:"duration"`
	Plan       PlanJSON  `json:"plan"`
	OverheadMs float64   `json:"stack_overhead_ms"` // measured, given to the simulation as the LB overhead
	Tolerance  Tolerance `json:"tolerance"`
	Sim        Stats     `json:"sim"`
	Real       Stats     `json:"real"`
	Rows       []Row     `json:"comparison"`
	// Invalid lists why the comparison means nothing (too few requests
	// completed, the real side fell behind its send schedule): any one
	// fails the validation, whatever the rows say.
	Invalid []string `json:"invalid,omitempty"`
	OK      bool     `json:"ok"`
	PIDs    []int    `json:"-"` // every process started, all stopped when Validate returns
}

func (r *realRun) stats() Stats {
	l := r.load
	s := Stats{
		Requests: l.Sent, Completed: l.Completed, TimedOut: l.TimedOut, Failed: l.Failed + l.Dropped, InFlight: l.InFlightAtEnd,
		P50Ms: histMs(l.Latency, 50), P90Ms: histMs(l.Latency, 90), P99Ms: histMs(l.Latency, 99), MaxMs: float64(l.Latency.Max()) / 1000,
		SendLagP99Ms: histMs(l.Lag, 99), SendLagMaxMs: float64(l.Lag.Max()) / 1000, HostCPUPercent: r.cpu, FirstError: l.FirstErr,
		ServiceInflationPct: r.inflation,
	}
	if l.Completed > 0 {
		s.MeanMs = l.LatSum / float64(l.Completed) * 1000
	}
	if l.Sent > 0 {
		s.ErrorPct = float64(s.TimedOut+s.Failed) / float64(l.Sent) * 100
	}
	return s
}

func simStats(res *sim.Result) Stats {
	c := res.Requests
	s := Stats{
		Requests: c.Total, Completed: c.Completed, TimedOut: c.TimedOut, Failed: c.Rejected, InFlight: c.InFlightAtEnd,
		MeanMs: res.MeanLatencyMs(), P50Ms: res.LatencyMs(50), P90Ms: res.LatencyMs(90), P99Ms: res.LatencyMs(99), MaxMs: res.LatencyMs(100),
	}
	if c.Total > 0 {
		s.ErrorPct = float64(c.TimedOut+c.Rejected) / float64(c.Total) * 100
	}
	return s
}

func histMs(h interface{ ValueAtQuantile(float64) int64 }, q float64) float64 {
	return float64(h.ValueAtQuantile(q)) / 1000
}

// compare fills Rows and OK. Throughput is completed requests per second
// of the load's duration on both sides.
func (r *Report) compare() {
	d, _ := time.ParseDuration(r.Duration)
	r.Sim.Throughput = float64(r.Sim.Completed) / d.Seconds()
	r.Real.Throughput = float64(r.Real.Completed) / d.Seconds()
	t := r.Tolerance
	lat := func(name string, s, x, rel float64) Row {
		lim := math.Max(rel*s, t.AbsMs)
		return Row{Metric: name, Sim: s, Real: x, DiffPct: pct(s, x), OK: math.Abs(x-s) <= lim,
			Limit: fmt.Sprintf("±%.0f %% (≥ %g ms)", rel*100, t.AbsMs)}
	}
	r.Rows = []Row{
		lat("p50 ms", r.Sim.P50Ms, r.Real.P50Ms, t.P50Rel),
		lat("p90 ms", r.Sim.P90Ms, r.Real.P90Ms, t.P90Rel),
		lat("p99 ms", r.Sim.P99Ms, r.Real.P99Ms, t.P99Rel),
		{Metric: "throughput req/s", Sim: r.Sim.Throughput, Real: r.Real.Throughput, DiffPct: pct(r.Sim.Throughput, r.Real.Throughput),
			OK: math.Abs(r.Real.Throughput-r.Sim.Throughput) <= t.RateRel*r.Sim.Throughput, Limit: fmt.Sprintf("±%.0f %%", t.RateRel*100)},
		{Metric: "errors %", Sim: r.Sim.ErrorPct, Real: r.Real.ErrorPct, DiffPct: pct(r.Sim.ErrorPct, r.Real.ErrorPct),
			OK: r.Real.ErrorPct <= r.Sim.ErrorPct+t.ErrorPoints, Limit: fmt.Sprintf("≤ sim + %g", t.ErrorPoints)},
	}
	r.Invalid = r.preconditions()
	r.OK = len(r.Invalid) == 0
	for _, row := range r.Rows {
		r.OK = r.OK && row.OK
	}
}

// What a comparison needs to mean anything: enough completed requests on
// each side for a p99 (a hundred), and a real side that sent what was
// scheduled when it was scheduled (its latencies count the lag, so a
// generator far behind measures itself, not the stack).
const (
	minCompleted  = 100
	minSentShare  = 0.99
	maxSendLagP99 = 50.0 // ms
)

func (r *Report) preconditions() []string {
	var why []string
	for _, side := range []struct {
		name string
		s    Stats
	}{{"real", r.Real}, {"simulated", r.Sim}} {
		if side.s.Completed < minCompleted {
			why = append(why, fmt.Sprintf("the %s side completed %d requests (%d sent), fewer than the %d a comparison needs: raise the rate or --duration, or lower the load if requests time out",
				side.name, side.s.Completed, side.s.Requests, minCompleted))
		}
	}
	if want := r.Sim.Requests; want > 0 && float64(r.Real.Requests) < minSentShare*float64(want) {
		why = append(why, fmt.Sprintf("the real side sent %d of %d scheduled requests: the load generator could not keep its schedule (host too busy, or too many open connections)",
			r.Real.Requests, want))
	}
	if r.Real.SendLagP99Ms > maxSendLagP99 {
		why = append(why, fmt.Sprintf("the real side sent its requests up to %.3g ms late (p99), more than %g ms: the load generator could not keep its schedule, so its latencies measure the generator",
			r.Real.SendLagP99Ms, maxSendLagP99))
	}
	return why
}

func pct(s, x float64) float64 {
	if s == 0 {
		if x == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return (x - s) / s * 100
}

// WriteTable prints the comparison and the verdict.
func (r *Report) WriteTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tsim\treal\tdiff\ttolerance\t")
	for _, row := range r.Rows {
		ok := "ok"
		if !row.OK {
			ok = "OUTSIDE"
		}
		diff := "-"
		if !math.IsInf(row.DiffPct, 0) {
			diff = fmt.Sprintf("%+.1f %%", row.DiffPct)
		}
		fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t%s\t%s\t%s\n", row.Metric, row.Sim, row.Real, diff, row.Limit, ok)
	}
	tw.Flush()
	fmt.Fprintf(w, "real: %d sent, %d completed, %d timed out, %d failed, %d in flight at the end; mean %.3g ms, max %.4g ms; send lag p99 %.3g ms, max %.3g ms; service time %+.1f %% of asked; host CPU %.0f %%; stack overhead %.3g ms\n",
		r.Real.Requests, r.Real.Completed, r.Real.TimedOut, r.Real.Failed, r.Real.InFlight, r.Real.MeanMs, r.Real.MaxMs,
		r.Real.SendLagP99Ms, r.Real.SendLagMaxMs, r.Real.ServiceInflationPct, r.Real.HostCPUPercent, r.OverheadMs)
	if r.Real.FirstError != "" {
		fmt.Fprintf(w, "real: first error: %s\n", r.Real.FirstError)
	}
	fmt.Fprintf(w, "sim:  %d requests, %d completed, %d timed out, %d rejected, %d in flight at the end; mean %.3g ms, max %.4g ms\n",
		r.Sim.Requests, r.Sim.Completed, r.Sim.TimedOut, r.Sim.Failed, r.Sim.InFlight, r.Sim.MeanMs, r.Sim.MaxMs)
	if r.Real.HostCPUPercent > 70 {
		fmt.Fprintf(w, "warning: the host was %.0f %% busy: the real side's latencies include waiting for a core\n", r.Real.HostCPUPercent)
	}
	for _, why := range r.Invalid {
		fmt.Fprintf(w, "FAIL: %s\n", why)
	}
	verdict := "PASS: the real stack is within tolerance of the simulation"
	switch {
	case len(r.Invalid) > 0:
		verdict = "FAIL: nothing valid was measured, so nothing was compared"
	case !r.OK:
		verdict = "FAIL: the real stack is outside tolerance of the simulation"
	}
	fmt.Fprintf(w, "%s (%s)\n", verdict, r.Tolerance)
}

// cpuTimes is a snapshot of /proc/stat's first line.
type cpuTimes struct{ busy, total float64 }

func hostCPU() (cpuTimes, error) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return cpuTimes{}, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		return cpuTimes{}, err
	}
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return cpuTimes{}, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var t cpuTimes
	for i, f := range fields[1:] {
		v, _ := strconv.ParseFloat(f, 64)
		t.total += v
		if i != 3 && i != 4 { // idle, iowait
			t.busy += v
		}
	}
	return t, nil
}

// busySince is the share of CPU time busy between then and t, in percent.
func (t cpuTimes) busySince(then cpuTimes) float64 {
	if t.total <= then.total {
		return 0
	}
	return (t.busy - then.busy) / (t.total - then.total) * 100
}
