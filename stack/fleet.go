package stack

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Fleet is a live group of backends behind a running HAProxy, changed at
// run time through HAProxy's runtime API (ECOSYSTEM §1.3): the groundwork
// of the live autoscaler loop (slice 2). Launch starts a backend process
// and registers it (`add server`, then `set server … state ready`);
// Terminate drains it (`state drain` until no connection is left), puts it
// in maintenance, deletes it (`del server`) and stops its process.
type Fleet struct {
	HAProxy  *HAProxy
	Backend  string // the HAProxy backend's name (be_<scenario>)
	Launcher Launcher
	Slots    int
	MaxConn  int // each server's maxconn
	next     int
	live     []*member
}

type member struct {
	name string
	proc *backendProc
}

// Names lists the registered servers, oldest first.
func (f *Fleet) Names() []string {
	var out []string
	for _, m := range f.live {
		out = append(out, m.name)
	}
	return out
}

// PIDs lists the backend processes of the fleet.
func (f *Fleet) PIDs() []int {
	var out []int
	for _, m := range f.live {
		out = append(out, m.proc.child.pid())
	}
	return out
}

// Launch starts one backend and registers it with HAProxy. Dynamic
// servers start in maintenance, so it is set ready once added.
func (f *Fleet) Launch(ctx context.Context) (string, error) {
	b, err := startBackend(ctx, f.Launcher, f.Slots)
	if err != nil {
		return "", err
	}
	return f.Register(b)
}

// Register adds a started backend to HAProxy and to the fleet, ready for
// traffic; on failure it stops the backend. The live autoscaler starts the
// process at launch and registers it only when its boot time and health
// checks have passed.
func (f *Fleet) Register(b *backendProc) (string, error) {
	f.next++
	name := fmt.Sprintf("d%d", f.next)
	srv := f.Backend + "/" + name
	// Replies: "New server registered." to add server, nothing to set.
	steps := []struct{ cmd, want string }{
		{fmt.Sprintf("add server %s %s maxconn %d weight %d", srv, b.Addr, max(1, f.MaxConn), ServerWeight), "New server registered."},
		{"set server " + srv + " state ready", ""},
	}
	for _, st := range steps {
		out, err := f.HAProxy.Command(st.cmd)
		if err == nil && strings.TrimSpace(out) != st.want {
			err = fmt.Errorf("%s", strings.TrimSpace(out))
		}
		if err != nil {
			b.stop()
			return "", fmt.Errorf("haproxy %q: %w", st.cmd, err)
		}
	}
	f.live = append(f.live, &member{name: name, proc: b})
	return name, nil
}

// Terminate deregisters the oldest server (drain, wait for its connections
// to finish within wait, maintenance, delete) and stops its process.
func (f *Fleet) Terminate(ctx context.Context, wait time.Duration) (string, error) {
	if len(f.live) == 0 {
		return "", fmt.Errorf("fleet: no server to terminate")
	}
	m := f.live[0]
	if err := f.Drain(m.name); err != nil {
		return "", err
	}
	deadline := time.Now().Add(wait)
	for {
		cur, err := f.current(m.name)
		if err != nil {
			return "", err
		}
		if cur == 0 || time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return m.name, f.Remove(m.name)
}

// Drain stops new requests to a server; those it holds finish.
func (f *Fleet) Drain(name string) error {
	_, err := f.HAProxy.Command("set server " + f.Backend + "/" + name + " state drain")
	return err
}

// Remove puts a server in maintenance, cuts what it still holds, deletes
// it from HAProxy and stops its process.
func (f *Fleet) Remove(name string) error {
	i := slices.IndexFunc(f.live, func(m *member) bool { return m.name == name })
	if i < 0 {
		return fmt.Errorf("fleet: no server %s", name)
	}
	m := f.live[i]
	srv := f.Backend + "/" + name
	if _, err := f.HAProxy.Command("set server " + srv + " state maint"); err != nil {
		return err
	}
	f.HAProxy.Command("shutdown sessions server " + srv)
	var out string
	for try := 0; try < 40; try++ {
		var err error
		if out, err = f.HAProxy.Command("del server " + srv); err != nil {
			return err
		}
		if strings.Contains(out, "Server deleted") {
			break
		}
		time.Sleep(50 * time.Millisecond) // connections still closing
	}
	if !strings.Contains(out, "Server deleted") {
		return fmt.Errorf("haproxy del server %s: %s", srv, strings.TrimSpace(out))
	}
	m.proc.stop()
	f.live = slices.Delete(f.live, i, i+1)
	return nil
}

// Adopt makes backends already in HAProxy's configuration (the initial
// fleet) members of the fleet under their configured names.
func (f *Fleet) Adopt(name string, b *backendProc) {
	f.live = append(f.live, &member{name: name, proc: b})
}

// Current is a server's current connections.
func (f *Fleet) Current(name string) (int, error) { return f.current(name) }

// Stop stops every backend process of the fleet (HAProxy is the caller's).
func (f *Fleet) Stop() {
	for _, m := range f.live {
		m.proc.stop()
	}
	f.live = nil
}

// current is a server's current connections (scur in `show stat`).
func (f *Fleet) current(name string) (int, error) {
	rows, err := f.Stat()
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		if r["pxname"] == f.Backend && r["svname"] == name {
			return strconv.Atoi(r["scur"])
		}
	}
	return 0, fmt.Errorf("haproxy show stat: no server %s/%s", f.Backend, name)
}

// Stat is `show stat` as rows keyed by the header's column names (the
// header starts "# pxname,svname,…"; columns are read by name, never by
// position).
func (f *Fleet) Stat() ([]map[string]string, error) {
	out, err := f.HAProxy.Command("show stat")
	if err != nil {
		return nil, err
	}
	return parseShowStat(out)
}

// parseShowStat reads `show stat`'s CSV reply: a header line "# pxname,
// svname,…", then one row per frontend, backend and server. A row shorter
// than the header leaves the missing columns out of its map; extra fields
// are dropped.
func parseShowStat(out string) ([]map[string]string, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "# ")))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("haproxy show stat: %w", err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("haproxy show stat: empty reply")
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			if i < len(rec) {
				row[h] = rec[i]
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// Busy is each live backend's counters, by server name: busy slot-time ÷
// (slots × time) between two calls is its CPU-equivalent utilisation,
// the metric a live target-tracking loop would read.
func (f *Fleet) Busy(ctx context.Context, c *http.Client) (map[string]BackendStats, error) {
	out := map[string]BackendStats{}
	for _, m := range f.live {
		st, err := m.proc.stats(ctx, c)
		if err != nil {
			return nil, err
		}
		out[m.name] = st
	}
	return out, nil
}
