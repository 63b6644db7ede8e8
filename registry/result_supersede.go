package registry

import "bytes"

// MsgSupersedeResult records a new document that reissues (cấp lại),
// replaces (cấp đổi) or amends an earlier result of the signer's agency.
// The new record names the old one (Replaces) and the old one becomes
// superseded, naming the new one (ReplacedBy). The tx Data is
// EncodeIssued with the new id. Sending the same supersession again
// returns the same new id.
type MsgSupersedeResult struct {
	ID   uint64       // the result being superseded
	Kind ResultOrigin // OriginReissue, OriginReplace or OriginAmend
	Doc  ResultDoc    // the new document
}

func decodeSupersedeResult(d *Decoder) Msg {
	return &MsgSupersedeResult{ID: d.Uint(), Kind: ResultOrigin(d.Uint()), Doc: decodeResultDoc(d)}
}

func (m *MsgSupersedeResult) Type() MsgType { return MsgTypeSupersedeResult }

func (m *MsgSupersedeResult) Encode(e *Encoder) {
	e.Uint(m.ID)
	e.Uint(uint64(m.Kind))
	m.Doc.encode(e)
}

func (m *MsgSupersedeResult) ValidateBasic() error {
	if m.ID == 0 {
		return Errorf(ErrInvalid, "result id is required")
	}
	switch m.Kind {
	case OriginReissue, OriginReplace, OriginAmend:
	default:
		return Errorf(ErrInvalid, "kind %d must be reissue (2), replace (3) or amend (4)", m.Kind)
	}
	return m.Doc.Validate()
}

func (m *MsgSupersedeResult) Execute(env *Env) error {
	if err := requireIssuerKey(env); err != nil {
		return err
	}
	if err := env.Signer.RequireRole(RoleResultIssuer); err != nil {
		return err
	}
	old, err := loadOwnResult(env, m.ID)
	if err != nil {
		return err
	}
	switch old.Status {
	case ResultRevoked:
		return Errorf(ErrRevoked, "result %d was revoked at height %d", old.ID, old.StatusHeight)
	case ResultSuperseded:
		// Idempotent: the same supersession again returns the same record.
		next, err := env.State.ResultRecord(old.ReplacedBy)
		if err != nil {
			return err
		}
		if !bytes.Equal(next.DocHash, m.Doc.DocHash) {
			return Errorf(ErrConflict, "result %d is already superseded by %d", old.ID, old.ReplacedBy)
		}
		env.Result.Data = EncodeIssued([]IssuedResult{{ID: next.ID}})
		return nil
	}
	if id, ok, err := env.State.ResultIDByHash(m.Doc.DocHash); err != nil || ok {
		if err != nil {
			return err
		}
		return Errorf(ErrConflict, "document %x is already result %d", m.Doc.DocHash, id)
	}
	r, err := issueResult(env, &m.Doc, m.Kind, old.ID)
	if err != nil {
		return err
	}
	old.Status = ResultSuperseded
	old.ReplacedBy = r.ID
	old.StatusHeight = env.Ctx.Height
	old.StatusTime = uint64(env.Ctx.Time.Unix())
	old.ReasonCode, old.Reason = 0, ""
	if err := env.State.SetResultRecord(old); err != nil {
		return err
	}
	env.Result.Data = EncodeIssued([]IssuedResult{r})
	env.Emit("result_superseded", "agency", old.Agency, "id", FormatResultID(old.ID),
		"replaced_by", FormatResultID(r.ID), "kind", m.Kind.String())
	return nil
}
