package app

import (
	"bytes"
	"fmt"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	ics23 "github.com/cosmos/ics23/go"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

func TestInfoAndInitChain(t *testing.T) {
	a := openApp(t, t.TempDir(), nil)
	info, err := a.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Zero(t, info.LastBlockHeight)
	require.Empty(t, info.LastBlockAppHash)
	require.Equal(t, uint64(Version), info.AppVersion)

	// A genesis for another chain id is refused.
	_, err = a.InitChain(bg, &abci.RequestInitChain{ChainId: "other", AppStateBytes: []byte("{}")})
	require.Error(t, err)

	// The same genesis gives the same app hash in another directory.
	h1 := initChain(t, a)
	h2 := initChain(t, openApp(t, t.TempDir(), nil))
	require.Equal(t, h1, h2)

	// The first block's hash is committed as version 1.
	c := &chain{t: t, app: a, hashes: map[int64][]byte{}}
	c.block()
	require.Equal(t, int64(1), a.Height())
}

// unmarshalProof reads the single ICS23 proof op of a query response.
func unmarshalProof(t *testing.T, resp *abci.ResponseQuery) *ics23.CommitmentProof {
	t.Helper()
	require.NotNil(t, resp.ProofOps)
	require.Len(t, resp.ProofOps.Ops, 1)
	op := resp.ProofOps.Ops[0]
	require.Equal(t, ProofOpType, op.Type)
	require.Equal(t, resp.Key, op.Key)
	var p ics23.CommitmentProof
	require.NoError(t, p.Unmarshal(op.Data))
	return &p
}

func TestAnchorAcceptedAndProved(t *testing.T) {
	c := newChain(t, nil)
	msg := anchor("document-1")
	tx := c.tx(agencyKey, msg)
	require.Equal(t, abci.CodeTypeOK, c.checkTx(tx).Code)
	resp := c.mustBlock(tx)
	require.Equal(t, msg.Hash, resp.TxResults[0].Data)
	require.NotEmpty(t, resp.TxResults[0].Events)
	h := c.height

	key := registry.AnchorKey(msg.Hash)
	q := c.query(PathStore, key, 0, true)
	require.Equal(t, abci.CodeTypeOK, q.Code, q.Log)
	require.Equal(t, h, q.Height)
	require.Equal(t, key, q.Key)
	an, err := registry.DecodeAnchor(q.Value)
	require.NoError(t, err)
	require.Equal(t, testAgency, an.Agency)
	require.Equal(t, agencyKey.pub, an.Signer)
	require.Equal(t, uint64(h), an.Height)
	require.Equal(t, uint64(blockTime(h).Unix()), an.Time)
	require.Equal(t, "công văn", an.Tag)

	root := c.hashes[h]
	proof := unmarshalProof(t, q)
	require.True(t, ics23.VerifyMembership(ics23.IavlSpec, root, proof, key, q.Value))

	// Wrong value, key or root: no.
	badValue := bytes.Clone(q.Value)
	badValue[len(badValue)-1] ^= 1
	require.False(t, ics23.VerifyMembership(ics23.IavlSpec, root, proof, key, badValue))
	badKey := bytes.Clone(key)
	badKey[len(badKey)-1] ^= 1
	require.False(t, ics23.VerifyMembership(ics23.IavlSpec, root, proof, badKey, q.Value))
	badRoot := bytes.Clone(root)
	badRoot[0] ^= 1
	require.False(t, ics23.VerifyMembership(ics23.IavlSpec, badRoot, proof, key, q.Value))
	require.False(t, ics23.VerifyNonMembership(ics23.IavlSpec, root, proof, key), "a membership proof is no non-membership proof")

	// Mutated proofs: the value inside the proof, an inner node, and every
	// single byte of the serialised proof.
	mut := unmarshalProof(t, q)
	mut.GetExist().Value[0] ^= 1
	require.False(t, ics23.VerifyMembership(ics23.IavlSpec, root, mut, key, mut.GetExist().Value))
	mut = unmarshalProof(t, q)
	require.NotEmpty(t, mut.GetExist().Path)
	inner := mut.GetExist().Path[0]
	if len(inner.Suffix) > 0 {
		inner.Suffix[len(inner.Suffix)-1] ^= 1
	} else {
		inner.Prefix[len(inner.Prefix)-1] ^= 1
	}
	require.False(t, ics23.VerifyMembership(ics23.IavlSpec, root, mut, key, q.Value))
	raw := q.ProofOps.Ops[0].Data
	for i := range raw {
		b := bytes.Clone(raw)
		b[i] ^= 0x01
		var p ics23.CommitmentProof
		if p.Unmarshal(b) != nil {
			continue // not even a proof
		}
		require.False(t, ics23.VerifyMembership(ics23.IavlSpec, root, &p, key, q.Value), "flipped proof byte %d still verifies", i)
	}

	// Non-membership of an absent key.
	absent := registry.AnchorKey(anchor("never anchored").Hash)
	qa := c.query(PathStore, absent, 0, true)
	require.Equal(t, abci.CodeTypeOK, qa.Code, qa.Log)
	require.Nil(t, qa.Value)
	np := unmarshalProof(t, qa)
	require.True(t, ics23.VerifyNonMembership(ics23.IavlSpec, root, np, absent))
	require.False(t, ics23.VerifyNonMembership(ics23.IavlSpec, root, np, key), "the anchored key is present")
	require.False(t, ics23.VerifyMembership(ics23.IavlSpec, root, np, absent, []byte{1}))
	require.False(t, ics23.VerifyNonMembership(ics23.IavlSpec, badRoot, np, absent))

	// Without Prove there is no proof.
	require.Nil(t, c.query(PathStore, key, 0, false).ProofOps)

	// After more blocks, a proof at the old height still verifies against
	// the old app hash, and the latest proof against the latest hash.
	msg2 := anchor("document-2")
	c.mustBlock(c.tx(agencyKey, msg2))
	require.NotEqual(t, c.hashes[h], c.hashes[c.height])
	qOld := c.query(PathStore, key, h, true)
	require.Equal(t, h, qOld.Height)
	require.True(t, ics23.VerifyMembership(ics23.IavlSpec, c.hashes[h], unmarshalProof(t, qOld), key, qOld.Value))
	key2 := registry.AnchorKey(msg2.Hash)
	qOld2 := c.query(PathStore, key2, h, true)
	require.Nil(t, qOld2.Value, "document-2 did not exist at height %d", h)
	require.True(t, ics23.VerifyNonMembership(ics23.IavlSpec, c.hashes[h], unmarshalProof(t, qOld2), key2))
	qNew := c.query(PathStore, key2, 0, true)
	require.Equal(t, c.height, qNew.Height)
	require.True(t, ics23.VerifyMembership(ics23.IavlSpec, c.hashes[c.height], unmarshalProof(t, qNew), key2, qNew.Value))

	// Anchoring the same hash again is idempotent (first anchor kept).
	c.mustBlock(c.tx(agencyKey2, msg))
	q3 := c.query(PathStore, key, 0, false)
	require.Equal(t, q.Value, q3.Value)

	// Range over the anchors.
	rq := c.query(PathRange, EncodeRangeRequest([]byte{registry.PrefixAnchor}, registry.PrefixEnd([]byte{registry.PrefixAnchor}), 10), 0, false)
	require.Equal(t, abci.CodeTypeOK, rq.Code, rq.Log)
	kvs, err := DecodeKVs(rq.Value)
	require.NoError(t, err)
	require.Len(t, kvs, 2)
	rq = c.query(PathRange, EncodeRangeRequest([]byte{registry.PrefixAnchor}, nil, 1), 0, false)
	kvs, err = DecodeKVs(rq.Value)
	require.NoError(t, err)
	require.Len(t, kvs, 1)

	// Query errors.
	require.Equal(t, registry.ErrNotFound.Code, c.query(PathStore, key, c.height+1, false).Code)
	require.Equal(t, registry.ErrNotFound.Code, c.query(PathStore, key, -1, false).Code)
	require.Equal(t, registry.ErrInvalid.Code, c.query(PathStore, nil, 0, false).Code)
	require.Equal(t, registry.ErrInvalid.Code, c.query(PathStore, make([]byte, 1025), 0, false).Code)
	require.Equal(t, registry.ErrInvalid.Code, c.query("/nope", key, 0, false).Code)
	require.Equal(t, registry.ErrMalformed.Code, c.query(PathRange, []byte{0xff}, 0, false).Code)
}

func TestQueryBeforeFirstCommit(t *testing.T) {
	c := newChain(t, nil)
	q := c.query(PathStore, registry.ParamsKey(), 0, true)
	require.Equal(t, registry.ErrNotFound.Code, q.Code)
	c.block()
	q = c.query(PathStore, registry.ParamsKey(), 0, true)
	require.Equal(t, abci.CodeTypeOK, q.Code, q.Log)
	require.True(t, ics23.VerifyMembership(ics23.IavlSpec, c.hashes[1], unmarshalProof(t, q), registry.ParamsKey(), q.Value))
}

// encodeRawTx encodes a tx envelope with an arbitrary message type.
func encodeRawTx(tx *registry.Tx, typ uint64, body []byte) []byte {
	e := registry.NewEncoder(256)
	e.Uint(registry.TxVersion)
	e.String(tx.ChainID)
	e.Bytes(tx.Signer)
	e.Bytes(tx.Nonce)
	e.Uint(tx.ExpiresAt)
	e.Uint(typ)
	e.Bytes(body)
	e.Bytes(tx.Signature)
	return e.Out()
}

func TestBadTxsRejectedEverywhere(t *testing.T) {
	c := newChain(t, nil)
	c.block() // height 1: CheckTx now runs against a committed version

	// Revoke agencyKey2 through governance: council1 proposes (its own yes
	// vote), council2 and council3 vote.
	c.govern(&registry.RevokeKey{PubKey: agencyKey2.pub, Reason: "mất khóa"})
	rec := c.query(PathStore, registry.KeyRecordKey(agencyKey2.pub), 0, false)
	kr, err := registry.DecodeKeyRecord(rec.Value)
	require.NoError(t, err)
	require.True(t, kr.Revoked)

	committed := c.tx(agencyKey, anchor("committed"))
	c.mustBlock(committed)

	valid := c.tx(agencyKey, anchor("valid"))
	forged := c.txObj(agencyKey, anchor("forged"))
	forged.Signature[10] ^= 0x40
	wrongSigner := c.txObj(agencyKey, anchor("wrong signer"))
	wrongSigner.SignWith(stranger.priv)
	wrongChain := signedTx(9001, "other-chain", agencyKey, uint64(c.height)+100, anchor("wrong chain"))
	expired := signedTx(9002, testChainID, agencyKey, uint64(c.height), anchor("expired"))
	tooFar := signedTx(9003, testChainID, agencyKey, uint64(c.height)+registry.DefaultParams().MaxTxTTL+1000, anchor("too far"))
	unknownType := c.txObj(agencyKey, anchor("unknown type"))
	shortHash := c.txObj(agencyKey, &registry.MsgAnchor{Hash: make([]byte, 31)})

	cases := []struct {
		name string
		tx   []byte
		want *registry.Error
	}{
		{"empty", nil, registry.ErrMalformed},
		{"garbage", []byte{0xff, 0x01, 0x02}, registry.ErrMalformed},
		{"truncated", valid[:len(valid)-1], registry.ErrMalformed},
		{"trailing byte", append(bytes.Clone(valid), 0), registry.ErrMalformed},
		{"oversize", make([]byte, registry.MaxTxBytes+1), registry.ErrOversize},
		{"wrong chain id", wrongChain.Encode(), registry.ErrWrongChain},
		{"replay of a committed tx", committed, registry.ErrReplay},
		{"expired", expired.Encode(), registry.ErrExpired},
		{"expiry too far", tooFar.Encode(), registry.ErrExpired},
		{"forged signature", forged.Encode(), registry.ErrBadSignature},
		{"signed by another key", wrongSigner.Encode(), registry.ErrBadSignature},
		{"unknown key", c.tx(stranger, anchor("stranger")), registry.ErrUnknownKey},
		{"revoked key", c.tx(agencyKey2, anchor("revoked")), registry.ErrRevokedKey},
		{"agency key proposes", c.tx(agencyKey, &registry.MsgPropose{
			Action: &registry.SetValidator{PubKey: newVal.pub, Power: 1, Name: "x"}, Description: "d"}), registry.ErrUnauthorized},
		{"agency key votes", c.tx(agencyKey, &registry.MsgVote{ProposalID: 1, Approve: true}), registry.ErrUnauthorized},
		{"council key anchors", c.tx(council1, anchor("council")), registry.ErrUnauthorized},
		{"invalid field", shortHash.Encode(), registry.ErrInvalid},
		{"vote on unknown proposal", c.tx(council1, &registry.MsgVote{ProposalID: 99, Approve: true}), registry.ErrNotFound},
		{"vote on closed proposal", c.tx(council1, &registry.MsgVote{ProposalID: 1, Approve: true}), registry.ErrProposalClosed},
		{"unknown message type", encodeRawTx(unknownType, 999, nil), registry.ErrUnknownMsg},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.t = t
			defer func() { c.t = nil }()
			ct := c.checkTx(tc.tx)
			require.Equal(t, tc.want.Code, ct.Code, "CheckTx: %s", ct.Log)
			require.Equal(t, registry.Codespace, ct.Codespace)

			before := c.hashes[c.height]
			resp := c.block(tc.tx)
			res := resp.TxResults[0]
			require.Equal(t, tc.want.Code, res.Code, "FinalizeBlock: %s", res.Log)
			require.Equal(t, registry.Codespace, res.Codespace)
			require.Empty(t, res.Events)
			require.Empty(t, resp.ValidatorUpdates)
			require.Equal(t, before, resp.AppHash, "a block of only bad txs changes nothing")
		})
	}
	c.t = t

	// A block of many bad txs at once changes nothing either.
	all := make([][]byte, 0, len(cases))
	for _, tc := range cases {
		all = append(all, tc.tx)
	}
	before := c.hashes[c.height]
	resp := c.block(all...)
	for i, tc := range cases {
		require.Equal(t, tc.want.Code, resp.TxResults[i].Code, tc.name)
	}
	require.Equal(t, before, resp.AppHash)

	// The rejected CheckTxs did not poison the check state: a valid tx
	// still passes, and the block accepts it.
	require.Equal(t, abci.CodeTypeOK, c.checkTx(valid).Code)
	c.mustBlock(valid)
}

