package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/capsim/capsim/stack"
)

// signalScenario is a live validation (30 s, two backends) that the test
// interrupts a few seconds in.
const signalScenario = `name: signal
seed: 3
duration: 30s
traffic:
  synthetic: {shape: constant, rps: 20}
workload:
  service_time: {dist: exponential, mean: 20ms}
  timeout: 5s
instance_types:
  - {name: sim.c1, vcpu: 1, memory_gib: 2, speed: 1.0, usd_per_hour: 0.05}
fleet: {instance_type: sim.c1, min: 2, max: 2, desired: 2, zones: 1}
metrics: {period: 10s}
`

// TestValidateSignals sends SIGINT (Ctrl-C) and SIGTERM (a supervisor's
// stop) to a running `capsim validate`: while it runs, every socket its
// processes listen on is on 127.0.0.1; after the signal it exits 1 saying
// it was interrupted, and HAProxy, every backend and the run's folder
// (HAProxy's configuration and admin socket) are gone.
func TestValidateSignals(t *testing.T) {
	if _, err := stack.FindHAProxy(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and %v", err)
		}
		t.Skip(err)
	}
	sc := writeScenario(t, signalScenario)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			cmd := exec.Command(os.Args[0], "validate", sc)
			cmd.Env = append(os.Environ(), childCLI+"=1", "TMPDIR="+tmp)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			defer func() { // on a failed assertion, leave nothing behind
				cmd.Process.Kill()
			}()
			// HAProxy and two backends, then a few seconds of load.
			var kids []int
			for deadline := time.Now().Add(20 * time.Second); len(kids) < 3; time.Sleep(100 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("after 20 s, %d child processes (want HAProxy and 2 backends):\n%s", len(kids), out.String())
				}
				kids = childrenOf(cmd.Process.Pid)
			}
			time.Sleep(3 * time.Second)
			kids = childrenOf(cmd.Process.Pid)
			listeners := 0
			for _, pid := range append([]int{cmd.Process.Pid}, kids...) {
				for _, addr := range listening(t, pid) {
					listeners++
					if !strings.HasPrefix(addr, "127.0.0.1:") {
						t.Errorf("process %d listens on %s: want 127.0.0.1 only", pid, addr)
					}
				}
			}
			t.Logf("children %v (%s), %d listening sockets", kids, comms(kids), listeners)
			if listeners < 3 { // HAProxy's frontend and one per backend
				t.Errorf("found %d listening sockets, want at least 3: the check saw nothing", listeners)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-done:
			case <-time.After(15 * time.Second):
				t.Fatalf("still running 15 s after %v", sig)
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitFailed || !strings.Contains(out.String(), "interrupted") {
				t.Errorf("exit %v, want %d and \"interrupted\":\n%s", err, exitFailed, out.String())
			}
			for _, pid := range kids {
				if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
					t.Errorf("process %d (started by validate) still exists after %v", pid, sig)
				}
			}
			if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) > 0 {
				t.Errorf("left behind in TMPDIR: %v", left)
			}
		})
	}
}

// comms names the processes (/proc/PID/comm), for the log.
func comms(pids []int) string {
	var n []string
	for _, p := range pids {
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p))
		n = append(n, strings.TrimSpace(string(b)))
	}
	return strings.Join(n, ", ")
}

// childrenOf lists the processes whose parent is pid (/proc/PID/stat,
// field 4).
func childrenOf(pid int) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// The command name, in parentheses, may hold spaces: read after it.
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, p)
		}
	}
	return out
}

// listening is the local addresses of the TCP sockets pid listens on: its
// socket inodes (/proc/PID/fd) matched with the LISTEN rows (state 0A) of
// /proc/net/tcp and tcp6.
func listening(t *testing.T, pid int) []string {
	t.Helper()
	inodes := map[string]bool{}
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	for _, fd := range fds {
		l, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if err == nil && strings.HasPrefix(l, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	var out []string
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		s := bufio.NewScanner(f)
		for s.Scan() {
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			c := strings.Fields(s.Text())
			if len(c) < 10 || c[3] != "0A" || !inodes[c[9]] {
				continue
			}
			out = append(out, procAddr(t, c[1]))
		}
		f.Close()
	}
	return out
}

// procAddr turns /proc/net/tcp's "0100007F:1F90" into "127.0.0.1:8080"
// (the address in host byte order, little-endian here); an IPv6 address
// is returned as its hex, which no 127.0.0.1 check accepts.
func procAddr(t *testing.T, s string) string {
	host, port, _ := strings.Cut(s, ":")
	p, err := strconv.ParseUint(port, 16, 16)
	if err != nil {
		t.Fatalf("bad /proc/net/tcp address %q", s)
	}
	if len(host) != 8 {
		return fmt.Sprintf("[%s]:%d", host, p)
	}
	v, err := strconv.ParseUint(host, 16, 32)
	if err != nil {
		t.Fatalf("bad /proc/net/tcp address %q", s)
	}
	return fmt.Sprintf("%d.%d.%d.%d:%d", v&0xff, v>>8&0xff, v>>16&0xff, v>>24, p)
}
