package networks_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// TestExportRestart: records are written on a chain; the node is stopped;
// `export` writes the same genesis twice; a new chain started from it
// (same keys, data reset with unsafe-reset-all, a new chain id) continues
// at height H+1 with every key and value of height H, and the old records
// verify from the new genesis.
func TestExportRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 1, 30900)
	n := net.nodes[0]
	n.start(t)
	c := n.client(t)
	waitHeight(t, c, 2, 60*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
	acked := load(ctx, []string{n.rpc}, signer(t, n.home, "ward"), 8)
	cancel()
	require.NotEmpty(t, acked)
	waitHeight(t, c, height(context.Background(), c)+2, 30*time.Second)
	err, _ := n.stop(15 * time.Second)
	require.NoError(t, err)

	_, err = run(t, "unsafe-reset-all", "--home", n.home)
	require.ErrorContains(t, err, "--yes", "reset refuses without --yes")

	exported := filepath.Join(net.dir, "exported.json")
	_, err = run(t, "export", "--home", n.home, "--chain-id", "danang-e2e-2", "--out", exported)
	require.NoError(t, err)
	stdout, err := run(t, "export", "--home", n.home, "--chain-id", "danang-e2e-2")
	require.NoError(t, err)
	b, err := os.ReadFile(exported)
	require.NoError(t, err)
	require.Equal(t, string(b), stdout, "export is deterministic")
	gen, err := types.GenesisDocFromFile(exported)
	require.NoError(t, err)
	var st registry.GenesisState
	require.NoError(t, json.Unmarshal(gen.AppState, &st))
	require.NotEmpty(t, st.KV)
	h := gen.InitialHeight - 1

	// A new chain from the exported genesis: the same keys, a fresh data
	// directory and signing state (a new chain id, so no double sign).
	home2 := filepath.Join(net.dir, "chain2")
	require.NoError(t, os.CopyFS(home2, os.DirFS(n.home)))
	require.NoError(t, os.WriteFile(filepath.Join(home2, "config", "genesis.json"), b, 0o644))
	out, err := run(t, "unsafe-reset-all", "--home", home2, "--yes", "--reset-signing-state", "-o", "json")
	require.NoError(t, err)
	require.DirExists(t, jsonOut(t, out)["backup_dir"].(string))
	n2 := &proc{home: home2, rpc: n.rpc}
	net.nodes = append(net.nodes, n2)
	n2.start(t)
	waitHeight(t, c, h+2, 60*time.Second)

	// Every key and value at height H+1 (block H+1 carries no tx).
	var got []registry.GenesisKV
	var start []byte
	for {
		e := registry.NewEncoder(64)
		e.Bytes(start)
		e.Bytes(nil)
		e.Uint(1000)
		r, err := c.RPC().ABCIQueryWithOptions(context.Background(), "/range", e.Out(), rpcclient.ABCIQueryOptions{Height: h + 1})
		require.NoError(t, err)
		require.Zero(t, r.Response.Code, r.Response.Log)
		d := registry.NewDecoder(r.Response.Value)
		cnt := d.Count(1000, 2)
		for i := 0; i < cnt; i++ {
			k, v := d.Bytes(), d.Bytes()
			got = append(got, registry.GenesisKV{Key: hex.EncodeToString(k), Value: hex.EncodeToString(v)})
			start = append(bytes.Clone(k), 0)
		}
		require.NoError(t, d.Finish())
		if cnt < 1000 {
			break
		}
	}
	require.Equal(t, st.KV, got, "state of the new chain at %d = exported state of %d", h+1, h)

	// Old records verify from the new genesis (light client + ICS23).
	c2, err := client.New(n.rpc, client.WithGenesis(gen), client.WithChainID(gen.ChainID))
	require.NoError(t, err)
	p, err := c2.Get(context.Background(), registry.AnchorKey(acked[0]))
	require.NoError(t, err)
	require.NotNil(t, p.Value)
}
