package scenarios

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/policies"
)

// checker fills defaults in and reports semantic problems, pointing at the
// field with the decoder's positions. It stays quiet about fields that
// failed to decode: their problem is already reported.
type checker struct {
	d *strictyaml.Decoder
	s *Scenario
}

// has says path was given a value that decoded: its value can be used.
func (c *checker) has(path string) bool { return c.d.Present[path] && !c.d.IsBroken(path) }

// given says path was given a value, usable or not: for "X is required".
func (c *checker) given(path string) bool { return c.d.Present[path] }

// bad reports a problem at path unless path (or an ancestor) failed to
// decode: that failure is the problem to fix first.
func (c *checker) bad(path, format string, a ...any) {
	if c.d.IsBroken(path) {
		return
	}
	p := c.d.Pos(path)
	// One problem a line: a second line would print without a position.
	for _, m := range strings.Split(fmt.Sprintf(format, a...), "\n") {
		if m = strings.TrimSpace(m); m != "" {
			c.d.Errs = append(c.d.Errs, Error{File: c.d.File, Line: p.Line, Column: p.Col, Field: path, Msg: m})
		}
	}
}

// brokenUnder says path or a field under it failed to decode: a check of
// the whole (a policy's Validate) would read that field as its zero value
// and report a follow-on problem ("lower bound 0 must be below upper
// bound 0").
func (c *checker) brokenUnder(path string) bool {
	if c.d.IsBroken(path) {
		return true
	}
	for p := range c.d.Broken {
		if strings.HasPrefix(p, path+".") || strings.HasPrefix(p, path+"[") {
			return true
		}
	}
	return false
}

// badEach reports every problem err holds (errors.Join, or lines of one
// message), each at its own field when fieldOf names one (else at path),
// so that no line of a message is left without a position.
func (c *checker) badEach(path string, err error, fieldOf func(msg string) string) {
	var msgs []string
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			msgs = append(msgs, strings.Split(e.Error(), "\n")...)
		}
	} else {
		msgs = strings.Split(err.Error(), "\n")
	}
	for _, m := range msgs {
		if m = strings.TrimSpace(m); m == "" {
			continue
		}
		at := path
		if fieldOf != nil {
			if f := fieldOf(m); f != "" {
				at = f
			}
		}
		c.bad(at, "%s", m)
	}
}

// ok says none of the paths is broken: a check that reads them may run.
func (c *checker) ok(paths ...string) bool {
	for _, p := range paths {
		if c.d.IsBroken(p) {
			return false
		}
	}
	return true
}

// Durations and rates: a given value must be positive (or non-negative);
// an absent one takes the default.
func (c *checker) positiveDur(path string, v *Duration, def Duration) {
	if !c.has(path) {
		*v = def
		return
	}
	if *v <= 0 {
		c.bad(path, "must be greater than 0, got %v", *v)
	}
}

func (c *checker) nonNegDur(path string, v *Duration, def Duration) {
	if !c.has(path) {
		*v = def
		return
	}
	if *v < 0 {
		c.bad(path, "must not be negative, got %v", *v)
	}
}

func (c *checker) positiveFloat(path string, v *float64, def float64) {
	if !c.has(path) {
		*v = def
		return
	}
	if *v <= 0 {
		c.bad(path, "must be greater than 0, got %g", *v)
	}
}

func (c *checker) intAtLeast(path string, v *int, least, def int) {
	if !c.has(path) {
		*v = def
		return
	}
	if *v < least {
		c.bad(path, "must be at least %d, got %d", least, *v)
	}
}

func (c *checker) enum(path string, v *string, def string, allowed ...string) bool {
	if !c.has(path) && *v == "" {
		*v = def
		return true
	}
	if !slices.Contains(allowed, *v) {
		c.bad(path, "unknown %s %q%s", lastKey(path), *v, choices(*v, allowed))
		return false
	}
	return true
}

// choices lists the allowed values after an unknown one, nearest first.
func choices(got string, allowed []string) string {
	if near := strictyaml.Nearest(got, allowed, 1); len(near) > 0 {
		return fmt.Sprintf(" (did you mean %q? known: %s)", near[0], strings.Join(allowed, ", "))
	}
	return " (known: " + strings.Join(allowed, ", ") + ")"
}

// lastKey is the last key of a field path: fleet.min → min.
func lastKey(path string) string {
	return strings.TrimPrefix(path[len(strictyaml.ParentPath(path)):], ".")
}

