package verification_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand"
	"sort"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/crypto/mldsa65"
	"github.com/cometbft/cometbft/crypto/secp256k1"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	"github.com/cometbft/cometbft/types"
	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/verification"
)

// Differential tests: this package against CometBFT and ics23 on random
// inputs.

func randBytes(r *rand.Rand, lens ...int) []byte {
	n := lens[r.Intn(len(lens))]
	if n < 0 {
		n = r.Intn(-n + 1)
	}
	if n == 0 && r.Intn(2) == 0 {
		return nil
	}
	b := make([]byte, n)
	r.Read(b)
	return b
}

func randHeader(r *rand.Rand) *types.Header {
	secs := r.Int63n(253402300800+62135596800) - 62135596800
	if r.Intn(4) == 0 {
		secs = r.Int63n(2e9)
	}
	h := &types.Header{
		Version: cmtversion.Consensus{Block: 11, App: r.Uint64() >> uint(r.Intn(64))},
		ChainID: string(randBytes(r, 0, 5, 14, 14, 14, -60)),
		Height:  r.Int63() >> uint(r.Intn(63)),
		Time:    time.Unix(secs, r.Int63n(1e9)).UTC(),
		LastBlockID: types.BlockID{Hash: randBytes(r, 0, 32, 32, 32, 32, 32, -40),
			PartSetHeader: types.PartSetHeader{Total: r.Uint32() >> uint(r.Intn(32)), Hash: randBytes(r, 0, 32, 32, 32, 32, 32, -40)}},
	}
	if r.Intn(10) == 0 {
		h.Height = -h.Height
	}
	if r.Intn(10) == 0 {
		h.Version.Block = uint64(r.Intn(13))
	}
	for _, f := range []*[]byte{(*[]byte)(&h.LastCommitHash), (*[]byte)(&h.DataHash), (*[]byte)(&h.ValidatorsHash),
		(*[]byte)(&h.NextValidatorsHash), (*[]byte)(&h.ConsensusHash), (*[]byte)(&h.AppHash), (*[]byte)(&h.LastResultsHash),
		(*[]byte)(&h.EvidenceHash)} {
		*f = randBytes(r, 0, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, -40)
	}
	h.ProposerAddress = randBytes(r, 20, 20, 20, 20, 20, 20, 20, 20, -25)
	return h
}

func toOurs(h *types.Header) *verification.Header {
	return &verification.Header{VersionBlock: h.Version.Block, VersionApp: h.Version.App, ChainID: h.ChainID, Height: h.Height,
		Time: h.Time, LastBlockID: verification.BlockID{Hash: h.LastBlockID.Hash,
			PartSetHeader: verification.PartSetHeader{Total: h.LastBlockID.PartSetHeader.Total, Hash: h.LastBlockID.PartSetHeader.Hash}},
		LastCommitHash: h.LastCommitHash, DataHash: h.DataHash, ValidatorsHash: h.ValidatorsHash, NextValidatorsHash: h.NextValidatorsHash,
		ConsensusHash: h.ConsensusHash, AppHash: h.AppHash, LastResultsHash: h.LastResultsHash, EvidenceHash: h.EvidenceHash,
		ProposerAddress: h.ProposerAddress}
}

// referenceParseHeader is what client.DecodeReceipt accepts of header
// bytes: gogoproto Unmarshal, HeaderFromProto (with ValidateBasic), and
// the same bytes again from Marshal.
func referenceParseHeader(b []byte) (*types.Header, bool) {
	var hp cmtproto.Header
	if hp.Unmarshal(b) != nil {
		return nil, false
	}
	h, err := types.HeaderFromProto(&hp)
	if err != nil {
		return nil, false
	}
	again, err := h.ToProto().Marshal()
	if err != nil || !bytes.Equal(again, b) {
		return nil, false
	}
	return &h, true
}

