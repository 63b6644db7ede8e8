package registry

// Content-addressed payloads (photos, certificates, public decisions).
//
// A payload is a UnixFS file DAG: raw leaves (codec raw, 0x55) under
// dag-pb nodes (0x70), every block named by a CIDv1 with a sha2-256
// multihash. Its bytes travel through consensus: an agency sends the blocks
// in payload/blocks transactions (at most MaxPayloadTxData bytes of block
// data each), then publishes the root with payload/publish. Every validator
// executes every block, so every validator that committed the publication
// holds every block of the payload (the node writes the blocks of each
// committed payload/blocks tx to its block store before it saves the
// state, see app/).
//
// This package never parses UnixFS or dag-pb: it only hashes bytes. A
// dag-pb block's links (child CIDs and the UnixFS block sizes) are declared
// next to its bytes in the message, and the application checks, before any
// state is touched, that the declaration is exactly what the bytes encode
// (cas.CheckBlock, run by app/ in every stateless check). The chain then
// knows the whole DAG: publish walks it from the root through the declared
// links and requires every block to have been delivered recently.
//
// State layout (prefixes reserved for this family: 'P' 'Q' 'W'):
//
//	P | cid (36)                  -> PayloadBlockEntry (codec, size, height of the last delivery, links)
//	Q | root cid (36) | agency id -> PayloadRecord (one publication per agency)
//	W | root cid (36)             -> uvarint(number of live publications of the root) — absent when none
//
// A payload is live while at least one publication of its root is live
// (not released). A node keeps every block reachable from a live root and
// every block delivered during the last PayloadStagingBlocks heights (an
// upload in progress); it deletes every other block (PayloadRetained).
//
// Message types 50-52 (50-59 are reserved for this family).

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
)

// Message types of the payload family.
const (
	MsgTypePayloadBlocks  MsgType = 50
	MsgTypePublishPayload MsgType = 51
	MsgTypeReleasePayload MsgType = 52
)

// State key prefixes of the family (see the layout above).
const (
	PrefixPayloadBlock = 'P' // P|cid              -> PayloadBlockEntry
	PrefixPayload      = 'Q' // Q|root cid|agency  -> PayloadRecord
	PrefixPayloadLive  = 'W' // W|root cid         -> uvarint(live publications)
)

// Multicodec codes of the two block kinds a payload may contain.
const (
	CodecRaw        = 0x55 // a raw leaf: file bytes
	CodecDagPB      = 0x70 // a UnixFS dag-pb node linking to its children
	multihashSHA256 = 0x12
)

// Limits of the family.
const (
	// PayloadCIDSize is the binary size of every payload CID:
	// 0x01 codec 0x12 0x20 digest(32).
	PayloadCIDSize = 36
	// MaxPayloadBlockSize caps one block (Kubo's chunker makes 256 KiB leaves).
	MaxPayloadBlockSize = 1 << 20
	// MaxPayloadTxData caps the block bytes of one payload/blocks tx (the
	// tx limit is MaxTxBytes = 2 MiB).
	MaxPayloadTxData = 1536 << 10
	// MaxPayloadTxBlocks caps the number of blocks in one tx.
	MaxPayloadTxBlocks = 64
	// MaxPayloadLinks caps the links of one dag-pb node (Kubo: 174).
	MaxPayloadLinks = 1024
	// MaxPayloadSize caps a published file (its UnixFS file size).
	MaxPayloadSize = 64 << 20
	// MaxPayloadDAGBlocks caps the blocks publish visits (a 64 MiB file
	// in 256 KiB chunks has 259).
	MaxPayloadDAGBlocks = 2048
	// PayloadStagingBlocks is how long (in heights) a delivered block stays
	// usable by a publication and kept by nodes without one.
	PayloadStagingBlocks = 1200
	// MaxMediaTypeLen caps a payload's media type.
	MaxMediaTypeLen = 100
)

func payloadMsgs() []msgKind {
	return []msgKind{
		{MsgTypePayloadBlocks, "payload/blocks", decodePayloadBlocks},
		{MsgTypePublishPayload, "payload/publish", decodePublishPayload},
		{MsgTypeReleasePayload, "payload/release", decodeReleasePayload},
	}
}

