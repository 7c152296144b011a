package policies

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// This file is the Kubernetes Horizontal Pod Autoscaler as a comparison
// point (docs/aws-model.md §7): the replica calculator (K8S-RC at commit
// 00067268, whose tests are ported in hpa_test.go) and the controller's
// behaviour (stabilization windows and scaling policies, K8S-HPA-DOC).
// Written from the documented algorithm; no Kubernetes code is copied.
// Values are milli-units (int64) as in Kubernetes, so that truncations
// happen where Kubernetes truncates.

// HPASyncPeriod is how often the HPA controller evaluates
// (--horizontal-pod-autoscaler-sync-period).
const HPASyncPeriod = 15 * time.Second

// PodPhase is a pod's lifecycle phase.
type PodPhase uint8

// The phases the calculator distinguishes. The zero value is PodRunning.
const (
	PodRunning PodPhase = iota
	PodPending
	PodSucceeded
	PodFailed
)

func (p PodPhase) String() string {
	return [...]string{"Running", "Pending", "Succeeded", "Failed"}[min(int(p), 3)]
}

// Pod is what the replica calculator needs of a pod (an instance, in
// capsim). Times are offsets on the caller's clock.
type Pod struct {
	Name       string
	Phase      PodPhase
	Deleting   bool          // has a deletion timestamp
	Ready      bool          // the Ready condition is True
	ReadySince time.Duration // when the Ready condition last changed
	Started    time.Duration // the pod's StartTime
	Request    int64         // resource request, milli-units summed over containers; 0 = a container lacks one
}

func (p Pod) String() string {
	r := "ready"
	if !p.Ready {
		r = "unready"
	}
	return fmt.Sprintf("Pod{%s %s %s request %dm}", p.Name, p.Phase, r, p.Request)
}

// PodMetric is one pod's metric sample: its value (milli-units), when it was
// taken and over which window.
type PodMetric struct {
	Value     int64
	Timestamp time.Duration
	Window    time.Duration
}

// PodMetrics maps pod names to samples. Samples for names that match no pod
// may be present (a metrics API returns what it has).
type PodMetrics map[string]PodMetric

// ReplicaCalculator turns metrics into a replica count, the way the HPA's
// replica calculator does (docs/aws-model.md §7).
type ReplicaCalculator struct {
	// Tolerance: no change while |ratio − 1| ≤ Tolerance (default 0.1).
	Tolerance float64
	// CPUInitializationPeriod (default 5 min): during it, a pod's CPU sample
	// counts only if the pod is ready and the sample was taken a full
	// window after it became ready.
	CPUInitializationPeriod time.Duration
	// InitialReadinessDelay (default 30 s): after the initialization
	// period, an unready pod is ignored if it never became ready (its
	// readiness last changed within this delay of its start).
	InitialReadinessDelay time.Duration
}

// NewReplicaCalculator returns a calculator with Kubernetes' defaults.
func NewReplicaCalculator() ReplicaCalculator {
	return ReplicaCalculator{Tolerance: 0.1, CPUInitializationPeriod: 5 * time.Minute, InitialReadinessDelay: 30 * time.Second}
}

func (c ReplicaCalculator) String() string {
	return fmt.Sprintf("ReplicaCalculator{tolerance %g, cpu init %v, readiness delay %v}", c.Tolerance, c.CPUInitializationPeriod, c.InitialReadinessDelay)
}

// Recommendation is a replica count and the usage it came from: for a
// resource target the utilisation in integer percent (Usage) and the mean
// raw usage per pod in milli-units (RawUsage); for other targets the usage
// in milli-units (per pod for average targets).
type Recommendation struct {
	Replicas int
	Usage    int64
	RawUsage int64
}

func (r Recommendation) String() string {
	return fmt.Sprintf("%d replicas (usage %d, raw %d)", r.Replicas, r.Usage, r.RawUsage)
}

var errNoPods = errors.New("no pods returned by selector while calculating replica count")

// podGroups sorts the pods as the calculator does: failed and deleting pods
// are dropped with their samples; pending pods, and (for CPU) pods not yet
// trustworthy, are unready; running pods without a sample are missing; the
// rest are ready.
func (c ReplicaCalculator) podGroups(pods []Pod, metrics PodMetrics, cpu bool, now time.Duration) (ready int, unready, missing []string, dropped []string) {
	for _, p := range pods {
		if p.Deleting || p.Phase == PodFailed {
			dropped = append(dropped, p.Name)
			continue
		}
		if p.Phase == PodPending {
			unready = append(unready, p.Name)
			continue
		}
		m, ok := metrics[p.Name]
		if !ok {
			missing = append(missing, p.Name)
			continue
		}
		if cpu {
			var skip bool
			if now < p.Started+c.CPUInitializationPeriod {
				skip = !p.Ready || m.Timestamp < p.ReadySince+m.Window
			} else {
				skip = !p.Ready && p.Started+c.InitialReadinessDelay > p.ReadySince
			}
			if skip {
				unready = append(unready, p.Name)
				continue
			}
		}
		ready++
	}
	return
}

