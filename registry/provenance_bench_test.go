package registry

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"
)

// BenchmarkProvenanceRecordEvents measures EPCIS event execution: decode,
// ValidateBasic (with the ed25519 signature), Deliver (authorisation,
// hash, anchoring, product index) on an in-memory store, 100 events per
// tx, each a new object commissioned at the farm. It reports events/s;
// the IAVL store of a node adds its own cost (see docs/provenance.md).
//
//	go test ./registry/ -run '^$' -bench ProvenanceRecordEvents -benchtime 20x
func BenchmarkProvenanceRecordEvents(b *testing.B) {
	const perTx = 100
	c := newProvChain(b)
	ctx := c.ctx()
	at := c.time.Add(-time.Hour)
	n := 0
	txs := make([][]byte, b.N)
	for i := range txs {
		m := &MsgRecordEvents{}
		for j := 0; j < perTx; j++ {
			n++
			epc := fmt.Sprintf("https://id.gs1.org/01/08930000000019/21/HEO-%09d", n)
			ev := objectEvent("commissioning", "active", ActionAdd, farmGLN, at, epc)
			m.Items = append(m.Items, EventItem{Event: ev})
		}
		tx := &Tx{ChainID: testChainID, Signer: farmKey.pub, Nonce: binary.BigEndian.AppendUint64([]byte("bench"), uint64(i)),
			ExpiresAt: ctx.Height + 100, Msg: m}
		tx.SignWith(farmKey.priv)
		txs[i] = tx.Encode()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tx, err := DecodeTx(txs[i])
		if err != nil {
			b.Fatal(err)
		}
		if err := tx.ValidateBasic(testChainID); err != nil {
			b.Fatal(err)
		}
		if _, err := Deliver(ctx, c.store, tx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*perTx)/b.Elapsed().Seconds(), "events/s")
}
