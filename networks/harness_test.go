package networks_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/node"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/registry"
)

// binary returns the danangchain binary, building it once if needed.
var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func binary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Dir(filepath.Dir(file))
		binPath = filepath.Join(root, "bin", "danangchain")
		if os.Getenv("DANANGCHAIN_BIN") != "" {
			binPath = os.Getenv("DANANGCHAIN_BIN")
		}
		if _, err := os.Stat(binPath); err != nil {
			// make build: the verifier (WebAssembly) first, then the binary
			// that embeds it.
			cmd := exec.Command("make", "build", "BIN="+binPath)
			cmd.Dir = root
			out, err := cmd.CombinedOutput()
			if err != nil {
				binErr = fmt.Errorf("build: %v: %s", err, out)
			}
			_ = root
		}
	})
	require.NoError(t, binErr)
	return binPath
}

// run runs the CLI and returns stdout; it fails the test on exit != 0
// unless allowFail.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "DANANGCHAIN_KEYRING_PASSPHRASE=unused")
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), fmt.Errorf("%v: %s", err, readableStderr(ee.Stderr))
	}
	return string(out), err
}

// readableStderr unwraps the CLI's JSON error report (-o json) into one
// line that tests can search: "code name kind (source): detail".
func readableStderr(b []byte) string {
	var rep struct {
		Error *struct {
			Code   uint32 `json:"code"`
			Name   string `json:"name"`
			Kind   string `json:"kind"`
			Source string `json:"source"`
			Detail string `json:"detail"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &rep) != nil || rep.Error == nil {
		return string(b)
	}
	e := rep.Error
	return fmt.Sprintf("%d %s %s (%s): %s", e.Code, e.Name, e.Kind, e.Source, e.Detail)
}

type proc struct {
	home string
	rpc  string
	cmd  *exec.Cmd
	done chan error
}

type network struct {
	t     *testing.T
	dir   string
	nodes []*proc
}

// newNetwork writes a testnet of n validators with ports from base. Bases
// stay below 32768, where Linux's ephemeral ports begin: a port there can
// be taken by any outgoing connection of a test running meanwhile.
func newNetwork(t *testing.T, n, base int) *network {
	require.Less(t, base+10*n, 32768, "test ports must stay below the ephemeral range")
	dir := t.TempDir()
	_, err := run(t, "testnet", "--validators", fmt.Sprint(n), "--output", dir, "--base-port", fmt.Sprint(base), "--chain-id", "danang-e2e")
	require.NoError(t, err)
	net := &network{t: t, dir: dir}
	for i := 0; i < n; i++ {
		home := filepath.Join(dir, fmt.Sprintf("node%d", i))
		net.nodes = append(net.nodes, &proc{home: home, rpc: fmt.Sprintf("http://127.0.0.1:%d", base+10*i+1)})
		// Tests and benchmarks drive the API from one address far faster
		// than any citizen: no per-client rate limit here (TestAPIFlood
		// turns it back on).
		acfg, err := node.LoadAppConfig(home)
		require.NoError(t, err)
		acfg.APIRatePerSecond = 0
		require.NoError(t, node.WriteAppConfig(home, acfg))
	}
	t.Cleanup(func() {
		for _, p := range net.nodes {
			p.kill()
		}
	})
	return net
}

func (p *proc) start(t *testing.T) {
	t.Helper()
	logf, err := os.OpenFile(filepath.Join(p.home, "node.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	p.cmd = exec.Command(binary(t), "start", "--home", p.home)
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	require.NoError(t, p.cmd.Start())
	p.done = make(chan error, 1)
	go func() { p.done <- p.cmd.Wait(); logf.Close() }()
}

func (p *proc) kill() {
	if p.cmd != nil && p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
}

// stop sends SIGTERM and returns the exit error and how long it took.
func (p *proc) stop(timeout time.Duration) (error, time.Duration) {
	start := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		return err, time.Since(start)
	case <-time.After(timeout):
		p.kill()
		return fmt.Errorf("not stopped after %s", timeout), time.Since(start)
	}
}

func (p *proc) client(t *testing.T) *client.Client {
	c, err := client.New(p.rpc, client.WithPollInterval(100*time.Millisecond))
	require.NoError(t, err)
	return c
}

func height(ctx context.Context, c *client.Client) int64 {
	st, err := c.Status(ctx)
	if err != nil {
		return -1
	}
	return st.SyncInfo.LatestBlockHeight
}

// waitHeight waits until the node at c reaches h.
func waitHeight(t *testing.T, c *client.Client, h int64, timeout time.Duration) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if height(ctx, c) >= h {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s did not reach height %d in %s (at %d)", c.URL(), h, timeout, height(ctx, c))
}

func signer(t *testing.T, home, name string) *keyring.Signer {
	kr, err := keyring.New(filepath.Join(home, "keyring"), keyring.BackendTest, nil)
	require.NoError(t, err)
	s, err := kr.Signer(name)
	require.NoError(t, err)
	return s
}

// load submits anchors from s with workers until ctx ends and returns the
// hashes whose commit was acknowledged.
func load(ctx context.Context, urls []string, s client.Signer, workers int) [][]byte {
	var mu sync.Mutex
	var acked [][]byte
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c, err := client.New(urls[w%len(urls)], client.WithPollInterval(100*time.Millisecond))
			if err != nil {
				return
			}
			for ctx.Err() == nil {
				h := make([]byte, 32)
				rand.Read(h)
				cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
				_, err := c.Submit(cctx, s, &registry.MsgAnchor{Hash: h, Tag: "tải thử"})
				cancel()
				if err == nil {
					mu.Lock()
					acked = append(acked, h)
					mu.Unlock()
				} else {
					time.Sleep(100 * time.Millisecond)
				}
			}
		}(w)
	}
	wg.Wait()
	return acked
}

// requireAnchored checks every hash is in the state of the node at c.
func requireAnchored(t *testing.T, c *client.Client, hashes [][]byte) {
	t.Helper()
	for _, h := range hashes {
		r, err := c.RPC().ABCIQuery(context.Background(), "/store", registry.AnchorKey(h))
		require.NoError(t, err)
		require.NotEmpty(t, r.Response.Value, "acknowledged anchor %x lost", h)
	}
}

func jsonOut(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m), s)
	return m
}

// oneNode starts a one-validator network with ports from base and returns
// its node and a CLI runner against it (-o json; the JSON output, or nil
// when there is none, and the run's error).
func oneNode(t *testing.T, base int) (*proc, func(args ...string) (map[string]any, error)) {
	t.Helper()
	net := newNetwork(t, 1, base)
	n := net.nodes[0]
	n.start(t)
	waitHeight(t, n.client(t), 2, 60*time.Second)
	H := []string{"--home", n.home, "-o", "json"}
	return n, func(args ...string) (map[string]any, error) {
		t.Helper()
		out, err := run(t, append(args, H...)...)
		if strings.TrimSpace(out) == "" {
			return nil, err
		}
		return jsonOut(t, out), err
	}
}
