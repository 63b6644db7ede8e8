package client_test

import (
	"crypto/rand"
	"encoding/binary"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	"github.com/cometbft/cometbft/types"
	"github.com/cometbft/cometbft/version"
	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

var receiptRecords = flag.Int("receipt-records", 10_000, "results in state for TestReceiptSizeAtScale (docs/benchmarks.md uses 1000000)")

func rnd(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// TestReceiptSizeAtScale builds a real IAVL state holding N results (record
// and doc-hash index keys, as the chain writes them), a real header whose
// app hash is that state's root, signed by 4 validators, and measures the
// offline receipt of one result; the receipt must verify and fit one QR
// code (2,331 bytes, version 40-M).
func TestReceiptSizeAtScale(t *testing.T) {
	n := *receiptRecords
	if testing.Short() {
		n = 1000
	}
	b, gen, target, proofLen, valueLen, sigs := buildScaleReceipt(t, n)
	vr, err := client.VerifyReceiptBytes(b, gen, nil)
	require.NoError(t, err)
	verdict, err := client.EvaluateResultReceipt(vr, gen, target.DocHash)
	require.NoError(t, err)
	require.Equal(t, registry.VerdictValid, verdict.Status)
	t.Logf("RECEIPT records=%d receipt_bytes=%d proof_bytes=%d record_bytes=%d signatures=%d/4", n, len(b), proofLen, valueLen, sigs)
	require.LessOrEqual(t, len(b), 2331, "receipt must fit one QR code (version 40-M)")
}

// BenchmarkVerifyReceipt: offline verification of one result receipt
// (decode, 3 ed25519 signatures, header hash, ICS23 proof, verdict) at
// 10^4 results in state.
func BenchmarkVerifyReceipt(b *testing.B) {
	rb, gen, target, _, _, _ := buildScaleReceipt(b, 10_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		vr, err := client.VerifyReceiptBytes(rb, gen, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := client.EvaluateResultReceipt(vr, gen, target.DocHash); err != nil {
			b.Fatal(err)
		}
	}
}

// buildScaleReceipt returns the encoded receipt of one result in a state
// of n results, signed by 4 validators.
func buildScaleReceipt(t testing.TB, n int) ([]byte, *types.GenesisDoc, *registry.ResultRecord, int, int, int) {
	db, err := iavldb.NewGoLevelDB("scale", t.TempDir())
	require.NoError(t, err)
	defer db.Close()
	tree := iavl.NewMutableTree(db, 1_000_000, true, iavl.NewNopLogger())
	start := time.Now()
	var target *registry.ResultRecord
	for i := 1; i <= n; i++ {
		rec := &registry.ResultRecord{ID: uint64(i), Agency: "ubnd-phuong-hai-chau", Signer: rnd(32),
			ResultDoc: registry.ResultDoc{Procedure: "2.000720.000.00.00.H17", DocType: "Giấy chứng nhận",
				Title: "Giấy chứng nhận đăng ký hộ kinh doanh", DocHash: rnd(32),
				Dossier: fmt.Sprintf("000.26.17.H17-260102-%04d", i%10000), Holder: rnd(32)},
			Height: uint64(i/1000 + 1), Time: 1_790_000_000 + uint64(i), Status: registry.ResultActive}
		e := registry.NewEncoder(256)
		rec.Encode(e)
		v := e.Out()
		_, err := tree.Set(registry.ResultKey(rec.ID), v)
		require.NoError(t, err)
		_, err = tree.Set(registry.ResultHashKey(rec.DocHash), binary.BigEndian.AppendUint64(nil, rec.ID))
		require.NoError(t, err)
		if i == n/2 {
			target = rec
		}
		if i%200_000 == 0 {
			_, _, err = tree.SaveVersion()
			require.NoError(t, err)
		}
	}
	root, height, err := tree.SaveVersion()
	require.NoError(t, err)
	t.Logf("built %d results (%d keys) in %s", n, 2*n, time.Since(start).Round(time.Millisecond))
	imm, err := tree.GetImmutable(height)
	require.NoError(t, err)
	key := registry.ResultKey(target.ID)
	value, err := imm.Get(key)
	require.NoError(t, err)
	cp, err := imm.GetProof(key)
	require.NoError(t, err)
	proof, err := cp.Marshal()
	require.NoError(t, err)

	// 4 validators sign header H+1 carrying the state's root.
	const chainID = "danang-scale"
	var pvs []types.PrivValidator
	var vals []*types.Validator
	gen := &types.GenesisDoc{ChainID: chainID, GenesisTime: time.Now(), InitialHeight: 1}
	for i := 0; i < 4; i++ {
		pk := ed25519.GenPrivKey()
		pvs = append(pvs, types.NewMockPVWithParams(pk, false, false))
		vals = append(vals, types.NewValidator(pk.PubKey(), 10))
		gen.Validators = append(gen.Validators, types.GenesisValidator{PubKey: pk.PubKey(), Power: 10, Address: pk.PubKey().Address()})
	}
	vs := types.NewValidatorSet(vals)
	h := &types.Header{Version: cmtversion.Consensus{Block: version.BlockProtocol, App: 1}, ChainID: chainID,
		Height: height + 1, Time: time.Now().UTC(),
		LastBlockID:    types.BlockID{Hash: rnd(32), PartSetHeader: types.PartSetHeader{Total: 1, Hash: rnd(32)}},
		LastCommitHash: rnd(32), DataHash: rnd(32), ValidatorsHash: vs.Hash(), NextValidatorsHash: vs.Hash(),
		ConsensusHash: rnd(32), AppHash: root, LastResultsHash: rnd(32), EvidenceHash: rnd(32),
		ProposerAddress: vs.Validators[0].Address}
	blockID := types.BlockID{Hash: h.Hash(), PartSetHeader: types.PartSetHeader{Total: 1, Hash: rnd(32)}}
	commit := &types.Commit{Height: h.Height, BlockID: blockID}
	for i, v := range vs.Validators {
		var pv types.PrivValidator
		for _, p := range pvs {
			if pk, _ := p.GetPubKey(); pk.Equals(v.PubKey) {
				pv = p
			}
		}
		vote := &types.Vote{Type: cmtproto.PrecommitType, Height: h.Height, BlockID: blockID, Timestamp: time.Now().UTC(),
			ValidatorAddress: v.Address, ValidatorIndex: int32(i)}
		vp := vote.ToProto()
		require.NoError(t, pv.SignVote(chainID, vp))
		commit.Signatures = append(commit.Signatures, types.CommitSig{BlockIDFlag: types.BlockIDFlagCommit,
			ValidatorAddress: v.Address, Timestamp: vote.Timestamp, Signature: vp.Signature})
	}
	p := &client.Proven{Key: key, Value: value, Height: height, Proof: proof,
		Header: &types.SignedHeader{Header: h, Commit: commit}, Validators: vs}
	r, err := client.NewReceipt(p, gen)
	require.NoError(t, err)
	b, err := r.Encode()
	require.NoError(t, err)
	return b, gen, target, len(proof), len(value), len(r.Sigs)
}
