package node

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/privval"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// newTestHome writes a one-validator home listening on ports base..base+3.
func newTestHome(t *testing.T, base int) string {
	t.Helper()
	home := t.TempDir()
	conf := DefaultCometConfig(home, "test-node")
	conf.P2P.ListenAddress = fmt.Sprintf("tcp://127.0.0.1:%d", base)
	conf.RPC.ListenAddress = fmt.Sprintf("tcp://127.0.0.1:%d", base+1)
	conf.Instrumentation.PrometheusListenAddr = fmt.Sprintf("127.0.0.1:%d", base+3)
	acfg := DefaultAppConfig()
	acfg.APIAddr = fmt.Sprintf("127.0.0.1:%d", base+2)
	info, err := InitHome(home, conf, acfg)
	require.NoError(t, err)
	council := registry.PubKeyOf(registry.NewKeyFromSeed(make([]byte, 32)))
	gen, err := NewGenesis("node-test", []*HomeInfo{info}, 10, registry.GenesisState{Params: registry.DefaultParams(),
		Council: []registry.GenesisMember{{Name: "Hội đồng", PubKey: hex.EncodeToString(council)}}})
	require.NoError(t, err)
	require.NoError(t, WriteGenesis(home, gen))
	return home
}

func waitAppHeight(t *testing.T, n *Node, h int64) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for n.App.Height() < h {
		require.True(t, time.Now().Before(deadline), "height %d not reached (at %d)", h, n.App.Height())
		time.Sleep(100 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// TestNodeOperatorTools runs a node in-process: /metrics serves the app's
// and CometBFT's metrics together on their own listener (not the API's), /readyz turns ready; stopped, the node
// is rolled back one height, exports the same genesis twice, finds a trust
// point, and is reset keeping its signing state. (Restarting after a
// rollback needs a new process: CometBFT keeps some databases open after
// Stop; networks/faults_test.go does it.)
func TestNodeOperatorTools(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a node")
	}
	home := newTestHome(t, 30960)
	n, err := New(home, Options{LogWriter: io.Discard})
	require.NoError(t, err)
	require.NoError(t, n.Start())
	stopped := false
	defer func() {
		if !stopped {
			n.Stop()
		}
	}()
	waitAppHeight(t, n, 3)
	require.Equal(t, fmt.Sprintf("127.0.0.1:%d", 30960+3), n.MetricsAddr())
	code, body := get(t, "http://"+n.MetricsAddr()+"/metrics")
	require.Equal(t, http.StatusOK, code, body)
	for _, m := range []string{"danang_app_height", "cometbft_consensus_height", "go_goroutines", "process_cpu_seconds_total"} {
		require.Contains(t, body, "\n"+m, "metric %s", m)
	}
	// Not on the public API port.
	code, _ = get(t, "http://"+n.APIAddr()+"/metrics")
	require.Equal(t, http.StatusNotFound, code)
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, body = get(t, "http://"+n.APIAddr()+"/readyz")
		if code == http.StatusOK {
			break
		}
		require.True(t, time.Now().Before(deadline), body)
		time.Sleep(200 * time.Millisecond)
	}
	ctx := context.Background()
	rpc := "http://" + strings.TrimPrefix(n.Config.RPC.ListenAddress, "tcp://")
	_, err = FindTrustPoint(ctx, []string{rpc}, 1)
	require.Error(t, err, "one RPC server is not enough")
	tp, err := FindTrustPoint(ctx, []string{rpc, rpc}, 1)
	require.NoError(t, err)
	require.Len(t, tp.Hash, 64)

	require.NoError(t, n.Stop())
	stopped = true
	h := n.App.Height()

	res, err := Rollback(home, false)
	require.NoError(t, err)
	require.Equal(t, h-1, res.Height)
	require.Equal(t, h, res.AppFrom)

	g1, err := ExportGenesis(home, ExportOptions{})
	require.NoError(t, err)
	g2, err := ExportGenesis(home, ExportOptions{})
	require.NoError(t, err)
	b1, _ := cmtjson.Marshal(g1)
	b2, _ := cmtjson.Marshal(g2)
	require.Equal(t, string(b1), string(b2))
	require.Equal(t, h, g1.InitialHeight, "export of height h-1 starts at h")
	require.Len(t, g1.Validators, 1)

	conf, err := LoadCometConfig(home)
	require.NoError(t, err)
	signed := privval.LoadFilePV(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile()).LastSignState.Height
	backup := filepath.Join(t.TempDir(), "backup")
	removed, err := ResetData(home, ResetOptions{BackupDir: backup})
	require.NoError(t, err)
	require.NotEmpty(t, removed)
	entries, err := os.ReadDir(conf.DBDir())
	require.NoError(t, err)
	require.Len(t, entries, 1, "only the signing state is left in data/")
	require.Equal(t, signed, privval.LoadFilePV(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile()).LastSignState.Height,
		"the signing state is kept")
	for _, f := range []string{"priv_validator_key.json", "priv_validator_state.json", "node_key.json"} {
		require.FileExists(t, filepath.Join(backup, f))
	}

	_, err = EnableStateSync(home, tp, time.Hour)
	require.NoError(t, err)
	conf, err = LoadCometConfig(home)
	require.NoError(t, err)
	require.True(t, conf.StateSync.Enable)
	require.Equal(t, tp.Height, conf.StateSync.TrustHeight)
	require.Equal(t, []string{rpc, rpc}, conf.StateSync.RPCServers)
}

type offerApp struct{ abci.BaseApplication }

func (offerApp) OfferSnapshot(context.Context, *abci.RequestOfferSnapshot) (*abci.ResponseOfferSnapshot, error) {
	return &abci.ResponseOfferSnapshot{Result: abci.ResponseOfferSnapshot_ACCEPT}, nil
}

// TestStateSyncWatch: progress postpones the fallback; once given up,
// offers are aborted; a restored state means done.
func TestStateSyncWatch(t *testing.T) {
	height := int64(0)
	w := newStateSyncWatch(offerApp{}, func() int64 { return height })
	done, giveUp := w.check(time.Hour)
	require.False(t, done || giveUp)
	w.progress = time.Now().Add(-2 * time.Hour)
	resp, err := w.OfferSnapshot(context.Background(), &abci.RequestOfferSnapshot{})
	require.NoError(t, err)
	require.Equal(t, abci.ResponseOfferSnapshot_ACCEPT, resp.Result)
	done, giveUp = w.check(time.Hour)
	require.False(t, done || giveUp, "an accepted offer is progress")

	w.progress = time.Now().Add(-2 * time.Hour)
	_, giveUp = w.check(time.Hour)
	require.True(t, giveUp)
	resp, _ = w.OfferSnapshot(context.Background(), &abci.RequestOfferSnapshot{})
	require.Equal(t, abci.ResponseOfferSnapshot_ABORT, resp.Result)
	require.ErrorIs(t, w.watch(context.Background(), time.Millisecond, func() int64 { return 0 }), ErrStateSyncFallback)

	height = 5
	w2 := newStateSyncWatch(offerApp{}, func() int64 { return height })
	w2.progress = time.Now().Add(-2 * time.Hour)
	done, _ = w2.check(time.Hour)
	require.True(t, done)
}