func withinTolerance(ratio, tol float64) bool { return math.Abs(1-ratio) <= tol }

// ResourceReplicas is the calculator for a resource utilisation target
// (targetUtilization in percent of the pods' requests; resource "cpu"
// enables the CPU readiness rules). With ready pods' samples only:
//
//	utilisation = trunc(100 × Σ usage / Σ request)   (integer percent)
//	ratio       = utilisation / target
//
// If no pod is missing a sample and no unready pod matters (ratio ≤ 1),
// the answer is current when |ratio − 1| ≤ tolerance, else
// ceil(ratio × ready pods). Otherwise missing pods count at 100 % of their
// request on a scale-down and 0 on a scale-up, unready pods at 0 on a
// scale-up; the ratio is recomputed and the answer is
// ceil(new ratio × pods counted), unless the new ratio is within tolerance
// or points the other way (then current).
func (c ReplicaCalculator) ResourceReplicas(current int, pods []Pod, metrics PodMetrics, resource string, targetUtilization int64, now time.Duration) (Recommendation, error) {
	if len(metrics) == 0 {
		return Recommendation{}, fmt.Errorf("unable to get metrics for resource %s: no metrics returned from resource metrics API", resource)
	}
	if len(pods) == 0 {
		return Recommendation{}, errNoPods
	}
	if targetUtilization <= 0 {
		return Recommendation{}, fmt.Errorf("target utilization %d%%: must be > 0", targetUtilization)
	}
	m := clonePodMetrics(metrics)
	ready, unready, missing, dropped := c.podGroups(pods, m, resource == "cpu", now)
	deleteAll(m, dropped)
	deleteAll(m, unready)
	requests := make(map[string]int64, len(pods))
	for _, p := range pods {
		if p.Request <= 0 {
			return Recommendation{}, fmt.Errorf("missing request for %s in pod %s", resource, p.Name)
		}
		requests[p.Name] = p.Request
	}
	if len(m) == 0 {
		return Recommendation{}, errors.New("did not receive metrics for any ready pods")
	}
	ratio, util, raw, err := utilizationRatio(m, requests, targetUtilization)
	if err != nil {
		return Recommendation{}, err
	}
	rec := Recommendation{Replicas: current, Usage: util, RawUsage: raw}
	rebalance := len(unready) > 0 && ratio > 1
	if !rebalance && len(missing) == 0 {
		if !withinTolerance(ratio, c.Tolerance) {
			rec.Replicas = int(math.Ceil(ratio * float64(ready)))
		}
		return rec, nil
	}
	switch {
	case len(missing) > 0 && ratio < 1:
		for _, n := range missing {
			m[n] = PodMetric{Value: requests[n]} // 100 % of the request
		}
	case len(missing) > 0 && ratio > 1:
		for _, n := range missing {
			m[n] = PodMetric{}
		}
	}
	if rebalance {
		for _, n := range unready {
			m[n] = PodMetric{}
		}
	}
	newRatio, _, _, err := utilizationRatio(m, requests, targetUtilization)
	if err != nil {
		return Recommendation{}, err
	}
	if withinTolerance(newRatio, c.Tolerance) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1) {
		return rec, nil
	}
	n := int(math.Ceil(newRatio * float64(len(m))))
	if (newRatio < 1 && n > current) || (newRatio > 1 && n < current) {
		return rec, nil
	}
	rec.Replicas = n
	return rec, nil
}

// utilizationRatio: samples of pods without a known request are skipped
// (they belong to no listed pod).
func utilizationRatio(m PodMetrics, requests map[string]int64, target int64) (ratio float64, util, raw int64, err error) {
	var usage, request, n int64
	for name, s := range m {
		r, ok := requests[name]
		if !ok {
			continue
		}
		usage += s.Value
		request += r
		n++
	}
	if request == 0 {
		return 0, 0, 0, errors.New("no metrics returned matched known pods")
	}
	util = usage * 100 / request
	return float64(util) / float64(target), util, usage / n, nil
}

