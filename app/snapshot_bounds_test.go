package app

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/iavl"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// splitSnapshot re-cuts a one-chunk snapshot into two chunks at a node
// boundary, as a bigger state would be cut.
func splitSnapshot(t *testing.T, s *abci.Snapshot, chunk []byte) (*abci.Snapshot, [][]byte) {
	t.Helper()
	var nodes []*iavl.ExportNode
	d := registry.NewDecoder(chunk)
	for d.Finish() != nil {
		require.NoError(t, d.Err())
		nodes = append(nodes, decodeExportNode(d))
	}
	require.Greater(t, len(nodes), 2)
	var chunks [][]byte
	var meta []byte
	for _, part := range [][]*iavl.ExportNode{nodes[:len(nodes)/2], nodes[len(nodes)/2:]} {
		e := registry.NewEncoder(len(chunk))
		for _, n := range part {
			encodeExportNode(e, n)
		}
		chunks = append(chunks, e.Out())
		h := sha256.Sum256(e.Out())
		meta = append(meta, h[:]...)
	}
	h := sha256.Sum256(meta)
	return &abci.Snapshot{Height: s.Height, Format: s.Format, Chunks: 2, Hash: h[:], Metadata: meta}, chunks
}

// A peer cannot make a restore hold unbounded chunks or memory, and an
// abandoned restore leaves the state empty.
func TestSnapshotRestoreBounds(t *testing.T) {
	c := newChain(t, func(o *Options) { o.SnapshotInterval = 2 })
	for h := int64(1); h <= 2; h++ {
		var txs [][]byte
		for i := 0; i < 20; i++ {
			txs = append(txs, c.tx(agencyKey, anchor(fmt.Sprintf("bounds-%d-%d", h, i))))
		}
		c.mustBlock(txs...)
	}
	snap := waitSnapshot(t, c.app, 2)
	require.Equal(t, uint32(1), snap.Chunks)
	two, chunks := splitSnapshot(t, snap, loadChunks(t, c.app, snap)[0])

	// More chunks than the node accepts: refused at the offer.
	small := openApp(t, t.TempDir(), func(o *Options) { o.MaxSnapshotChunks = 1 })
	require.Equal(t, abci.ResponseOfferSnapshot_REJECT, offer(t, small, two, c.hashes[2]))

	fresh := openApp(t, t.TempDir(), nil)
	require.Equal(t, abci.ResponseOfferSnapshot_ACCEPT, offer(t, fresh, two, c.hashes[2]))
	// An oversized chunk is refetched from someone else, never buffered.
	r := apply(t, fresh, 0, bytes.Repeat([]byte{1}, maxChunkBytes+1), "peer-big")
	require.Equal(t, abci.ResponseApplySnapshotChunk_RETRY, r.Result)
	require.Equal(t, []string{"peer-big"}, r.RejectSenders)

	// Half a restore, then another offer: the partial import is dropped.
	require.Equal(t, abci.ResponseApplySnapshotChunk_ACCEPT, apply(t, fresh, 0, chunks[0], "peer-a").Result)
	require.Equal(t, abci.ResponseOfferSnapshot_ACCEPT, offer(t, fresh, two, c.hashes[2]))
	info, err := fresh.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Zero(t, info.LastBlockHeight)

	// The whole restore, chunk by chunk, reaches the trusted app hash.
	for i, ch := range chunks {
		require.Equal(t, abci.ResponseApplySnapshotChunk_ACCEPT, apply(t, fresh, uint32(i), ch, "peer-b").Result)
	}
	info, err = fresh.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, int64(2), info.LastBlockHeight)
	require.Equal(t, c.hashes[2], info.LastBlockAppHash)
}
