// Package scenarios reads scenario files (docs/scenario.md) into validated
// values and builds engine configurations from them.
//
// Load or Parse a file: it is parsed with goccy/go-yaml, decoded strictly
// (unknown keys, wrong types and out-of-range values are errors), its
// defaults filled in, and checked. Every problem found is reported, each
// as "file:line:column: field.path: message" (see Error and Errors), and
// no input makes the package panic (both parsers are fuzzed).
//
// Then Build makes a *sim.Config: the traffic source, distributions, the
// load-balancing algorithm and scaling policies, fresh for every call.
//
// Rules a user should know:
//
//   - Trace paths that are not absolute resolve against the directory of
//     the scenario file (Load passes it; Parse takes it as dir), never the
//     working directory. The trace is read once by Parse, streaming, to
//     check every row and find its start and end; Build opens it again
//     and the run streams it.
//   - Traces: rate-csv (a request rate) or a request log replayed by its
//     timestamps: requests-csv, clf (Common/Combined Log Format) or alb
//     (ALB access logs); see RateCSV and NewRequestLog. rate-csv: a header
//     row is required; the time column holds Unix seconds (integer or
//     fractional) or RFC 3339 times and the value column requests per
//     interval (value_is: count, the default) or per second (value_is:
//     rate). Row i covers [t_i, t_i + interval); rows must be at least one
//     interval apart. The interval defaults to the spacing of the first
//     two rows, start to the first row's time (a log's first request), and
//     duration to the rest of the trace (divided by speedup; a log's ends
//     one second after its last request). Rows before start are skipped.
//   - Logs: lines up to reorder_window (default 5s) out of order are
//     sorted into place, a line further back is an error; max_bad_lines
//     (default 0) unparseable lines are skipped and counted; demand
//     {column, seconds_per_unit, base} gives each request its CPU demand,
//     otherwise workload.service_time is sampled. scale and arrivals do
//     not apply to a log.
//   - Gaps: a stretch of at least gap_threshold (default 5m) without data
//     is, by gaps, zero traffic (default), skipped (later times move
//     earlier by its length) or interpolated (the rate ramps linearly from
//     the one before to the one after).
//   - scale multiplies the rate; speedup compresses time: the rate is
//     multiplied by it and times (trace times, synthetic shape times,
//     spike times) divided by it.
//   - Synthetic shapes and their math are described at Synthetic; in
//     short, the diurnal peak is at 14:00 UTC of the wall clock (start +
//     t), the trough at 02:00, and mean_rps is the mean over a period;
//     weekly multiplies Saturdays and Sundays (UTC) by weekend_factor, so
//     its mean_rps is the weekday mean. Noise is a per-minute factor drawn
//     from the run's seed (sim.StreamNoise): variants share it.
//   - Durations are Go duration strings; a bare number is an error.
//   - Defaults: seed 1; start the trace start or 1970-01-01T00:00:00Z;
//     scale and speedup 1; arrivals poisson; timeout 30s; queue_limit
//     1000; desired = min; boot_time lognormal (median 90s, p99 180s);
//     warmup and health_check_grace 300s; zones 3; termination_policies
//     [Default]; algorithm round_robin; overhead 1ms; health check 30s,
//     5 healthy, 2 unhealthy; deregistration_delay 300s; target tracking
//     3 datapoints out, 15 in, scale_in_ratio 0.7; metrics period 60s,
//     publish_delay 60s; policies are evaluated every 60s; region
//     us-east-1 (the embedded catalogue's; another region needs a
//     pricing.catalogue file); os linux; spot at the family's median
//     spot ratio; the load balancer billed at $0.0225/h + $0.008/LCU-h;
//     no EBS or data-out line until gb_per_instance or response_bytes is
//     given (rates $0.08/GB-month, $0.09/GB); burstable mode AWS's per
//     type (pricing.go lists the pricing keys).
//   - Variants and sweeps are decoded and their field paths checked. A
//     path with a list index is not a plain YAML key inside a flow mapping
//     ('[' starts a flow sequence): quote it, as in
//     set: {"scaling.policies[0].target": 70}, or write the mapping in
//     block style.
package scenarios
