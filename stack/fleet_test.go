package stack

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFleetAddsAndRemovesServers scales a live fleet out and in through
// HAProxy's runtime API: a launched backend gets traffic, a terminated one
// is deleted from HAProxy and its process is gone.
func TestFleetAddsAndRemovesServers(t *testing.T) {
	bin := haproxyOrSkip(t)
	ctx := context.Background()
	first, err := startBackend(ctx, testLauncher(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer first.stop()
	dir := t.TempDir()
	cfg := HAProxyConfig{Name: "fleet", Balance: "leastconn", Bind: "fd@3", Socket: filepath.Join(dir, "admin.sock"), Queue: 5 * time.Second,
		Servers: []Server{{Name: "s1", Addr: first.Addr, MaxConn: 1}}}
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	hap, err := StartHAProxy(ctx, bin, dir, cfg, ln)
	ln.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer hap.Stop()
	f := &Fleet{HAProxy: hap, Backend: "be_fleet", Launcher: testLauncher(t), Slots: 1, MaxConn: 1}
	defer f.Stop()

	name, err := f.Launch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pids := f.PIDs()
	// 20 requests of 20 ms, 5 ms apart: one slot cannot take them all, so
	// leastconn sends some to the new server.
	var reqs []Planned
	for i := range 20 {
		reqs = append(reqs, Planned{At: time.Duration(i) * 5 * time.Millisecond, Service: 20 * time.Millisecond})
	}
	client := NewClient(64)
	defer client.CloseIdleConnections()
	g := Generator{URL: "http://" + hap.Addr + "/", Timeout: 5 * time.Second, MaxOpen: 64, Client: client}
	if res := g.Run(ctx, reqs); res.Completed != 20 {
		t.Fatalf("completed %d of 20 (%s)", res.Completed, res.FirstErr)
	}
	busy, err := f.Busy(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	if busy[name].Served == 0 {
		t.Errorf("the launched server %s served nothing: %+v", name, busy)
	}

	gone, err := f.Terminate(ctx, 2*time.Second)
	if err != nil || gone != name || len(f.Names()) != 0 {
		t.Fatalf("Terminate = %q, %v; fleet %v", gone, err, f.Names())
	}
	out, err := hap.Command("show servers state be_fleet")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, " "+name+" ") {
		t.Errorf("%s still in HAProxy after del server:\n%s", name, out)
	}
	if !strings.Contains(out, " s1 ") {
		t.Errorf("the static server s1 is missing:\n%s", out)
	}
	assertProcsGone(t, pids)
}