// PayloadBlockKey is the state key of a delivered block.
func PayloadBlockKey(cid []byte) []byte { return append([]byte{PrefixPayloadBlock}, cid...) }

// PayloadKey is the state key of an agency's publication of root.
func PayloadKey(root []byte, agency string) []byte {
	return append(append([]byte{PrefixPayload}, root...), agency...)
}

// PayloadPrefix is the key prefix of every publication of root.
func PayloadPrefix(root []byte) []byte { return append([]byte{PrefixPayload}, root...) }

// PayloadLiveKey is the state key of root's live-publication count.
func PayloadLiveKey(root []byte) []byte { return append([]byte{PrefixPayloadLive}, root...) }

// BlockCID returns the binary CIDv1 of a block: version 1, codec, a
// sha2-256 multihash of data.
func BlockCID(codec uint64, data []byte) []byte {
	sum := sha256.Sum256(data)
	out := make([]byte, 0, PayloadCIDSize)
	out = append(out, 0x01, byte(codec), multihashSHA256, 32)
	return append(out, sum[:]...)
}

// CheckPayloadCID accepts a binary CIDv1 of a raw or dag-pb block with a
// sha2-256 multihash and returns its codec.
func CheckPayloadCID(c []byte) (uint64, error) {
	if len(c) != PayloadCIDSize || c[0] != 0x01 || (c[1] != CodecRaw && c[1] != CodecDagPB) ||
		c[2] != multihashSHA256 || c[3] != 32 {
		return 0, Errorf(ErrInvalid, "payload cid must be a CIDv1 of a raw (0x55) or dag-pb (0x70) block with a sha2-256 multihash")
	}
	return uint64(c[1]), nil
}

// ParsePayloadCID parses the text form (base32, "b…") of a payload CID.
func ParsePayloadCID(s string) ([]byte, error) {
	if err := CheckCID(s); err != nil {
		return nil, err
	}
	raw, _ := cidBase32.DecodeString(s[1:])
	if _, err := CheckPayloadCID(raw); err != nil {
		return nil, Errorf(ErrInvalid, "cid %s: only raw (bafkrei…) and dag-pb (bafybei…) payload roots are accepted", s)
	}
	return raw, nil
}

// FormatPayloadCID is the text form of a binary CID: "b" + lowercase base32.
func FormatPayloadCID(c []byte) string { return "b" + cidBase32.EncodeToString(c) }

// PayloadLink is one link of a dag-pb block: the child's CID and the
// number of file bytes under it (the UnixFS blocksize).
type PayloadLink struct {
	CID  []byte
	Size uint64
}

// PayloadBlock is one block of a payload DAG with, for dag-pb blocks, the
// links its bytes encode (checked by the application against the bytes).
type PayloadBlock struct {
	Codec uint64
	Data  []byte
	Links []PayloadLink // dag-pb only, in the node's order
}

// CID returns the block's binary CID.
func (b *PayloadBlock) CID() []byte { return BlockCID(b.Codec, b.Data) }

func (b *PayloadBlock) encode(e *Encoder) {
	e.Uint(b.Codec)
	e.Bytes(b.Data)
	encodePayloadLinks(e, b.Links)
}

func encodePayloadLinks(e *Encoder, links []PayloadLink) {
	e.Uint(uint64(len(links)))
	for _, l := range links {
		e.Bytes(l.CID)
		e.Uint(l.Size)
	}
}

func decodePayloadLinks(d *Decoder) []PayloadLink {
	n := d.Count(MaxPayloadLinks, PayloadCIDSize+2)
	var out []PayloadLink
	for i := 0; i < n && d.Err() == nil; i++ {
		out = append(out, PayloadLink{CID: d.Bytes(), Size: d.Uint()})
	}
	return out
}

func decodePayloadBlock(d *Decoder) PayloadBlock {
	return PayloadBlock{Codec: d.Uint(), Data: d.Bytes(), Links: decodePayloadLinks(d)}
}