// The defaults of docs/scenario.md and docs/aws-model.md.
var (
	defaultStart        = time.Unix(0, 0).UTC()
	defaultBootTime     = DistSpec{Dist: "lognormal", Median: Duration(90 * time.Second), P99: Duration(180 * time.Second)}
	terminationPolicies = []string{"Default", "OldestInstance", "NewestInstance", "ClosestToNextInstanceHour", "OldestLaunchTemplate", "OldestLaunchConfiguration", "AllocationStrategy"}
)

// The supported ranges of times: far enough apart that any two subtract
// within int64 nanoseconds.
var (
	minStart = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxStart = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// maxSimulated bounds duration × speedup: about 100 years.
const maxSimulated = 100 * 365 * 24 * time.Hour

func (c *checker) check() {
	s := c.s
	if !c.has("name") || s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(c.d.File), filepath.Ext(c.d.File))
		if s.Name == "" || s.Name == "." {
			s.Name = "scenario"
		}
	}
	if !c.has("seed") {
		s.Seed = 1
	}
	c.traffic()
	c.timeline()
	c.derivedRate()
	c.workload()
	c.catalogue()
	c.instanceTypes()
	switch {
	case s.isFargate() && !c.given("fleet"):
		// No instances: Fargate spreads tasks over the region's zones.
		s.Fleet.Zones, s.Fleet.BootTime = 3, defaultBootTime
	case c.given("capacity_providers") && !c.given("fleet"):
		// Each capacity provider has its own fleet, checked with the
		// service (ecs_providers.go).
	default:
		c.fleet()
	}
	c.loadBalancer()
	c.scaling()
	c.service()
	c.metrics()
	c.pricing()
	c.slo()
	c.mode()
	c.output()
	c.variants()
}

func (c *checker) traffic() {
	t := &c.s.Traffic
	if !c.given("traffic") {
		c.bad("traffic", "is required: give traffic.synthetic (a shape) or traffic.trace (a file)")
		return
	}
	c.positiveFloat("traffic.scale", &t.Scale, 1)
	c.positiveFloat("traffic.speedup", &t.Speedup, 1)
	c.arrivals()
	switch syn, tr := c.given("traffic.synthetic"), c.given("traffic.trace"); {
	case syn && tr:
		c.bad("traffic", "has both synthetic and trace: give exactly one")
		c.synthetic()
		c.traceFields()
	case !syn && !tr:
		if c.ok("traffic.synthetic", "traffic.trace") {
			c.bad("traffic", "needs exactly one of synthetic (a shape) or trace (a file)")
		}
	case syn:
		c.synthetic()
	case tr:
		c.trace()
	}
}

func (c *checker) arrivals() {
	a := &c.s.Traffic.Arrivals
	if !c.enum("traffic.arrivals.process", &a.Process, "poisson", "poisson", "even", "gamma") {
		return
	}
	switch {
	case a.Process == "gamma" && !c.given("traffic.arrivals.cv"):
		c.bad("traffic.arrivals", "process gamma needs cv, the coefficient of variation of inter-arrival times (> 0)")
	case a.Process == "gamma" && a.CV <= 0:
		c.bad("traffic.arrivals.cv", "must be greater than 0, got %g", a.CV)
	case a.Process != "gamma" && c.given("traffic.arrivals.cv"):
		c.bad("traffic.arrivals.cv", "applies to process gamma only, not %s", a.Process)
	}
}

// shapeParams lists the parameters each synthetic shape takes.
var shapeParams = map[string][]string{
	"constant": {"rps"},
	"ramp":     {"from_rps", "to_rps"},
	"diurnal":  {"mean_rps", "peak_to_trough", "period"},
	"weekly":   {"mean_rps", "peak_to_trough", "period", "weekend_factor"},
	"spike":    {"rps"},
}

