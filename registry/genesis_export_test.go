package registry

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestExportImportState: a state exported with ExportState and imported by
// InitGenesis (through GenesisState.KV) is key-for-key the same, and the
// imported chain goes on accepting txs.
func TestExportImportState(t *testing.T) {
	c := newChain(t)
	c.nextBlock()
	c.mustDeliver(haiChau, &MsgAnchor{Hash: docHash("một"), Tag: "công văn"})
	c.nextBlock()
	kvs, err := ExportState(c.store)
	require.NoError(t, err)
	require.NotEmpty(t, kvs)

	g := &GenesisState{KV: kvs}
	vals, err := g.ExportedValidators()
	require.NoError(t, err)
	require.Len(t, vals, 2)

	s := NewMemStore()
	require.NoError(t, InitGenesis(Context{ChainID: testChainID, Height: c.height + 1, Time: c.time}, s, g, testValidators()))
	require.Equal(t, dumpStore(t, c.store), dumpStore(t, s))

	c2 := &chain{t: t, store: s, height: c.height, time: c.time, nonce: 1000}
	c2.nextBlock()
	c2.mustDeliver(haiChau, &MsgAnchor{Hash: docHash("hai")})
	require.True(t, c2.has(AnchorKey(docHash("một"))))
}

func TestImportStateRejects(t *testing.T) {
	c := newChain(t)
	kvs, err := ExportState(c.store)
	require.NoError(t, err)
	ctx := Context{ChainID: testChainID, Height: 5, Time: genesisTime}
	swapped := append([]GenesisKV(nil), kvs...)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	noParams := append([]GenesisKV(nil), kvs...)
	for i, kv := range noParams {
		if kv.Key == hex.EncodeToString(ParamsKey()) {
			noParams = append(noParams[:i:i], noParams[i+1:]...)
			break
		}
	}
	for name, tc := range map[string]struct {
		g    *GenesisState
		vals []ValidatorUpdate
	}{
		"unordered keys":    {&GenesisState{KV: swapped}, testValidators()},
		"duplicate key":     {&GenesisState{KV: append([]GenesisKV{kvs[0]}, kvs...)}, testValidators()},
		"bad hex":           {&GenesisState{KV: append(append([]GenesisKV(nil), kvs...), GenesisKV{Key: "zz"})}, testValidators()},
		"no params":         {&GenesisState{KV: noParams}, testValidators()},
		"validator missing": {&GenesisState{KV: kvs}, testValidators()[:1]},
		"validator power":   {&GenesisState{KV: kvs}, []ValidatorUpdate{{PubKey: val1.pub, Power: 10}, {PubKey: val2.pub, Power: 11}}},
		"council beside kv": {&GenesisState{KV: kvs, Council: testGenesis().Council}, testValidators()},
		"unknown validator": {&GenesisState{KV: kvs}, []ValidatorUpdate{{PubKey: val1.pub, Power: 10}, {PubKey: haiChau.pub, Power: 10}}},
	} {
		t.Run(name, func(t *testing.T) {
			require.Error(t, InitGenesis(ctx, NewMemStore(), tc.g, tc.vals))
		})
	}
}
