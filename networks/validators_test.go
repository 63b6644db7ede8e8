package networks_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// TestFourValidators runs the network journey on real processes:
// 4 validators reach height 10; one is killed (-9) and the other three keep
// committing; restarted, it catches up; the council adds a fifth validator
// and a new agency; fewer than the quorum or a non-council key cannot; a
// revoked agency key's next tx is rejected while its earlier record still
// verifies.
func TestFourValidators(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 4, 28200)
	for _, n := range net.nodes {
		n.start(t)
	}
	c0 := net.nodes[0].client(t)
	waitHeight(t, c0, 10, 90*time.Second)

	// Kill one validator: the other three keep committing.
	victim := net.nodes[3]
	victim.kill()
	h := height(context.Background(), c0)
	waitHeight(t, c0, h+5, 60*time.Second)
	victim.start(t)
	target := height(context.Background(), c0)
	waitHeight(t, victim.client(t), target, 90*time.Second)

	// Every node has the same block hash at the same height.
	var hashes []string
	for _, n := range net.nodes {
		b, err := n.client(t).RPC().Block(context.Background(), &target)
		require.NoError(t, err)
		hashes = append(hashes, b.BlockID.Hash.String())
	}
	for _, hs := range hashes[1:] {
		require.Equal(t, hashes[0], hs, "block hashes differ at height %d", target)
	}

	home := net.nodes[0].home
	H := []string{"--home", home, "-o", "json"}

	// A record anchored by the ward before its key is revoked.
	doc := filepath.Join(t.TempDir(), "giay-phep.txt")
	require.NoError(t, os.WriteFile(doc, []byte("Giấy phép xây dựng số 01/2026"), 0o644))
	_, err := run(t, append([]string{"anchor", doc, "--from", "ward"}, H...)...)
	require.NoError(t, err)
	gen, err := types.GenesisDocFromFile(filepath.Join(home, "config", "genesis.json"))
	require.NoError(t, err)
	docSum := sha256.Sum256([]byte("Giấy phép xây dựng số 01/2026"))
	receipt := checkReceipt(t, net.nodes[0].rpc, gen, registry.AnchorKey(docSum[:]))
	require.LessOrEqual(t, len(receipt), 2331, "receipt must fit one QR code (version 40-M)")

	// A non-council key cannot propose.
	_, err = run(t, append([]string{"gov", "propose", "add-agency", "--id", "x-khong-hop-le", "--name", "Không hợp lệ", "--roles", "result.issuer", "--new-key", "rogue", "--from", "ward"}, H...)...)
	require.ErrorContains(t, err, "unauthorized")

	// Add a fifth validator: a new home joining with the same genesis.
	fifth := &proc{home: filepath.Join(net.dir, "node4"), rpc: "http://127.0.0.1:28241"}
	net.nodes = append(net.nodes, fifth)
	out, err := run(t, "init", "city-node-4", "--home", fifth.home, "--genesis", filepath.Join(home, "config", "genesis.json"), "-o", "json")
	require.NoError(t, err)
	valPub := jsonOut(t, out)["validator_pub_key"].(string)
	configure(t, fifth.home, net)
	fifth.start(t)

	out, err = run(t, append([]string{"gov", "propose", "set-validator", "--pubkey", valPub, "--power", "10", "--name", "Trung tâm dữ liệu quận 5", "--from", "council1"}, H...)...)
	require.NoError(t, err)
	pid := fmt.Sprint(jsonOut(t, out)["proposal_id"])
	// Fewer than the quorum (2 of 3): not executed.
	out, err = run(t, append([]string{"gov", "vote", pid, "yes", "--from", "council2"}, H...)...)
	require.NoError(t, err)
	require.Contains(t, out, `"status": "open"`)
	// A repeated vote by the same member is refused.
	_, err = run(t, append([]string{"gov", "vote", pid, "yes", "--from", "council2"}, H...)...)
	require.ErrorContains(t, err, "already voted")
	out, err = run(t, append([]string{"gov", "vote", pid, "yes", "--from", "council3"}, H...)...)
	require.NoError(t, err)
	require.Contains(t, out, `"status": "executed"`)

	// The new validator appears in the set and the chain goes on with 5.
	pub, _ := hex.DecodeString(valPub)
	deadline := time.Now().Add(60 * time.Second)
	found := false
	for time.Now().Before(deadline) && !found {
		vals, err := c0.RPC().Validators(context.Background(), nil, nil, nil)
		require.NoError(t, err)
		for _, v := range vals.Validators {
			if bytes.Equal(v.PubKey.Bytes(), pub) {
				found = true
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	require.True(t, found, "fifth validator not in the set")
	waitHeight(t, fifth.client(t), height(context.Background(), c0), 90*time.Second)

	// A new agency by quorum.
	out, err = run(t, append([]string{"gov", "propose", "add-agency", "--id", "ubnd-phuong-an-hai", "--name", "UBND phường An Hải", "--roles", "result.issuer", "--new-key", "anhai", "--from", "council1"}, H...)...)
	require.NoError(t, err)
	pid = fmt.Sprint(jsonOut(t, out)["proposal_id"])
	for _, k := range []string{"council2", "council3"} {
		_, err = run(t, append([]string{"gov", "vote", pid, "yes", "--from", k}, H...)...)
		require.NoError(t, err)
	}
	out, err = run(t, append([]string{"agency", "show", "ubnd-phuong-an-hai"}, H...)...)
	require.NoError(t, err)
	require.Contains(t, out, "UBND phường An Hải")

	// Revoke the ward's key: its next tx is refused; its earlier record stands.
	out, err = run(t, append([]string{"gov", "propose", "revoke-key", "--key-name", "ward", "--reason", "lộ khóa", "--from", "council1"}, H...)...)
	require.NoError(t, err)
	pid = fmt.Sprint(jsonOut(t, out)["proposal_id"])
	for _, k := range []string{"council2", "council3"} {
		_, err = run(t, append([]string{"gov", "vote", pid, "yes", "--from", k}, H...)...)
		require.NoError(t, err)
	}
	doc2 := filepath.Join(t.TempDir(), "sau-thu-hoi.txt")
	require.NoError(t, os.WriteFile(doc2, []byte("ký sau khi thu hồi"), 0o644))
	_, err = run(t, append([]string{"anchor", doc2, "--from", "ward"}, H...)...)
	require.ErrorContains(t, err, "revoked")
	out, err = run(t, append([]string{"query", "anchor", doc}, H...)...)
	require.NoError(t, err)
	m := jsonOut(t, out)
	require.Equal(t, true, m["anchored"])
	sum := sha256.Sum256([]byte("Giấy phép xây dựng số 01/2026"))
	require.Equal(t, hex.EncodeToString(sum[:]), m["sha256"])
}

// configure points a new home at the network: peers and free ports.
func configure(t *testing.T, home string, net *network) {
	t.Helper()
	cfgPath := filepath.Join(home, "config", "config.toml")
	b, err := os.ReadFile(cfgPath)
	require.NoError(t, err)
	peers, err := os.ReadFile(filepath.Join(net.nodes[0].home, "config", "config.toml"))
	require.NoError(t, err)
	var node0Peers string
	for _, l := range strings.Split(string(peers), "\n") {
		if strings.HasPrefix(l, "persistent_peers = ") {
			node0Peers = l
		}
	}
	// node0's peers are nodes 1-3; add node0 itself via its node id.
	out, err := run(t, "status", "--node", net.nodes[0].rpc, "-o", "json")
	require.NoError(t, err)
	id := jsonOut(t, out)["node_id"].(string)
	node0Peers = strings.TrimSuffix(node0Peers, `"`) + "," + id + `@127.0.0.1:28200"`
	s := string(b)
	s = strings.Replace(s, `persistent_peers = ""`, node0Peers, 1)
	s = strings.Replace(s, `laddr = "tcp://127.0.0.1:26656"`, `laddr = "tcp://127.0.0.1:28240"`, 1)
	s = strings.Replace(s, `laddr = "tcp://127.0.0.1:26657"`, `laddr = "tcp://127.0.0.1:28241"`, 1)
	s = strings.Replace(s, `prometheus_listen_addr = "127.0.0.1:26660"`, `prometheus_listen_addr = "127.0.0.1:28243"`, 1)
	require.NoError(t, os.WriteFile(cfgPath, []byte(s), 0o644))
	app := filepath.Join(home, "config", "app.toml")
	ab, err := os.ReadFile(app)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(app, []byte(strings.Replace(string(ab), "127.0.0.1:1317", "127.0.0.1:28242", 1)), 0o644))
}
