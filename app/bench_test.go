package app

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"

	"github.com/danangchain/danangchain/registry"
)

const benchBlockTxs = 1000

// BenchmarkFinalizeBlockAnchors executes and commits blocks of 1000
// signed anchor txs; one iteration is one block.
func BenchmarkFinalizeBlockAnchors(b *testing.B) {
	c := newChain(b, nil)
	c.block()
	// Sign outside the timer: a block's worth of distinct txs per iteration.
	blocks := make([][][]byte, b.N)
	for i := range blocks {
		txs := make([][]byte, benchBlockTxs)
		for j := range txs {
			txs[j] = c.tx(agencyKey, anchor(fmt.Sprintf("bench-%d-%d", i, j)))
		}
		blocks[i] = txs
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp := c.finalize(blocks[i]...)
		for j, r := range resp.TxResults {
			if r.Code != 0 {
				b.Fatalf("block %d tx %d: %s", i, j, r.Log)
			}
		}
		c.commit(resp)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*benchBlockTxs)/b.Elapsed().Seconds(), "txs/s")
}

// BenchmarkDecodeValidate is the stateless path of every tx: decoding and
// ValidateBasic (which verifies the signature).
func BenchmarkDecodeValidate(b *testing.B) {
	tx := signedTx(1, testChainID, agencyKey, 100, anchor("decode")).Encode()
	b.ReportAllocs()
	b.SetBytes(int64(len(tx)))
	for i := 0; i < b.N; i++ {
		t, err := registry.DecodeTx(tx)
		if err != nil {
			b.Fatal(err)
		}
		if err := t.ValidateBasic(testChainID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawEd25519Verify is the baseline for the signature check.
func BenchmarkRawEd25519Verify(b *testing.B) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	msg := make([]byte, 200)
	sig := ed25519.Sign(priv, msg)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("verify failed")
		}
	}
}

// BenchmarkRawIAVLSet is the baseline for state writes: random 32-byte
// keys in an IAVL tree on goleveldb with fsync, a version every 1000 sets.
func BenchmarkRawIAVLSet(b *testing.B) {
	db, err := iavldb.NewGoLevelDB("bench", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tree := iavl.NewMutableTree(db, 10_000, false, iavl.NewNopLogger(), iavl.SyncOption(true))
	keys := make([][]byte, b.N)
	for i := range keys {
		keys[i] = make([]byte, 32)
		if _, err := rand.Read(keys[i]); err != nil {
			b.Fatal(err)
		}
	}
	value := make([]byte, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tree.Set(keys[i], value); err != nil {
			b.Fatal(err)
		}
		if (i+1)%1000 == 0 {
			if _, _, err := tree.SaveVersion(); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, _, err := tree.SaveVersion(); err != nil {
		b.Fatal(err)
	}
}
