package stack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stopGrace is how long a child gets after its stop signal before SIGKILL.
const stopGrace = 3 * time.Second

// child is a process the stack started: own process group (a Ctrl-C on the
// terminal reaches us, not it, so we stop it in order), Pdeathsig (it dies
// if we die), a stop signal on cancel, SIGKILL to the group after
// stopGrace.
type child struct {
	name   string
	cmd    *exec.Cmd
	cancel context.CancelFunc
	stderr *tailBuffer
	done   chan struct{}
	err    error // Wait's result, once done is closed
}

// startChild starts cmd (built by newCmd) and reaps it in the background.
func startChild(name string, cmd *exec.Cmd, cancel context.CancelFunc) (*child, error) {
	c := &child{name: name, cmd: cmd, cancel: cancel, stderr: &tailBuffer{max: 8 << 10}, done: make(chan struct{})}
	if cmd.Stderr == nil {
		cmd.Stderr = c.stderr
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

// newCmd prepares a child process: CommandContext with our stop signal,
// process group and Pdeathsig.
func newCmd(parent context.Context, stop syscall.Signal, name string, args ...string) (*exec.Cmd, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return cmd.Process.Signal(stop) }
	cmd.WaitDelay = stopGrace
	return cmd, cancel
}

// stop asks the child to stop (its stop signal) and waits for it to exit;
// WaitDelay kills it after stopGrace, and then its whole process group.
func (c *child) stop() {
	c.cancel()
	select {
	case <-c.done:
	case <-time.After(stopGrace + time.Second):
		// WaitDelay killed the process itself; make sure nothing it
		// forked survives either.
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		<-c.done
	}
}

// exited reports whether the child has exited, and how, without waiting.
func (c *child) exited() (bool, error) {
	select {
	case <-c.done:
		return true, fmt.Errorf("%s exited: %v%s", c.name, c.err, c.stderr.suffix())
	default:
		return false, nil
	}
}

// pid is the child's process id.
func (c *child) pid() int { return c.cmd.Process.Pid }

// tailBuffer keeps the last max bytes written to it: a child's stderr, for
// error messages.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// suffix is ": <its stderr>" for an error message, or "".
func (t *tailBuffer) suffix() string {
	s := strings.TrimSpace(t.String())
	if s == "" {
		return ""
	}
	return ":\n" + s
}

// HAProxy is a running HAProxy child and its runtime API.
type HAProxy struct {
	child  *child
	dir    string
	socket string
	Addr   string // the frontend's address, host:port
}

// StartHAProxy writes cfg into dir and starts `haproxy -db -f cfg` with the
// frontend listener ln passed in as fd 3 (cfg.Bind must be "fd@3"). It
// returns once the runtime API answers.
func StartHAProxy(ctx context.Context, bin, dir string, cfg HAProxyConfig, ln *net.TCPListener) (*HAProxy, error) {
	text, err := cfg.Render()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return nil, err
	}
	f, err := ln.File() // a dup: ours can be closed once HAProxy has its own
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cmd, cancel := newCmd(ctx, syscall.SIGUSR1, bin, "-db", "-f", path)
	cmd.ExtraFiles = []*os.File{f}
	cmd.Dir = dir
	c, err := startChild("haproxy", cmd, cancel)
	if err != nil {
		return nil, err
	}
	h := &HAProxy{child: c, dir: dir, socket: cfg.Socket, Addr: ln.Addr().String()}
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, err := h.Command("show info")
		if err == nil && strings.Contains(out, "Name: HAProxy") {
			return h, nil
		}
		if done, why := c.exited(); done {
			return nil, why
		}
		if time.Now().After(deadline) {
			h.Stop()
			return nil, fmt.Errorf("haproxy did not answer on its admin socket within 5s (last: %v)%s", err, c.stderr.suffix())
		}
		select {
		case <-ctx.Done():
			h.Stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Command sends one runtime API command (management.txt §9.3) and returns
// the reply; HAProxy closes the connection after answering.
func (h *HAProxy) Command(cmd string) (string, error) {
	conn, err := net.DialTimeout("unix", h.socket, time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, cmd+"\n"); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := io.Copy(&b, conn); err != nil {
		return b.String(), err
	}
	return b.String(), nil
}

// PID is HAProxy's process id.
func (h *HAProxy) PID() int { return h.child.pid() }

// Stop soft-stops HAProxy (SIGUSR1: unbind, finish what is in flight,
// exit; hard-stop-after bounds it) and waits for it; SIGKILL after the
// grace period.
func (h *HAProxy) Stop() {
	h.child.stop()
}

// Alive reports an error if HAProxy has exited.
func (h *HAProxy) Alive() error {
	if done, why := h.child.exited(); done {
		return why
	}
	return nil
}

var errNoHAProxy = errors.New("haproxy not found")

// FindHAProxy returns the path of the haproxy binary: $CAPSIM_HAPROXY, or
// haproxy on $PATH, or /usr/sbin/haproxy (Debian's, not on a user's PATH).
func FindHAProxy() (string, error) {
	if p := os.Getenv("CAPSIM_HAPROXY"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("haproxy"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/haproxy"); err == nil {
		return "/usr/sbin/haproxy", nil
	}
	return "", fmt.Errorf("%w on PATH or in /usr/sbin: install it (Debian: apt-get install haproxy)", errNoHAProxy)
}
