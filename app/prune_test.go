package app

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// TestPruneKeepsRecentVersions: with KeepVersions set, older versions go
// (reads there fail with not found), recent ones and the app hash stay,
// and the pruned state reopens and rolls back one block.
func TestPruneKeepsRecentVersions(t *testing.T) {
	dir := t.TempDir()
	a := openApp(t, dir, func(o *Options) { o.KeepVersions = 3; o.SnapshotInterval = 0 })
	initChain(t, a)
	c := &chain{t: t, app: a, hashes: map[int64][]byte{}}
	key := registry.AnchorKey(anchor("pruned 0").Hash)
	for i := range 10 {
		c.mustBlock(c.tx(agencyKey, anchor("pruned "+string(rune('0'+i)))))
	}
	for h := int64(1); h <= 10; h++ {
		_, proof, _, err := a.Get(h, key, true)
		if h <= 7 {
			require.ErrorIs(t, err, registry.ErrNotFound, "height %d pruned", h)
			continue
		}
		require.NoError(t, err, "height %d kept", h)
		require.NotEmpty(t, proof)
	}
	require.NoError(t, a.Close())

	from, hash, err := Rollback(dir, 9)
	require.NoError(t, err)
	require.Equal(t, int64(10), from)
	require.Equal(t, c.hashes[9], hash)
	b := openApp(t, dir, func(o *Options) { o.KeepVersions = 3 })
	info, err := b.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, int64(9), info.LastBlockHeight)
	require.Equal(t, c.hashes[9], info.LastBlockAppHash)
}

// TestPruneDoesNotChangeAppHashes: a pruning node and an archive node
// compute the same app hash at every height.
func TestPruneDoesNotChangeAppHashes(t *testing.T) {
	archive := newChain(t, nil)
	pruning := newChain(t, func(o *Options) { o.KeepVersions = MinKeepVersions })
	for i := range 8 {
		msg := anchor("same " + string(rune('a'+i)))
		ra := archive.mustBlock(archive.tx(agencyKey, msg))
		rp := pruning.mustBlock(pruning.tx(agencyKey, msg))
		require.Equal(t, ra.AppHash, rp.AppHash, "height %d", i+1)
	}
}
