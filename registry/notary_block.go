package registry

import (
	"encoding/binary"
	"strconv"
)

// BlockNotice is a blocking notice (thông tin ngăn chặn) on one or more
// properties and, once lifted, its release (giải tỏa). Only the reference
// number, the category and the SHA-256 of the decision are on chain; the
// decision itself stays with the authority and the notary offices.
type BlockNotice struct {
	ID         uint64
	Ref        string // reference number of the decision, e.g. "45/2025/QĐ-BPKCTT"
	Authority  string // agency id that recorded it
	Reason     BlockReason
	DocHash    []byte   // SHA-256 of the decision document, or empty
	Properties [][]byte // property keys, ascending
	Signer     []byte
	Height     uint64
	Time       uint64 // unix seconds, block time

	Released       bool
	ReleaseRef     string // reference number of the release decision
	ReleaseDocHash []byte
	ReleasedBy     string // agency id that recorded the release
	ReleaseSigner  []byte
	ReleaseHeight  uint64
	ReleaseTime    uint64
}

// Encode writes the canonical form.
func (b *BlockNotice) Encode(e *Encoder) {
	e.Uint(b.ID)
	e.String(b.Ref)
	e.String(b.Authority)
	e.Uint(uint64(b.Reason))
	e.Bytes(b.DocHash)
	encodeHashList(e, b.Properties)
	e.Bytes(b.Signer)
	e.Uint(b.Height)
	e.Uint(b.Time)
	e.Bool(b.Released)
	e.String(b.ReleaseRef)
	e.Bytes(b.ReleaseDocHash)
	e.String(b.ReleasedBy)
	e.Bytes(b.ReleaseSigner)
	e.Uint(b.ReleaseHeight)
	e.Uint(b.ReleaseTime)
}

// DecodeBlockNotice reads the canonical form.
func DecodeBlockNotice(raw []byte) (*BlockNotice, error) {
	d := NewDecoder(raw)
	b := &BlockNotice{ID: d.Uint(), Ref: d.String(), Authority: d.String(), Reason: BlockReason(d.Uint()),
		DocHash: d.Bytes(), Properties: decodeHashList(d, MaxNotaryProperties), Signer: d.Bytes(),
		Height: d.Uint(), Time: d.Uint(), Released: d.Bool(), ReleaseRef: d.String(), ReleaseDocHash: d.Bytes(),
		ReleasedBy: d.String(), ReleaseSigner: d.Bytes(), ReleaseHeight: d.Uint(), ReleaseTime: d.Uint()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return b, nil
}

// HasProperty reports whether the notice covers property key k.
func (b *BlockNotice) HasProperty(k []byte) bool {
	for _, p := range b.Properties {
		if string(p) == string(k) {
			return true
		}
	}
	return false
}

// ActiveBlocks is the value of x|property: the ids of the active notices
// on the property, strictly ascending.
type ActiveBlocks []uint64

// Encode writes the canonical form: uvarint count, then uvarint ids.
func (a ActiveBlocks) Encode(e *Encoder) {
	e.Uint(uint64(len(a)))
	for _, id := range a {
		e.Uint(id)
	}
}

// DecodeActiveBlocks reads the canonical form (at least one id, strictly
// ascending: an empty list is stored as an absent key).
func DecodeActiveBlocks(raw []byte) (ActiveBlocks, error) {
	d := NewDecoder(raw)
	n := d.Count(MaxActiveBlocks, 1)
	out := make(ActiveBlocks, 0, n)
	for i := 0; i < n; i++ {
		id := d.Uint()
		if d.Err() == nil && (id == 0 || (i > 0 && id <= out[i-1])) {
			return nil, Errorf(ErrMalformed, "active block ids must be positive and strictly ascending")
		}
		out = append(out, id)
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, Errorf(ErrMalformed, "empty active block list")
	}
	return out, nil
}

// BlockNotice reads notice id; ErrNotFound if absent.
func (st *State) BlockNotice(id uint64) (*BlockNotice, error) {
	raw, err := st.s.Get(NotaryBlockKey(id))
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, Errorf(ErrNotFound, "blocking notice %d", id)
	}
	return DecodeBlockNotice(raw)
}

