package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	"github.com/cometbft/cometbft/types"
	"github.com/cometbft/cometbft/version"
	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

const bundleChainID = "danang-bundle-test"

func rand32(t *testing.T) []byte {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return b
}

// bundleKeying is a cheap version-2 property keying for the fixtures.
var bundleKeying = registry.PropertyKeying{ChainID: bundleChainID, Time: 1, MemoryKiB: 8 << 10}

// bundleFixture is a real IAVL state with a signed header over its root.
type bundleFixture struct {
	raw  []byte
	vals *types.ValidatorSet
	prop registry.Property
}

// makeBundle builds a bundle for a property that is blocked by notices
// ids (none: free), over an IAVL tree that also holds unrelated keys, in
// a header signed by 3 validators.
func makeBundle(t *testing.T, ids ...uint64) bundleFixture {
	t.Helper()
	p, err := registry.ParseProperty("parcel:20194/12/345", bundleKeying)
	require.NoError(t, err)
	tree := iavl.NewMutableTree(iavldb.NewMemDB(), 100, false, iavl.NewNopLogger())
	for i := 0; i < 50; i++ { // neighbours, so that proofs have paths
		_, err := tree.Set(registry.NotaryActiveKey(registry.Hash([]byte{byte(i)})), []byte{1, byte(i + 1)})
		require.NoError(t, err)
		_, err = tree.Set(registry.AnchorKey(registry.Hash([]byte{1, byte(i)})), []byte{byte(i)})
		require.NoError(t, err)
	}
	if len(ids) > 0 {
		e := registry.NewEncoder(16)
		registry.ActiveBlocks(ids).Encode(e)
		_, err := tree.Set(registry.NotaryActiveKey(p.Key), e.Out())
		require.NoError(t, err)
		for _, id := range ids {
			n := &registry.BlockNotice{ID: id, Ref: "45/2025/QĐ-BPKCTT", Authority: "toa-an-khu-vuc-1",
				Reason: registry.ReasonCourtInjunction, DocHash: rand32(t), Properties: [][]byte{p.Key},
				Signer: rand32(t), Height: 3, Time: 1767225600}
			e := registry.NewEncoder(256)
			n.Encode(e)
			_, err := tree.Set(registry.NotaryBlockKey(id), e.Out())
			require.NoError(t, err)
		}
	}
	_, _, err = tree.SaveVersion()
	require.NoError(t, err)
	imm, err := tree.GetImmutable(1)
	require.NoError(t, err)
	prove := func(key []byte) provenEntry {
		v, err := imm.Get(key)
		require.NoError(t, err)
		cp, err := imm.GetProof(key)
		require.NoError(t, err)
		pb, err := cp.Marshal()
		require.NoError(t, err)
		return provenEntry{Key: key, Value: v, Proof: pb}
	}
	entries := []provenEntry{prove(registry.NotaryActiveKey(p.Key))}
	for _, id := range ids {
		entries = append(entries, prove(registry.NotaryBlockKey(id)))
	}

	var pvs []types.PrivValidator
	var vals []*types.Validator
	for i := 0; i < 3; i++ {
		pv := types.NewMockPV()
		pub, err := pv.GetPubKey()
		require.NoError(t, err)
		pvs = append(pvs, pv)
		vals = append(vals, types.NewValidator(pub, int64(10+i)))
	}
	vs := types.NewValidatorSet(vals)
	now := time.Unix(1767225601, 0).UTC()
	h := types.Header{
		Version: cmtversion.Consensus{Block: version.BlockProtocol, App: 1}, ChainID: bundleChainID, Height: 2, Time: now,
		LastBlockID:    types.BlockID{Hash: rand32(t), PartSetHeader: types.PartSetHeader{Total: 1, Hash: rand32(t)}},
		LastCommitHash: rand32(t), DataHash: rand32(t), ValidatorsHash: vs.Hash(), NextValidatorsHash: vs.Hash(),
		ConsensusHash: rand32(t), AppHash: imm.Hash(), LastResultsHash: rand32(t), EvidenceHash: rand32(t),
		ProposerAddress: vs.Validators[0].Address,
	}
	blockID := types.BlockID{Hash: h.Hash(), PartSetHeader: types.PartSetHeader{Total: 1, Hash: rand32(t)}}
	commit := &types.Commit{Height: 2, BlockID: blockID}
	for i, v := range vs.Validators {
		var signer types.PrivValidator
		for _, pv := range pvs {
			pub, _ := pv.GetPubKey()
			if bytes.Equal(pub.Address(), v.Address) {
				signer = pv
			}
		}
		vote := &types.Vote{Type: cmtproto.PrecommitType, Height: 2, BlockID: blockID, Timestamp: now,
			ValidatorAddress: v.Address, ValidatorIndex: int32(i)}
		pb := vote.ToProto()
		require.NoError(t, signer.SignVote(bundleChainID, pb))
		commit.Signatures = append(commit.Signatures, types.CommitSig{BlockIDFlag: types.BlockIDFlagCommit,
			ValidatorAddress: v.Address, Timestamp: now, Signature: pb.Signature})
	}
	sh := &types.SignedHeader{Header: &h, Commit: commit}
	b, err := newBundle(bundleChainID, p, 1, sh, vs, entries)
	require.NoError(t, err)
	raw, err := encodeBundle(b)
	require.NoError(t, err)
	return bundleFixture{raw: raw, vals: vs, prop: p}
}

