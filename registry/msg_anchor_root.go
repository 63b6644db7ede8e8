package registry

import "bytes"

// MsgTypeAnchorRoot anchors the Merkle root of a batch of document hashes.
const MsgTypeAnchorRoot MsgType = 6

// PrefixAnchorRoot keys batch roots: m|root -> AnchorRoot.
const PrefixAnchorRoot = 'm'

// MaxAnchorBatch bounds the documents under one root.
const MaxAnchorBatch = 1 << 32

// AnchorRootKey is the state key of an anchored batch root.
func AnchorRootKey(root []byte) []byte { return append([]byte{PrefixAnchorRoot}, root...) }

// AnchorRoot is an agency's attestation of a batch of documents: only the
// RFC 6962 Merkle root of their SHA-256 hashes is in state; each document's
// inclusion path travels in its own receipt. One state write anchors any
// number of documents.
type AnchorRoot struct {
	Root   []byte
	Count  uint64
	Agency string
	Signer []byte
	Height uint64
	Time   uint64
	Tag    string
}

// Encode writes the canonical form.
func (a *AnchorRoot) Encode(e *Encoder) {
	e.Bytes(a.Root)
	e.Uint(a.Count)
	e.String(a.Agency)
	e.Bytes(a.Signer)
	e.Uint(a.Height)
	e.Uint(a.Time)
	e.String(a.Tag)
}

// DecodeAnchorRoot reads the canonical form.
func DecodeAnchorRoot(b []byte) (*AnchorRoot, error) {
	d := NewDecoder(b)
	a := &AnchorRoot{Root: d.Bytes(), Count: d.Uint(), Agency: d.String(), Signer: d.Bytes(), Height: d.Uint(), Time: d.Uint(), Tag: d.String()}
	return a, d.Finish()
}

// MsgAnchorRoot anchors a batch root for the signer's agency. Anchoring
// the same root again is idempotent and keeps the first anchor.
type MsgAnchorRoot struct {
	Root  []byte
	Count uint64
	Tag   string
}

func decodeAnchorRoot(d *Decoder) Msg {
	return &MsgAnchorRoot{Root: d.Bytes(), Count: d.Uint(), Tag: d.String()}
}

func (m *MsgAnchorRoot) Type() MsgType { return MsgTypeAnchorRoot }
func (m *MsgAnchorRoot) Encode(e *Encoder) {
	e.Bytes(m.Root)
	e.Uint(m.Count)
	e.String(m.Tag)
}
func (m *MsgAnchorRoot) ValidateBasic() error {
	if len(m.Root) != HashSize {
		return Errorf(ErrInvalid, "root must be %d bytes", HashSize)
	}
	if m.Count == 0 || m.Count > MaxAnchorBatch {
		return Errorf(ErrInvalid, "count must be 1..%d", uint64(MaxAnchorBatch))
	}
	if err := CheckNFC(m.Tag); err != nil {
		return err
	}
	if len(m.Tag) > 100 {
		return Errorf(ErrInvalid, "tag above 100 bytes")
	}
	return nil
}
func (m *MsgAnchorRoot) Execute(env *Env) error {
	if env.Signer.Agency == nil {
		return Errorf(ErrUnauthorized, "only agency keys may anchor documents")
	}
	k := AnchorRootKey(m.Root)
	old, err := env.State.Store().Get(k)
	if err != nil {
		return err
	}
	env.Result.Data = bytes.Clone(m.Root)
	if old != nil {
		env.Emit("anchor_root", "hash", hexs(m.Root), "new", "false")
		return nil
	}
	a := &AnchorRoot{Root: m.Root, Count: m.Count, Agency: env.Signer.Agency.ID, Signer: env.Signer.PubKey,
		Height: env.Ctx.Height, Time: uint64(env.Ctx.Time.Unix()), Tag: m.Tag}
	env.Emit("anchor_root", "hash", hexs(m.Root), "new", "true", "count", uitoa(m.Count))
	return env.State.put(k, a.Encode)
}