func (c *checker) synthetic() {
	const p = "traffic.synthetic"
	y := c.s.Traffic.Synthetic
	if y == nil { // failed to decode: reported
		return
	}
	if !c.given(p + ".shape") {
		c.bad(p, "needs a shape: constant, ramp, diurnal, weekly or spike")
		return
	}
	params, known := shapeParams[y.Shape]
	if !known {
		c.bad(p+".shape", "unknown shape %q%s", y.Shape, choices(y.Shape, []string{"constant", "ramp", "diurnal", "weekly", "spike"}))
		return
	}
	for _, k := range []string{"rps", "from_rps", "to_rps", "mean_rps", "peak_to_trough", "period", "weekend_factor"} {
		if c.given(p+"."+k) && !slices.Contains(params, k) {
			c.bad(p+"."+k, "does not apply to shape %s (it takes %s)", y.Shape, strings.Join(params, ", "))
		}
	}
	required := func(k string, v *float64, least float64, strict bool) {
		switch {
		case !c.given(p + "." + k):
			c.bad(p, "shape %s needs %s", y.Shape, k)
		case !c.has(p + "." + k): // failed to decode: reported
		case strict && *v <= least:
			c.bad(p+"."+k, "must be greater than %g, got %g", least, *v)
		case !strict && *v < least:
			c.bad(p+"."+k, "must be at least %g, got %g", least, *v)
		}
	}
	switch y.Shape {
	case "constant":
		required("rps", y.RPS, 0, true)
	case "ramp":
		required("from_rps", y.FromRPS, 0, false)
		required("to_rps", y.ToRPS, 0, false)
		if c.has(p+".from_rps") && c.has(p+".to_rps") && *y.FromRPS == 0 && *y.ToRPS == 0 {
			c.bad(p+".to_rps", "a ramp from 0 to 0 has no traffic")
		}
	case "diurnal", "weekly":
		required("mean_rps", y.MeanRPS, 0, true)
		required("peak_to_trough", y.PeakToTrough, 1, false)
		if !c.has(p + ".period") {
			y.Period = ptr(Duration(24 * time.Hour))
		} else if *y.Period < Duration(time.Second) {
			c.bad(p+".period", "must be at least 1s, got %v", *y.Period)
		}
		if y.Shape == "weekly" {
			if !c.has(p + ".weekend_factor") {
				y.WeekendFactor = ptr(0.6)
			} else if *y.WeekendFactor < 0 {
				c.bad(p+".weekend_factor", "must not be negative, got %g", *y.WeekendFactor)
			}
		}
	case "spike":
		if c.has(p+".rps") && *y.RPS < 0 {
			c.bad(p+".rps", "must not be negative, got %g", *y.RPS)
		}
		if len(y.Spikes) == 0 && c.ok(p+".spikes") {
			c.bad(p, "shape spike needs spikes: [{at, rps, for}]")
		}
	}
	if y.Noise < 0 {
		c.bad(p+".noise", "must not be negative, got %g", y.Noise)
	}
	c.seasonality()
	for i := range y.Spikes {
		sp := &y.Spikes[i]
		q := strictyaml.IndexPath(p+".spikes", i)
		if !c.given(q) {
			c.bad(q, "is empty: a spike needs at, rps and for")
			continue
		}
		for _, k := range []string{"at", "rps", "for"} {
			if !c.given(q + "." + k) {
				c.bad(q, "a spike needs %s", k)
			}
		}
		if c.has(q+".at") && sp.At < 0 {
			c.bad(q+".at", "must not be negative, got %v", sp.At)
		}
		if c.has(q+".rps") && sp.RPS <= 0 {
			c.bad(q+".rps", "must be greater than 0, got %g", sp.RPS)
		}
		if c.has(q+".for") && sp.For <= 0 {
			c.bad(q+".for", "must be greater than 0, got %v", sp.For)
		}
	}
}

// timeline settles start and duration, which depend on the trace.
func (c *checker) timeline() {
	s := c.s
	tr := s.trace
	if !c.has("start") {
		s.Start = defaultStart
		if tr != nil {
			s.Start = tr.Start
		}
	} else if s.Start.Before(minStart) || !s.Start.Before(maxStart) {
		c.bad("start", "must be between 1970 and 2200, got %s", s.Start.Format(time.RFC3339))
		return
	}
	if tr != nil && !s.Start.Before(tr.End) {
		c.bad("start", "%s is not before the trace's end (%s)", s.Start.Format(time.RFC3339), tr.End.Format(time.RFC3339))
		return
	}
	speed := s.Traffic.Speedup
	switch {
	case c.has("duration"):
		if s.Duration <= 0 {
			c.bad("duration", "must be greater than 0, got %v", s.Duration)
			return
		}
	case tr != nil && speed > 0:
		s.Duration = Duration(float64(tr.End.Sub(s.Start)) / speed)
		if s.Duration <= 0 {
			c.bad("traffic.speedup", "%g leaves less than 1ns of trace", speed)
			return
		}
	case c.given("traffic.synthetic"):
		c.bad("duration", "is required with synthetic traffic, e.g. duration: 24h")
		return
	default:
		return
	}
	if speed > 0 && float64(s.Duration)*speed > float64(maxSimulated) {
		c.bad("duration", "%v at speedup %g covers more than 100 years of traffic", s.Duration, speed)
	}
}

