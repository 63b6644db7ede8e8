package app

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	ics23 "github.com/cosmos/ics23/go"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// waitSnapshot polls ListSnapshots until a snapshot of height appears.
func waitSnapshot(t *testing.T, a *App, height uint64) *abci.Snapshot {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := a.ListSnapshots(bg, &abci.RequestListSnapshots{})
		require.NoError(t, err)
		for _, s := range resp.Snapshots {
			if s.Height == height {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no snapshot at height %d after 10s (have %v)", height, resp.Snapshots)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func loadChunks(t *testing.T, a *App, s *abci.Snapshot) [][]byte {
	t.Helper()
	var out [][]byte
	for i := uint32(0); i < s.Chunks; i++ {
		resp, err := a.LoadSnapshotChunk(bg, &abci.RequestLoadSnapshotChunk{Height: s.Height, Format: s.Format, Chunk: i})
		require.NoError(t, err)
		require.NotEmpty(t, resp.Chunk)
		out = append(out, resp.Chunk)
	}
	return out
}

func offer(t *testing.T, a *App, s *abci.Snapshot, appHash []byte) abci.ResponseOfferSnapshot_Result {
	t.Helper()
	resp, err := a.OfferSnapshot(bg, &abci.RequestOfferSnapshot{Snapshot: s, AppHash: appHash})
	require.NoError(t, err)
	return resp.Result
}

func apply(t *testing.T, a *App, i uint32, chunk []byte, sender string) *abci.ResponseApplySnapshotChunk {
	t.Helper()
	resp, err := a.ApplySnapshotChunk(bg, &abci.RequestApplySnapshotChunk{Index: i, Chunk: chunk, Sender: sender})
	require.NoError(t, err)
	return resp
}

func TestSnapshotRoundTrip(t *testing.T) {
	c := newChain(t, func(o *Options) { o.SnapshotInterval = 2 })
	blocks := map[int64][][]byte{}
	for h := int64(1); h <= 3; h++ {
		var txs [][]byte
		for i := 0; i < 5; i++ {
			txs = append(txs, c.tx(agencyKey, anchor(fmt.Sprintf("snap-%d-%d", h, i))))
		}
		blocks[h] = txs
		c.mustBlock(txs...)
	}
	snap := waitSnapshot(t, c.app, 2)
	require.Equal(t, uint32(SnapshotFormat), snap.Format)
	require.NotZero(t, snap.Chunks)
	require.Len(t, snap.Metadata, int(snap.Chunks)*sha256.Size)
	sum := sha256.Sum256(snap.Metadata)
	require.Equal(t, sum[:], snap.Hash)
	chunks := loadChunks(t, c.app, snap)

	// Unknown chunks and formats load as empty.
	resp, err := c.app.LoadSnapshotChunk(bg, &abci.RequestLoadSnapshotChunk{Height: 2, Format: SnapshotFormat, Chunk: snap.Chunks})
	require.NoError(t, err)
	require.Empty(t, resp.Chunk)
	resp, err = c.app.LoadSnapshotChunk(bg, &abci.RequestLoadSnapshotChunk{Height: 2, Format: 99, Chunk: 0})
	require.NoError(t, err)
	require.Empty(t, resp.Chunk)

	// A node with state refuses to restore.
	require.Equal(t, abci.ResponseOfferSnapshot_ABORT, offer(t, c.app, snap, c.hashes[2]))

	fresh := openApp(t, t.TempDir(), nil)

	// Malformed offers.
	require.Equal(t, abci.ResponseOfferSnapshot_REJECT_FORMAT, offer(t, fresh, nil, c.hashes[2]))
	other := *snap
	other.Format = 2
	require.Equal(t, abci.ResponseOfferSnapshot_REJECT_FORMAT, offer(t, fresh, &other, c.hashes[2]))
	other = *snap
	other.Hash = bytes.Repeat([]byte{1}, 32)
	require.Equal(t, abci.ResponseOfferSnapshot_REJECT, offer(t, fresh, &other, c.hashes[2]))
	other = *snap
	other.Chunks++
	require.Equal(t, abci.ResponseOfferSnapshot_REJECT, offer(t, fresh, &other, c.hashes[2]))
	other = *snap
	other.Chunks, other.Metadata = 0, nil
	require.Equal(t, abci.ResponseOfferSnapshot_REJECT, offer(t, fresh, &other, c.hashes[2]))
	// No restore in progress.
	require.Equal(t, abci.ResponseApplySnapshotChunk_ABORT, apply(t, fresh, 0, chunks[0], "peer").Result)

	// A snapshot whose root is not the trusted app hash is rejected at the
	// end, and leaves the node empty, ready for another snapshot.
	require.Equal(t, abci.ResponseOfferSnapshot_ACCEPT, offer(t, fresh, snap, c.hashes[3]))
	for i, ch := range chunks {
		r := apply(t, fresh, uint32(i), ch, "peer-a")
		if i < len(chunks)-1 {
			require.Equal(t, abci.ResponseApplySnapshotChunk_ACCEPT, r.Result)
		} else {
			require.Equal(t, abci.ResponseApplySnapshotChunk_REJECT_SNAPSHOT, r.Result)
		}
	}
	info, err := fresh.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Zero(t, info.LastBlockHeight, "a rejected snapshot must leave no state behind")
	require.Empty(t, info.LastBlockAppHash)

	// The real restore, with a corrupted chunk on the way.
	require.Equal(t, abci.ResponseOfferSnapshot_ACCEPT, offer(t, fresh, snap, c.hashes[2]))
	bad := bytes.Clone(chunks[0])
	bad[len(bad)/2] ^= 0xff
	r := apply(t, fresh, 0, bad, "peer-evil")
	require.Equal(t, abci.ResponseApplySnapshotChunk_RETRY, r.Result)
	require.Equal(t, []uint32{0}, r.RefetchChunks)
	require.Equal(t, []string{"peer-evil"}, r.RejectSenders)
	// A chunk out of order asks for the expected one.
	r = apply(t, fresh, snap.Chunks, chunks[0], "peer-b")
	require.Equal(t, abci.ResponseApplySnapshotChunk_RETRY, r.Result)
	require.Equal(t, []uint32{0}, r.RefetchChunks)
	require.Empty(t, r.RejectSenders)
	for i, ch := range chunks {
		require.Equal(t, abci.ResponseApplySnapshotChunk_ACCEPT, apply(t, fresh, uint32(i), ch, "peer-b").Result)
	}
	info, err = fresh.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, int64(2), info.LastBlockHeight)
	require.Equal(t, c.hashes[2], info.LastBlockAppHash)

	// The restored node answers proven queries and then follows the chain:
	// block 3 gives the same app hash as on the original node.
	key := registry.AnchorKey(anchor("snap-2-4").Hash)
	q, err := fresh.Query(bg, &abci.RequestQuery{Path: PathStore, Data: key, Prove: true})
	require.NoError(t, err)
	require.Equal(t, abci.CodeTypeOK, q.Code, q.Log)
	require.True(t, ics23.VerifyMembership(ics23.IavlSpec, c.hashes[2], unmarshalProof(t, q), key, q.Value))

	rc := &chain{t: t, app: fresh, height: 2, hashes: map[int64][]byte{}}
	b3 := rc.block(blocks[3]...)
	require.Equal(t, c.hashes[3], b3.AppHash)
	// Replay protection came with the snapshot.
	b4 := rc.block(blocks[2][0])
	require.Equal(t, registry.ErrReplay.Code, b4.TxResults[0].Code)
	require.Equal(t, registry.ErrReplay.Code, rc.checkTx(blocks[1][0]).Code)
	require.Equal(t, abci.ResponseOfferSnapshot_ABORT, offer(t, fresh, snap, c.hashes[2]))
}

func TestSnapshotPruningAndRetainHeight(t *testing.T) {
	c := newChain(t, func(o *Options) {
		o.SnapshotInterval = 2
		o.SnapshotKeepRecent = 1
		o.RetainBlocks = 1
	})
	c.block()
	c.block()
	waitSnapshot(t, c.app, 2)
	c.app.snapshots.wait() // else the next snapshot may be skipped as busy
	c.block()
	c.block()
	waitSnapshot(t, c.app, 4)
	c.app.snapshots.wait()
	l, err := c.app.ListSnapshots(bg, &abci.RequestListSnapshots{})
	require.NoError(t, err)
	require.Len(t, l.Snapshots, 1, "only the most recent snapshot is kept")
	require.Equal(t, uint64(4), l.Snapshots[0].Height)

	// RetainHeight never goes above the oldest snapshot served.
	h := c.finalize()
	cr, err := c.app.Commit(bg, &abci.RequestCommit{})
	require.NoError(t, err)
	c.height++
	c.hashes[c.height] = h.AppHash
	require.Equal(t, int64(4), cr.RetainHeight)
}
