package app

import (
	"fmt"
	"runtime"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// scriptedBlocks returns a fixed sequence of blocks (heights 1..n) mixing
// anchors, governance and failing txs of every kind.
func scriptedBlocks() [][][]byte {
	var nonce uint64
	tx := func(h int, k key, msg registry.Msg) []byte {
		nonce++
		return signedTx(nonce, testChainID, k, uint64(h)+100, msg).Encode()
	}
	forged := func(h int) []byte {
		nonce++
		t := signedTx(nonce, testChainID, agencyKey, uint64(h)+100, anchor(fmt.Sprint("forged-", h)))
		t.Signature[3] ^= 0x10
		return t.Encode()
	}
	a1 := tx(1, agencyKey, anchor("a1"))
	blocks := [][][]byte{
		1: {
			a1,
			tx(1, agencyKey2, anchor("a2")),
			tx(1, stranger, anchor("stranger")),
			[]byte("garbage"),
			tx(1, council1, &registry.MsgPropose{Action: &registry.SetValidator{PubKey: newVal.pub, Power: 5, Name: "Nút mới"}, Description: "p1"}),
			tx(1, council1, &registry.MsgPropose{Action: &registry.RevokeKey{PubKey: agencyKey2.pub, Reason: "mất khóa"}, Description: "p2"}),
			tx(1, agencyKey, &registry.MsgPropose{Action: &registry.RevokeKey{PubKey: agencyKey.pub, Reason: "x"}, Description: "unauthorised"}),
		},
		2: {
			tx(2, council2, &registry.MsgVote{ProposalID: 1, Approve: true}),
			a1, // replay
			tx(2, council3, &registry.MsgVote{ProposalID: 1, Approve: true}),
			tx(2, agencyKey, anchor("a3")),
			tx(2, agencyKey2, anchor("a1")), // same hash again: idempotent
			tx(2, council2, &registry.MsgVote{ProposalID: 2, Approve: true}),
			tx(2, council2, &registry.MsgVote{ProposalID: 2, Approve: true}), // double vote
			forged(2),
		},
		3: {
			tx(3, agencyKey2, anchor("before revoke")),
			tx(3, council3, &registry.MsgVote{ProposalID: 2, Approve: true}),
			tx(3, agencyKey2, anchor("after revoke")),
			tx(3, council1, &registry.MsgVote{ProposalID: 1, Approve: true}), // closed
		},
	}
	for h := 4; h <= 8; h++ {
		var b [][]byte
		for i := 0; i < 6; i++ {
			b = append(b, tx(h, agencyKey, anchor(fmt.Sprintf("h%d-%d", h, i))))
		}
		dup := tx(h, agencyKey, anchor(fmt.Sprint("dup-", h)))
		b = append(b, dup, forged(h), dup, tx(h, agencyKey2, anchor("revoked")))
		if h == 6 {
			b = append(b, tx(h, council1, &registry.MsgPropose{Action: &registry.SetValidator{PubKey: newVal.pub, Power: 0}, Description: "remove"}))
		}
		blocks = append(blocks, b)
	}
	return blocks
}

type blockResult struct {
	appHash []byte
	codes   []uint32
	vals    []abci.ValidatorUpdate
}

// runScript applies blocks to a fresh app under GOMAXPROCS(procs).
func runScript(t *testing.T, procs int, blocks [][][]byte, mod func(*Options)) []blockResult {
	t.Helper()
	prev := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(prev)
	c := newChain(t, mod)
	out := make([]blockResult, len(blocks))
	for h := 1; h < len(blocks); h++ {
		resp := c.block(blocks[h]...)
		r := blockResult{appHash: resp.AppHash, vals: resp.ValidatorUpdates}
		for _, res := range resp.TxResults {
			r.codes = append(r.codes, res.Code)
		}
		out[h] = r
	}
	return out
}

func TestDeterminismAcrossGOMAXPROCS(t *testing.T) {
	blocks := scriptedBlocks()
	one := runScript(t, 1, blocks, nil)
	// The second run also takes snapshots in the background while blocks
	// execute: they must not disturb the state.
	many := runScript(t, runtime.NumCPU(), blocks, func(o *Options) { o.SnapshotInterval = 2 })
	for h := 1; h < len(blocks); h++ {
		require.Equal(t, one[h].appHash, many[h].appHash, "app hash at height %d", h)
		require.Equal(t, one[h].codes, many[h].codes, "tx codes at height %d", h)
		require.Equal(t, one[h].vals, many[h].vals, "validator updates at height %d", h)
	}

	// The script exercises what it claims to.
	ok, replay, sig := abci.CodeTypeOK, registry.ErrReplay.Code, registry.ErrBadSignature.Code
	require.Equal(t, []uint32{ok, ok, registry.ErrUnknownKey.Code, registry.ErrMalformed.Code, ok, ok, registry.ErrUnauthorized.Code}, one[1].codes)
	require.Equal(t, []uint32{ok, replay, ok, ok, ok, ok, registry.ErrConflict.Code, sig}, one[2].codes)
	require.Equal(t, []uint32{ok, ok, registry.ErrRevokedKey.Code, registry.ErrProposalClosed.Code}, one[3].codes)
	require.Equal(t, []abci.ValidatorUpdate{abci.UpdateValidator(newVal.pub, 5, "ed25519")}, one[2].vals)
	require.Equal(t, []uint32{ok, ok, ok, ok, ok, ok, ok, sig, replay, registry.ErrRevokedKey.Code}, one[4].codes)
	for h := 2; h < len(blocks); h++ {
		require.NotEqual(t, one[h-1].appHash, one[h].appHash, "height %d changed state", h)
	}
}
