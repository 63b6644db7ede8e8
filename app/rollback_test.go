package app

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	iavldb "github.com/cosmos/iavl/db"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// TestRollbackReexecutes: after Rollback to h-1 the app reports h-1 with
// its original app hash, the snapshot above is gone, and re-executing
// block h gives the same app hash as the first time.
func TestRollbackReexecutes(t *testing.T) {
	dir := t.TempDir()
	a := openApp(t, dir, func(o *Options) { o.SnapshotInterval = 3 })
	initChain(t, a)
	c := &chain{t: t, app: a, hashes: map[int64][]byte{}}
	var last [][]byte
	for i := 0; i < 6; i++ {
		last = [][]byte{c.tx(agencyKey, anchor("rollback "+string(rune('a'+i))))}
		c.mustBlock(last...)
		a.snapshots.wait()
	}
	a.snapshots.wait()
	require.NoError(t, a.Close())
	require.DirExists(t, filepath.Join(dir, "snapshots", "6"))

	from, hash, err := Rollback(dir, 5)
	require.NoError(t, err)
	require.Equal(t, int64(6), from)
	require.Equal(t, c.hashes[5], hash)
	require.NoDirExists(t, filepath.Join(dir, "snapshots", "6"))
	require.DirExists(t, filepath.Join(dir, "snapshots", "3"))
	// Already there: nothing to do.
	from, _, err = Rollback(dir, 5)
	require.NoError(t, err)
	require.Equal(t, int64(5), from)

	b := openApp(t, dir, nil)
	info, err := b.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, int64(5), info.LastBlockHeight)
	require.Equal(t, c.hashes[5], info.LastBlockAppHash)
	resp, err := b.FinalizeBlock(bg, &abci.RequestFinalizeBlock{Txs: last, Height: 6, Time: blockTime(6)})
	require.NoError(t, err)
	require.Equal(t, c.hashes[6], resp.AppHash, "re-executed block 6")
	_, err = b.Commit(bg, &abci.RequestCommit{})
	require.NoError(t, err)

	_, _, err = Rollback(t.TempDir(), 0)
	require.NoError(t, err, "empty database: nothing to roll back")
}

// TestExportImport: the state exported at height h, used as the app_state
// of a genesis with initial height h+1, gives a new chain with exactly the
// same keys and values, which then commits version h+1. Exporting twice
// gives the same bytes.
func TestExportImport(t *testing.T) {
	dir := t.TempDir()
	a := openApp(t, dir, nil)
	initChain(t, a)
	c := &chain{t: t, app: a, hashes: map[int64][]byte{}}
	for i := 0; i < 4; i++ {
		c.mustBlock(c.tx(agencyKey, anchor("export "+string(rune('a'+i)))), c.tx(agencyKey2, anchor("export 2 "+string(rune('a'+i)))))
	}
	c.govern(&registry.SetValidator{PubKey: newVal.pub, Power: 5, Name: "Nút mới"})
	c.mustBlock()
	h := c.height
	require.NoError(t, a.Close())

	kvs, version, err := ExportState(dir, h)
	require.NoError(t, err)
	require.Equal(t, h, version)
	again, _, err := ExportState(dir, 0)
	require.NoError(t, err)
	require.Equal(t, kvs, again, "export is deterministic")
	_, _, err = ExportState(dir, h+10)
	require.Error(t, err)

	g := registry.GenesisState{KV: kvs}
	vals, err := g.ExportedValidators()
	require.NoError(t, err)
	require.Len(t, vals, 3)
	var vu []abci.ValidatorUpdate
	for _, v := range vals {
		vu = append(vu, abci.UpdateValidator(v.PubKey, int64(v.Power), "ed25519"))
	}
	state, err := json.Marshal(struct {
		KV []registry.GenesisKV `json:"kv"`
	}{kvs})
	require.NoError(t, err)

	b := openApp(t, t.TempDir(), nil)
	_, err = b.InitChain(bg, &abci.RequestInitChain{Time: blockTime(h), ChainId: testChainID,
		InitialHeight: h + 1, AppStateBytes: state, Validators: vu})
	require.NoError(t, err)
	got, err := registry.ExportState(treeStore{b.tree})
	require.NoError(t, err)
	require.Equal(t, kvs, got, "every key and value of the exported height")

	c2 := &chain{t: t, app: b, height: h, hashes: map[int64][]byte{}, nonce: 1000}
	c2.mustBlock(c2.tx(agencyKey, anchor("after export")))
	require.Equal(t, h+1, b.Height())

	// A genesis whose validators differ from the exported state is refused.
	_, err = openApp(t, t.TempDir(), nil).InitChain(bg, &abci.RequestInitChain{Time: blockTime(h), ChainId: testChainID,
		InitialHeight: h + 1, AppStateBytes: state, Validators: vu[:2]})
	require.Error(t, err)
}

// TestPartialVersionRepaired: a version whose root never reached the disk
// (a crash or a full disk during SaveVersion) is dropped at open; the app
// is at the version before with its app hash and serves that state (the
// fast index is rebuilt), and executing the block again gives the same
// hash.
func TestPartialVersionRepaired(t *testing.T) {
	dir := t.TempDir()
	a := openApp(t, dir, nil)
	initChain(t, a)
	c := &chain{t: t, app: a, hashes: map[int64][]byte{}}
	c.mustBlock(c.tx(agencyKey, anchor("partial 1")))
	c.mustBlock(c.tx(agencyKey, anchor("partial 2")))
	last := [][]byte{c.tx(agencyKey, anchor("partial 3"))}
	c.mustBlock(last...)
	require.NoError(t, a.Close())

	// Remove the root node of version 3: 's' | version (8 bytes BE) | nonce 1 (4 bytes BE).
	db, err := iavldb.NewGoLevelDB(stateDBName, dir)
	require.NoError(t, err)
	root := append([]byte{'s'}, binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64(nil, 3), 1)...)
	v, err := db.Get(root)
	require.NoError(t, err)
	require.NotNil(t, v, "root key layout")
	require.NoError(t, db.DeleteSync(root))
	require.NoError(t, db.Close())

	b := openApp(t, dir, nil)
	info, err := b.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, int64(2), info.LastBlockHeight)
	require.Equal(t, c.hashes[2], info.LastBlockAppHash)
	h := sha256.Sum256([]byte("partial 3"))
	val, _, _, err := b.Get(0, registry.AnchorKey(h[:]), false)
	require.NoError(t, err)
	require.Nil(t, val, "no value of the dropped version")
	b.mu.Lock()
	got, err := b.tree.Get(registry.AnchorKey(h[:]))
	b.mu.Unlock()
	require.NoError(t, err)
	require.Nil(t, got, "fast index rebuilt")
	resp, err := b.FinalizeBlock(bg, &abci.RequestFinalizeBlock{Txs: last, Height: 3, Time: blockTime(3)})
	require.NoError(t, err)
	require.Equal(t, c.hashes[3], resp.AppHash)
}
