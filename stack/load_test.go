package stack

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/capsim/capsim/policies"
	"github.com/capsim/capsim/sim"
)

// TestScheduleIsTheSimulatorsRequests checks common random numbers: the
// generator's schedule has the simulator's arrivals and demands. With more
// slots than requests ever in flight nothing queues, so the simulation's
// total latency is exactly the schedule's service times plus the overhead.
func TestScheduleIsTheSimulatorsRequests(t *testing.T) {
	for _, proc := range []sim.ArrivalProcess{{Kind: sim.Poisson}, {Kind: sim.Even}, {Kind: sim.GammaRenewal, CV: 2}} {
		svc, _ := sim.LogNormalMedianP99(0.02, 0.1)
		const rate, seed, speed = 150.0, 11, 2.0
		dur := 20 * time.Second
		reqs := Schedule(seed, rate, proc, svc, speed, dur)
		cfg := &sim.Config{
			Seed: seed, Duration: sim.FromDuration(dur),
			Traffic: &sim.ConstantRate{RPS: rate}, Arrivals: proc,
			Service: svc, Timeout: sim.Hour, QueueLimit: 1,
			Fleet: sim.FleetConfig{
				Type: sim.InstanceType{Name: "big", VCPU: 10000, Speed: speed},
				Min:  1, Max: 1, Desired: 1, BootTime: sim.Constant{Value: 1}, Zones: 1,
			},
			Balancer: &policies.RoundRobin{}, LBOverhead: sim.Millisecond,
			MetricPeriod: 60 * sim.Second, EvalInterval: 60 * sim.Second,
		}
		res, err := sim.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(reqs)) != res.Requests.Total {
			t.Fatalf("%v: schedule has %d requests, the simulation %d", proc, len(reqs), res.Requests.Total)
		}
		var sum float64
		var n int64
		for _, r := range reqs {
			if r.At+r.Service <= dur {
				sum += (r.Service + time.Millisecond).Seconds()
				n++
			}
		}
		if n != res.Requests.Completed || math.Abs(sum-res.LatencySum) > 1e-6*sum {
			t.Errorf("%v: schedule: %d completed, latency sum %.9fs; simulation: %d, %.9fs", proc, n, sum, res.Requests.Completed, res.LatencySum)
		}
	}
}

// TestGeneratorIsOpenLoop: a server that serves one request at a time
// makes later requests wait; an open-loop generator still sends each at
// its time and charges the wait to latency, measured from the intended
// send time.
func TestGeneratorIsOpenLoop(t *testing.T) {
	b := NewBackend(1)
	srvB := httptest.NewServer(b)
	defer srvB.Close()

	// 10 requests 10 ms apart, each holding the one slot for 40 ms.
	var reqs []Planned
	for i := range 10 {
		reqs = append(reqs, Planned{At: time.Duration(i) * 10 * time.Millisecond, Service: 40 * time.Millisecond})
	}
	g := Generator{URL: srvB.URL, Timeout: 5 * time.Second, MaxOpen: 100}
	res := g.Run(context.Background(), reqs)
	if res.Completed != 10 {
		t.Fatalf("completed %d of 10 (first error %q)", res.Completed, res.FirstErr)
	}
	// The last request is due at 90 ms and is served 360–400 ms after
	// the first is due: 310 ms from its own intended time.
	if max := time.Duration(res.Latency.Max()) * time.Microsecond; max < 300*time.Millisecond || max > 600*time.Millisecond {
		t.Errorf("max latency %v, want about 310 ms (the queue behind one slot)", max)
	}
	if lag := time.Duration(res.Lag.ValueAtQuantile(100)) * time.Microsecond; lag > 50*time.Millisecond {
		t.Errorf("send lag %v: the generator waited for answers", lag)
	}
	resp, err := http.Get(srvB.URL + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer http.DefaultClient.CloseIdleConnections() // no goroutine left for goleak
	defer resp.Body.Close()
	var st BackendStats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	if st.Served != 10 || st.Slots != 1 || time.Duration(st.BusyNs) < 400*time.Millisecond {
		t.Errorf("stats %+v: want 10 served on 1 slot, at least 400 ms busy", st)
	}
}

func TestBackendRejectsBadService(t *testing.T) {
	srv := httptest.NewServer(NewBackend(1))
	defer srv.Close()
	for _, h := range []string{"-1", "abc", strconv.FormatInt(int64(time.Hour), 10)} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
		req.Header.Set(ServiceHeader, h)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s %q: status %d, want 400", ServiceHeader, h, resp.StatusCode)
		}
	}
	http.DefaultClient.CloseIdleConnections()
}
