package client

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
)

func docs(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		h := sha256.Sum256(binary.BigEndian.AppendUint64(nil, uint64(i)))
		out[i] = h[:]
	}
	return out
}

// rfc6962 is the recursive definition, for cross-checking.
func rfc6962(d [][]byte) [32]byte {
	if len(d) == 1 {
		return sha256.Sum256(append([]byte{0}, d[0]...))
	}
	k := 1
	for k*2 < len(d) {
		k *= 2
	}
	l, r := rfc6962(d[:k]), rfc6962(d[k:])
	return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
}

func TestMerkleMatchesRFC6962AndPathsVerify(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 9, 31, 33, 100} {
		d := docs(n)
		tr, err := NewMerkleTree(d)
		require.NoError(t, err)
		want := rfc6962(d)
		require.Equal(t, want[:], tr.Root(), "n=%d", n)
		for i := range d {
			p := tr.Path(i)
			require.True(t, VerifyMerklePath(d[i], uint64(i), uint64(n), p, tr.Root()), "n=%d i=%d", n, i)
			// Any mutation fails.
			require.False(t, VerifyMerklePath(d[(i+1)%n], uint64(i), uint64(n), p, tr.Root()) && n > 1)
			if len(p) > 0 {
				bad := append([][]byte(nil), p...)
				bad[0] = append([]byte(nil), p[0]...)
				bad[0][0] ^= 1
				require.False(t, VerifyMerklePath(d[i], uint64(i), uint64(n), bad, tr.Root()))
				require.False(t, VerifyMerklePath(d[i], uint64(i), uint64(n), p[:len(p)-1], tr.Root()))
			}
			require.False(t, VerifyMerklePath(d[i], uint64(i), uint64(n+1), p, tr.Root()) && n&(n-1) != 0 && i == n-1)
		}
	}
}

func FuzzVerifyMerklePath(f *testing.F) {
	d := docs(5)
	tr, _ := NewMerkleTree(d)
	f.Add(d[2], uint64(2), uint64(5), tr.Path(2)[0], tr.Root())
	f.Fuzz(func(t *testing.T, doc []byte, i, n uint64, sib, root []byte) {
		_ = VerifyMerklePath(doc, i, n, [][]byte{sib}, root)
	})
}

// BenchmarkMerkleBatch: documents per second anchored under one root
// (tree build + all paths' storage), beside raw SHA-256 of the same count.
func BenchmarkMerkleBatch(b *testing.B) {
	d := docs(1_000_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := NewMerkleTree(d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(d)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkRawSHA256(b *testing.B) {
	var buf [33]byte
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = sha256.Sum256(buf[:])
	}
}
