package stack

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/policies"
)

func TestBalance(t *testing.T) {
	cases := map[string]string{
		"round_robin":                "roundrobin",
		"weighted_round_robin":       "roundrobin",
		"least_outstanding_requests": "leastconn",
		"least_connections":          "leastconn",
		"random":                     "random(1)",
		"weighted_random":            "random(1)",
		"power_of_two":               "random(2)",
	}
	for alg, want := range cases {
		got, err := Balance(alg)
		if err != nil || got != want {
			t.Errorf("Balance(%q) = %q, %v; want %q", alg, got, err, want)
		}
	}
	// Every algorithm the simulator knows has a mapping: a new one must
	// be added here (and to Balance) before validate can run it.
	for _, name := range policies.BalancerNames() {
		if _, ok := cases[name]; !ok {
			t.Errorf("simulator algorithm %q has no HAProxy mapping in this test", name)
		}
	}
	if _, err := Balance("source_hash"); err == nil {
		t.Error("Balance of an unknown algorithm: want an error")
	}
}

func TestIdent(t *testing.T) {
	cases := []struct{ in, want string }{
		{"m5.large-1", "m5.large-1"},
		{"checkout api", "checkout_api"},
		{`a'b"c$d\e`, "a_b_c_d_e"},
		{"a:b_c", "a:b_c"},
		{"zürich#1", "z_rich_1"},
		{"", "_"},
		{"x\ny", "x_y"},
	}
	for _, c := range cases {
		if got := Ident(c.in); got != c.want {
			t.Errorf("Ident(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func testConfig() HAProxyConfig {
	return HAProxyConfig{
		Name:    `checkout api's "v2" $HOME`,
		Balance: "random(2)",
		Bind:    "127.0.0.1:18080",
		Socket:  "/tmp/it's a dir/$HOME/admin.sock",
		Queue:   1500 * time.Millisecond,
		Servers: []Server{
			{Name: "i 1", Addr: "127.0.0.1:9001", MaxConn: 2},
			{Name: "i#2", Addr: "127.0.0.1:9002", MaxConn: 4},
		},
	}
}

func TestRender(t *testing.T) {
	text, err := testConfig().Render()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"    balance random(2)\n",
		"    timeout queue 1500ms\n",
		"    server i_1 '127.0.0.1:9001' maxconn 2 weight 256\n",
		"    server i_2 '127.0.0.1:9002' maxconn 4 weight 256\n",
		"backend be_checkout_api_s__v2___HOME\n",
		`    stats socket '/tmp/it'\''s a dir/$HOME/admin.sock' mode 600 level admin` + "\n",
		"    bind '127.0.0.1:18080'\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("config lacks %q:\n%s", want, text)
		}
	}
	// The client and server timeouts outlast the queue timeout, so the
	// client's timeout is what ends a slow request.
	if !strings.Contains(text, "timeout server 6500ms") || !strings.Contains(text, "timeout client 6500ms") {
		t.Errorf("client/server timeouts should be queue + 5s:\n%s", text)
	}
}

func TestRenderRejects(t *testing.T) {
	bad := map[string]func(*HAProxyConfig){
		"no servers":   func(c *HAProxyConfig) { c.Servers = nil },
		"no balance":   func(c *HAProxyConfig) { c.Balance = "" },
		"zero queue":   func(c *HAProxyConfig) { c.Queue = 0 },
		"maxconn 0":    func(c *HAProxyConfig) { c.Servers[0].MaxConn = 0 },
		"same names":   func(c *HAProxyConfig) { c.Servers[1].Name = "i_1" },
		"newline path": func(c *HAProxyConfig) { c.Socket = "/tmp/a\nglobal" },
	}
	for name, mod := range bad {
		c := testConfig()
		c.Servers = append([]Server(nil), c.Servers...)
		mod(&c)
		if _, err := c.Render(); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

// TestRenderHAProxyAccepts runs `haproxy -c` on a generated configuration
// with awkward names and paths: quoting that HAProxy misreads fails here.
func TestRenderHAProxyAccepts(t *testing.T) {
	bin := haproxyOrSkip(t)
	dir := filepath.Join(t.TempDir(), `it's a "dir" $HOME`)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	c := testConfig()
	c.Socket = filepath.Join(dir, "admin.sock")
	for _, alg := range []string{"roundrobin", "leastconn", "random", "random(2)"} {
		c.Balance = alg
		text, err := c.Render()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "haproxy.cfg")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-c", "-f", path).CombinedOutput()
		if err != nil {
			t.Errorf("balance %s: haproxy -c: %v\n%s\n%s", alg, err, out, text)
		}
	}
}

// haproxyOrSkip finds haproxy; without it the test fails under CI and is
// skipped elsewhere.
func haproxyOrSkip(t *testing.T) string {
	t.Helper()
	bin, err := FindHAProxy()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and %v", err)
		}
		t.Skip(err)
	}
	return bin
}