func TestReplay(t *testing.T) {
	c := newChain(t, nil)
	c.block()
	tx := c.tx(agencyKey, anchor("once"))

	// Mempool: the second CheckTx of the same tx is a replay.
	require.Equal(t, abci.CodeTypeOK, c.checkTx(tx).Code)
	require.Equal(t, registry.ErrReplay.Code, c.checkTx(tx).Code)

	// Twice in the same block: the second fails.
	resp := c.block(tx, tx)
	require.Equal(t, abci.CodeTypeOK, resp.TxResults[0].Code)
	require.Equal(t, registry.ErrReplay.Code, resp.TxResults[1].Code)

	// Again in the next block: fails and changes nothing.
	before := c.hashes[c.height]
	require.Equal(t, registry.ErrReplay.Code, c.checkTx(tx).Code, "after Commit the check state is the committed state")
	resp = c.block(tx)
	require.Equal(t, registry.ErrReplay.Code, resp.TxResults[0].Code)
	require.Equal(t, before, resp.AppHash)

	// The same message with a new nonce is a new tx.
	c.mustBlock(c.tx(agencyKey, anchor("once")))
}

// Failed txs in a block with a good one leave no trace: the block's app
// hash equals that of a block holding only the good tx.
func TestFailedTxInGoodBlockWritesNothing(t *testing.T) {
	a := newChain(t, nil)
	b := newChain(t, nil)
	good := a.tx(agencyKey, anchor("good"))
	b.nonce = a.nonce
	bad := a.tx(stranger, anchor("bad"))
	badVote := a.tx(council2, &registry.MsgVote{ProposalID: 42, Approve: true})
	ra := a.block(bad, good, badVote, bad)
	rb := b.block(good)
	require.Equal(t, registry.ErrUnknownKey.Code, ra.TxResults[0].Code)
	require.Equal(t, abci.CodeTypeOK, ra.TxResults[1].Code)
	require.Equal(t, registry.ErrNotFound.Code, ra.TxResults[2].Code)
	require.Equal(t, rb.AppHash, ra.AppHash, "bad txs around a good one leave no trace")
}