func (c *checker) workload() {
	w := &c.s.Workload
	switch {
	case !c.given("workload"):
		c.bad("workload", "is required, with service_time, e.g. {dist: lognormal, median: 40ms, p99: 250ms}")
	case !c.given("workload.service_time"):
		c.bad("workload", "needs service_time, e.g. {dist: lognormal, median: 40ms, p99: 250ms}")
	default:
		c.dist("workload.service_time", &w.ServiceTime, false)
	}
	c.positiveDur("workload.timeout", &w.Timeout, Duration(30*time.Second))
	c.intAtLeast("workload.queue_limit", &w.QueueLimit, 0, 1000)
}

// maxDistMean bounds the mean of a duration distribution, in seconds (a
// year): the parameters may each be in range and still combine into a
// lognormal whose mean overflows (p99 a million times the median).
const maxDistMean = 365 * 24 * 3600

func (c *checker) fleet() {
	f := &c.s.Fleet
	if !c.given("fleet") {
		c.bad("fleet", "is required, e.g. {instance_type: m5.large, min: 2, max: 10}")
		return
	}
	if !c.given("fleet.instance_type") {
		c.bad("fleet", "needs instance_type, e.g. m5.large")
	} else if _, ok := c.s.resolveType(f.InstanceType); !ok && c.ok("instance_types") {
		msg := fmt.Sprintf("unknown instance type %q", f.InstanceType)
		if near := c.s.nearTypes(f.InstanceType); len(near) > 0 {
			msg += " (did you mean " + strings.Join(near, ", ") + "?)"
		}
		c.bad("fleet.instance_type", "%s; add it under instance_types to define it", msg)
	}
	for _, k := range []string{"min", "max"} {
		if !c.given("fleet." + k) {
			c.bad("fleet", "needs %s", k)
		}
	}
	if c.has("fleet.min") && f.Min < 0 {
		c.bad("fleet.min", "must not be negative, got %d", f.Min)
	}
	if c.has("fleet.max") && f.Max < 1 {
		c.bad("fleet.max", "must be at least 1, got %d", f.Max)
	}
	if c.has("fleet.min") && c.has("fleet.max") && c.ok("fleet.min", "fleet.max") && f.Min > f.Max {
		c.bad("fleet.min", "min (%d) is greater than max (%d)", f.Min, f.Max)
	}
	if !c.has("fleet.desired") {
		f.Desired = f.Min
	} else if c.ok("fleet.min", "fleet.max", "fleet.desired") && c.has("fleet.min") && c.has("fleet.max") && (f.Desired < f.Min || f.Desired > f.Max) {
		c.bad("fleet.desired", "desired (%d) is outside [min, max] = [%d, %d]", f.Desired, f.Min, f.Max)
	}
	if !c.has("fleet.boot_time") {
		f.BootTime = defaultBootTime
	} else {
		c.dist("fleet.boot_time", &f.BootTime, true)
	}
	c.nonNegDur("fleet.warmup", &f.Warmup, Duration(300*time.Second))
	c.nonNegDur("fleet.health_check_grace", &f.HealthCheckGrace, Duration(300*time.Second))
	if !c.has("fleet.zones") {
		f.Zones = 3
	} else if f.Zones < 1 || f.Zones > 26 {
		c.bad("fleet.zones", "must be between 1 and 26, got %d", f.Zones)
	}
	if !c.has("fleet.termination_policies") {
		f.TerminationPolicies = []string{"Default"}
	} else {
		if len(f.TerminationPolicies) == 0 {
			c.bad("fleet.termination_policies", "is empty: leave it out for [Default]")
		}
		for i, tp := range f.TerminationPolicies {
			q := strictyaml.IndexPath("fleet.termination_policies", i)
			if !slices.Contains(terminationPolicies, tp) {
				c.bad(q, "unknown termination policy %q%s", tp, choices(tp, terminationPolicies))
			} else if tp == "Default" && i != len(f.TerminationPolicies)-1 {
				c.bad(q, "Default must be the last termination policy (AWS applies the list in order and Default decides everything)")
			}
		}
	}
	c.lifecycle()
	c.purchase()
}

