package sim_test

import (
	"io"
	"testing"

	"github.com/capsim/capsim/sim"
)

type fixedLog struct {
	reqs []sim.Request
	i    int
}

func (f *fixedLog) NextRequest() (sim.Request, error) {
	if f.i == len(f.reqs) {
		return sim.Request{}, io.EOF
	}
	f.i++
	return f.reqs[f.i-1], nil
}

// TestReplay: recorded requests arrive at their timestamps and carry their
// own demand; a negative demand is sampled from the workload. On one idle
// 1-vCPU instance each latency is exactly overhead + demand.
func TestReplay(t *testing.T) {
	log := &fixedLog{reqs: []sim.Request{
		{At: 1 * sim.Second, Demand: 0.100},
		{At: 2 * sim.Second, Demand: 0.300},
		{At: 3 * sim.Second, Demand: -1}, // from the workload: constant 50 ms
	}}
	cfg := mmc(1, 0.5, 0.050, 10, 1)
	cfg.Traffic, cfg.Requests = nil, log
	cfg.Service = sim.Constant{Value: 0.050}
	cfg.Duration = sim.Minute
	res, err := sim.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests.Total != 3 || res.Requests.Completed != 3 {
		t.Fatalf("requests %+v, want 3 completed", res.Requests)
	}
	if got, want := res.LatencySum, 0.450; got < want-1e-9 || got > want+1e-9 {
		t.Errorf("latency sum %.6fs, want %.3fs", got, want)
	}
	if max := res.LatencyMs(100); max < 299 || max > 301 {
		t.Errorf("max latency %.1f ms, want 300", max)
	}

	// Out of order timestamps are an error, not a silent reorder.
	cfg.Requests = &fixedLog{reqs: []sim.Request{{At: 2 * sim.Second}, {At: sim.Second}}}
	if _, err := sim.Run(cfg); err == nil {
		t.Error("out-of-order log accepted")
	}
}
