package networks_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestCrashRecoveryUnderLoad kills -9 a validator while records are
// written, restarts it without repair, and checks nothing acknowledged
// was lost.
func TestCrashRecoveryUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 1, 28000)
	n := net.nodes[0]
	n.start(t)
	c := n.client(t)
	waitHeight(t, c, 2, 60*time.Second)
	s := signer(t, n.home, "ward")

	var acked [][]byte
	for round := 0; round < 2; round++ {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan [][]byte)
		go func() { done <- load(ctx, []string{n.rpc}, s, 32) }()
		time.Sleep(4 * time.Second)
		before := height(context.Background(), c)
		n.kill() // kill -9 mid-load
		cancel()
		acked = append(acked, <-done...)
		n.start(t)
		waitHeight(t, c, before+2, 60*time.Second)
	}
	require.NotEmpty(t, acked)
	requireAnchored(t, c, acked)
	t.Logf("%d acknowledged records survived two kill -9 restarts", len(acked))
}

// TestGracefulShutdown: SIGTERM stops the node within 10 s with exit 0,
// and a restart continues from the same height and app hash.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 1, 28100)
	n := net.nodes[0]
	n.start(t)
	c := n.client(t)
	waitHeight(t, c, 3, 60*time.Second)
	st, err := c.Status(context.Background())
	require.NoError(t, err)
	err, took := n.stop(15 * time.Second)
	require.NoError(t, err, "exit status after SIGTERM")
	require.Less(t, took, 10*time.Second)

	n.start(t)
	waitHeight(t, c, st.SyncInfo.LatestBlockHeight+1, 60*time.Second)
	h := st.SyncInfo.LatestBlockHeight
	b, err := c.RPC().Block(context.Background(), &h)
	require.NoError(t, err)
	require.Equal(t, st.SyncInfo.LatestAppHash, b.Block.AppHash, "app hash at height %d changed across restart", h)
	info, err := c.RPC().ABCIInfo(context.Background())
	require.NoError(t, err)
	require.GreaterOrEqual(t, info.Response.LastBlockHeight, h)
}
