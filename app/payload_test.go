package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"path/filepath"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/registry"
)

func payloadData(n int) []byte {
	out := make([]byte, 0, n+32)
	for i := uint64(0); len(out) < n; i++ {
		s := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("app-payload"), i))
		out = append(out, s[:]...)
	}
	return out[:n]
}

func withStore(t *testing.T) (*cas.Store, func(*Options)) {
	st, err := cas.Open(filepath.Join(t.TempDir(), "payloads"), cas.Options{NoSync: true})
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st, func(o *Options) { o.Payloads = st }
}

func importDAG(t *testing.T, data []byte) *cas.DAG {
	d, err := cas.Import(bytes.NewReader(data), 0)
	require.NoError(t, err)
	return d
}

func readAll(t *testing.T, st *cas.Store, d *cas.DAG) []byte {
	t.Helper()
	f, err := st.Open(bg, d.Root)
	require.NoError(t, err)
	defer f.Close()
	b, err := io.ReadAll(f)
	require.NoError(t, err)
	return b
}

func TestPayloadBlocksReachTheStore(t *testing.T) {
	st, mod := withStore(t)
	c := newChain(t, mod)
	data := payloadData(3*cas.ChunkSize + 99)
	d := importDAG(t, data)
	blocks := cas.PayloadBlocks(d.Blocks)

	// A failed tx (a council key) writes no block.
	resp := c.block(c.tx(council1, &registry.MsgPayloadBlocks{Blocks: blocks}))
	require.Equal(t, registry.ErrUnauthorized.Code, resp.TxResults[0].Code)
	missing, err := st.Missing(bg, d.Root)
	require.NoError(t, err)
	assert.Equal(t, []string{d.Root.String()}, cidStrings(missing))

	// Upload in two txs of one block, then publish in the next block.
	c.mustBlock(c.tx(agencyKey, &registry.MsgPayloadBlocks{Blocks: blocks[:2]}),
		c.tx(agencyKey2, &registry.MsgPayloadBlocks{Blocks: blocks[2:]}))
	resp = c.mustBlock(c.tx(agencyKey, &registry.MsgPublishPayload{CID: d.Root.String(), MediaType: "image/jpeg"}))
	dec := registry.NewDecoder(resp.TxResults[0].Data)
	assert.Equal(t, d.Root.String(), dec.String())
	assert.Equal(t, uint64(len(data)), dec.Uint())
	assert.Equal(t, data, readAll(t, st, d))
	live, err := c.app.LivePayloads()
	require.NoError(t, err)
	assert.Equal(t, []string{d.Root.String()}, live)
}

func cidStrings[T interface{ String() string }](cs []T) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

func TestPayloadLyingLinksAreRejected(t *testing.T) {
	st, mod := withStore(t)
	c := newChain(t, mod)
	d := importDAG(t, payloadData(2*cas.ChunkSize+1))
	blocks := cas.PayloadBlocks(d.Blocks)
	root := blocks[len(blocks)-1]
	// Declare a different second link than the dag-pb bytes hold: the
	// chain would otherwise believe in a DAG the gateway cannot serve.
	other := registry.BlockCID(registry.CodecRaw, []byte("khác"))
	root.Links = append([]registry.PayloadLink(nil), root.Links...)
	root.Links[1] = registry.PayloadLink{CID: other, Size: 4}
	bad := c.tx(agencyKey, &registry.MsgPayloadBlocks{Blocks: []registry.PayloadBlock{root}})

	chk := c.checkTx(bad)
	assert.Equal(t, registry.ErrInvalid.Code, chk.Code, chk.Log)
	pp, err := c.app.ProcessProposal(bg, &abci.RequestProcessProposal{Txs: [][]byte{bad}, Height: c.height + 1, Time: blockTime(c.height + 1)})
	require.NoError(t, err)
	assert.Equal(t, abci.ResponseProcessProposal_REJECT, pp.Status)
	resp := c.block(bad)
	assert.Equal(t, registry.ErrInvalid.Code, resp.TxResults[0].Code)
	ok, err := st.Has(bg, d.Root)
	require.NoError(t, err)
	assert.False(t, ok, "nothing invalid is stored")
	v, _, _, err := c.app.Get(0, registry.PayloadBlockKey(d.Root.Bytes()), false)
	require.NoError(t, err)
	assert.Nil(t, v)
}

