package stack

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	"gonum.org/v1/gonum/stat"

	"github.com/capsim/capsim/sim"
)

// TimelinePoint is both sides' instance count at one sample: every metric
// period from the start. An instance counts from the moment it passes its
// health checks until it is terminated, its draining included.
type TimelinePoint struct {
	OffsetS       float64 `json:"offset_s"`
	SimInService  int     `json:"sim_in_service"`
	RealInService int     `json:"real_in_service"`
}

// PeriodLatency is one minute of the run on both sides: latency of the
// requests completed in it.
type PeriodLatency struct {
	StartS        float64 `json:"start_s"`
	SimCompleted  int64   `json:"sim_completed"`
	RealCompleted int64   `json:"real_completed"`
	SimP50Ms      float64 `json:"sim_p50_ms"`
	RealP50Ms     float64 `json:"real_p50_ms"`
	SimP99Ms      float64 `json:"sim_p99_ms"`
	RealP99Ms     float64 `json:"real_p99_ms"`
}

// Scaling is what a live validation adds to the report.
type Scaling struct {
	// SettledS is when the first scale-out has settled (the later side's
	// first scale-out + boot + health checks + one period): instance
	// counts are compared from then on.
	SettledS float64 `json:"settled_s"`
	// KS is the two-sample Kolmogorov–Smirnov statistic between the two
	// sides' latency distributions (the largest distance between their
	// empirical CDFs, on the histograms' buckets); reported, not checked.
	KS             float64         `json:"ks_statistic"`
	SimActivities  []sim.Activity  `json:"sim_activities"`
	RealActivities []sim.Activity  `json:"real_activities"`
	Periods        []PeriodLatency `json:"periods"`
	// Percentiles are both sides' latency at q = 1, 2, …, 99, 99.9: the
	// distributions the KS statistic compares, for the overlay chart.
	Percentiles []PercentilePoint `json:"percentiles"`
}

// PercentilePoint is one latency percentile on both sides.
type PercentilePoint struct {
	Q      float64 `json:"q"`
	SimMs  float64 `json:"sim_ms"`
	RealMs float64 `json:"real_ms"`
}

// compareScaling adds the timeline, the per-minute latencies, the KS
// statistic and the rows instances_max_abs_diff and first_scale_out_s.
func (r *Report) compareScaling(res *sim.Result, run realSide, p *livePlan) {
	c := p.cfg
	period := c.MetricPeriod
	real := map[sim.Time]int{0: c.Fleet.Desired}
	for _, s := range run.samples {
		real[s.At] = s.InService
	}
	for t := sim.Time(0); t <= c.Duration; t += period {
		n, ok := real[t]
		if !ok {
			continue
		}
		r.Timeline = append(r.Timeline, TimelinePoint{OffsetS: t.Seconds(), SimInService: simInService(res, t), RealInService: n})
	}
	sc := &Scaling{SimActivities: changes(res.Activities), RealActivities: changes(run.actions)}
	for i := range sc.SimActivities {
		sc.SimActivities[i].At = sc.SimActivities[i].Time.Duration().String()
	}
	for i := range sc.RealActivities {
		sc.RealActivities[i].At = sc.RealActivities[i].Time.Duration().String()
	}
	simOut, realOut := firstScaleOut(sc.SimActivities), firstScaleOut(sc.RealActivities)
	settle := sim.Time(0)
	if simOut >= 0 || realOut >= 0 {
		settle = max(simOut, realOut) + p.boot + p.register + period
	}
	sc.SettledS = settle.Seconds()
	diff := 0
	for _, pt := range r.Timeline {
		if pt.OffsetS >= settle.Seconds() {
			diff = max(diff, abs(pt.SimInService-pt.RealInService))
		}
	}
	sc.KS = ks(res.Latency, run.load.Latency)
	sc.Periods = periods(res, run.answers)
	for i := 1; i <= 100; i++ {
		q := float64(i)
		if i == 100 {
			q = 99.9
		}
		sc.Percentiles = append(sc.Percentiles, PercentilePoint{Q: q, SimMs: res.LatencyMs(q), RealMs: histMs(run.load.Latency, q)})
	}
	r.Scaling = sc

	secs := func(t sim.Time) float64 {
		if t < 0 {
			return -1
		}
		return t.Seconds()
	}
	outOK := simOut < 0 && realOut < 0 || simOut >= 0 && realOut >= 0 && abs64(simOut-realOut) <= p.eval
	r.Rows = append(r.Rows,
		Row{Metric: "instances_max_abs_diff", Sim: 0, Real: float64(diff), OK: diff <= 1,
			Limit: fmt.Sprintf("≤ 1 at every sample from %v", settle.Duration())},
		Row{Metric: "first_scale_out_s", Sim: secs(simOut), Real: secs(realOut), DiffPct: pct(secs(simOut), secs(realOut)), OK: outOK,
			Limit: fmt.Sprintf("± %v (-1: none)", p.eval.Duration())},
	)
	r.OK = len(r.Invalid) == 0 // compare's preconditions hold
	for _, row := range r.Rows {
		r.OK = r.OK && row.OK
	}
}

// realSide is what the comparison reads of the real run: the instance
// counts sampled every period, the capacity changes, the load's result
// and every answer.
type realSide struct {
	samples []LiveSample
	actions []sim.Activity
	load    *LoadResult
	answers []answer
}

