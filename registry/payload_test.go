package registry

import (
	"bytes"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPayload is a two-level payload DAG: a dag-pb root over two raw
// leaves. The registry never parses dag-pb, so the root's bytes are
// arbitrary here (the application checks them against the links).
type testPayload struct {
	leaves []PayloadBlock
	root   PayloadBlock
}

func newTestPayload(name string) testPayload {
	a := PayloadBlock{Codec: CodecRaw, Data: []byte("phần 1 của " + name)}
	b := PayloadBlock{Codec: CodecRaw, Data: []byte("phần 2 của " + name + " (dài hơn)")}
	root := PayloadBlock{Codec: CodecDagPB, Data: []byte("dag-pb " + name), Links: []PayloadLink{
		{CID: a.CID(), Size: uint64(len(a.Data))}, {CID: b.CID(), Size: uint64(len(b.Data))}}}
	return testPayload{leaves: []PayloadBlock{a, b}, root: root}
}

func (p testPayload) cid() string { return FormatPayloadCID(p.root.CID()) }
func (p testPayload) size() uint64 {
	return uint64(len(p.leaves[0].Data) + len(p.leaves[1].Data))
}
func (p testPayload) blocks() []PayloadBlock {
	return append(append([]PayloadBlock{}, p.leaves...), p.root)
}

func TestBlockCID(t *testing.T) {
	// The CID of a raw block is the CIDv1 that `ipfs add --cid-version=1`
	// prints for a file of up to 256 KiB: base32 of 01 55 12 20 sha256.
	// sha256("") = e3b0c442…; the empty file's CID is well known.
	assert.Equal(t, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", FormatPayloadCID(BlockCID(CodecRaw, nil)))
	sum := sha256.Sum256([]byte("xin chào"))
	c := BlockCID(CodecDagPB, []byte("xin chào"))
	assert.Equal(t, append([]byte{1, 0x70, 0x12, 0x20}, sum[:]...), c)
	assert.True(t, strings.HasPrefix(FormatPayloadCID(c), "bafybei"))
	back, err := ParsePayloadCID(FormatPayloadCID(c))
	require.NoError(t, err)
	assert.Equal(t, c, back)
}

func TestParsePayloadCID(t *testing.T) {
	good := FormatPayloadCID(BlockCID(CodecRaw, []byte("a")))
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"raw", good, true},
		{"dag-pb", FormatPayloadCID(BlockCID(CodecDagPB, []byte("a"))), true},
		{"cidv0", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", false},
		{"dag-cbor codec", makeCID(append([]byte{1, 0x71, 0x12, 0x20}, docHash("x")...)), false},
		{"identity multihash", makeCID([]byte{1, 0x55, 0x00, 3, 'a', 'b', 'c'}), false},
		{"sha2-512", makeCID(append([]byte{1, 0x55, 0x13, 0x40}, bytes.Repeat([]byte{1}, 64)...)), false},
		{"uppercase", "B" + strings.ToUpper(good[1:]), false},
		{"base58btc", "z" + good[1:], false},
		{"empty", "", false},
		{"traversal", "../../etc/passwd", false},
		{"nul", good + "\x00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePayloadCID(tc.in)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrInvalid)
			}
		})
	}
}

func TestPayloadBlocksValidateBasic(t *testing.T) {
	p := newTestPayload("ảnh")
	valid := func() *MsgPayloadBlocks { return &MsgPayloadBlocks{Blocks: p.blocks()} }
	require.NoError(t, valid().ValidateBasic())
	for _, tc := range []struct {
		name string
		mut  func(m *MsgPayloadBlocks)
		want *Error
	}{
		{"no blocks", func(m *MsgPayloadBlocks) { m.Blocks = nil }, ErrInvalid},
		{"too many blocks", func(m *MsgPayloadBlocks) {
			for len(m.Blocks) <= MaxPayloadTxBlocks {
				m.Blocks = append(m.Blocks, m.Blocks[0])
			}
		}, ErrInvalid},
		{"unknown codec", func(m *MsgPayloadBlocks) { m.Blocks[0].Codec = 0x71 }, ErrInvalid},
		{"raw with links", func(m *MsgPayloadBlocks) { m.Blocks[0].Links = p.root.Links }, ErrInvalid},
		{"dag-pb without links", func(m *MsgPayloadBlocks) { m.Blocks[2].Links = nil }, ErrInvalid},
		{"bad link cid", func(m *MsgPayloadBlocks) { m.Blocks[2].Links[0].CID = []byte{1, 0x55, 0, 1, 'x'} }, ErrInvalid},
		{"link above the payload limit", func(m *MsgPayloadBlocks) { m.Blocks[2].Links[0].Size = MaxPayloadSize + 1 }, ErrOversize},
		{"links above the payload limit", func(m *MsgPayloadBlocks) {
			m.Blocks[2].Links[0].Size, m.Blocks[2].Links[1].Size = MaxPayloadSize, 1
		}, ErrOversize},
		{"block above 1 MiB", func(m *MsgPayloadBlocks) { m.Blocks[0].Data = make([]byte, MaxPayloadBlockSize+1) }, ErrOversize},
		{"tx above 1.5 MiB", func(m *MsgPayloadBlocks) {
			m.Blocks[0].Data = make([]byte, MaxPayloadBlockSize)
			m.Blocks[1].Data = make([]byte, MaxPayloadTxData-MaxPayloadBlockSize+1)
		}, ErrOversize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := valid()
			m.Blocks = append([]PayloadBlock(nil), m.Blocks...)
			for i := range m.Blocks {
				m.Blocks[i].Links = append([]PayloadLink(nil), m.Blocks[i].Links...)
			}
			tc.mut(m)
			require.ErrorIs(t, m.ValidateBasic(), tc.want)
		})
	}
}

