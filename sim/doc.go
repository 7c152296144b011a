// Package sim is capsim's discrete-event engine: a clock, one event queue
// ordered by (time, sequence), seeded random streams per purpose, requests,
// instances and their lifecycle, the fleet, the CloudWatch-like metric
// pipeline and the run's results.
//
// sim knows no file format, no AWS SDK and no report. Scaling policies and
// load-balancing algorithms plug in through two small interfaces, Scaler and
// Balancer, implemented in package policies.
//
// The engine is split by concern, all parts plain structs inside one run
// (no interface between them on the hot path):
//   - engine.go: the clock, the random streams and the dispatch loop, and
//     the request path (arrive, depart);
//   - fleet.go, victim.go, lifecycle.go, purchase.go: the instances and
//     their state machine (every change of state goes through
//     fleet.setState, which keeps the per-state counts), launch, scale-in
//     and victim choice, hooks, failures, lifetime, warm pool, spot;
//   - targets.go, balancer.go: what the load balancer routes to, its zonal
//     views, slow start, and the outstanding counts (router.addOutstanding);
//   - meter.go, metrics.go, little.go, result.go: results, the time series
//     and the metric periods; meter.outcome is the one place a request is
//     counted;
//   - merge.go: the pure function that merges the policies' proposals
//     into a decision (AWS's rules, table-tested); scaling.go applies it.
//   - ecs.go, placement.go, capacity_provider.go, strategy.go, ecs_spot.go,
//     ps.go, ecs_result.go: an ECS service (docs/ecs.md): tasks on the
//     instances of one or several capacity providers (the base-and-weight
//     strategy, each provider's reservation metric and managed scaling,
//     spot instances) or on Fargate, placement, processor sharing of a
//     task's CPU, the cluster's results;
//   - fluid.go, fluid_queue.go, fluid_traffic.go, meter_fluid.go,
//     fluid_auto.go: fluid mode (docs/fluid.md), where one step event per
//     few seconds replaces the arrival and departure events: the step's
//     arrivals from the rate, shared as the balancer would, G/G/c
//     approximations per target, outcomes to the meter in bulk; every
//     other part is the same.
//
// The hot path (arrival → balancer → instance slot or queue → departure)
// allocates nothing per event: events are small values in a typed 4-ary
// heap, queued requests are 16-byte values in per-instance ring buffers, and
// latencies go into HDR histograms.
package sim