func TestProcessProposal(t *testing.T) {
	c := newChain(t, nil)
	c.block()
	valid := c.tx(agencyKey, anchor("valid"))
	valid2 := c.tx(agencyKey, anchor("valid-2"))
	forged := c.txObj(agencyKey, anchor("forged"))
	forged.Signature[0] ^= 1
	wrongChain := signedTx(7, "other-chain", agencyKey, 50, anchor("x"))

	process := func(txs ...[]byte) abci.ResponseProcessProposal_ProposalStatus {
		resp, err := c.app.ProcessProposal(bg, &abci.RequestProcessProposal{Txs: txs, Height: c.height + 1, Time: blockTime(c.height + 1)})
		require.NoError(t, err)
		return resp.Status
	}
	require.Equal(t, abci.ResponseProcessProposal_ACCEPT, process())
	require.Equal(t, abci.ResponseProcessProposal_ACCEPT, process(valid))
	require.Equal(t, abci.ResponseProcessProposal_ACCEPT, process(valid, valid2))
	require.Equal(t, abci.ResponseProcessProposal_REJECT, process(forged.Encode()))
	require.Equal(t, abci.ResponseProcessProposal_REJECT, process(valid, forged.Encode(), valid2))
	require.Equal(t, abci.ResponseProcessProposal_REJECT, process(valid, []byte("garbage")))
	require.Equal(t, abci.ResponseProcessProposal_REJECT, process(wrongChain.Encode()))
	// Stateful failures (here an unknown key) are not grounds for rejection:
	// FinalizeBlock records them as failed txs.
	require.Equal(t, abci.ResponseProcessProposal_ACCEPT, process(c.tx(stranger, anchor("s"))))

	// ProcessProposal changes no state.
	info, err := c.app.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, c.height, info.LastBlockHeight)
	require.Equal(t, c.hashes[c.height], info.LastBlockAppHash)
	c.mustBlock(valid, valid2)
}

