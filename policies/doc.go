// Package policies holds capsim's scaling policies and load-balancing
// algorithms. Each is plain code with no I/O that implements sim.Scaler or
// sim.Balancer, so the same code can drive the simulator and a live
// autoscaler. Doc comments name the docs/aws-model.md section each follows.
package policies