// mutate changes b a little: flips, inserts, deletes, or duplicates bytes.
func mutate(r *rand.Rand, b []byte) []byte {
	b = append([]byte(nil), b...)
	for n := 1 + r.Intn(3); n > 0; n-- {
		switch i := r.Intn(len(b) + 1); r.Intn(5) {
		case 0:
			if i < len(b) {
				b[i] ^= byte(1 << r.Intn(8))
			}
		case 1:
			b = append(b[:i], append([]byte{byte(r.Intn(256))}, b[i:]...)...)
		case 2:
			if i < len(b) {
				b = append(b[:i], b[i+1:]...)
			}
		case 3:
			if i < len(b) {
				b[i] = byte(r.Intn(256))
			}
		case 4:
			j := r.Intn(len(b) + 1)
			if j < i {
				i, j = j, i
			}
			b = append(b[:j], append(append([]byte(nil), b[i:j]...), b[j:]...)...)
		}
	}
	return b
}

func TestHeaderMatchesCometBFT(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	n := 3000
	if testing.Short() {
		n = 300
	}
	accepted := 0
	for i := 0; i < n; i++ {
		h := randHeader(r)
		ours := toOurs(h)
		require.Equal(t, []byte(h.Hash()), ours.Hash(), "hash of %+v", h)
		want, err := h.ToProto().Marshal()
		require.NoError(t, err)
		got, err := ours.Marshal()
		require.NoError(t, err)
		require.Equal(t, want, got)
		require.Equal(t, h.ValidateBasic() == nil, ours.ValidateBasic() == nil, "ValidateBasic of %+v", h)
		// Parsing: the encoding, and mutations of it.
		for j := 0; j < 20; j++ {
			b := want
			if j > 0 {
				b = mutate(r, want)
			}
			ref, refOK := referenceParseHeader(b)
			got, err := verification.ParseHeader(b)
			require.Equal(t, refOK, err == nil, "parse %x: %v", b, err)
			if refOK {
				accepted++
				require.Equal(t, []byte(ref.Hash()), got.Hash())
				require.True(t, ref.Time.Equal(got.Time))
			}
		}
	}
	t.Logf("%d header encodings accepted by both", accepted)
}

