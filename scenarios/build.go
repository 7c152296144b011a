package scenarios

import (
	"fmt"
	"io"
	"time"

	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
	"github.com/capsim/capsim/traces"
)

// evalInterval is how often scaling policies are evaluated: CloudWatch
// alarms evaluate once a minute.
const evalInterval = 60 * sim.Second

// Build makes the engine configuration. seed, when not nil, overrides the
// scenario's seed (for the arrivals, service times and the traffic noise
// alike). A trace file is opened here and streamed by the run; the
// returned io.Closer closes it (a no-op for synthetic traffic; nil when
// Build fails). Errors are Errors, placed at the field. Each call
// returns fresh balancer, policy and traffic state, so the configurations
// of several calls can run concurrently.
func (s *Scenario) Build(seed *uint64) (*sim.Config, io.Closer, error) {
	cfgSeed := s.Seed
	if seed != nil {
		cfgSeed = *seed
	}
	it, ok := s.resolveType(s.Fleet.InstanceType)
	if s.isFargate() && s.Fleet.InstanceType == "" {
		it, ok = sim.InstanceType{Name: "fargate", VCPU: 1, Speed: 1}, true
	}
	if !ok {
		return nil, nil, s.errorAt("fleet.instance_type", "unknown instance type %q", s.Fleet.InstanceType)
	}
	svc, err := s.Workload.ServiceTime.build()
	if err != nil {
		return nil, nil, s.errorAt("workload.service_time", "%v", err)
	}
	boot, err := s.Fleet.BootTime.build()
	if err != nil {
		return nil, nil, s.errorAt("fleet.boot_time", "%v", err)
	}
	bal, err := policies.NewBalancer(s.LoadBalancer.Algorithm)
	if err != nil {
		return nil, nil, s.errorAt("load_balancer.algorithm", "%v", err)
	}
	var scalers []sim.Scaler
	for i, p := range s.Scaling.Policies {
		sc, err := p.build()
		if err != nil {
			return nil, nil, s.errorAt(strictyaml.IndexPath("scaling.policies", i), "%v", err)
		}
		scalers = append(scalers, sc)
	}
	arr, err := s.Traffic.Arrivals.build()
	if err != nil {
		return nil, nil, s.errorAt("traffic.arrivals", "%v", err)
	}
	var src sim.RateSource
	var reqs sim.RequestSource
	var closer io.Closer
	if s.Traffic.Synthetic == nil && s.Traffic.Trace.isLog() {
		var replay *traces.LogReplay
		if replay, closer, err = s.buildRequests(); err == nil {
			reqs = replay
		}
	} else {
		src, closer, err = s.trafficSource(cfgSeed)
	}
	if err != nil {
		return nil, nil, err
	}
	cfg := &sim.Config{
		Seed:       cfgSeed,
		Start:      s.Start,
		Duration:   s.Duration.Sim(),
		Traffic:    src,
		Requests:   reqs,
		Arrivals:   arr,
		Service:    svc,
		Timeout:    s.Workload.Timeout.Sim(),
		QueueLimit: s.Workload.QueueLimit,
		Fleet: sim.FleetConfig{
			Type:             it,
			Min:              s.Fleet.Min,
			Max:              s.Fleet.Max,
			Desired:          s.Fleet.Desired,
			BootTime:         boot,
			Warmup:           s.Fleet.Warmup.Sim(),
			HealthCheckGrace: s.Fleet.HealthCheckGrace.Sim(),
			Zones:            s.Fleet.Zones,
			Termination:      append([]string(nil), s.Fleet.TerminationPolicies...),
		},
		Balancer:   bal,
		LBOverhead: s.LoadBalancer.Overhead.Sim(),
		HealthCheck: sim.HealthCheck{
			Interval:           s.LoadBalancer.HealthCheck.Interval.Sim(),
			HealthyThreshold:   s.LoadBalancer.HealthCheck.HealthyThreshold,
			UnhealthyThreshold: s.LoadBalancer.HealthCheck.UnhealthyThreshold,
		},
		DeregistrationDelay: s.LoadBalancer.DeregistrationDelay.Sim(),
		SlowStart:           s.LoadBalancer.SlowStart.Sim(),
		CrossZoneOff:        s.LoadBalancer.CrossZone != nil && !*s.LoadBalancer.CrossZone,
		Scalers:             scalers,
		Guards:              s.buildGuards(),
		MetricPeriod:        s.Metrics.Period.Sim(),
		PublishDelay:        s.Metrics.PublishDelay.Sim(),
		EvalInterval:        evalInterval,
	}
	s.buildPurchase(&cfg.Fleet)
	if err := s.buildLifecycle(&cfg.Fleet); err != nil {
		closer.Close()
		return nil, nil, err
	}
	if s.Service != nil {
		if err := s.buildService(cfg, it); err != nil {
			closer.Close()
			return nil, nil, err
		}
	}
	if err := s.applyMode(cfg, cfgSeed); err != nil {
		closer.Close()
		return nil, nil, err
	}
	s.applyOutput(cfg)
	return cfg, closer, nil
}