func TestPublishPayloadValidateBasic(t *testing.T) {
	p := newTestPayload("x")
	for _, tc := range []struct {
		name string
		msg  Msg
		ok   bool
	}{
		{"ok", &MsgPublishPayload{CID: p.cid(), MediaType: "image/jpeg"}, true},
		{"no media type", &MsgPublishPayload{CID: p.cid()}, true},
		{"svg+xml", &MsgPublishPayload{CID: p.cid(), MediaType: "image/svg+xml"}, true},
		{"bad cid", &MsgPublishPayload{CID: "bafy"}, false},
		{"media type upper", &MsgPublishPayload{CID: p.cid(), MediaType: "Image/JPEG"}, false},
		{"media type no slash", &MsgPublishPayload{CID: p.cid(), MediaType: "jpeg"}, false},
		{"media type params", &MsgPublishPayload{CID: p.cid(), MediaType: "text/plain; charset=utf-8"}, false},
		{"media type long", &MsgPublishPayload{CID: p.cid(), MediaType: "a/" + strings.Repeat("b", 99)}, false},
		{"encrypted", &MsgPublishPayload{CID: p.cid(), Encrypted: true}, true},
		{"encrypted with media type", &MsgPublishPayload{CID: p.cid(), MediaType: "application/pdf", Encrypted: true}, false},
		{"release ok", &MsgReleasePayload{CID: p.cid(), Reason: "Hết thời hạn lưu trữ"}, true},
		{"release no reason", &MsgReleasePayload{CID: p.cid()}, false},
		{"release not nfc", &MsgReleasePayload{CID: p.cid(), Reason: "Hê\u0301t"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.msg.ValidateBasic()
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				require.True(t, IsDomain(err), "%v", err)
			}
		})
	}
}