func TestVoteSignBytesMatchesCometBFT(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 2000; i++ {
		id := types.BlockID{Hash: randBytes(r, 0, 32), PartSetHeader: types.PartSetHeader{Total: r.Uint32() >> uint(r.Intn(32)), Hash: randBytes(r, 0, 32)}}
		vote := &types.Vote{Type: cmtproto.PrecommitType, Height: r.Int63() >> uint(r.Intn(63)), Round: int32(r.Intn(5)), BlockID: id,
			Timestamp: time.Unix(r.Int63n(1<<36), r.Int63n(1e9)).UTC()}
		if r.Intn(5) == 0 {
			vote.Round = -vote.Round
		}
		chainID := string(randBytes(r, 0, 10, -50))
		want := types.VoteSignBytes(chainID, vote.ToProto())
		got, err := verification.VoteSignBytes(chainID, vote.Height, vote.Round,
			verification.BlockID{Hash: id.Hash, PartSetHeader: verification.PartSetHeader{Total: id.PartSetHeader.Total, Hash: id.PartSetHeader.Hash}},
			vote.Timestamp)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
}

func TestValidatorSetHashMatchesCometBFT(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 300; i++ {
		n := 1 + r.Intn(12)
		var cvals []*types.Validator
		var ours []verification.Validator
		for j := 0; j < n; j++ {
			pk := ed25519.GenPrivKeyFromSecret([]byte(fmt.Sprint(i, "-", j))).PubKey()
			power := int64(1 + r.Intn(4))
			if r.Intn(3) == 0 {
				power = 1 + r.Int63n(math.MaxInt64/8/16)
			}
			cvals = append(cvals, types.NewValidator(pk, power))
			ours = append(ours, verification.Validator{PubKey: pk.Bytes(), Power: power})
		}
		r.Shuffle(len(ours), func(a, b int) { ours[a], ours[b] = ours[b], ours[a] })
		set := types.NewValidatorSet(cvals)
		require.Equal(t, set.Hash(), verification.ValidatorSetHash(ours))
		verification.SortValidators(ours)
		for j, v := range set.Validators {
			require.Equal(t, v.PubKey.Bytes(), ours[j].PubKey)
			require.Equal(t, []byte(v.Address), ours[j].Address())
		}
	}
}

// randomTree is an IAVL tree of n random keys (with, sometimes, keys that
// are prefixes of others).
func randomTree(t testing.TB, r *rand.Rand, n int) (*iavl.ImmutableTree, [][]byte, map[string][]byte, []byte) {
	tree := iavl.NewMutableTree(iavldb.NewMemDB(), 100, false, iavl.NewNopLogger())
	vals := map[string][]byte{}
	for len(vals) < n {
		k := randBytes(r, 1, 2, 8, -20)
		if len(k) == 0 {
			continue
		}
		v := randBytes(r, 1, 5, -100)
		if len(v) == 0 {
			v = []byte{0}
		}
		_, err := tree.Set(k, v)
		require.NoError(t, err)
		vals[string(k)] = v
	}
	// Several versions, so that node versions differ.
	root, version, err := tree.SaveVersion()
	require.NoError(t, err)
	if r.Intn(2) == 0 {
		for k := range vals {
			v := []byte("updated")
			_, err := tree.Set([]byte(k), v)
			require.NoError(t, err)
			vals[k] = v
			break
		}
		root, version, err = tree.SaveVersion()
		require.NoError(t, err)
	}
	imm, err := tree.GetImmutable(version)
	require.NoError(t, err)
	var keys [][]byte
	for k := range vals {
		keys = append(keys, []byte(k))
	}
	sort.Slice(keys, func(i, j int) bool { return bytes.Compare(keys[i], keys[j]) < 0 })
	return imm, keys, vals, root
}

// referenceProof is client.VerifyProof with a panic reported as such.
func referenceProof(appHash, key, value, proof []byte) (ok, panicked bool) {
	defer func() {
		if recover() != nil {
			ok, panicked = false, true
		}
	}()
	return client.VerifyProof(appHash, key, value, proof) == nil, false
}

func oursProof(appHash, key, value, proof []byte) bool {
	if value == nil {
		return verification.VerifyNonMembership(appHash, key, proof) == nil
	}
	return verification.VerifyMembership(appHash, key, value, proof) == nil
}

func TestICS23MatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	trees := 60
	if testing.Short() {
		trees = 10
	}
	var checks, accepted int
	check := func(root, key, value, proof []byte, wantOK bool) {
		t.Helper()
		ref, panicked := referenceProof(root, key, value, proof)
		require.False(t, panicked)
		require.Equal(t, wantOK, ref, "reference on key %x", key)
		require.Equal(t, ref, oursProof(root, key, value, proof), "key %x value %x proof %x", key, value, proof)
		checks++
	}
	for i := 0; i < trees; i++ {
		imm, keys, vals, root := randomTree(t, r, 1+r.Intn(40)*r.Intn(3))
		otherRoot := append([]byte(nil), root...)
		otherRoot[r.Intn(len(root))] ^= 1
		proofOf := func(key []byte) []byte {
			cp, err := imm.GetProof(key)
			require.NoError(t, err)
			b, err := cp.Marshal()
			require.NoError(t, err)
			return b
		}
		// Present keys, the first and the last among them.
		for j, k := range keys {
			if j != 0 && j != len(keys)-1 && r.Intn(3) != 0 {
				continue
			}
			p := proofOf(k)
			check(root, k, vals[string(k)], p, true)
			check(root, k, append([]byte("x"), vals[string(k)]...), p, false)
			check(otherRoot, k, vals[string(k)], p, false)
			check(root, k, nil, p, false)
			mutations(t, r, root, k, vals[string(k)], p, &accepted, &checks)
		}
		// Absent keys: before the first, after the last, between.
		absent := [][]byte{{}, {0}, append(append([]byte(nil), keys[len(keys)-1]...), 0), append(keys[0][:len(keys[0])-1:len(keys[0])-1], keys[0][len(keys[0])-1]-1)}
		for j := 0; j < 5; j++ {
			absent = append(absent, randBytes(r, 1, 3, -10))
		}
		for _, k := range absent {
			if len(k) == 0 || vals[string(k)] != nil {
				continue
			}
			p := proofOf(k)
			check(root, k, nil, p, true)
			check(otherRoot, k, nil, p, false)
			check(root, k, []byte("v"), p, false)
			mutations(t, r, root, k, nil, p, &accepted, &checks)
			// The proof of absence of k proves nothing about a present key.
			check(root, keys[0], nil, p, false)
		}
	}
	t.Logf("%d checks, %d mutated proofs still accepted by both", checks, accepted)
}