// validate checks the block without state.
func (b *PayloadBlock) validate() error {
	if len(b.Data) > MaxPayloadBlockSize {
		return Errorf(ErrOversize, "block of %d bytes, limit %d", len(b.Data), MaxPayloadBlockSize)
	}
	switch b.Codec {
	case CodecRaw:
		if len(b.Links) != 0 {
			return Errorf(ErrInvalid, "a raw block has no links")
		}
	case CodecDagPB:
		if len(b.Links) == 0 || len(b.Links) > MaxPayloadLinks {
			return Errorf(ErrInvalid, "a dag-pb block must have 1..%d links", MaxPayloadLinks)
		}
		var total uint64
		for _, l := range b.Links {
			if _, err := CheckPayloadCID(l.CID); err != nil {
				return err
			}
			if l.Size > MaxPayloadSize {
				return Errorf(ErrOversize, "link of %d bytes above the payload limit %d", l.Size, MaxPayloadSize)
			}
			total += l.Size
		}
		if total > MaxPayloadSize {
			return Errorf(ErrOversize, "dag-pb block spans %d bytes, payload limit %d", total, MaxPayloadSize)
		}
	default:
		return Errorf(ErrInvalid, "block codec 0x%x: only raw (0x55) and dag-pb (0x70)", b.Codec)
	}
	return nil
}

// MsgPayloadBlocks delivers blocks of one or more payloads.
type MsgPayloadBlocks struct {
	Blocks []PayloadBlock
}

func decodePayloadBlocks(d *Decoder) Msg {
	n := d.Count(MaxPayloadTxBlocks, 3)
	m := &MsgPayloadBlocks{}
	for i := 0; i < n && d.Err() == nil; i++ {
		m.Blocks = append(m.Blocks, decodePayloadBlock(d))
	}
	return m
}

func (m *MsgPayloadBlocks) Type() MsgType { return MsgTypePayloadBlocks }
func (m *MsgPayloadBlocks) Encode(e *Encoder) {
	e.Uint(uint64(len(m.Blocks)))
	for i := range m.Blocks {
		m.Blocks[i].encode(e)
	}
}

func (m *MsgPayloadBlocks) ValidateBasic() error {
	if len(m.Blocks) == 0 || len(m.Blocks) > MaxPayloadTxBlocks {
		return Errorf(ErrInvalid, "1..%d blocks per tx", MaxPayloadTxBlocks)
	}
	total := 0
	for i := range m.Blocks {
		if err := m.Blocks[i].validate(); err != nil {
			return err
		}
		total += len(m.Blocks[i].Data)
	}
	if total > MaxPayloadTxData {
		return Errorf(ErrOversize, "%d bytes of blocks in one tx, limit %d", total, MaxPayloadTxData)
	}
	return nil
}

// Execute records every block as delivered at this height (a block
// delivered again is refreshed). Only agencies holding payload.publisher
// upload, within their quota: every byte of the tx is stored by every
// validator, whether or not the block was new.
func (m *MsgPayloadBlocks) Execute(env *Env) error {
	if err := env.Signer.RequireRole(RolePayloadPublisher); err != nil {
		return err
	}
	total := uint64(0)
	for i := range m.Blocks {
		total += uint64(len(m.Blocks[i].Data))
	}
	if err := chargePayload(env, total); err != nil {
		return err
	}
	out := NewEncoder(8 + len(m.Blocks)*(PayloadCIDSize+1))
	out.Uint(uint64(len(m.Blocks)))
	size := 0
	for i := range m.Blocks {
		b := &m.Blocks[i]
		c := b.CID()
		entry := &PayloadBlockEntry{Codec: b.Codec, Size: uint64(len(b.Data)), Height: env.Ctx.Height, Links: b.Links}
		if err := env.State.put(PayloadBlockKey(c), entry.Encode); err != nil {
			return err
		}
		out.Bytes(c)
		size += len(b.Data)
	}
	env.Result.Data = out.Out()
	env.Emit("payload_blocks", "count", strconv.Itoa(len(m.Blocks)), "bytes", strconv.Itoa(size))
	return nil
}