func TestPayloadLifecycle(t *testing.T) {
	c := newChain(t)
	p := newTestPayload("giấy chứng nhận")

	// Publishing before the blocks were delivered names the missing block.
	_, err := c.deliver(haiChau, &MsgPublishPayload{CID: p.cid()})
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), p.cid())

	// Only the root delivered: the first leaf is missing.
	c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: []PayloadBlock{p.root}})
	_, err = c.deliver(haiChau, &MsgPublishPayload{CID: p.cid()})
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), FormatPayloadCID(p.leaves[0].CID()))

	// A council key is not an agency key.
	_, err = c.deliver(council1, &MsgPayloadBlocks{Blocks: p.leaves})
	require.ErrorIs(t, err, ErrUnauthorized)

	res := c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: p.leaves})
	d := NewDecoder(res.Data)
	require.Equal(t, uint64(2), d.Uint())
	assert.Equal(t, p.leaves[0].CID(), d.Bytes())
	assert.Equal(t, p.leaves[1].CID(), d.Bytes())
	require.NoError(t, d.Finish())
	c.nextBlock()

	res = c.mustDeliver(haiChau, &MsgPublishPayload{CID: p.cid(), MediaType: "application/pdf"})
	assert.True(t, hasEvent(res, "payload_publish", "new", "true"))
	root := p.root.CID()
	rec, err := c.state().PayloadRecord(root, "ubnd-hai-chau")
	require.NoError(t, err)
	require.NotNil(t, rec)
	assert.Equal(t, &PayloadRecord{CID: p.cid(), Agency: "ubnd-hai-chau", Signer: haiChau.pub, Size: p.size(), Blocks: 3,
		MediaType: "application/pdf", Height: c.height, Time: uint64(c.time.Unix()), Status: PayloadLive,
		StatusHeight: c.height, StatusTime: uint64(c.time.Unix())}, rec)
	live, err := c.state().PayloadLiveCount(root)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), live)

	// Publishing again is idempotent.
	res = c.mustDeliver(haiChau2, &MsgPublishPayload{CID: p.cid()})
	assert.True(t, hasEvent(res, "payload_publish", "new", "false"))
	live, _ = c.state().PayloadLiveCount(root)
	assert.Equal(t, uint64(1), live)

	// A second agency publishes the same payload long after the upload:
	// the root is live, so its blocks are retained and need no new upload.
	c.advanceTo(c.height + 2*PayloadStagingBlocks)
	c.mustDeliver(tuPhapKey, &MsgPublishPayload{CID: p.cid()})
	live, _ = c.state().PayloadLiveCount(root)
	assert.Equal(t, uint64(2), live)
	recs, err := c.state().PayloadRecords(root)
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "so-tu-phap", recs[0].Agency)

	// Releases: by an agency that did not publish, twice, then to zero.
	_, err = c.deliver(testKeyAgency(t, c, "so-cong-thuong"), &MsgReleasePayload{CID: p.cid(), Reason: "x"})
	require.ErrorIs(t, err, ErrNotFound)
	res = c.mustDeliver(haiChau, &MsgReleasePayload{CID: p.cid(), Reason: "Hết thời hạn lưu trữ"})
	assert.True(t, hasEvent(res, "payload_release", "live", "1"))
	_, err = c.deliver(haiChau, &MsgReleasePayload{CID: p.cid(), Reason: "lần nữa"})
	require.ErrorIs(t, err, ErrConflict)
	c.mustDeliver(tuPhapKey, &MsgReleasePayload{CID: p.cid(), Reason: "Thu hồi"})
	assert.False(t, c.has(PayloadLiveKey(root)), "no live publication: the count is absent")
	rec, _ = c.state().PayloadRecord(root, "ubnd-hai-chau")
	assert.Equal(t, PayloadReleased, rec.Status)
	assert.Equal(t, "Hết thời hạn lưu trữ", rec.Reason)

	// Not live and the upload is stale: publishing needs a new upload.
	_, err = c.deliver(haiChau, &MsgPublishPayload{CID: p.cid()})
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "staging window")
	c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: p.blocks()})
	res = c.mustDeliver(haiChau, &MsgPublishPayload{CID: p.cid()})
	assert.True(t, hasEvent(res, "payload_publish", "new", "true"))
	rec, _ = c.state().PayloadRecord(root, "ubnd-hai-chau")
	assert.Equal(t, PayloadLive, rec.Status)
}

// testKeyAgency adds an agency with one key through governance.
func testKeyAgency(t *testing.T, c *chain, id string) keyPair {
	k := testKey(id + "/main")
	c.pass(&AddAgency{ID: id, Name: "Sở Công Thương", Roles: []string{RoleCraftRegistrar}, Keys: [][]byte{k.pub}})
	return k
}

func TestPublishPayloadChecksTheDAG(t *testing.T) {
	c := newChain(t)
	// A raw root: a file of one chunk.
	leaf := PayloadBlock{Codec: CodecRaw, Data: []byte("ảnh sản phẩm")}
	c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: []PayloadBlock{leaf}})
	res := c.mustDeliver(haiChau, &MsgPublishPayload{CID: FormatPayloadCID(leaf.CID()), MediaType: "image/jpeg"})
	d := NewDecoder(res.Data)
	assert.Equal(t, FormatPayloadCID(leaf.CID()), d.String())
	assert.Equal(t, uint64(len(leaf.Data)), d.Uint())

	// A root whose link sizes lie about a child.
	p := newTestPayload("lie")
	p.root.Links[1].Size++
	c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: p.blocks()})
	_, err := c.deliver(haiChau, &MsgPublishPayload{CID: p.cid()})
	require.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "parent says")

	// Two levels: the inner node's size must be its links' total.
	q := newTestPayload("inner")
	top := PayloadBlock{Codec: CodecDagPB, Data: []byte("top"), Links: []PayloadLink{
		{CID: q.root.CID(), Size: q.size()}, {CID: leaf.CID(), Size: uint64(len(leaf.Data))}}}
	c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: append(q.blocks(), top)})
	res = c.mustDeliver(haiChau, &MsgPublishPayload{CID: FormatPayloadCID(top.CID())})
	d = NewDecoder(res.Data)
	assert.Equal(t, FormatPayloadCID(top.CID()), d.String())
	assert.Equal(t, q.size()+uint64(len(leaf.Data)), d.Uint())
	rec, _ := c.state().PayloadRecord(top.CID(), "ubnd-hai-chau")
	assert.Equal(t, uint64(5), rec.Blocks)
}