// mutations compares the verifiers on mutated proof bytes (the reference
// may panic: then this package must refuse).
func mutations(t *testing.T, r *rand.Rand, root, key, value, proof []byte, accepted, checks *int) {
	for i := 0; i < 10; i++ {
		m := mutate(r, proof)
		ref, panicked := referenceProof(root, key, value, m)
		ours := oursProof(root, key, value, m)
		if panicked {
			require.False(t, ours, "reference panics, ours accepts %x", m)
			continue
		}
		require.Equal(t, ref, ours, "proof %x", m)
		if ours {
			*accepted++
		}
		*checks++
	}
}

// TestEmbeddedSetsMatchReference: v1 receipts embedding validator sets of
// every key type CometBFT decodes (ed25519, secp256k1, ML-DSA-65), valid
// or not, fail with the reference's error.
func TestEmbeddedSetsMatchReference(t *testing.T) {
	f := newFixture(t)
	raw := encode(t, f.receipt(t, 5, f.keys[3]))
	require.Equal(t, byte(0), raw[len(raw)-1]) // no embedded set
	genRoot, err := verification.TrustRootFromGenesis(f.genJSON)
	require.NoError(t, err)
	mld, err := mldsa65.GenPrivKey()
	require.NoError(t, err)
	keys := []func() []*types.Validator{
		func() []*types.Validator { return f.a.set.Copy().Validators },
		func() []*types.Validator {
			return []*types.Validator{types.NewValidator(secp256k1.GenPrivKey().PubKey(), 10)}
		},
		func() []*types.Validator { return []*types.Validator{types.NewValidator(mld.PubKey(), 10)} },
		func() []*types.Validator {
			return append(f.a.set.Copy().Validators, types.NewValidator(secp256k1.GenPrivKey().PubKey(), 3))
		},
	}
	r := rand.New(rand.NewSource(6))
	seen := map[string]int{}
	for i := 0; i < 400; i++ {
		vals := keys[i%len(keys)]()
		switch r.Intn(6) {
		case 0:
			vals[0].VotingPower = 0
		case 1:
			vals[len(vals)-1].VotingPower = -1
		case 2:
			vals[0].Address = vals[0].Address[:19]
		case 3:
			vals = append(vals, vals[0])
		}
		vs := &cmtproto.ValidatorSet{}
		for _, v := range vals {
			vp, err := v.ToProto()
			require.NoError(t, err)
			vs.Validators = append(vs.Validators, vp)
		}
		if r.Intn(8) != 0 {
			vs.Proposer = vs.Validators[r.Intn(len(vs.Validators))]
		}
		if r.Intn(8) == 0 {
			vs.TotalVotingPower = 40
		}
		vb, err := vs.Marshal()
		require.NoError(t, err)
		if r.Intn(3) == 0 {
			vb = mutate(r, vb)
		}
		m := append(append([]byte(nil), raw[:len(raw)-1]...), appendUvarint(nil, uint64(len(vb)))...)
		m = append(m, vb...)
		_, refErr := client.VerifyReceiptBytes(m, f.gen, nil)
		_, err = verification.VerifyReceipt(m, genRoot)
		require.Equal(t, outcome(refErr), outcome(err), "set %x: reference %v, ours %v", vb, refErr, err)
		seen[outcome(err)]++
	}
	t.Logf("outcomes: %v", seen)
	require.Len(t, seen, 3) // ok, malformed, proof_invalid
}

func appendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}
