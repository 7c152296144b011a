package stack

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestHAProxyRandomShares measures how HAProxy's random algorithm shares
// load among equal servers. Each draw is a random point on its
// consistent-hash ring, where a server holds 16 points per unit of weight
// (HAProxy 2.6 src/lb_chash.c, chash_init_server_tree): with the stack's
// ServerWeight (4,096 points each) every server must get a quarter of
// 4,000 single-draw requests within 3.5 points (5 standard deviations of
// the binomial count: the ring's own unevenness is about a tenth of a
// point there), so that a simulated uniform draw (policies.HAProxyRandom)
// is HAProxy's. The same fleet at the default weight of 1 (16 points
// each, set through the runtime API) is measured beside it, and must be
// uneven (measured: shares 0.18 to 0.30), or ServerWeight has no reason.
func TestHAProxyRandomShares(t *testing.T) {
	bin := haproxyOrSkip(t)
	const servers, n = 4, 4000
	dir := t.TempDir()
	hc := HAProxyConfig{Name: "shares", Balance: "random(1)", Bind: "fd@3", Socket: filepath.Join(dir, "admin.sock"), Queue: 5 * time.Second}
	for i := range servers {
		srv := httptest.NewServer(NewBackend(64))
		defer srv.Close()
		hc.Servers = append(hc.Servers, Server{Name: fmt.Sprintf("s%d", i+1), Addr: strings.TrimPrefix(srv.URL, "http://"), MaxConn: 64})
	}
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	hap, err := StartHAProxy(context.Background(), bin, dir, hc, ln)
	ln.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer hap.Stop()
	f := &Fleet{HAProxy: hap, Backend: "be_shares"}
	client := NewClient(64)
	defer client.CloseIdleConnections()
	// shares sends n requests (2,000 req/s, no service time) and returns
	// each server's share of them, read from HAProxy's session counters.
	shares := func() []float64 {
		count := func() []float64 {
			rows, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			out := make([]float64, servers)
			for _, r := range rows {
				var i int
				if _, err := fmt.Sscanf(r["svname"], "s%d", &i); err == nil && r["pxname"] == f.Backend {
					v, _ := strconv.ParseFloat(r["stot"], 64)
					out[i-1] = v
				}
			}
			return out
		}
		before := count()
		reqs := make([]Planned, n)
		for i := range reqs {
			reqs[i].At = time.Duration(i) * 500 * time.Microsecond
		}
		g := Generator{URL: "http://" + hap.Addr + "/", Timeout: 5 * time.Second, MaxOpen: 64, Client: client}
		if res := g.Run(context.Background(), reqs); res.Completed != n {
			t.Fatalf("completed %d of %d (%s)", res.Completed, n, res.FirstErr)
		}
		after := count()
		for i := range after {
			after[i] = (after[i] - before[i]) / n
		}
		return after
	}
	spread := func(s []float64) float64 {
		d := 0.0
		for _, x := range s {
			d = max(d, math.Abs(x-1.0/servers))
		}
		return d
	}
	equal := shares()
	t.Logf("weight %d: shares %.3f (largest deviation %.3f)", ServerWeight, equal, spread(equal))
	if d := spread(equal); d > 0.035 {
		t.Errorf("weight %d: shares %.3f, a server %.1f points off a quarter: want within 3.5", ServerWeight, equal, d*100)
	}
	for _, s := range hc.Servers {
		if out, err := hap.Command("set weight be_shares/" + s.Name + " 1"); err != nil || strings.TrimSpace(out) != "" {
			t.Fatalf("set weight: %q, %v", out, err)
		}
	}
	one := shares()
	t.Logf("weight 1: shares %.3f (largest deviation %.3f)", one, spread(one))
	if d := spread(one); d <= 0.035 {
		t.Errorf("weight 1: shares %.3f, within 3.5 points of a quarter: the ring is even without ServerWeight (a new HAProxy?); docs/validation-scaling.md says otherwise", one)
	}
}
