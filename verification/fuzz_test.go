package verification_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/verification"
)

// FuzzVerifyReceipt is a differential fuzzer: on any bytes, VerifyReceipt
// must not panic and must give client.VerifyReceiptBytes's outcome (its
// registry error, or what an accepted receipt proves). Where the reference
// panics, this package must refuse.
func FuzzVerifyReceipt(f *testing.F) {
	vf, gen, root := loadVectors(f)
	for _, v := range vf.Vectors {
		if v.Pad < 1000 {
			f.Add(v.bytes(f))
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, err := verification.VerifyReceipt(raw, root)
		ref, refErr, panicked := referenceVerify(raw, gen)
		if panicked {
			require.Error(t, err, "the reference panics, this package accepts")
			return
		}
		require.Equal(t, outcome(refErr), outcome(err), "reference: %v; ours: %v", refErr, err)
		if err != nil {
			return
		}
		require.Equal(t, ref.Key, got.Key)
		require.Equal(t, ref.Value, got.Value)
		require.Equal(t, ref.Height, got.Height)
		require.True(t, ref.Time.Equal(got.Time))
		require.True(t, bytes.Equal(ref.AppHash, got.AppHash))
	})
}

// FuzzVerifyMembership: the ICS23 verifiers must not panic, and must agree
// with ics23 (where ics23 panics, this package must refuse).
func FuzzVerifyMembership(f *testing.F) {
	fx := newFixture(f)
	for _, k := range append(fx.keys[:3:3], fx.keys[len(fx.keys)-1], []byte("a"), []byte("r/42"), []byte("z")) {
		v := fx.values[string(k)]
		f.Add(fx.root, k, v, fx.proof(f, k), v == nil)
	}
	f.Fuzz(func(t *testing.T, root, key, value, proof []byte, absent bool) {
		if absent {
			value = nil
		} else if value == nil {
			value = []byte{}
		}
		ref, panicked := referenceProof(root, key, value, proof)
		ours := oursProof(root, key, value, proof)
		if panicked {
			require.False(t, ours)
			return
		}
		require.Equal(t, ref, ours)
	})
}