func TestNotaryBundleVerifies(t *testing.T) {
	free := makeBundle(t)
	res, err := verifyBundle(free.raw, bundleChainID, bundleKeying, free.vals)
	require.NoError(t, err)
	require.Empty(t, res.Blocks)
	require.Equal(t, int64(1), res.Height)
	require.Equal(t, free.prop.Canonical, res.Property)
	require.False(t, viewCheck(res).Blocked)
	require.Contains(t, viewCheck(res).Statement, "no active blocking notice as of height 1")

	blocked := makeBundle(t, 1, 4)
	res, err = verifyBundle(blocked.raw, bundleChainID, bundleKeying, blocked.vals)
	require.NoError(t, err)
	require.Len(t, res.Blocks, 2)
	v := viewCheck(res)
	require.True(t, v.Blocked)
	require.Equal(t, uint64(4), v.ActiveBlocks[1].ID)

	// Trust is explicit: another validator set, another chain, or nothing
	// to trust but the bundle itself.
	_, err = verifyBundle(free.raw, bundleChainID, bundleKeying, blocked.vals)
	require.ErrorIs(t, err, registry.ErrProofInvalid)
	_, err = verifyBundle(free.raw, "danang-other", bundleKeying, free.vals)
	require.ErrorIs(t, err, registry.ErrProofInvalid)
	_, err = verifyBundle(free.raw, bundleChainID, bundleKeying, nil)
	require.NoError(t, err, "self-consistent; the caller vouches for the header")
}

// TestNotaryBundleByteFlips changes every byte of a free and of a blocked
// bundle, one at a time: no changed file verifies.
func TestNotaryBundleByteFlips(t *testing.T) {
	if testing.Short() {
		t.Skip("flips every byte")
	}
	for name, f := range map[string]bundleFixture{"absence": makeBundle(t), "presence": makeBundle(t, 7)} {
		t.Run(name, func(t *testing.T) {
			for i := range f.raw {
				masks := []byte{0x01}
				if c := f.raw[i] | 0x20; c >= 'a' && c <= 'z' {
					masks = append(masks, 0x20) // case flip: hex digits, names
				}
				for _, m := range masks {
					mut := bytes.Clone(f.raw)
					mut[i] ^= m
					if _, err := verifyBundle(mut, bundleChainID, bundleKeying, f.vals); err == nil {
						t.Fatalf("byte %d (%q) ^ %#x still verifies", i, f.raw[i], m)
					}
				}
			}
			// Truncated or extended files fail too.
			for _, mut := range [][]byte{f.raw[:len(f.raw)-1], append(bytes.Clone(f.raw), '\n'), append([]byte(" "), f.raw...)} {
				_, err := verifyBundle(mut, bundleChainID, bundleKeying, f.vals)
				require.Error(t, err)
			}
		})
	}
}

func TestNotaryBundleSwaps(t *testing.T) {
	free, blocked := makeBundle(t), makeBundle(t, 2)
	// A proof of absence cannot be passed off for a blocked property and
	// vice versa: the entries are bound to one header's app hash.
	var fb, bb checkBundle
	require.NoError(t, json.Unmarshal(free.raw, &fb))
	require.NoError(t, json.Unmarshal(blocked.raw, &bb))
	fb.Entries = bb.Entries
	raw, err := encodeBundle(&fb)
	require.NoError(t, err)
	_, err = verifyBundle(raw, bundleChainID, bundleKeying, free.vals)
	require.ErrorIs(t, err, registry.ErrProofInvalid)
	// Dropping the notice records of a blocked property fails.
	require.NoError(t, json.Unmarshal(blocked.raw, &bb))
	bb.Entries = bb.Entries[:1]
	raw, err = encodeBundle(&bb)
	require.NoError(t, err)
	_, err = verifyBundle(raw, bundleChainID, bundleKeying, blocked.vals)
	require.ErrorIs(t, err, registry.ErrProofInvalid)
	// Claiming another property with the same proofs fails.
	require.NoError(t, json.Unmarshal(free.raw, &fb))
	fb.Property = "parcel:20194:12:346"
	raw, err = encodeBundle(&fb)
	require.NoError(t, err)
	_, err = verifyBundle(raw, bundleChainID, bundleKeying, free.vals)
	require.ErrorIs(t, err, registry.ErrProofInvalid)
}