// ActiveBlocks reads the active notice ids on a property (nil if none).
func (st *State) ActiveBlocks(property []byte) (ActiveBlocks, error) {
	raw, err := st.s.Get(NotaryActiveKey(property))
	if err != nil || raw == nil {
		return nil, err
	}
	return DecodeActiveBlocks(raw)
}

// setActiveBlocks writes the list, deleting the key when it is empty.
func (st *State) setActiveBlocks(property []byte, ids ActiveBlocks) error {
	if len(ids) == 0 {
		return st.s.Delete(NotaryActiveKey(property))
	}
	return st.put(NotaryActiveKey(property), ids.Encode)
}

// MsgNotaryBlock records a blocking notice on one or more properties. The
// signer's agency must hold notary.blocker (courts, civil judgment
// enforcement, the Department of Justice); it becomes the notice's
// authority. A reference number is recorded once per authority.
type MsgNotaryBlock struct {
	Ref        string
	Reason     BlockReason
	DocHash    []byte   // SHA-256 of the decision, or empty
	Properties [][]byte // property keys, ascending, 1..100
}

func decodeNotaryBlock(d *Decoder) Msg {
	return &MsgNotaryBlock{Ref: d.String(), Reason: BlockReason(d.Uint()), DocHash: d.Bytes(),
		Properties: decodeHashList(d, MaxNotaryProperties)}
}

func (m *MsgNotaryBlock) Type() MsgType { return MsgTypeNotaryBlock }
func (m *MsgNotaryBlock) Encode(e *Encoder) {
	e.String(m.Ref)
	e.Uint(uint64(m.Reason))
	e.Bytes(m.DocHash)
	encodeHashList(e, m.Properties)
}
func (m *MsgNotaryBlock) ValidateBasic() error {
	if err := checkNotaryRef("ref", m.Ref); err != nil {
		return err
	}
	if !m.Reason.Valid() {
		return Errorf(ErrInvalid, "unknown reason category %d", m.Reason)
	}
	if err := checkOptionalHash("doc_hash", m.DocHash); err != nil {
		return err
	}
	return checkHashList("properties", m.Properties, MaxNotaryProperties)
}
func (m *MsgNotaryBlock) Execute(env *Env) error {
	if err := env.Signer.RequireRole(RoleBlockingAuthority); err != nil {
		return err
	}
	st := env.State
	authority := env.Signer.Agency.ID
	refKey := NotaryRefKey(authority, m.Ref)
	if old, err := st.s.Get(refKey); err != nil {
		return err
	} else if old != nil {
		return Errorf(ErrConflict, "%s already recorded notice %s as id %d", authority, m.Ref, binary.BigEndian.Uint64(old))
	}
	id, err := st.NextSeq(notaryBlockSeq)
	if err != nil {
		return err
	}
	for _, p := range m.Properties {
		ids, err := st.ActiveBlocks(p)
		if err != nil {
			return err
		}
		if len(ids) >= MaxActiveBlocks {
			return Errorf(ErrConflict, "property %s already has %d active blocking notices", shortKey(p), len(ids))
		}
		// Ids only increase, so appending keeps the list ascending.
		if err := st.setActiveBlocks(p, append(ids, id)); err != nil {
			return err
		}
	}
	b := &BlockNotice{ID: id, Ref: m.Ref, Authority: authority, Reason: m.Reason, DocHash: m.DocHash,
		Properties: m.Properties, Signer: env.Signer.PubKey, Height: env.Ctx.Height, Time: uint64(env.Ctx.Time.Unix())}
	if err := st.put(NotaryBlockKey(id), b.Encode); err != nil {
		return err
	}
	if err := st.s.Set(refKey, binary.BigEndian.AppendUint64(nil, id)); err != nil {
		return err
	}
	env.Result.Data = binary.BigEndian.AppendUint64(nil, id)
	env.Emit("notary_block", "id", strconv.FormatUint(id, 10), "authority", authority,
		"reason", m.Reason.String(), "properties", strconv.Itoa(len(m.Properties)))
	return nil
}
