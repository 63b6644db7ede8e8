package networks_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// TestFullRotationReceipts: governance replaces all four genesis
// validators with four new city nodes, and the old ones stop. A receipt
// made before the rotation and a receipt for a result issued after it both
// verify offline from genesis.json alone (the second carries the
// hand-over); stripped of its hand-over, the second is refused. A verifier
// starting from genesis walks the hand-over and verifies online.
func TestFullRotationReceipts(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 4, 29200)
	for _, n := range net.nodes {
		n.start(t)
	}
	c0 := net.nodes[0].client(t)
	waitHeight(t, c0, 3, 90*time.Second)
	home := net.nodes[0].home
	genFile := filepath.Join(home, "config", "genesis.json")
	gen, err := types.GenesisDocFromFile(genFile)
	require.NoError(t, err)
	dir := t.TempDir()
	cli := func(node string, args ...string) (map[string]any, error) {
		t.Helper()
		H := []string{"--home", home, "-o", "json"}
		if node != "" {
			H = append(H, "--node", node, "--witness", node)
		}
		out, err := run(t, append(args, H...)...)
		if strings.TrimSpace(out) == "" {
			return nil, err
		}
		return jsonOut(t, out), err
	}
	issue := func(node, name, text string) (string, string) {
		t.Helper()
		doc := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(doc, []byte(text), 0o644))
		res, err := cli(node, "result", "issue", doc, "--procedure", "1.001612.000.00.00.H17", "--from", "ward")
		requireExit(t, err, 0)
		return doc, res["id"].(string)
	}
	receipt := func(node, id, name string) string {
		t.Helper()
		out := filepath.Join(dir, name)
		_, err := cli(node, "receipt", id, "--out", out)
		requireExit(t, err, 0)
		return out
	}
	offline := func(doc, rc string) (map[string]any, error) {
		out, err := run(t, "verify", doc, "--receipt", rc, "--genesis", genFile, "--offline", "-o", "json",
			"--home", t.TempDir(), "--node", "http://127.0.0.1:1")
		return jsonOut(t, out), err
	}

	// Before the rotation: a result and its receipt (genesis set).
	docA, idA := issue("", "truoc.txt", "Giấy chứng nhận cấp trước khi thay nút")
	rcA := receipt("", idA, "truoc.dnr")

	// Four new nodes join and become validators by governance; the four
	// genesis validators are removed (power 0).
	var oldKeys []string
	st, err := cli("", "status")
	require.NoError(t, err)
	for _, v := range st["validators"].([]any) {
		oldKeys = append(oldKeys, v.(map[string]any)["pub_key"].(string))
	}
	require.Len(t, oldKeys, 4)
	var fresh []*proc
	for i := 0; i < 4; i++ {
		base := 29240 + 10*i
		p := &proc{home: filepath.Join(net.dir, fmt.Sprintf("node%d", 4+i)), rpc: fmt.Sprintf("http://127.0.0.1:%d", base+1)}
		out, err := run(t, "init", fmt.Sprintf("city-node-%d", 4+i), "--home", p.home, "--genesis", genFile, "-o", "json")
		require.NoError(t, err)
		pub := jsonOut(t, out)["validator_pub_key"].(string)
		joinAt(t, p.home, net, base)
		p.start(t)
		net.nodes = append(net.nodes, p)
		fresh = append(fresh, p)
		govPass(t, cli, "set-validator", "--pubkey", pub, "--power", "10", "--name", fmt.Sprintf("Nút thành phố %d", 4+i))
	}
	for _, k := range oldKeys {
		govPass(t, cli, "set-validator", "--pubkey", k, "--power", "0", "--name", "Nút cũ")
	}
	// Wait until the set is the four new validators, then stop the old nodes.
	deadline := time.Now().Add(90 * time.Second)
	for {
		vals, err := c0.RPC().Validators(context.Background(), nil, nil, nil)
		require.NoError(t, err)
		old := 0
		for _, v := range vals.Validators {
			for _, k := range oldKeys {
				if fmt.Sprintf("%x", v.PubKey.Bytes()) == k {
					old++
				}
			}
		}
		if old == 0 && len(vals.Validators) == 4 {
			break
		}
		require.True(t, time.Now().Before(deadline), "old validators still in the set: %d of %d", old, len(vals.Validators))
		time.Sleep(500 * time.Millisecond)
	}
	for _, n := range net.nodes[:4] {
		n.kill()
	}
	newRPC := fresh[0].rpc
	nc, err := client.New(newRPC)
	require.NoError(t, err)
	waitHeight(t, nc, height(context.Background(), nc)+3, 60*time.Second)

	// After: a result issued through a new node, signed by the new set.
	docB, idB := issue(newRPC, "sau.txt", "Giấy chứng nhận cấp sau khi thay toàn bộ nút")
	rcB := receipt(newRPC, idB, "sau.dnr")

	// Both verify offline from genesis.json alone.
	for _, c := range []struct{ doc, rc, id string }{{docA, rcA, idA}, {docB, rcB, idB}} {
		v, err := offline(c.doc, c.rc)
		requireExit(t, err, 0)
		require.Equal(t, "valid", v["status"])
		require.Equal(t, c.id, v["id"])
	}
	raw, err := os.ReadFile(rcB)
	require.NoError(t, err)
	r, err := client.DecodeReceipt(raw)
	require.NoError(t, err)
	require.NotEmpty(t, r.Handovers, "a receipt signed by the new set carries the hand-over")
	vr, err := client.VerifyReceiptBytes(raw, gen, nil)
	require.NoError(t, err)
	require.Equal(t, registry.ResultKey(mustID(t, idB)), vr.Key)

	// Stripped of its hand-over (the new set embedded as in format v1), it
	// is refused: that set is not reachable from genesis.
	last := r.Handovers[len(r.Handovers)-1].Next
	r.Handovers, r.Validators = nil, last
	stripped, err := r.Encode()
	require.NoError(t, err)
	_, err = client.VerifyReceiptBytes(stripped, gen, nil)
	require.ErrorIs(t, err, registry.ErrProofInvalid)
	bad := filepath.Join(dir, "stripped.dnr")
	require.NoError(t, os.WriteFile(bad, stripped, 0o644))
	_, err = offline(docB, bad)
	requireExit(t, err, 2) // a receipt that does not verify: nothing verified

	// Online, a verifier from genesis walks the hand-over (a fresh home:
	// no light store, witnesses the other new nodes).
	out, err := run(t, "verify", docB, "--home", t.TempDir(), "--node", newRPC, "--witness", fresh[1].rpc,
		"--witness", fresh[2].rpc, "-o", "json")
	if err != nil && strings.Contains(err.Error(), "genesis") {
		// The fresh home has no genesis: give it one.
		h := t.TempDir()
		require.NoError(t, os.MkdirAll(filepath.Join(h, "config"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(h, "config", "genesis.json"), mustRead(t, genFile), 0o644))
		out, err = run(t, "verify", docB, "--home", h, "--node", newRPC, "--witness", fresh[1].rpc, "--witness", fresh[2].rpc, "-o", "json")
	}
	requireExit(t, err, 0)
	require.Equal(t, "valid", jsonOut(t, out)["status"])
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return b
}