func TestPrepareProposal(t *testing.T) {
	c := newChain(t, nil)
	committed := c.tx(agencyKey, anchor("committed"))
	c.mustBlock(committed)

	v1 := c.tx(agencyKey, anchor("v1"))
	v2 := c.tx(agencyKey2, anchor("v2"))
	v3 := c.tx(council1, &registry.MsgPropose{Action: &registry.SetValidator{PubKey: newVal.pub, Power: 3, Name: "Nút mới"}, Description: "d"})
	forged := c.txObj(agencyKey, anchor("forged"))
	forged.Signature[5] ^= 1
	unknown := c.tx(stranger, anchor("stranger"))

	prepare := func(max int64, txs ...[]byte) [][]byte {
		resp, err := c.app.PrepareProposal(bg, &abci.RequestPrepareProposal{MaxTxBytes: max, Txs: txs, Height: c.height + 1, Time: blockTime(c.height + 1)})
		require.NoError(t, err)
		return resp.Txs
	}
	in := [][]byte{v1, committed, v2, v1, []byte("garbage"), forged.Encode(), unknown, v3}
	out := prepare(1<<20, in...)
	require.Equal(t, [][]byte{v1, v2, v3}, out, "drops the replayed, duplicated, malformed, forged and unauthenticated txs, keeps order")

	// The byte limit.
	require.Equal(t, [][]byte{v1, v2}, prepare(int64(len(v1)+len(v2)), v1, v2, v3))
	require.Empty(t, prepare(int64(len(v1)-1), v1, v2))

	// PrepareProposal changes no state; its output executes cleanly.
	info, err := c.app.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, c.hashes[c.height], info.LastBlockAppHash)
	resp, err := c.app.ProcessProposal(bg, &abci.RequestProcessProposal{Txs: out, Height: c.height + 1, Time: blockTime(c.height + 1)})
	require.NoError(t, err)
	require.Equal(t, abci.ResponseProcessProposal_ACCEPT, resp.Status)
	c.mustBlock(out...)
}