// PodsReplicas is the calculator for a per-pod average target of a pods
// metric (e.g. requests per second per pod), targetAverage in milli-units:
// usage = trunc(Σ samples / samples), ratio = usage / target, then as
// ResourceReplicas, except that a missing pod counts at the target on a
// scale-down and at 0 otherwise, and no readiness rule applies to running
// pods.
func (c ReplicaCalculator) PodsReplicas(current int, pods []Pod, metrics PodMetrics, targetAverage int64) (Recommendation, error) {
	if len(metrics) == 0 {
		return Recommendation{}, errors.New("unable to get metric: no metrics returned")
	}
	if len(pods) == 0 {
		return Recommendation{}, errNoPods
	}
	if targetAverage <= 0 {
		return Recommendation{}, fmt.Errorf("target average %dm: must be > 0", targetAverage)
	}
	m := clonePodMetrics(metrics)
	ready, unready, missing, dropped := c.podGroups(pods, m, false, 0)
	deleteAll(m, dropped)
	deleteAll(m, unready)
	if len(m) == 0 {
		return Recommendation{}, errors.New("did not receive metrics for any ready pods")
	}
	ratio, usage := averageRatio(m, targetAverage)
	rec := Recommendation{Replicas: current, Usage: usage}
	rebalance := len(unready) > 0 && ratio > 1
	if !rebalance && len(missing) == 0 {
		if !withinTolerance(ratio, c.Tolerance) {
			rec.Replicas = int(math.Ceil(ratio * float64(ready)))
		}
		return rec, nil
	}
	if len(missing) > 0 {
		fill := int64(0)
		if ratio < 1 {
			fill = targetAverage
		}
		for _, n := range missing {
			m[n] = PodMetric{Value: fill}
		}
	}
	if rebalance {
		for _, n := range unready {
			m[n] = PodMetric{}
		}
	}
	newRatio, _ := averageRatio(m, targetAverage)
	if withinTolerance(newRatio, c.Tolerance) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1) {
		return rec, nil
	}
	rec.Replicas = int(math.Ceil(newRatio * float64(len(m))))
	return rec, nil
}

func averageRatio(m PodMetrics, target int64) (float64, int64) {
	var t int64
	for _, s := range m {
		t += s.Value
	}
	avg := t / int64(len(m))
	return float64(avg) / float64(target), avg
}

// ObjectReplicas is the calculator for a value target on one object's
// metric (or, with ExternalReplicas, the sum of an external series):
// ratio = value / target; with current > 0 the answer is current within
// tolerance, else ceil(ratio × ready pods) where ready pods are running
// with Ready true (so unready pods are not counted); with current = 0 it is
// ceil(ratio).
func (c ReplicaCalculator) ObjectReplicas(current int, pods []Pod, value, target int64) (Recommendation, error) {
	if target <= 0 {
		return Recommendation{}, fmt.Errorf("target value %dm: must be > 0", target)
	}
	ratio := float64(value) / float64(target)
	rec := Recommendation{Replicas: current, Usage: value}
	if current == 0 {
		rec.Replicas = int(math.Ceil(ratio))
		return rec, nil
	}
	if withinTolerance(ratio, c.Tolerance) {
		return rec, nil
	}
	if len(pods) == 0 {
		return Recommendation{}, fmt.Errorf("unable to calculate ready pods: %w", errNoPods)
	}
	ready := 0
	for _, p := range pods {
		if p.Phase == PodRunning && p.Ready {
			ready++
		}
	}
	rec.Replicas = int(math.Ceil(ratio * float64(ready)))
	return rec, nil
}

// ObjectPerPodReplicas is the calculator for an average-value target on an
// object's metric (or, with ExternalPerPodReplicas, the sum of an external
// series): ratio = value / (targetAverage × current); outside tolerance the
// answer is ceil(value / targetAverage); Usage = ceil(value / current).
func (c ReplicaCalculator) ObjectPerPodReplicas(current int, value, targetAverage int64) (Recommendation, error) {
	if targetAverage <= 0 {
		return Recommendation{}, fmt.Errorf("target average %dm: must be > 0", targetAverage)
	}
	rec := Recommendation{Replicas: current}
	ratio := float64(value) / (float64(targetAverage) * float64(current))
	if !withinTolerance(ratio, c.Tolerance) {
		rec.Replicas = int(math.Ceil(float64(value) / float64(targetAverage)))
	}
	if current > 0 {
		rec.Usage = int64(math.Ceil(float64(value) / float64(current)))
	}
	return rec, nil
}

// ExternalReplicas is ObjectReplicas on the sum of an external metric's series.
func (c ReplicaCalculator) ExternalReplicas(current int, pods []Pod, values []int64, target int64) (Recommendation, error) {
	return c.ObjectReplicas(current, pods, sum64(values), target)
}

// ExternalPerPodReplicas is ObjectPerPodReplicas on the sum of an external
// metric's series.
func (c ReplicaCalculator) ExternalPerPodReplicas(current int, values []int64, targetAverage int64) (Recommendation, error) {
	return c.ObjectPerPodReplicas(current, sum64(values), targetAverage)
}

func sum64(v []int64) int64 {
	var t int64
	for _, x := range v {
		t += x
	}
	return t
}

