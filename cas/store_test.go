package cas

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

func openStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "payloads"), Options{NoSync: true})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// blockFile finds the file flatfs keeps block c in.
func blockFile(t *testing.T, s *Store, c cid.Cid) string {
	t.Helper()
	var found string
	data, err := s.Get(context.Background(), c)
	require.NoError(t, err)
	require.NoError(t, filepath.WalkDir(s.Dir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".data") {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && bytes.Equal(b, data) {
			found = p
		}
		return err
	}))
	require.NotEmpty(t, found)
	return found
}

func TestCIDPolicy(t *testing.T) {
	raw := BlockCID(CodecRaw, []byte("x"))
	identity, _ := mh.Sum([]byte("abc"), mh.IDENTITY, -1)
	sha512, _ := mh.Sum([]byte("abc"), mh.SHA2_512, -1)
	blake, _ := mh.Sum([]byte("abc"), mh.BLAKE2B_MIN+31, -1)
	sha256v0, _ := mh.Sum([]byte("abc"), mh.SHA2_256, -1)
	for _, tc := range []struct {
		name string
		in   string
		want string // substring of the error; "" = accepted
	}{
		{"raw", raw.String(), ""},
		{"dag-pb", BlockCID(CodecDagPB, []byte("x")).String(), ""},
		{"cidv0", cid.NewCidV0(sha256v0).String(), "CIDv0"},
		{"identity", cid.NewCidV1(cid.Raw, identity).String(), "identity"},
		{"sha2-512", cid.NewCidV1(cid.Raw, sha512).String(), "sha2-512"},
		{"blake2b", cid.NewCidV1(cid.Raw, blake).String(), "blake2b"},
		{"dag-cbor", cid.NewCidV1(cid.DagCBOR, sha256v0).String(), "codec"},
		{"base36", mustBase(t, raw, "k"), "base32"},
		{"uppercase base32", "B" + strings.ToUpper(raw.String()[1:]), "base32"},
		{"garbage", "bafy-not-a-cid", "invalid cid"},
		{"traversal", "../../etc/passwd", "not a CID"},
		{"nul", raw.String() + "\x00", "not a CID"},
		{"slash", raw.String() + "/x", "not a CID"},
		{"empty", "", "empty"},
		{"long", "b" + strings.Repeat("a", 300), "longer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCID(tc.in)
			if tc.want == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.in, c.String())
				return
			}
			require.ErrorIs(t, err, ErrBadCID)
			require.ErrorIs(t, err, registry.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func mustBase(t *testing.T, c cid.Cid, prefix string) string {
	s, err := c.StringOfBase('k')
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(s, prefix))
	return s
}

func TestStorePutGetVerifies(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	data := []byte("ảnh sản phẩm gốm Non Nước")
	c := BlockCID(CodecRaw, data)
	require.NoError(t, s.Put(ctx, c, data))
	got, err := s.Get(ctx, c)
	require.NoError(t, err)
	assert.Equal(t, data, got)

	// Bytes that do not match the CID are never stored.
	other := BlockCID(CodecRaw, []byte("khác"))
	require.ErrorIs(t, s.Put(ctx, other, data), ErrHashMismatch)
	ok, err := s.Has(ctx, other)
	require.NoError(t, err)
	assert.False(t, ok)
	bad, _ := blocks.NewBlockWithCid(data, other)
	require.ErrorIs(t, s.Blockstore().PutMany(ctx, []blocks.Block{bad}), ErrHashMismatch)

	// Identity and other hash functions are refused on put and get.
	identity, _ := mh.Sum(data, mh.IDENTITY, -1)
	idc := cid.NewCidV1(cid.Raw, identity)
	require.ErrorIs(t, s.Put(ctx, idc, data), ErrBadCID)
	_, err = s.Get(ctx, idc)
	require.ErrorIs(t, err, ErrBadCID)
	ok, _ = s.Has(ctx, idc)
	assert.False(t, ok)

	// Unknown: not found.
	_, err = s.Get(ctx, BlockCID(CodecRaw, []byte("không có")))
	require.ErrorIs(t, err, ErrNotFound)
	require.ErrorIs(t, err, registry.ErrNotFound)

	// Damaged on disk: never served.
	require.NoError(t, os.WriteFile(blockFile(t, s, c), []byte("bị sửa"), 0o644))
	_, err = s.Get(ctx, c)
	require.ErrorIs(t, err, ErrHashMismatch)
}

func TestStoreFileNamesCannotEscape(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for i := 0; i < 20; i++ {
		d := bytes.Repeat([]byte{byte(i)}, 100+i)
		require.NoError(t, s.Put(ctx, BlockCID(CodecRaw, d), d))
	}
	_, _, err := s.Add(ctx, bytes.NewReader(pattern(3*ChunkSize)))
	require.NoError(t, err)
	// Every file is <store>/<2 chars>/<base32 multihash>.data (or flatfs's
	// own metadata): names come from hashes, never from input.
	name := regexp.MustCompile(`^[A-Z2-7]{2}/[A-Z2-7]+\.data$`)
	n := 0
	require.NoError(t, filepath.WalkDir(s.Dir(), func(p string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		rel, _ := filepath.Rel(s.Dir(), p)
		if d.IsDir() || strings.HasPrefix(rel, ".temp") || rel == "SHARDING" || rel == "_README" || rel == "diskUsage.cache" {
			return nil
		}
		assert.Regexp(t, name, filepath.ToSlash(rel))
		n++
		return nil
	}))
	assert.Equal(t, 20+4, n)
}

func TestStoreAddOpenMissing(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	data := pattern(5*ChunkSize + 123)
	root, size, err := s.Add(ctx, bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, uint64(len(data)), size)

	f, err := s.Open(ctx, root)
	require.NoError(t, err)
	assert.Equal(t, uint64(len(data)), f.Size())
	got, err := io.ReadAll(f)
	require.NoError(t, err)
	assert.Equal(t, data, got)
	_, err = f.Seek(ChunkSize+7, io.SeekStart)
	require.NoError(t, err)
	part := make([]byte, 1000)
	_, err = io.ReadFull(f, part)
	require.NoError(t, err)
	assert.Equal(t, data[ChunkSize+7:ChunkSize+1007], part)
	require.NoError(t, f.Close())

	var walked int
	require.NoError(t, s.Walk(ctx, root, func(c cid.Cid, b []byte) error { walked++; return VerifyBlock(c, b) }))
	assert.Equal(t, 7, walked)
	missing, err := s.Missing(ctx, root)
	require.NoError(t, err)
	assert.Empty(t, missing)

	d, err := Import(bytes.NewReader(data), 0)
	require.NoError(t, err)
	require.NoError(t, s.bs.DeleteBlock(ctx, d.Blocks[2].CID))
	missing, err = s.Missing(ctx, root)
	require.NoError(t, err)
	assert.Equal(t, []cid.Cid{d.Blocks[2].CID}, missing)

	_, err = s.Open(ctx, BlockCID(CodecDagPB, []byte("không có")))
	require.ErrorIs(t, err, ErrNotFound)

	// The size cap.
	small, err := Open(filepath.Join(t.TempDir(), "p"), Options{NoSync: true, MaxFileSize: 1000})
	require.NoError(t, err)
	defer small.Close()
	_, _, err = small.Add(ctx, bytes.NewReader(make([]byte, 1001)))
	require.ErrorIs(t, err, ErrTooLarge)
	require.ErrorIs(t, err, registry.ErrOversize)
	_, _, err = small.Add(ctx, bytes.NewReader(make([]byte, 1000)))
	require.NoError(t, err)
	_, err = Import(bytes.NewReader(make([]byte, 3*ChunkSize)), ChunkSize)
	require.ErrorIs(t, err, ErrTooLarge)
}

func TestImportDeduplicatesBlocks(t *testing.T) {
	d, err := Import(bytes.NewReader(make([]byte, 3*ChunkSize)), 0)
	require.NoError(t, err)
	require.Len(t, d.Blocks, 2, "one zero leaf, one root")
	assert.Equal(t, d.Root, d.Blocks[1].CID, "children before parents")
	require.Len(t, d.Blocks[1].Links, 3)
	for _, l := range d.Blocks[1].Links {
		assert.Equal(t, d.Blocks[0].CID, l.CID)
		assert.Equal(t, uint64(ChunkSize), l.Size)
	}
}

func TestPutPayloadBlocks(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	data := pattern(2*ChunkSize + 5)
	d, err := Import(bytes.NewReader(data), 0)
	require.NoError(t, err)
	require.NoError(t, s.PutPayloadBlocks(ctx, PayloadBlocks(d.Blocks)))
	f, err := s.Open(ctx, d.Root)
	require.NoError(t, err)
	got, err := io.ReadAll(f)
	require.NoError(t, err)
	assert.Equal(t, data, got)
}

func TestGCKeepsLiveAndConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	keep, _, err := s.Add(ctx, bytes.NewReader(pattern(2*ChunkSize+1)))
	require.NoError(t, err)
	drop, _, err := s.Add(ctx, bytes.NewReader(make([]byte, 3*ChunkSize))) // one zero leaf + root
	require.NoError(t, err)
	kept := map[string]bool{}
	require.NoError(t, s.Walk(ctx, keep, func(c cid.Cid, _ []byte) error { kept[string(c.Hash())] = true; return nil }))

	gc, err := s.StartGC()
	require.NoError(t, err)
	_, err = s.StartGC()
	require.ErrorIs(t, err, ErrGCRunning)
	// A block written after StartGC survives though keep does not know it.
	late := []byte("ghi trong lúc dọn rác")
	lc := BlockCID(CodecRaw, late)
	require.NoError(t, s.Put(ctx, lc, late))
	st, err := gc.Sweep(ctx, func(m []byte) bool { return kept[string(m)] })
	require.NoError(t, err)
	assert.Equal(t, GCStats{Blocks: 4 + 2 + 1, Removed: 2, Kept: 5}, st)

	_, err = s.Open(ctx, keep)
	require.NoError(t, err)
	ok, _ := s.Has(ctx, lc)
	assert.True(t, ok)
	ok, _ = s.Has(ctx, drop)
	assert.False(t, ok)
	keys, err := s.Keys(ctx)
	require.NoError(t, err)
	assert.Len(t, keys, 5)

	// The next collection, concurrent with writes, loses nothing written.
	gc, err = s.StartGC()
	require.NoError(t, err)
	var wg sync.WaitGroup
	var written []cid.Cid
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 50; i++ {
			b := []byte{byte(i), 1, 2, 3}
			c := BlockCID(CodecRaw, b)
			if s.Put(ctx, c, b) == nil {
				written = append(written, c)
			}
		}
	}()
	_, err = gc.Sweep(ctx, func([]byte) bool { return false })
	require.NoError(t, err)
	wg.Wait()
	for _, c := range written {
		ok, _ := s.Has(ctx, c)
		assert.True(t, ok, "written during GC: %s", c)
	}
}

func TestStoreCheckRemovesDamagedBlocks(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	data := pattern(2*ChunkSize + 9)
	root, _, err := s.Add(ctx, bytes.NewReader(data))
	require.NoError(t, err)
	d, err := Import(bytes.NewReader(data), 0)
	require.NoError(t, err)
	missing, damaged, err := s.Check(ctx, root)
	require.NoError(t, err)
	assert.Empty(t, missing)
	assert.Empty(t, damaged)

	leaf := d.Blocks[1].CID
	require.NoError(t, os.WriteFile(blockFile(t, s, leaf), []byte("hỏng"), 0o644))
	missing, damaged, err = s.Check(ctx, root)
	require.NoError(t, err)
	assert.Equal(t, []cid.Cid{leaf}, damaged)
	assert.Equal(t, []cid.Cid{leaf}, missing)
	// Repair: the block can be written again.
	require.NoError(t, s.PutMany(ctx, d.Blocks))
	missing, _, err = s.Check(ctx, root)
	require.NoError(t, err)
	assert.Empty(t, missing)
	f, err := s.Open(ctx, root)
	require.NoError(t, err)
	got, err := io.ReadAll(f)
	require.NoError(t, err)
	assert.Equal(t, data, got)
}