func (c *checker) loadBalancer() {
	lb := &c.s.LoadBalancer
	c.enum("load_balancer.algorithm", &lb.Algorithm, "round_robin", policies.BalancerNames()...)
	c.nonNegDur("load_balancer.overhead", &lb.Overhead, Duration(time.Millisecond))
	c.positiveDur("load_balancer.health_check.interval", &lb.HealthCheck.Interval, Duration(30*time.Second))
	c.intAtLeast("load_balancer.health_check.healthy_threshold", &lb.HealthCheck.HealthyThreshold, 1, 5)
	c.intAtLeast("load_balancer.health_check.unhealthy_threshold", &lb.HealthCheck.UnhealthyThreshold, 1, 2)
	c.nonNegDur("load_balancer.deregistration_delay", &lb.DeregistrationDelay, Duration(300*time.Second))
	c.nonNegDur("load_balancer.slow_start", &lb.SlowStart, 0)
	// docs/aws-model.md §4.1: 30–900 s, and not with least outstanding requests.
	if lb.SlowStart > 0 && (lb.SlowStart < Duration(30*time.Second) || lb.SlowStart > Duration(900*time.Second)) {
		c.bad("load_balancer.slow_start", "slow start must be 0s (off) or between 30s and 900s, as on an ALB (got %s)", lb.SlowStart)
	}
	if lb.SlowStart > 0 && lb.Algorithm == "least_outstanding_requests" {
		c.bad("load_balancer.slow_start", "an ALB cannot combine slow start with least_outstanding_requests; use round_robin or weighted_random, or set slow_start: 0s")
	}
}

func (c *checker) scaling() {
	names := map[string]int{}
	for i := range c.s.Scaling.Policies {
		p := strictyaml.IndexPath("scaling.policies", i)
		c.policy(p, &c.s.Scaling.Policies[i])
		pol := &c.s.Scaling.Policies[i]
		if pol.Name != "" {
			if j, dup := names[pol.Name]; dup {
				c.bad(p+".name", "%q is already the name of scaling.policies[%d]", pol.Name, j)
			}
			names[pol.Name] = i
		}
	}
	c.guards()
}

func (c *checker) metrics() {
	m := &c.s.Metrics
	c.positiveDur("metrics.period", &m.Period, Duration(60*time.Second))
	if m.Period > 0 && m.Period%Duration(10*time.Second) != 0 {
		c.bad("metrics.period", "must be a multiple of 10s (60s detailed, 300s basic monitoring), got %v", m.Period)
	}
	c.nonNegDur("metrics.publish_delay", &m.PublishDelay, Duration(60*time.Second))
}

func (c *checker) slo() {
	o := &c.s.SLO
	for _, k := range []struct {
		name string
		v    *Duration
	}{{"p50", o.P50}, {"p99", o.P99}} {
		if k.v != nil && *k.v <= 0 {
			c.bad("slo."+k.name, "must be greater than 0, got %v", *k.v)
		}
	}
	if o.P50 != nil && o.P99 != nil && *o.P50 > *o.P99 && c.ok("slo.p50", "slo.p99") {
		c.bad("slo.p50", "p50 (%v) is greater than p99 (%v)", *o.P50, *o.P99)
	}
	if o.ErrorRate != nil && (*o.ErrorRate < 0 || *o.ErrorRate > 1) {
		c.bad("slo.error_rate", "is a fraction of requests: between 0 and 1, got %g", *o.ErrorRate)
	}
}

func (c *checker) variants() {
	names := map[string]int{}
	for i, v := range c.s.Variants {
		p := strictyaml.IndexPath("variants", i)
		if !c.given(p) {
			c.bad(p, "is empty: a variant needs a name and set")
			continue
		}
		if !c.given(p + ".name") {
			c.bad(p, "needs a name")
		} else if j, dup := names[v.Name]; dup {
			c.bad(p+".name", "%q is already the name of variants[%d]", v.Name, j)
		} else {
			names[v.Name] = i
		}
		if len(v.Set) == 0 {
			c.bad(p, "needs set: {field.path: value, ...}")
		}
		for _, a := range v.Set {
			if err := checkFieldPath(c.s, a.Path); err != nil {
				c.bad(strictyaml.JoinPath(p+".set", a.Path), "%v", err)
			}
		}
	}
	for _, a := range c.s.Sweep {
		q := strictyaml.JoinPath("sweep", a.Path)
		if err := checkFieldPath(c.s, a.Path); err != nil {
			c.bad(q, "%v", err)
		} else if len(a.Values) == 0 {
			c.bad(q, "has no values to sweep over")
		}
	}
}