func mustID(t *testing.T, s string) uint64 {
	id, err := registry.ParseResultID(s)
	require.NoError(t, err)
	return id
}

// govPass proposes a governance action with council1 and passes it with
// council2 and council3.
func govPass(t *testing.T, cli func(string, ...string) (map[string]any, error), kind string, args ...string) {
	t.Helper()
	out, err := cli("", append([]string{"gov", "propose", kind, "--from", "council1"}, args...)...)
	require.NoError(t, err)
	pid := fmt.Sprint(out["proposal_id"])
	for _, k := range []string{"council2", "council3"} {
		_, err = cli("", "gov", "vote", pid, "yes", "--from", k)
		require.NoError(t, err)
	}
}

// joinAt points a new home at the network (peers: every node running,
// whose p2p port is its RPC port - 1) with its ports from base (p2p base,
// rpc base+1, api base+2, metrics base+3).
func joinAt(t *testing.T, home string, net *network, base int) {
	t.Helper()
	var peers []string
	for _, n := range net.nodes {
		out, err := run(t, "status", "--node", n.rpc, "-o", "json")
		require.NoError(t, err)
		var port int
		_, err = fmt.Sscanf(n.rpc[strings.LastIndex(n.rpc, ":")+1:], "%d", &port)
		require.NoError(t, err)
		peers = append(peers, fmt.Sprintf("%s@127.0.0.1:%d", jsonOut(t, out)["node_id"], port-1))
	}
	cfgPath := filepath.Join(home, "config", "config.toml")
	b, err := os.ReadFile(cfgPath)
	require.NoError(t, err)
	s := string(b)
	s = strings.Replace(s, `persistent_peers = ""`, `persistent_peers = "`+strings.Join(peers, ",")+`"`, 1)
	s = strings.Replace(s, `laddr = "tcp://127.0.0.1:26656"`, fmt.Sprintf(`laddr = "tcp://127.0.0.1:%d"`, base), 1)
	s = strings.Replace(s, `laddr = "tcp://127.0.0.1:26657"`, fmt.Sprintf(`laddr = "tcp://127.0.0.1:%d"`, base+1), 1)
	s = strings.Replace(s, `prometheus_listen_addr = "127.0.0.1:26660"`, fmt.Sprintf(`prometheus_listen_addr = "127.0.0.1:%d"`, base+3), 1)
	require.NoError(t, os.WriteFile(cfgPath, []byte(s), 0o644))
	app := filepath.Join(home, "config", "app.toml")
	ab, err := os.ReadFile(app)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(app, []byte(strings.Replace(string(ab), "127.0.0.1:1317", fmt.Sprintf("127.0.0.1:%d", base+2), 1)), 0o644))
}