func TestGovernanceValidatorUpdates(t *testing.T) {
	c := newChain(t, nil)
	propose := func(power uint64) []byte {
		return c.tx(council1, &registry.MsgPropose{Action: &registry.SetValidator{PubKey: newVal.pub, Power: power, Name: "Nút mới"}, Description: "add"})
	}
	vote := func(k key, id uint64) []byte { return c.tx(k, &registry.MsgVote{ProposalID: id, Approve: true}) }

	// Proposal 1: add newVal with power 7. The proposal and the first vote
	// do not reach the quorum (strictly more than 2/3 of 3 members).
	resp := c.mustBlock(propose(7))
	require.Empty(t, resp.ValidatorUpdates)
	resp = c.mustBlock(vote(council2, 1))
	require.Empty(t, resp.ValidatorUpdates)
	resp = c.mustBlock(vote(council3, 1))
	require.Equal(t, []abci.ValidatorUpdate{abci.UpdateValidator(newVal.pub, 7, "ed25519")}, resp.ValidatorUpdates)
	v := c.query(PathStore, registry.ValidatorKey(newVal.pub), 0, false)
	val, err := registry.DecodeValidator(v.Value)
	require.NoError(t, err)
	require.Equal(t, uint64(7), val.Power)

	// Proposals 2 (power 5) and 3 (power 9) both pass in one block: one
	// update for the key, the last one.
	c.mustBlock(propose(5), propose(9))
	resp = c.mustBlock(vote(council2, 2), vote(council3, 2), vote(council2, 3), vote(council3, 3))
	require.Equal(t, []abci.ValidatorUpdate{abci.UpdateValidator(newVal.pub, 9, "ed25519")}, resp.ValidatorUpdates)

	// And in the other order: the last executed wins.
	c.mustBlock(propose(4), propose(6))
	resp = c.mustBlock(vote(council2, 5), vote(council3, 5), vote(council2, 4), vote(council3, 4))
	require.Equal(t, []abci.ValidatorUpdate{abci.UpdateValidator(newVal.pub, 4, "ed25519")}, resp.ValidatorUpdates)

	// Updates of several keys keep the order of first appearance.
	c.mustBlock(propose(0), c.tx(council1, &registry.MsgPropose{Action: &registry.SetValidator{PubKey: val1.pub, Power: 20, Name: "Nút 1"}, Description: "x"}))
	resp = c.mustBlock(vote(council2, 7), vote(council2, 6), vote(council3, 7), vote(council3, 6))
	require.Equal(t, []abci.ValidatorUpdate{
		abci.UpdateValidator(val1.pub, 20, "ed25519"),
		abci.UpdateValidator(newVal.pub, 0, "ed25519"),
	}, resp.ValidatorUpdates)
	v = c.query(PathStore, registry.ValidatorKey(newVal.pub), 0, false)
	require.Nil(t, v.Value, "power 0 removes the validator")

	// The next block has no updates left over.
	resp = c.mustBlock(c.tx(agencyKey, anchor("after")))
	require.Empty(t, resp.ValidatorUpdates)
}

