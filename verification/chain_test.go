package verification_test

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/crypto/tmhash"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	"github.com/cometbft/cometbft/types"
	"github.com/cometbft/cometbft/version"
	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
)

// This file builds signed light blocks and receipts without a network (the
// shapes of client/trustnode_test.go's helpers), from deterministic keys so
// that regenerating the vectors gives the same bytes.

const testChainID = "danang-vectors"

// keySet is a validator set with its private keys.
type keySet struct {
	set  *types.ValidatorSet
	keys map[string]types.PrivValidator
}

// newKeys makes a set of validators from named secrets and powers.
func newKeys(name string, powers ...int64) keySet {
	ks := keySet{keys: map[string]types.PrivValidator{}}
	var vals []*types.Validator
	for i, p := range powers {
		pv := types.NewMockPVWithParams(ed25519.GenPrivKeyFromSecret([]byte(fmt.Sprintf("%s-%d", name, i))), false, false)
		pk, _ := pv.GetPubKey()
		vals = append(vals, types.NewValidator(pk, p))
		ks.keys[string(pk.Address())] = pv
	}
	ks.set = types.NewValidatorSet(vals)
	return ks
}

// signBlock makes light block h of vals (naming next as the next set),
// signed by every validator of vals, following prev.
func signBlock(t testing.TB, chainID string, h int64, tm time.Time, prev *types.LightBlock, vals, next keySet, appHash []byte) *types.LightBlock {
	t.Helper()
	hash := tmhash.Sum([]byte(fmt.Sprint(h)))
	hdr := &types.Header{
		Version: cmtversion.Consensus{Block: version.BlockProtocol, App: 1}, ChainID: chainID, Height: h, Time: tm,
		LastCommitHash: hash, DataHash: hash, ValidatorsHash: vals.set.Hash(), NextValidatorsHash: next.set.Hash(),
		ConsensusHash: hash, AppHash: appHash, LastResultsHash: hash, EvidenceHash: hash,
		ProposerAddress: vals.set.Validators[0].Address,
	}
	if prev != nil {
		hdr.LastBlockID = prev.Commit.BlockID
	}
	bid := types.BlockID{Hash: hdr.Hash(), PartSetHeader: types.PartSetHeader{Total: 1, Hash: hash}}
	round := int32(h % 3) // some commits in round 0, some later
	sigs := make([]types.CommitSig, len(vals.set.Validators))
	for i, v := range vals.set.Validators {
		vote := &types.Vote{Type: cmtproto.PrecommitType, Height: h, Round: round, BlockID: bid,
			Timestamp: tm.Add(time.Duration(i) * time.Millisecond), ValidatorAddress: v.Address, ValidatorIndex: int32(i)}
		pb := vote.ToProto()
		require.NoError(t, vals.keys[string(v.Address)].SignVote(chainID, pb))
		vote.Signature = pb.Signature
		sigs[i] = vote.CommitSig()
	}
	lb := &types.LightBlock{SignedHeader: &types.SignedHeader{Header: hdr,
		Commit: &types.Commit{Height: h, Round: round, BlockID: bid, Signatures: sigs}}, ValidatorSet: vals.set}
	require.NoError(t, lb.ValidateBasic(chainID))
	return lb
}

// fixture is a small chain: set a signs blocks 1-10 and hands over to b
// (block 10 names it), b signs 11-20 and hands over to c (one validator),
// c signs 21-30. Every block carries the root of one IAVL tree.
type fixture struct {
	gen     *types.GenesisDoc
	genJSON []byte
	a, b, c keySet
	blocks  map[int64]*types.LightBlock
	keys    [][]byte // the tree's keys, sorted
	values  map[string][]byte
	imm     *iavl.ImmutableTree
	root    []byte
}

var fixtureTime = time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC)

func newFixture(t testing.TB) *fixture {
	f := &fixture{
		a:      newKeys("a", 10, 10, 10, 10),
		b:      newKeys("b", 40, 30, 20, 10),
		c:      newKeys("c", 5),
		blocks: map[int64]*types.LightBlock{},
		values: map[string][]byte{},
	}
	tree := iavl.NewMutableTree(iavldb.NewMemDB(), 100, false, iavl.NewNopLogger())
	for i := 1; i <= 20; i++ {
		k := []byte(fmt.Sprintf("r/%02d", i*5))
		v := binary.BigEndian.AppendUint64([]byte(fmt.Sprintf("kết quả %d ", i)), uint64(i*i))
		_, err := tree.Set(k, v)
		require.NoError(t, err)
		f.keys = append(f.keys, k)
		f.values[string(k)] = v
	}
	root, version, err := tree.SaveVersion()
	require.NoError(t, err)
	f.root = root
	f.imm, err = tree.GetImmutable(version)
	require.NoError(t, err)

	setAt := func(h int64) keySet {
		switch {
		case h <= 10:
			return f.a
		case h <= 20:
			return f.b
		}
		return f.c
	}
	var prev *types.LightBlock
	for h := int64(1); h <= 30; h++ {
		prev = signBlock(t, testChainID, h, fixtureTime.Add(time.Duration(h)*time.Second), prev, setAt(h), setAt(h+1), root)
		f.blocks[h] = prev
	}
	f.gen = &types.GenesisDoc{ChainID: testChainID, GenesisTime: fixtureTime, InitialHeight: 1}
	for _, v := range f.a.set.Validators {
		f.gen.Validators = append(f.gen.Validators, types.GenesisValidator{Address: v.Address, PubKey: v.PubKey, Power: v.VotingPower})
	}
	require.NoError(t, f.gen.ValidateAndComplete())
	f.genJSON, err = cmtjson.MarshalIndent(f.gen, "", "  ")
	require.NoError(t, err)
	return f
}

// proof returns the IAVL proof of key (existence or non-existence).
func (f *fixture) proof(t testing.TB, key []byte) []byte {
	cp, err := f.imm.GetProof(key)
	require.NoError(t, err)
	b, err := cp.Marshal()
	require.NoError(t, err)
	return b
}

// receipt builds the receipt for key under header h (signed by the set
// of its era), with the hand-overs from genesis.
func (f *fixture) receipt(t testing.TB, h int64, key []byte) *client.Receipt {
	lb := f.blocks[h]
	var hand []client.Transition
	if h > 10 {
		hand = append(hand, client.Transition{Height: 11, Signed: f.blocks[10], NextSet: f.b.set})
	}
	if h > 20 {
		hand = append(hand, client.Transition{Height: 21, Signed: f.blocks[20], NextSet: f.c.set})
	}
	p := &client.Proven{Key: key, Value: f.values[string(key)], Height: h - 1, Proof: f.proof(t, key),
		Header: lb.SignedHeader, Validators: lb.ValidatorSet}
	r, err := client.NewReceiptWith(p, f.gen, hand)
	require.NoError(t, err)
	return r
}

func encode(t testing.TB, r *client.Receipt) []byte {
	raw, err := r.Encode()
	require.NoError(t, err)
	return raw
}
