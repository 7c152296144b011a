// Package stack is capsim's real local test stack (docs/architecture.md): HAProxy
// as the load balancer, emulated instances as backend processes, an
// open-loop load generator, and the comparison of what that stack measured
// with what sim.Run predicts for the same scenario. `capsim validate` is
// its command line.
//
// A scenario of at most five minutes runs live (live.go), as written, in
// real time: its load shape is replayed request by request, and its
// scaling policies, the very same sim.Scaler values the simulator runs,
// are driven by the live autoscaler (autoscaler.go) from datapoints
// measured on the real stack, launching and terminating backends through
// HAProxy's runtime API (fleet.go). The comparison adds the instance-count
// timeline of both sides, the first scale-out of each and a two-sample
// Kolmogorov–Smirnov statistic (compare_scaling.go); the run fails when
// the host, not the model, was the bottleneck (the stack's own CPU, the
// generator's send lag). docs/validation-scaling.md.
//
// A longer scenario, or any with --duration, is scaled down to a fixed
// fleet at a constant rate:
//
//   - Scale (scale.go) shrinks the scenario to what two cores can host
//     (at most ~300 req/s, at most 8 backends, a short run) while keeping
//     the per-slot utilisation, so the queueing regime is the same.
//   - Each backend (backend.go) is a separate process of the capsim binary
//     serving HTTP on 127.0.0.1 with a semaphore of vCPU slots; a request
//     holds a slot for its service time by sleeping, not by burning CPU.
//   - HAProxy (haproxy.go) runs as a child process with a configuration
//     generated from the scenario: the balance algorithm, server maxconn =
//     slots (so requests queue in HAProxy, visibly), timeout queue = the
//     client timeout.
//   - The load generator (load.go) sends at the intended times of the
//     scenario's arrival process and measures latency from the intended
//     time, not the actual send time, so a late sender cannot hide queueing
//     (coordinated omission); the send lag is reported.
//   - Common random numbers: the generator draws the arrival times and each
//     request's service demand from the same seeded streams, in the same
//     order, as the simulator (sim.StreamArrivals, sim.StreamService), and
//     sends the demand with the request. The real run and the simulation
//     then serve the very same requests, and a difference between them is
//     the stack's, not sampling noise.
//
// Fleet (fleet.go) changes a running stack through HAProxy's runtime API
// (add server, drain, del server) for the live autoscaler.
//
// Every process is started in its own process group with Pdeathsig, and
// stopped (SIGUSR1 for HAProxy, SIGTERM for backends, SIGKILL after a
// grace period) on success, failure and cancellation; backends also exit
// when their stdin (a pipe from the parent) closes.
package stack
