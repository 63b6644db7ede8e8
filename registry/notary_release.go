package registry

import "strconv"

// MsgNotaryRelease records the release (giải tỏa) of an active blocking
// notice: every property it covered is free of it from this block on.
//
// Who may release: (1) the authority that recorded the notice, with any
// active key, while it still holds notary.blocker — the body that ordered
// a measure is the one that lifts it; (2) a notary.authority holder (Sở Tư
// pháp), the custodian of the blocking database, recording a release
// decision received from the competent body (for instance when the
// issuing court has been reorganised or the release was ordered on
// appeal). Other blocking authorities cannot lift each other's notices.
// The release is whole: a partial release is a release plus a new notice.
type MsgNotaryRelease struct {
	BlockID uint64
	Ref     string // reference number of the release decision
	DocHash []byte // SHA-256 of the release decision, or empty
}

func decodeNotaryRelease(d *Decoder) Msg {
	return &MsgNotaryRelease{BlockID: d.Uint(), Ref: d.String(), DocHash: d.Bytes()}
}

func (m *MsgNotaryRelease) Type() MsgType { return MsgTypeNotaryRelease }
func (m *MsgNotaryRelease) Encode(e *Encoder) {
	e.Uint(m.BlockID)
	e.String(m.Ref)
	e.Bytes(m.DocHash)
}
func (m *MsgNotaryRelease) ValidateBasic() error {
	if m.BlockID == 0 {
		return Errorf(ErrInvalid, "block id must be positive")
	}
	if err := checkNotaryRef("ref", m.Ref); err != nil {
		return err
	}
	return checkOptionalHash("doc_hash", m.DocHash)
}
func (m *MsgNotaryRelease) Execute(env *Env) error {
	a := env.Signer.Agency
	if a == nil {
		return Errorf(ErrUnauthorized, "only agency keys may release blocking notices")
	}
	st := env.State
	b, err := st.BlockNotice(m.BlockID)
	if err != nil {
		return err
	}
	issuer := a.ID == b.Authority && a.HasRole(RoleBlockingAuthority)
	custodian := a.HasRole(RoleNotaryAuthority)
	if !issuer && !custodian {
		return Errorf(ErrUnauthorized, "blocking notice %d was recorded by %s; only that authority or a %s holder may release it",
			b.ID, b.Authority, RoleNotaryAuthority)
	}
	if b.Released {
		return Errorf(ErrConflict, "blocking notice %d was already released at height %d", b.ID, b.ReleaseHeight)
	}
	for _, p := range b.Properties {
		ids, err := st.ActiveBlocks(p)
		if err != nil {
			return err
		}
		kept := make(ActiveBlocks, 0, len(ids))
		for _, id := range ids {
			if id != b.ID {
				kept = append(kept, id)
			}
		}
		if len(kept) == len(ids) {
			return Errorf(ErrInternal, "notice %d missing from the index of property %s", b.ID, shortKey(p))
		}
		if err := st.setActiveBlocks(p, kept); err != nil {
			return err
		}
	}
	b.Released = true
	b.ReleaseRef = m.Ref
	b.ReleaseDocHash = m.DocHash
	b.ReleasedBy = a.ID
	b.ReleaseSigner = env.Signer.PubKey
	b.ReleaseHeight = env.Ctx.Height
	b.ReleaseTime = uint64(env.Ctx.Time.Unix())
	if err := st.put(NotaryBlockKey(b.ID), b.Encode); err != nil {
		return err
	}
	env.Emit("notary_release", "id", strconv.FormatUint(b.ID, 10), "released_by", a.ID)
	return nil
}
