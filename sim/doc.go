// Package sim is capsim's discrete-event engine: a clock, one event queue
// ordered by (time, sequence), seeded random streams per purpose, requests,
// instances and their lifecycle, the fleet, the CloudWatch-like metric
// pipeline and the run's results.
//
// sim knows no file format, no AWS SDK and no report. Scaling policies and
// load-balancing algorithms plug in through two small interfaces, Scaler and
// Balancer, implemented in package policies.
//
// The hot path (arrival → balancer → instance slot or queue → departure)
// allocates nothing per event: events are small values in a typed 4-ary
// heap, queued requests are 16-byte values in per-instance ring buffers, and
// latencies go into HDR histograms.
package sim
