package client

import (
	"bytes"
	"testing"
)

// FuzzDecodeReceipt: any bytes decode without panicking, and a receipt
// that decodes re-encodes to the same bytes (canonical, v1 and v2).
func FuzzDecodeReceipt(f *testing.F) {
	f.Add([]byte(receiptMagic))
	f.Add([]byte(receiptMagicV2))
	f.Add(append([]byte(receiptMagicV2), 0x05, 'c', 'h', 'a', 'i', 'n', 0x01, 0x01, 0x00, 0x00))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeReceipt(b)
		if err != nil {
			return
		}
		again, err := r.Encode()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("decoded receipt does not re-encode to its bytes: %v", err)
		}
	})
}
