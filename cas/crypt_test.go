package cas

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

func encrypt(t testing.TB, plain, key []byte) []byte {
	t.Helper()
	r, err := EncryptReader(bytes.NewReader(plain), key)
	require.NoError(t, err)
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	return out
}

func TestEncryptRoundTrip(t *testing.T) {
	key, err := NewKey()
	require.NoError(t, err)
	for _, n := range []int{0, 1, SegmentSize - 1, SegmentSize, SegmentSize + 1, 3 * SegmentSize, 1<<20 + 17} {
		plain := pattern(n)
		ct := encrypt(t, plain, key)
		assert.Equal(t, CiphertextSize(int64(n)), int64(len(ct)), "size of %d", n)
		if n >= 16 { // shorter strings may occur in random bytes by chance
			assert.NotContains(t, string(ct), string(plain[:min(n, 64)]))
		}
		var out bytes.Buffer
		m, err := Decrypt(&out, bytes.NewReader(ct), key)
		require.NoError(t, err, "n=%d", n)
		assert.Equal(t, int64(n), m)
		assert.True(t, bytes.Equal(plain, out.Bytes()), "n=%d", n)
	}
	// Two encryptions of one file differ (random nonce prefix): the CID
	// of a personal payload reveals nothing about the plaintext.
	assert.NotEqual(t, encrypt(t, []byte("048099001234"), key), encrypt(t, []byte("048099001234"), key))
}

func TestDecryptRejectsTampering(t *testing.T) {
	key, _ := NewKey()
	other, _ := NewKey()
	plain := pattern(2*SegmentSize + 100)
	ct := encrypt(t, plain, key)
	seg := SegmentSize + tagSize
	for _, tc := range []struct {
		name string
		ct   []byte
		key  []byte
	}{
		{"wrong key", ct, other},
		{"bit flip", flip(ct, headerSize+5), key},
		{"header flip", flip(ct, 10), key},
		{"truncated at a segment boundary", ct[:headerSize+2*seg], key},
		{"truncated inside a segment", ct[:len(ct)-1], key},
		{"extended", append(bytes.Clone(ct), 0), key},
		{"segments swapped", swap(ct, headerSize, seg), key},
		{"no header", ct[:5], key},
		{"not encrypted", []byte("plain text file"), key},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decrypt(io.Discard, bytes.NewReader(tc.ct), tc.key)
			require.ErrorIs(t, err, ErrDecrypt)
			require.ErrorIs(t, err, registry.ErrInvalid)
		})
	}
	_, err := ParseKey("abc")
	require.ErrorIs(t, err, ErrDecrypt)
	k, err := ParseKey(FormatKey(key))
	require.NoError(t, err)
	assert.Equal(t, key, k)
}

func flip(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 1
	return out
}

func swap(b []byte, off, seg int) []byte {
	out := bytes.Clone(b)
	copy(out[off:off+seg], b[off+seg:off+2*seg])
	copy(out[off+seg:off+2*seg], b[off:off+seg])
	return out
}

func TestCheckBlock(t *testing.T) {
	d, err := Import(bytes.NewReader(pattern(3*ChunkSize)), 0)
	require.NoError(t, err)
	pbs := PayloadBlocks(d.Blocks)
	root := pbs[len(pbs)-1]
	require.Equal(t, uint64(registry.CodecDagPB), root.Codec)
	require.NoError(t, CheckBlock(&root))
	require.NoError(t, CheckBlock(&pbs[0]))

	mut := func(f func(b *registry.PayloadBlock)) *registry.PayloadBlock {
		b := root
		b.Links = append([]registry.PayloadLink(nil), root.Links...)
		b.Data = bytes.Clone(root.Data)
		f(&b)
		return &b
	}
	dirNode := BlockCID(CodecDagPB, nil) // placeholder link target
	for _, tc := range []struct {
		name string
		b    *registry.PayloadBlock
	}{
		{"declared link differs", mut(func(b *registry.PayloadBlock) { b.Links[1].CID = pbs[0].CID() })},
		{"declared size differs", mut(func(b *registry.PayloadBlock) { b.Links[0].Size++ })},
		{"link missing", mut(func(b *registry.PayloadBlock) { b.Links = b.Links[:2] })},
		{"link added", mut(func(b *registry.PayloadBlock) {
			b.Links = append(b.Links, registry.PayloadLink{CID: dirNode.Bytes(), Size: 1})
		})},
		{"not dag-pb", mut(func(b *registry.PayloadBlock) { b.Data = []byte("không phải dag-pb") })},
		{"raw with links", &registry.PayloadBlock{Codec: registry.CodecRaw, Data: []byte("x"), Links: root.Links}},
		{"directory", &registry.PayloadBlock{Codec: registry.CodecDagPB, Data: dirBlock(t),
			Links: []registry.PayloadLink{{CID: pbs[0].CID(), Size: ChunkSize}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckBlock(tc.b)
			require.Error(t, err)
			require.True(t, registry.IsDomain(err), "%v", err)
		})
	}
}

// dirBlock is a UnixFS directory node linking to a leaf.
func dirBlock(t *testing.T) []byte {
	// PBNode{Links: [{Hash: leaf, Name: "a", Tsize: 1}], Data: {Type: Directory}}
	leaf := BlockCID(CodecRaw, []byte("a")).Bytes()
	link := append([]byte{0x0a, byte(len(leaf))}, leaf...)
	link = append(link, 0x12, 0x01, 'a', 0x18, 0x01)
	pb := append([]byte{0x12, byte(len(link))}, link...)
	pb = append(pb, 0x0a, 0x02, 0x08, 0x01)
	_, err := NodeLinks(pb)
	require.Error(t, err)
	return pb
}
