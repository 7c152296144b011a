package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// ServiceHeader carries a request's service time in nanoseconds (its
// demand divided by the instance's speed), drawn by the load generator
// from the scenario's distribution (see the package doc: common random
// numbers). The backend holds one slot for that long.
const ServiceHeader = "X-Capsim-Service-Ns"

// maxService bounds the service time a backend accepts, so a bad header
// cannot hold a slot for ever.
const maxService = 10 * time.Minute

// Backend is one emulated instance: an HTTP server on 127.0.0.1 with Slots
// worker slots (the instance's vCPUs). A request takes a free slot, or
// waits for one in arrival order, sleeps its service time, and answers 200.
// Sleeping emulates capacity without using CPU, so two cores host the
// whole stack. HAProxy's maxconn = Slots keeps the waiting in HAProxy,
// where it is visible; the semaphore here only makes the capacity exact.
type Backend struct {
	Slots int
	sem   chan struct{}
	busy  atomic.Int64 // slots held now
	// busyNs is the slot-nanoseconds served so far: busy ÷ (slots × time)
	// is the instance's CPU-equivalent utilisation.
	busyNs atomic.Int64
	served atomic.Int64
	start  time.Time
	// overshoot is a running mean of how much longer time.Sleep slept
	// than asked (ns): each sleep is shortened by it, so a slot is held
	// for the service time on average even when the timer is late (a busy
	// host). Without it the real utilisation creeps above the model's.
	overshoot atomic.Int64
}

// NewBackend returns a backend with this many slots.
func NewBackend(slots int) *Backend {
	return &Backend{Slots: slots, sem: make(chan struct{}, slots), start: time.Now()}
}

// BackendStats is what GET /stats answers.
type BackendStats struct {
	Slots   int     `json:"slots"`
	BusyNow int64   `json:"busy_now"`
	BusyNs  int64   `json:"busy_ns"`
	Served  int64   `json:"served"`
	UpNs    int64   `json:"up_ns"`
	CPU     float64 `json:"cpu_percent"` // busy slot-time ÷ (slots × up time) × 100
}

func (b *Backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/health":
		io.WriteString(w, "ok\n")
		return
	case "/stats":
		up := time.Since(b.start)
		st := BackendStats{Slots: b.Slots, BusyNow: b.busy.Load(), BusyNs: b.busyNs.Load(), Served: b.served.Load(), UpNs: int64(up)}
		st.CPU = float64(st.BusyNs) / (float64(b.Slots) * float64(up)) * 100
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(st)
		return
	}
	var svc time.Duration
	if h := r.Header.Get(ServiceHeader); h != "" {
		ns, err := strconv.ParseInt(h, 10, 64)
		if err != nil || ns < 0 || time.Duration(ns) > maxService {
			http.Error(w, fmt.Sprintf("bad %s %q: want nanoseconds in [0, %v]", ServiceHeader, h, maxService), http.StatusBadRequest)
			return
		}
		svc = time.Duration(ns)
	}
	select {
	case b.sem <- struct{}{}:
	case <-r.Context().Done():
		return // the client (HAProxy) gave up while we waited
	}
	b.busy.Add(1)
	t := time.Now()
	b.hold(svc)
	b.busyNs.Add(int64(time.Since(t)))
	b.busy.Add(-1)
	<-b.sem
	b.served.Add(1)
	io.WriteString(w, "ok\n")
}

// hold sleeps for about d, correcting for the timer's mean overshoot.
func (b *Backend) hold(d time.Duration) {
	if d <= 0 {
		return
	}
	ask := d - time.Duration(b.overshoot.Load())
	if ask <= 0 {
		return
	}
	t := time.Now()
	time.Sleep(ask)
	over := int64(time.Since(t) - ask)
	// Exponentially weighted mean over the last ~32 sleeps (racy updates
	// between concurrent requests only blur the mean a little).
	old := b.overshoot.Load()
	b.overshoot.Store(old + (over-old)/32)
}

