package registry

import "bytes"

// PrefixAnchor keys generic document anchors: d|sha256 -> Anchor.
const PrefixAnchor = 'd'

// AnchorKey is the state key of an anchored document hash.
func AnchorKey(hash []byte) []byte { return append([]byte{PrefixAnchor}, hash...) }

// Anchor is an agency's attestation that a document with this SHA-256
// existed at a block time. Anchoring again is idempotent and keeps the
// first anchor's height and time.
type Anchor struct {
	Hash   []byte
	Agency string
	Signer []byte
	Height uint64
	Time   uint64 // unix seconds, block time
	Tag    string
}

// Encode writes the canonical form.
func (a *Anchor) Encode(e *Encoder) {
	e.Bytes(a.Hash)
	e.String(a.Agency)
	e.Bytes(a.Signer)
	e.Uint(a.Height)
	e.Uint(a.Time)
	e.String(a.Tag)
}

// DecodeAnchor reads the canonical form.
func DecodeAnchor(b []byte) (*Anchor, error) {
	d := NewDecoder(b)
	a := &Anchor{Hash: d.Bytes(), Agency: d.String(), Signer: d.Bytes(), Height: d.Uint(), Time: d.Uint(), Tag: d.String()}
	return a, d.Finish()
}

// MsgAnchor anchors a document hash for the signer's agency.
type MsgAnchor struct {
	Hash []byte
	Tag  string // free classification, e.g. "công văn"
}

func decodeAnchor(d *Decoder) Msg { return &MsgAnchor{Hash: d.Bytes(), Tag: d.String()} }

func (m *MsgAnchor) Type() MsgType     { return MsgTypeAnchor }
func (m *MsgAnchor) Encode(e *Encoder) { e.Bytes(m.Hash); e.String(m.Tag) }
func (m *MsgAnchor) ValidateBasic() error {
	if len(m.Hash) != HashSize {
		return Errorf(ErrInvalid, "hash must be %d bytes (SHA-256)", HashSize)
	}
	if err := CheckNFC(m.Tag); err != nil {
		return err
	}
	if len(m.Tag) > 100 {
		return Errorf(ErrInvalid, "tag above 100 bytes")
	}
	return nil
}
func (m *MsgAnchor) Execute(env *Env) error {
	if env.Signer.Agency == nil {
		return Errorf(ErrUnauthorized, "only agency keys may anchor documents")
	}
	k := AnchorKey(m.Hash)
	old, err := env.State.Store().Get(k)
	if err != nil {
		return err
	}
	env.Result.Data = bytes.Clone(m.Hash)
	if old != nil {
		// An anchor names one agency: anchoring the same hash again is a
		// no-op for that agency and a conflict for any other (the first
		// anchor stands; the error names it), never a silent success.
		prev, err := DecodeAnchor(old)
		if err != nil {
			return err
		}
		if prev.Agency != env.Signer.Agency.ID {
			return Errorf(ErrConflict, "document hash %s is already anchored by %s at height %d", hexs(m.Hash), prev.Agency, prev.Height)
		}
		env.Emit("anchor", "hash", hexs(m.Hash), "new", "false")
		return nil
	}
	a := &Anchor{Hash: m.Hash, Agency: env.Signer.Agency.ID, Signer: env.Signer.PubKey,
		Height: env.Ctx.Height, Time: uint64(env.Ctx.Time.Unix()), Tag: m.Tag}
	env.Emit("anchor", "hash", hexs(m.Hash), "new", "true")
	return env.State.put(k, a.Encode)
}
