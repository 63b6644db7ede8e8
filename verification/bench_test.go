package verification_test

import (
	"testing"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/verification"
)

// BenchmarkVerifyReceipt verifies shared vectors with the pure verifier
// (what the browser runs) and, as the same-run baseline, with the
// CometBFT/ics23-based verifier in client.
//
//	go test -run '^$' -bench BenchmarkVerifyReceipt -benchmem ./verification/
func BenchmarkVerifyReceipt(b *testing.B) {
	vf, gen, root := loadVectors(b)
	for _, name := range []string{"v1-present", "v1-absent-between-neighbours", "v2-two-handovers-absent-single-validator"} {
		var raw []byte
		for _, v := range vf.Vectors {
			if v.Name == name {
				raw = v.bytes(b)
			}
		}
		if raw == nil {
			b.Fatalf("no vector %s", name)
		}
		b.Run(name+"/verification", func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for i := 0; i < b.N; i++ {
				if _, err := verification.VerifyReceipt(raw, root); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/client-baseline", func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for i := 0; i < b.N; i++ {
				if _, err := client.VerifyReceiptBytes(raw, gen, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