// BackendMain is the backend process: `capsim backend --slots S [--port P]`
// (a hidden command) or a test binary re-executed. It serves on
// 127.0.0.1:P (0: any free port), writes "listening ADDR" as its first line
// on stdout, and exits on SIGTERM/SIGINT or when stdin reaches EOF (the
// parent has gone: belt and braces beside Pdeathsig).
func BackendMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.Int("port", 0, "TCP port on 127.0.0.1 (0: any free port)")
	slots := fs.Int("slots", 1, "worker slots (the instance's vCPUs)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *slots < 1 || *port < 0 || *port > 65535 {
		fmt.Fprintln(stderr, "backend: need --slots >= 1 and --port in [0, 65535]")
		return 2
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintln(stderr, "backend:", err)
		return 1
	}
	srv := &http.Server{Handler: NewBackend(*slots), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "listening %s\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	gone := make(chan struct{})
	go func() {
		io.Copy(io.Discard, stdin)
		close(gone)
	}()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintln(stderr, "backend:", err)
		return 1
	case <-ctx.Done():
	case <-gone:
	}
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintln(stderr, "backend:", err)
	}
	return 0
}

// Launcher says how to start a backend process: Path with Args, then the
// backend's own flags (--slots, --port), with Env added to ours. capsim
// uses its own executable and the hidden "backend" command; tests
// re-execute the test binary.
type Launcher struct {
	Path string
	Args []string
	Env  []string
}

// backendProc is a running backend process.
type backendProc struct {
	child *child
	stdin io.WriteCloser
	Addr  string
}

// startBackend starts one backend and waits for its "listening" line.
func startBackend(ctx context.Context, l Launcher, slots int) (*backendProc, error) {
	args := append(append([]string(nil), l.Args...), "--slots", strconv.Itoa(slots), "--port", "0")
	cmd, cancel := newCmd(ctx, syscall.SIGTERM, l.Path, args...)
	cmd.Env = append(os.Environ(), l.Env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	line := &firstLine{ch: make(chan string, 1)}
	cmd.Stdout = line
	c, err := startChild("backend", cmd, cancel)
	if err != nil {
		return nil, err
	}
	b := &backendProc{child: c, stdin: stdin}
	select {
	case s := <-line.ch:
		addr, ok := strings.CutPrefix(strings.TrimSpace(s), "listening ")
		if !ok {
			b.stop()
			<-c.done
			return nil, fmt.Errorf("backend did not start (said %q)%s", s, c.stderr.suffix())
		}
		b.Addr = addr
		return b, nil
	case <-c.done:
		return nil, fmt.Errorf("backend exited before it listened: %v%s", c.err, c.stderr.suffix())
	case <-time.After(10 * time.Second):
		b.stop()
		return nil, fmt.Errorf("backend did not say where it listens within 10s%s", c.stderr.suffix())
	case <-ctx.Done():
		b.stop()
		return nil, ctx.Err()
	}
}

// stop closes the backend's stdin and signals it, and waits for it.
func (b *backendProc) stop() {
	b.stdin.Close()
	b.child.stop()
}

// firstLine passes the first line written to it to ch and discards the rest.
type firstLine struct {
	buf  []byte
	sent bool
	ch   chan string
}

func (f *firstLine) Write(p []byte) (int, error) {
	if f.sent {
		return len(p), nil
	}
	f.buf = append(f.buf, p...)
	if i := bytes.IndexByte(f.buf, '\n'); i >= 0 || len(f.buf) > 4096 {
		f.sent = true
		f.ch <- string(f.buf)
	}
	return len(p), nil
}

// stats asks the backend for its counters.
func (b *backendProc) stats(ctx context.Context, c *http.Client) (BackendStats, error) {
	var st BackendStats
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+b.Addr+"/stats", nil)
	if err != nil {
		return st, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return st, fmt.Errorf("backend %s stats: %w", b.Addr, err)
	}
	defer resp.Body.Close()
	if st, err = decodeStats(resp.Body); err != nil {
		return st, fmt.Errorf("backend %s stats: %w", b.Addr, err)
	}
	return st, nil
}

// maxStatsReply bounds what stats reads of a backend's reply: the JSON is
// six numbers (under 200 bytes); a backend streaming without end must not
// cost the autoscaler its memory.
const maxStatsReply = 64 << 10

// decodeStats reads a backend's /stats reply (the first JSON value in
// it, as json.Decoder does), within maxStatsReply bytes.
func decodeStats(r io.Reader) (BackendStats, error) {
	var st BackendStats
	err := json.NewDecoder(io.LimitReader(r, maxStatsReply)).Decode(&st)
	return st, err
}