func TestPublishPayloadLimits(t *testing.T) {
	c := newChain(t)
	// A DAG that declares more than MaxPayloadSize: rejected at publish
	// (each link is within the limit, the sum is not).
	leaf := PayloadBlock{Codec: CodecRaw, Data: []byte("x")}
	mid := PayloadBlock{Codec: CodecDagPB, Data: []byte("mid"), Links: []PayloadLink{{CID: leaf.CID(), Size: 1}}}
	var links []PayloadLink
	for i := 0; i < 3; i++ {
		links = append(links, PayloadLink{CID: mid.CID(), Size: MaxPayloadSize / 2})
	}
	top := PayloadBlock{Codec: CodecDagPB, Data: []byte("top"), Links: links}
	require.ErrorIs(t, (&MsgPayloadBlocks{Blocks: []PayloadBlock{top}}).ValidateBasic(), ErrOversize)

	// A DAG with too many blocks: a chain of nodes each linking 1024 times
	// to the same leaf is small in bytes but large to walk.
	links = nil
	for i := 0; i < MaxPayloadLinks; i++ {
		links = append(links, PayloadLink{CID: leaf.CID(), Size: 1})
	}
	wide := PayloadBlock{Codec: CodecDagPB, Data: []byte("wide"), Links: links}
	top = PayloadBlock{Codec: CodecDagPB, Data: []byte("top2"), Links: []PayloadLink{
		{CID: wide.CID(), Size: MaxPayloadLinks}, {CID: wide.CID(), Size: MaxPayloadLinks}}}
	c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: []PayloadBlock{leaf, wide, top}})
	_, err := c.deliver(haiChau, &MsgPublishPayload{CID: FormatPayloadCID(top.CID())})
	require.ErrorIs(t, err, ErrOversize)
	assert.Contains(t, err.Error(), "blocks")
}

func TestPayloadRetained(t *testing.T) {
	c := newChain(t)
	pub := newTestPayload("published")
	staged := newTestPayload("staged")
	old := newTestPayload("old")
	c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: old.blocks()})
	c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: pub.blocks()})
	c.mustDeliver(haiChau, &MsgPublishPayload{CID: pub.cid()})
	c.advanceTo(c.height + PayloadStagingBlocks + 5)
	c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: staged.blocks()})

	retained := func() map[string]bool {
		out := map[string]bool{}
		require.NoError(t, PayloadRetained(c.store, c.height, func(cid []byte) error {
			out[FormatPayloadCID(cid)] = true
			return nil
		}))
		return out
	}
	got := retained()
	for _, b := range append(pub.blocks(), staged.blocks()...) {
		assert.True(t, got[FormatPayloadCID(b.CID())], "keeps %s", FormatPayloadCID(b.CID()))
	}
	for _, b := range old.blocks() {
		assert.False(t, got[FormatPayloadCID(b.CID())], "drops the stale upload")
	}
	assert.Len(t, got, 6)

	// Released: the published payload's blocks are no longer retained.
	c.mustDeliver(haiChau, &MsgReleasePayload{CID: pub.cid(), Reason: "Xóa theo yêu cầu"})
	got = retained()
	assert.Len(t, got, 3)
	assert.False(t, got[pub.cid()])
}

func TestPayloadRecordRoundTrip(t *testing.T) {
	for _, raw := range payloadSampleRecords() {
		r, err := DecodePayloadRecord(raw)
		if err != nil {
			b, err2 := DecodePayloadBlockEntry(raw)
			require.NoError(t, err2, "%v", err)
			assert.Equal(t, raw, encode(b.Encode))
			continue
		}
		assert.Equal(t, raw, encode(r.Encode))
	}
}

func TestPayloadReleaseExpiresUploads(t *testing.T) {
	c := newChain(t)
	a := newTestPayload("a")
	// b shares a's first leaf.
	b := newTestPayload("b")
	b.leaves[0] = a.leaves[0]
	b.root.Links[0] = a.root.Links[0]
	c.mustDeliver(haiChau, &MsgPayloadBlocks{Blocks: append(a.blocks(), b.blocks()...)})
	c.mustDeliver(haiChau, &MsgPublishPayload{CID: a.cid()})
	c.mustDeliver(haiChau, &MsgPublishPayload{CID: b.cid()})
	c.nextBlock()
	c.mustDeliver(haiChau, &MsgReleasePayload{CID: a.cid(), Reason: "Xóa theo yêu cầu của chủ thể dữ liệu"})

	got := map[string]bool{}
	require.NoError(t, PayloadRetained(c.store, c.height, func(cid []byte) error {
		got[FormatPayloadCID(cid)] = true
		return nil
	}))
	// Released at once (not at the end of the staging window) except the
	// leaf b still uses.
	assert.False(t, got[a.cid()])
	assert.False(t, got[FormatPayloadCID(a.leaves[1].CID())])
	assert.True(t, got[FormatPayloadCID(a.leaves[0].CID())])
	assert.True(t, got[b.cid()])
	assert.Len(t, got, 3)
	roots, err := PayloadLiveRoots(c.store)
	require.NoError(t, err)
	assert.Equal(t, [][]byte{b.root.CID()}, roots)
}