// PayloadBlockEntry is the chain's record of a delivered block.
type PayloadBlockEntry struct {
	Codec  uint64
	Size   uint64 // bytes of the block
	Height uint64 // height of the last delivery; 0 = expired by a release
	Links  []PayloadLink
}

// stagingStart is the first height of the staging window that ends at height.
func stagingStart(height uint64) uint64 {
	if height > PayloadStagingBlocks {
		return height - PayloadStagingBlocks
	}
	return 0
}

// staged reports whether the block's last delivery is recent enough to
// count for a publication (see PayloadStagingBlocks).
func (b *PayloadBlockEntry) staged(minHeight uint64) bool {
	return b.Height != 0 && b.Height >= minHeight
}

// Encode writes the canonical form.
func (b *PayloadBlockEntry) Encode(e *Encoder) {
	e.Uint(b.Codec)
	e.Uint(b.Size)
	e.Uint(b.Height)
	encodePayloadLinks(e, b.Links)
}

// DecodePayloadBlockEntry reads the canonical form.
func DecodePayloadBlockEntry(raw []byte) (*PayloadBlockEntry, error) {
	d := NewDecoder(raw)
	b := &PayloadBlockEntry{Codec: d.Uint(), Size: d.Uint(), Height: d.Uint(), Links: decodePayloadLinks(d)}
	return b, d.Finish()
}

// FileSize is the number of file bytes under the block.
func (b *PayloadBlockEntry) FileSize() uint64 {
	if b.Codec == CodecRaw {
		return b.Size
	}
	var n uint64
	for _, l := range b.Links {
		n += l.Size
	}
	return n
}

// PayloadStatus is the state of a publication.
type PayloadStatus uint64

// Publication statuses.
const (
	PayloadLive     PayloadStatus = 1
	PayloadReleased PayloadStatus = 2 // the agency no longer retains it
)

func (s PayloadStatus) String() string {
	switch s {
	case PayloadLive:
		return "live"
	case PayloadReleased:
		return "released"
	}
	return "unknown"
}

// PayloadRecord is an agency's publication of a payload.
type PayloadRecord struct {
	CID          string // root CID (text form)
	Agency       string
	Signer       []byte
	Size         uint64 // file bytes
	Blocks       uint64 // blocks in the DAG
	MediaType    string // e.g. "image/jpeg"; "" = unknown
	Encrypted    bool   // ciphertext of personal data (see docs/payloads.md)
	Height       uint64 // height of the (latest) publication
	Time         uint64 // unix seconds, block time
	Status       PayloadStatus
	StatusHeight uint64
	StatusTime   uint64
	Reason       string // why it was released
}

// Encode writes the canonical form.
func (p *PayloadRecord) Encode(e *Encoder) {
	e.String(p.CID)
	e.String(p.Agency)
	e.Bytes(p.Signer)
	e.Uint(p.Size)
	e.Uint(p.Blocks)
	e.String(p.MediaType)
	e.Bool(p.Encrypted)
	e.Uint(p.Height)
	e.Uint(p.Time)
	e.Uint(uint64(p.Status))
	e.Uint(p.StatusHeight)
	e.Uint(p.StatusTime)
	e.String(p.Reason)
}

// DecodePayloadRecord reads the canonical form.
func DecodePayloadRecord(raw []byte) (*PayloadRecord, error) {
	d := NewDecoder(raw)
	p := &PayloadRecord{CID: d.String(), Agency: d.String(), Signer: d.Bytes(), Size: d.Uint(), Blocks: d.Uint(),
		MediaType: d.String(), Encrypted: d.Bool(), Height: d.Uint(), Time: d.Uint(), Status: PayloadStatus(d.Uint()),
		StatusHeight: d.Uint(), StatusTime: d.Uint(), Reason: d.String()}
	return p, d.Finish()
}