func TestRestart(t *testing.T) {
	dir := t.TempDir()
	a := openApp(t, dir, nil)
	initChain(t, a)
	c := &chain{t: t, app: a, hashes: map[int64][]byte{}}
	var sent [][]byte
	for i := 0; i < 3; i++ {
		tx := c.tx(agencyKey, anchor(fmt.Sprint("restart-", i)))
		sent = append(sent, tx)
		c.mustBlock(tx)
	}
	// A block executed but not committed when the node dies.
	pending := c.tx(agencyKey, anchor("pending"))
	lost := c.finalize(pending)
	require.NoError(t, a.Close())

	a2 := openApp(t, dir, nil)
	info, err := a2.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, int64(3), info.LastBlockHeight)
	require.Equal(t, c.hashes[3], info.LastBlockAppHash)
	require.Equal(t, int64(3), a2.Height())

	// CometBFT replays the uncommitted block: same result.
	c.app = a2
	again := c.finalize(pending)
	require.Equal(t, lost.AppHash, again.AppHash)
	c.commit(again)

	// Replay protection survived the restart, CheckTx works, and the chain
	// goes on.
	require.Equal(t, registry.ErrReplay.Code, c.checkTx(sent[1]).Code)
	next := c.tx(agencyKey, anchor("after restart"))
	require.Equal(t, abci.CodeTypeOK, c.checkTx(next).Code)
	resp := c.block(sent[2], next)
	require.Equal(t, registry.ErrReplay.Code, resp.TxResults[0].Code)
	require.Equal(t, abci.CodeTypeOK, resp.TxResults[1].Code)
	require.Equal(t, int64(5), c.height)

	// Old versions are still queryable after the restart.
	q := c.query(PathStore, registry.AnchorKey(anchor("restart-0").Hash), 1, true)
	require.Equal(t, abci.CodeTypeOK, q.Code, q.Log)
	require.True(t, ics23.VerifyMembership(ics23.IavlSpec, c.hashes[1], unmarshalProof(t, q), q.Key, q.Value))

	// And once more, a clean close and reopen.
	require.NoError(t, a2.Close())
	a3 := openApp(t, dir, nil)
	info, err = a3.Info(bg, &abci.RequestInfo{})
	require.NoError(t, err)
	require.Equal(t, int64(5), info.LastBlockHeight)
	require.Equal(t, c.hashes[5], info.LastBlockAppHash)
}