func clonePodMetrics(m PodMetrics) PodMetrics {
	c := make(PodMetrics, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func deleteAll(m PodMetrics, names []string) {
	for _, n := range names {
		delete(m, n)
	}
}

// CombineMetrics merges the replica counts of several metrics: the largest
// wins; if any metric failed (invalid > 0), a scale-down is not allowed and
// ok is false (keep current), as is the case of every metric failing
// (docs/aws-model.md §7).
func CombineMetrics(current int, replicas []int, invalid int) (desired int, ok bool) {
	if len(replicas) == 0 {
		return current, false
	}
	desired = replicas[0]
	for _, r := range replicas[1:] {
		desired = max(desired, r)
	}
	if invalid > 0 && desired < current {
		return current, false
	}
	return desired, true
}

// HPAPolicyType is a scaling policy's unit.
type HPAPolicyType uint8

// The HPA scaling policy types.
const (
	HPAPods    HPAPolicyType = iota // change by Value pods per period
	HPAPercent                      // change by Value % of the pods at the period's start
)

func (t HPAPolicyType) String() string {
	if t == HPAPercent {
		return "Percent"
	}
	return "Pods"
}

// HPAPolicy limits how much the replica count may change within any
// Period (the look-back window).
type HPAPolicy struct {
	Type   HPAPolicyType
	Value  int
	Period time.Duration
}

func (p HPAPolicy) String() string {
	u := ""
	if p.Type == HPAPercent {
		u = "%"
	}
	return fmt.Sprintf("%d%s per %v", p.Value, u, p.Period)
}

// SelectPolicy chooses among several policies.
type SelectPolicy uint8

// The selectPolicy values. The zero value, SelectMax, is the default: the
// policy allowing the largest change.
const (
	SelectMax SelectPolicy = iota
	SelectMin
	SelectDisabled
)

func (s SelectPolicy) String() string {
	return [...]string{"Max", "Min", "Disabled"}[min(int(s), 2)]
}

// HPARules is one direction's behaviour: a stabilization window and rate
// policies.
type HPARules struct {
	StabilizationWindow time.Duration
	SelectPolicy        SelectPolicy
	Policies            []HPAPolicy
}

func (r HPARules) String() string {
	ps := make([]string, len(r.Policies))
	for i, p := range r.Policies {
		ps[i] = p.String()
	}
	return fmt.Sprintf("{window %v, select %s, %s}", r.StabilizationWindow, r.SelectPolicy, strings.Join(ps, ", "))
}

func (r HPARules) longestPeriod() time.Duration {
	var l time.Duration
	for _, p := range r.Policies {
		l = max(l, p.Period)
	}
	return l
}

// HPABehavior is spec.behavior.
type HPABehavior struct {
	ScaleUp, ScaleDown HPARules
}

// DefaultHPABehavior is Kubernetes' default behaviour (docs/aws-model.md §7):
// scale up without stabilization by the larger of 100 % and 4 pods per
// 15 s; scale down after a 300-s stabilization window by up to 100 % per 15 s.
func DefaultHPABehavior() HPABehavior {
	return HPABehavior{
		ScaleUp: HPARules{SelectPolicy: SelectMax, Policies: []HPAPolicy{
			{HPAPercent, 100, 15 * time.Second}, {HPAPods, 4, 15 * time.Second}}},
		ScaleDown: HPARules{StabilizationWindow: 300 * time.Second, SelectPolicy: SelectMax, Policies: []HPAPolicy{
			{HPAPercent, 100, 15 * time.Second}}},
	}
}

// Validate checks the behaviour.
func (b HPABehavior) Validate() error {
	var errs []error
	for _, d := range []struct {
		dir string
		r   HPARules
	}{{"scale_up", b.ScaleUp}, {"scale_down", b.ScaleDown}} {
		dir, r := d.dir, d.r
		if r.StabilizationWindow < 0 || r.StabilizationWindow > time.Hour {
			errs = append(errs, fmt.Errorf("%s.stabilization_window %v: want 0..1h", dir, r.StabilizationWindow))
		}
		if r.SelectPolicy > SelectDisabled {
			errs = append(errs, fmt.Errorf("%s.select_policy %d: unknown", dir, r.SelectPolicy))
		}
		if len(r.Policies) == 0 && r.SelectPolicy != SelectDisabled {
			errs = append(errs, fmt.Errorf("%s.policies: at least one policy unless select_policy is Disabled", dir))
		}
		for i, p := range r.Policies {
			if p.Value <= 0 {
				errs = append(errs, fmt.Errorf("%s.policies[%d].value %d: must be > 0", dir, i, p.Value))
			}
			if p.Period <= 0 || p.Period > 30*time.Minute {
				errs = append(errs, fmt.Errorf("%s.policies[%d].period %v: want 1s..30m", dir, i, p.Period))
			}
		}
	}
	return errors.Join(errs...)
}