// checkMediaType accepts "" or type/subtype in lowercase token characters.
func checkMediaType(s string) error {
	if s == "" {
		return nil
	}
	if len(s) > MaxMediaTypeLen {
		return Errorf(ErrInvalid, "media type above %d bytes", MaxMediaTypeLen)
	}
	slash := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', bytes.IndexByte([]byte("!#$&^_.+-"), c) >= 0:
		case c == '/':
			slash++
		default:
			return Errorf(ErrInvalid, "media type %q: lowercase type/subtype only", s)
		}
	}
	if slash != 1 || s[0] == '/' || s[len(s)-1] == '/' {
		return Errorf(ErrInvalid, "media type %q must be type/subtype", s)
	}
	return nil
}

// MsgPublishPayload publishes a payload whose blocks were delivered: the
// signer's agency retains it until it releases it.
type MsgPublishPayload struct {
	CID       string // root CID, text form
	MediaType string
	Encrypted bool
}

func decodePublishPayload(d *Decoder) Msg {
	return &MsgPublishPayload{CID: d.String(), MediaType: d.String(), Encrypted: d.Bool()}
}

func (m *MsgPublishPayload) Type() MsgType { return MsgTypePublishPayload }
func (m *MsgPublishPayload) Encode(e *Encoder) {
	e.String(m.CID)
	e.String(m.MediaType)
	e.Bool(m.Encrypted)
}

func (m *MsgPublishPayload) ValidateBasic() error {
	if _, err := ParsePayloadCID(m.CID); err != nil {
		return err
	}
	if m.Encrypted && m.MediaType != "" {
		// Minimisation: what kind of personal document it is stays off chain.
		return Errorf(ErrInvalid, "an encrypted payload has no media type")
	}
	return checkMediaType(m.MediaType)
}

// Execute walks the DAG from the root through the declared links: every
// block must have been delivered (and, unless the root is already live,
// within the last PayloadStagingBlocks heights), every link's size must
// be the size of the child, and the file must fit MaxPayloadSize.
func (m *MsgPublishPayload) Execute(env *Env) error {
	if err := env.Signer.RequireRole(RolePayloadPublisher); err != nil {
		return err
	}
	root, _ := ParsePayloadCID(m.CID)
	live, err := env.State.PayloadLiveCount(root)
	if err != nil {
		return err
	}
	size, blocks, err := walkPayload(env.State, root, live == 0, env.Ctx.Height, nil)
	if err != nil {
		return err
	}
	k := PayloadKey(root, env.Signer.Agency.ID)
	old, err := env.State.PayloadRecord(root, env.Signer.Agency.ID)
	if err != nil {
		return err
	}
	res := NewEncoder(64)
	res.String(m.CID)
	res.Uint(size)
	env.Result.Data = res.Out()
	if old != nil && old.Status == PayloadLive {
		env.Emit("payload_publish", "cid", m.CID, "agency", old.Agency, "new", "false")
		return nil
	}
	rec := &PayloadRecord{CID: m.CID, Agency: env.Signer.Agency.ID, Signer: env.Signer.PubKey, Size: size, Blocks: blocks,
		MediaType: m.MediaType, Encrypted: m.Encrypted, Height: env.Ctx.Height, Time: uint64(env.Ctx.Time.Unix()),
		Status: PayloadLive, StatusHeight: env.Ctx.Height, StatusTime: uint64(env.Ctx.Time.Unix())}
	if err := env.State.put(k, rec.Encode); err != nil {
		return err
	}
	if err := env.State.setPayloadLiveCount(root, live+1); err != nil {
		return err
	}
	env.Emit("payload_publish", "cid", m.CID, "agency", rec.Agency, "size", strconv.FormatUint(size, 10), "new", "true")
	return nil
}