func TestPayloadStoreIsNotInTheAppHash(t *testing.T) {
	_, mod := withStore(t)
	with := newChain(t, mod)
	without := newChain(t, nil)
	d := importDAG(t, payloadData(cas.ChunkSize+5))
	for _, msg := range []registry.Msg{
		&registry.MsgPayloadBlocks{Blocks: cas.PayloadBlocks(d.Blocks)},
		&registry.MsgPublishPayload{CID: d.Root.String()},
		&registry.MsgReleasePayload{CID: d.Root.String(), Reason: "Hết hạn lưu trữ"},
	} {
		a := with.mustBlock(with.tx(agencyKey, msg))
		b := without.mustBlock(without.tx(agencyKey, msg))
		require.Equal(t, a.AppHash, b.AppHash)
	}
}

// failingStore fails every write.
type failingStore struct{ *cas.Store }

func (failingStore) PutPayloadBlocks(context.Context, []registry.PayloadBlock) error {
	return errors.New("disk full")
}

func TestPayloadBlocksAreDurableBeforeTheState(t *testing.T) {
	st, _ := withStore(t)
	c := newChain(t, func(o *Options) { o.Payloads = failingStore{st} })
	d := importDAG(t, payloadData(100))
	resp := c.finalize(c.tx(agencyKey, &registry.MsgPayloadBlocks{Blocks: cas.PayloadBlocks(d.Blocks)}))
	require.Equal(t, abci.CodeTypeOK, resp.TxResults[0].Code)
	// The store cannot take the blocks: Commit fails (the node stops) and
	// the state that names them is not saved.
	_, err := c.app.Commit(bg, &abci.RequestCommit{})
	require.ErrorContains(t, err, "disk full")
	info, err := c.app.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	assert.Equal(t, int64(0), info.LastBlockHeight)
}

func TestPayloadGCAfterRelease(t *testing.T) {
	st, mod := withStore(t)
	c := newChain(t, mod)
	keep := importDAG(t, payloadData(2*cas.ChunkSize+3))
	drop := importDAG(t, payloadData(3 * cas.ChunkSize)[7:])
	c.mustBlock(c.tx(agencyKey, &registry.MsgPayloadBlocks{Blocks: cas.PayloadBlocks(keep.Blocks)}),
		c.tx(agencyKey, &registry.MsgPayloadBlocks{Blocks: cas.PayloadBlocks(drop.Blocks)}))
	c.mustBlock(c.tx(agencyKey, &registry.MsgPublishPayload{CID: keep.Root.String()}),
		c.tx(agencyKey, &registry.MsgPublishPayload{CID: drop.Root.String(), Encrypted: true}))
	// A stray block the chain never recorded.
	stray := []byte("không thuộc tải trọng nào")
	require.NoError(t, st.Put(bg, cas.BlockCID(cas.CodecRaw, stray), stray))

	// The release starts a collection in the background after Commit.
	c.mustBlock(c.tx(agencyKey, &registry.MsgReleasePayload{CID: drop.Root.String(), Reason: "Chủ thể dữ liệu yêu cầu xóa"}))
	require.Eventually(t, func() bool {
		ok, _ := st.Has(bg, drop.Root)
		return !ok && !c.app.payloads.gcBusy.Load()
	}, 10*time.Second, 20*time.Millisecond)
	for _, b := range drop.Blocks {
		ok, _ := st.Has(bg, b.CID)
		assert.False(t, ok, "released: %s", b.CID)
	}
	ok, _ := st.Has(bg, cas.BlockCID(cas.CodecRaw, stray))
	assert.False(t, ok, "stray block")
	assert.Equal(t, payloadData(2*cas.ChunkSize+3), readAll(t, st, keep))

	// Explicit collection: nothing more to remove.
	stats, err := c.app.PayloadGC(bg)
	require.NoError(t, err)
	assert.Equal(t, len(keep.Blocks), stats.Blocks)
	assert.Equal(t, 0, stats.Removed)
}