// errorAt is an Error at a field path of the parsed file.
func (s *Scenario) errorAt(path, format string, a ...any) error {
	e := Error{File: s.file, Field: path, Msg: fmt.Sprintf(format, a...)}
	for p := path; p != ""; p = strictyaml.ParentPath(p) {
		if at, ok := s.at[p]; ok {
			e.Line, e.Column = at.Line, at.Col
			break
		}
	}
	return Errors{e}
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// trafficSource builds the rate source in simulated time.
func (s *Scenario) trafficSource(seed uint64) (sim.RateSource, io.Closer, error) {
	t := s.Traffic
	scale, speedup := t.Scale, t.Speedup
	if scale <= 0 || speedup <= 0 {
		return nil, nil, s.errorAt("traffic", "scale and speedup must be greater than 0")
	}
	switch {
	case t.Synthetic != nil && t.Trace == nil:
		f, err := s.shape(seed)
		if err != nil {
			return nil, nil, s.errorAt("traffic.synthetic", "%v", err)
		}
		length := sim.Time(float64(s.Duration) * speedup)
		// One-second steps of simulated time, or the shape's resolution.
		res := sim.Second
		if r := t.Synthetic.Resolution; r > 0 {
			res = r.Sim()
		}
		step := max(sim.Time(1), sim.Time(float64(res)*speedup))
		return &scaled{src: &sim.FuncRate{F: f.rate, Step: step, End: length}, scale: scale, speedup: speedup}, nopCloser{}, nil
	case t.Trace != nil && t.Synthetic == nil:
		if t.Trace.Format != traces.RateCSVFormat {
			return nil, nil, s.errorAt("traffic.trace.format", "format %q is not built yet", t.Trace.Format)
		}
		f, shown, err := s.openTrace()
		if err != nil {
			return nil, nil, s.errorAt("traffic.trace.file", "%v", err)
		}
		o := s.traceOptions()
		o.Origin = s.Start
		rc, err := traces.NewRateCSV(f, shown, o)
		if err != nil {
			f.Close()
			return nil, nil, s.errorAt("traffic.trace.file", "%v", err)
		}
		return &scaled{src: rc, scale: scale, speedup: speedup}, f, nil
	}
	return nil, nil, s.errorAt("traffic", "needs exactly one of synthetic or trace")
}

// shape builds the synthetic rate function (see shapeFunc for the math).
func (s *Scenario) shape(seed uint64) (*shapeFunc, error) {
	y := s.Traffic.Synthetic
	val := func(p *float64, def float64) float64 {
		if p == nil {
			return def
		}
		return *p
	}
	period := 24 * time.Hour
	if y.Period != nil {
		period = y.Period.D()
	}
	if period < time.Second {
		return nil, fmt.Errorf("period must be at least 1s")
	}
	length := float64(s.Duration) * s.Traffic.Speedup / 1e9 // τ seconds
	f := &shapeFunc{spikes: y.Spikes, noise: y.Noise, seed: seed}
	switch y.Shape {
	case "constant", "spike":
		r := val(y.RPS, 0)
		f.base = func(float64) float64 { return r }
	case "ramp":
		from, to := val(y.FromRPS, 0), val(y.ToRPS, 0)
		f.base = func(tau float64) float64 {
			if length <= 0 || tau >= length {
				return to
			}
			return from + (to-from)*tau/length
		}
	case "diurnal":
		f.base = diurnal(val(y.MeanRPS, 0), val(y.PeakToTrough, 1), period, s.Start)
	case "weekly":
		f.base = weekendFactor(diurnal(val(y.MeanRPS, 0), val(y.PeakToTrough, 1), period, s.Start), val(y.WeekendFactor, 0.6), s.Start)
	default:
		return nil, fmt.Errorf("unknown shape %q", y.Shape)
	}
	f.base = seasonal(f.base, y, s.Start)
	return f, nil
}

func (a Arrivals) build() (sim.ArrivalProcess, error) {
	switch a.Process {
	case "", "poisson":
		return sim.ArrivalProcess{Kind: sim.Poisson}, nil
	case "even":
		return sim.ArrivalProcess{Kind: sim.Even}, nil
	case "gamma":
		if a.CV <= 0 {
			return sim.ArrivalProcess{}, fmt.Errorf("gamma arrivals need cv > 0")
		}
		return sim.ArrivalProcess{Kind: sim.GammaRenewal, CV: a.CV}, nil
	}
	return sim.ArrivalProcess{}, fmt.Errorf("unknown arrival process %q", a.Process)
}

// build turns a distribution spec into a sim.Dist, in seconds.
func (d DistSpec) build() (sim.Dist, error) {
	switch d.Dist {
	case "exponential":
		if d.Mean <= 0 {
			return nil, fmt.Errorf("exponential needs mean > 0")
		}
		return sim.Exponential{MeanSeconds: d.Mean.Seconds()}, nil
	case "lognormal":
		if d.Median != 0 || d.P99 != 0 {
			return sim.LogNormalMedianP99(d.Median.Seconds(), d.P99.Seconds())
		}
		return sim.LogNormalMeanCV(d.Mean.Seconds(), d.CV)
	case "constant":
		if d.Value < 0 {
			return nil, fmt.Errorf("constant needs value >= 0")
		}
		return sim.Constant{Value: d.Value.Seconds()}, nil
	case "gamma":
		return sim.GammaMeanCV(d.Mean.Seconds(), d.CV)
	case "erlang":
		return sim.Erlang(d.K, d.Mean.Seconds())
	case "empirical":
		if d.samples == nil {
			return nil, fmt.Errorf("empirical needs its file read first (Parse does it)")
		}
		return d.samples, nil
	}
	return nil, fmt.Errorf("unknown dist %q", d.Dist)
}

// build makes the policy's sim.Scaler.
