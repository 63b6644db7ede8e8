package registry

// ResultOp is a status change of a result.
type ResultOp uint64

// Status changes. Revocation is final.
const (
	OpSuspend   ResultOp = 1 // tạm đình chỉ: active -> suspended
	OpReinstate ResultOp = 2 // khôi phục: suspended -> active
	OpRevoke    ResultOp = 3 // thu hồi: active, suspended or superseded -> revoked
)

func (o ResultOp) String() string {
	switch o {
	case OpSuspend:
		return "suspend"
	case OpReinstate:
		return "reinstate"
	case OpRevoke:
		return "revoke"
	}
	return "unknown"
}

// MsgSetResultStatus suspends, reinstates or revokes a result. Only the
// issuing agency (with a main key) may change a result's status. The
// reason code is the agency's own classification; a revocation needs a
// reason text, which is public: it must never name the holder.
type MsgSetResultStatus struct {
	ID         uint64
	Op         ResultOp
	ReasonCode uint64
	Reason     string
}

func decodeSetResultStatus(d *Decoder) Msg {
	return &MsgSetResultStatus{ID: d.Uint(), Op: ResultOp(d.Uint()), ReasonCode: d.Uint(), Reason: d.String()}
}

func (m *MsgSetResultStatus) Type() MsgType { return MsgTypeSetResultStatus }

func (m *MsgSetResultStatus) Encode(e *Encoder) {
	e.Uint(m.ID)
	e.Uint(uint64(m.Op))
	e.Uint(m.ReasonCode)
	e.String(m.Reason)
}

func (m *MsgSetResultStatus) ValidateBasic() error {
	if m.ID == 0 {
		return Errorf(ErrInvalid, "result id is required")
	}
	switch m.Op {
	case OpSuspend, OpReinstate, OpRevoke:
	default:
		return Errorf(ErrInvalid, "status change %d must be suspend (1), reinstate (2) or revoke (3)", m.Op)
	}
	if m.ReasonCode > MaxReasonCode {
		return Errorf(ErrInvalid, "reason code above %d", MaxReasonCode)
	}
	if err := checkText("reason", m.Reason, MaxReasonLen); err != nil {
		return err
	}
	if m.Op == OpRevoke && m.Reason == "" {
		return Errorf(ErrInvalid, "a revocation needs a reason")
	}
	return nil
}

func (m *MsgSetResultStatus) Execute(env *Env) error {
	if err := requireIssuerKey(env); err != nil {
		return err
	}
	r, err := loadOwnResult(env, m.ID)
	if err != nil {
		return err
	}
	if r.Status == ResultRevoked {
		return Errorf(ErrRevoked, "result %d was revoked at height %d", r.ID, r.StatusHeight)
	}
	switch {
	case m.Op == OpSuspend && r.Status == ResultActive:
		r.Status = ResultSuspended
	case m.Op == OpReinstate && r.Status == ResultSuspended:
		r.Status = ResultActive
	case m.Op == OpRevoke:
		r.Status = ResultRevoked // ReplacedBy, if any, is kept
	default:
		return Errorf(ErrConflict, "cannot %s result %d: it is %s", m.Op, r.ID, r.Status)
	}
	r.StatusHeight = env.Ctx.Height
	r.StatusTime = uint64(env.Ctx.Time.Unix())
	r.ReasonCode = m.ReasonCode
	r.Reason = m.Reason
	if err := env.State.SetResultRecord(r); err != nil {
		return err
	}
	env.Emit("result_status", "agency", r.Agency, "id", FormatResultID(r.ID), "op", m.Op.String(), "status", r.Status.String())
	return nil
}