// walkPayload visits the DAG under root through the declared links and
// returns its file size and the number of blocks visited. With fresh, a
// block counts as delivered only within the staging window before height
// (and not expired by a release). visit, if set, sees every block.
func walkPayload(st *State, root []byte, fresh bool, height uint64, visit func(cid []byte, b *PayloadBlockEntry) error) (size, blocks uint64, err error) {
	minHeight := stagingStart(height)
	type item struct {
		cid  []byte
		want uint64 // expected file size (the parent's link size)
		root bool
	}
	stack := []item{{cid: root, root: true}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		blocks++
		if blocks > MaxPayloadDAGBlocks {
			return 0, 0, Errorf(ErrOversize, "payload %s has more than %d blocks", FormatPayloadCID(root), MaxPayloadDAGBlocks)
		}
		b, err := st.PayloadBlock(it.cid)
		if err != nil {
			return 0, 0, err
		}
		if b == nil {
			return 0, 0, Errorf(ErrNotFound, "block %s of payload %s was not uploaded (send it with payload/blocks first)",
				FormatPayloadCID(it.cid), FormatPayloadCID(root))
		}
		if fresh && !b.staged(minHeight) {
			return 0, 0, Errorf(ErrNotFound, "block %s of payload %s was uploaded at height %d, outside the %d-block staging window (or released since): upload it again",
				FormatPayloadCID(it.cid), FormatPayloadCID(root), b.Height, PayloadStagingBlocks)
		}
		if visit != nil {
			if err := visit(it.cid, b); err != nil {
				return 0, 0, err
			}
		}
		fs := b.FileSize()
		if it.root {
			size = fs
			if size > MaxPayloadSize {
				return 0, 0, Errorf(ErrOversize, "payload %s is %d bytes, limit %d", FormatPayloadCID(root), size, MaxPayloadSize)
			}
		} else if fs != it.want {
			return 0, 0, Errorf(ErrInvalid, "block %s holds %d file bytes, its parent says %d", FormatPayloadCID(it.cid), fs, it.want)
		}
		for i := len(b.Links) - 1; i >= 0; i-- {
			stack = append(stack, item{cid: b.Links[i].CID, want: b.Links[i].Size})
		}
	}
	return size, blocks, nil
}

// MsgReleasePayload ends the signer's agency's publication of a payload.
// When no live publication remains, nodes delete its blocks (for an
// encrypted payload whose key was destroyed, only ciphertext ever left
// the holder: see docs/payloads.md on crypto-erasure).
type MsgReleasePayload struct {
	CID    string
	Reason string
}

func decodeReleasePayload(d *Decoder) Msg {
	return &MsgReleasePayload{CID: d.String(), Reason: d.String()}
}

func (m *MsgReleasePayload) Type() MsgType     { return MsgTypeReleasePayload }
func (m *MsgReleasePayload) Encode(e *Encoder) { e.String(m.CID); e.String(m.Reason) }
func (m *MsgReleasePayload) ValidateBasic() error {
	if _, err := ParsePayloadCID(m.CID); err != nil {
		return err
	}
	if err := checkText("reason", m.Reason, MaxReasonLen); err != nil {
		return err
	}
	if m.Reason == "" {
		return Errorf(ErrInvalid, "a reason is required to release a payload")
	}
	return nil
}

func (m *MsgReleasePayload) Execute(env *Env) error {
	if env.Signer.Agency == nil {
		return Errorf(ErrUnauthorized, "only agency keys may release payloads")
	}
	root, _ := ParsePayloadCID(m.CID)
	rec, err := env.State.PayloadRecord(root, env.Signer.Agency.ID)
	if err != nil {
		return err
	}
	if rec == nil {
		return Errorf(ErrNotFound, "agency %s has not published payload %s", env.Signer.Agency.ID, m.CID)
	}
	if rec.Status != PayloadLive {
		return Errorf(ErrConflict, "payload %s was already released at height %d", m.CID, rec.StatusHeight)
	}
	rec.Status, rec.StatusHeight, rec.StatusTime, rec.Reason = PayloadReleased, env.Ctx.Height, uint64(env.Ctx.Time.Unix()), m.Reason
	if err := env.State.put(PayloadKey(root, rec.Agency), rec.Encode); err != nil {
		return err
	}
	live, err := env.State.PayloadLiveCount(root)
	if err != nil {
		return err
	}
	if live > 0 {
		live--
	}
	if err := env.State.setPayloadLiveCount(root, live); err != nil {
		return err
	}
	if live == 0 {
		// No live publication left: expire the DAG's uploads so that
		// nodes delete its blocks now (except blocks another live
		// payload shares), not at the end of the staging window.
		_, _, err := walkPayload(env.State, root, false, env.Ctx.Height, func(c []byte, b *PayloadBlockEntry) error {
			if b.Height == 0 {
				return nil
			}
			b.Height = 0
			return env.State.put(PayloadBlockKey(c), b.Encode)
		})
		if err != nil {
			return err
		}
	}
	env.Emit("payload_release", "cid", m.CID, "agency", rec.Agency, "live", strconv.FormatUint(live, 10))
	return nil
}