// simInService counts the simulated instances in service at t (initial
// ones are in service from 0), draining included, as the real side counts
// them: sampled when the period closes, before the evaluation at t acts,
// so an instance a scale-in at t terminates at once still counts.
func simInService(res *sim.Result, t sim.Time) int {
	n := 0
	for _, in := range res.Instances {
		entered := in.InService > 0 || in.Launch == 0
		if entered && in.InService <= t && (in.Terminated >= t || in.Running) {
			n++
		}
	}
	return n
}

// changes keeps the activities that changed desired capacity.
func changes(acts []sim.Activity) []sim.Activity {
	var out []sim.Activity
	for _, a := range acts {
		if a.From != a.To {
			out = append(out, a)
		}
	}
	return out
}

func firstScaleOut(acts []sim.Activity) sim.Time {
	for _, a := range acts {
		if a.To > a.From {
			return a.Time
		}
	}
	return -1
}

// ks is the two-sample Kolmogorov–Smirnov statistic of two latency
// histograms, each bucket weighted by its count (gonum's
// stat.KolmogorovSmirnov on sorted locations with weights).
func ks(a, b *hdrhistogram.Histogram) float64 {
	loc := func(h *hdrhistogram.Histogram) (x, w []float64) {
		for _, bar := range h.Distribution() {
			if bar.Count > 0 {
				x = append(x, float64(bar.To))
				w = append(w, float64(bar.Count))
			}
		}
		return x, w
	}
	x, wx := loc(a)
	y, wy := loc(b)
	return stat.KolmogorovSmirnov(x, wx, y, wy)
}

// periods sets the simulation's minute rows beside the real answers of
// the same minutes (by completion time, as the simulation counts them).
func periods(res *sim.Result, answers []answer) []PeriodLatency {
	byMin := map[int64][]float64{}
	for _, a := range answers {
		if a.completed {
			m := int64(a.at / time.Minute)
			byMin[m] = append(byMin[m], a.lat.Seconds()*1000)
		}
	}
	var out []PeriodLatency
	for i, row := range res.Minutes {
		lat := byMin[int64(i)]
		slices.Sort(lat)
		pl := PeriodLatency{StartS: row.Start.Seconds(), SimCompleted: row.Completed, RealCompleted: int64(len(lat)),
			RealP50Ms: rank(lat, 0.50), RealP99Ms: rank(lat, 0.99)}
		if row.Completed > 0 {
			pl.SimP50Ms, pl.SimP99Ms = row.P50, row.P99
		}
		out = append(out, pl)
	}
	return out
}

// rank is the nearest-rank quantile of sorted values (0 when empty).
func rank(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(v)))) - 1
	return v[min(max(i, 0), len(v)-1)]
}

// hostCheck fails the run when the host, not the model, set the real
// latencies: the whole machine's CPU busy, or the generator late.
func (r *Report) hostCheck() {
	var why []string
	if r.Real.StackCPUPercent > maxStackCPU {
		why = append(why, fmt.Sprintf("the stack's processes used %.0f %% of the host's CPU > %.0f %%", r.Real.StackCPUPercent, maxStackCPU))
	}
	if lag := r.Real.SendLagP90Ms; lag > ms64(maxSendLagP90) {
		why = append(why, fmt.Sprintf("send lag p90 %.3g ms > %v: the generator fell behind its schedule", lag, maxSendLagP90))
	}
	if len(why) > 0 {
		r.Bottleneck = strings.Join(why, "; ")
		r.OK = false
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func abs64(x sim.Time) sim.Time {
	if x < 0 {
		return -x
	}
	return x
}

// writeTimeline prints both sides' instance counts, one line per sample.
func (r *Report) writeTimeline(w io.Writer) {
	fmt.Fprintln(w, "instances in service (sim / real), every period:")
	var b strings.Builder
	for _, p := range r.Timeline {
		mark := ""
		if r.Scaling != nil && p.OffsetS >= r.Scaling.SettledS && abs(p.SimInService-p.RealInService) > 1 {
			mark = "!"
		}
		fmt.Fprintf(&b, " %gs %d/%d%s", p.OffsetS, p.SimInService, p.RealInService, mark)
	}
	fmt.Fprintln(w, strings.TrimSpace(b.String()))
	if s := r.Scaling; s != nil {
		for _, a := range s.SimActivities {
			fmt.Fprintf(w, "sim  %6s %d → %d  %s\n", a.At, a.From, a.To, a.Reason)
		}
		for _, a := range s.RealActivities {
			fmt.Fprintf(w, "real %6s %d → %d  %s\n", a.At, a.From, a.To, a.Reason)
		}
		fmt.Fprintf(w, "latency distributions: two-sample Kolmogorov–Smirnov D = %.3f\n", s.KS)
		for _, p := range s.Periods {
			fmt.Fprintf(w, "minute from %gs: p50 %.3g / %.3g ms, p99 %.3g / %.3g ms (sim / real), %d / %d completed\n",
				p.StartS, p.SimP50Ms, p.RealP50Ms, p.SimP99Ms, p.RealP99Ms, p.SimCompleted, p.RealCompleted)
		}
	}
}