// PayloadBlock reads a delivered block's entry; nil if never delivered.
func (st *State) PayloadBlock(cid []byte) (*PayloadBlockEntry, error) {
	raw, err := st.s.Get(PayloadBlockKey(cid))
	if err != nil || raw == nil {
		return nil, err
	}
	return DecodePayloadBlockEntry(raw)
}

// PayloadRecord reads an agency's publication of root; nil if none.
func (st *State) PayloadRecord(root []byte, agency string) (*PayloadRecord, error) {
	raw, err := st.s.Get(PayloadKey(root, agency))
	if err != nil || raw == nil {
		return nil, err
	}
	return DecodePayloadRecord(raw)
}

// PayloadRecords lists every publication of root in agency order.
func (st *State) PayloadRecords(root []byte) ([]*PayloadRecord, error) {
	var out []*PayloadRecord
	p := PayloadPrefix(root)
	err := st.s.Iterate(p, PrefixEnd(p), func(_, v []byte) (bool, error) {
		r, err := DecodePayloadRecord(v)
		if err != nil {
			return true, err
		}
		out = append(out, r)
		return false, nil
	})
	return out, err
}

// PayloadLiveCount is the number of live publications of root.
func (st *State) PayloadLiveCount(root []byte) (uint64, error) {
	raw, err := st.s.Get(PayloadLiveKey(root))
	if err != nil || raw == nil {
		return 0, err
	}
	d := NewDecoder(raw)
	n := d.Uint()
	return n, d.Finish()
}

func (st *State) setPayloadLiveCount(root []byte, n uint64) error {
	if n == 0 {
		return st.s.Delete(PayloadLiveKey(root))
	}
	return st.s.Set(PayloadLiveKey(root), binary.AppendUvarint(nil, n))
}

// PayloadRetained calls fn with the CID of every block a node must keep
// at height: every block reachable from a live root, and every block
// delivered at or after height-PayloadStagingBlocks (an upload in
// progress). A CID may be reported more than once. Everything else may
// be deleted from a node's block store.
func PayloadRetained(s Store, height uint64, fn func(cid []byte) error) error {
	st := NewState(s)
	minHeight := stagingStart(height)
	p := []byte{PrefixPayloadBlock}
	err := s.Iterate(p, PrefixEnd(p), func(k, v []byte) (bool, error) {
		b, err := DecodePayloadBlockEntry(v)
		if err != nil {
			return true, err
		}
		if b.staged(minHeight) {
			return false, fn(k[1:])
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	roots, err := PayloadLiveRoots(s)
	if err != nil {
		return err
	}
	for _, root := range roots {
		stack := [][]byte{root}
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if err := fn(c); err != nil {
				return err
			}
			b, err := st.PayloadBlock(c)
			if err != nil {
				return err
			}
			if b == nil {
				continue
			}
			for _, l := range b.Links {
				stack = append(stack, l.CID)
			}
		}
	}
	return nil
}

// PayloadLiveRoots lists the roots (binary CIDs) with at least one live
// publication, in key order.
func PayloadLiveRoots(s Store) ([][]byte, error) {
	var roots [][]byte
	p := []byte{PrefixPayloadLive}
	err := s.Iterate(p, PrefixEnd(p), func(k, _ []byte) (bool, error) {
		roots = append(roots, bytes.Clone(k[1:]))
		return false, nil
	})
	return roots, err
}
