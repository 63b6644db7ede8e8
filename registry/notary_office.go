package registry

// OfficeStatus is the state of a notary office's authorisation.
type OfficeStatus uint64

// Office statuses. Revoked (thu hồi) is final.
const (
	OfficeAuthorised OfficeStatus = 1 // được phép hoạt động
	OfficeSuspended  OfficeStatus = 2 // tạm đình chỉ hoạt động
	OfficeRevoked    OfficeStatus = 3 // thu hồi quyết định cho phép thành lập
)

func (s OfficeStatus) String() string {
	switch s {
	case OfficeAuthorised:
		return "authorised"
	case OfficeSuspended:
		return "suspended"
	case OfficeRevoked:
		return "revoked"
	}
	return "unknown"
}

// ParseOfficeStatus parses "authorised" (or "authorized"), "suspended" or
// "revoked".
func ParseOfficeStatus(s string) (OfficeStatus, error) {
	if s == "authorized" {
		return OfficeAuthorised, nil
	}
	for _, st := range []OfficeStatus{OfficeAuthorised, OfficeSuspended, OfficeRevoked} {
		if st.String() == s {
			return st, nil
		}
	}
	return 0, Errorf(ErrInvalid, "unknown office status %q (want authorised, suspended or revoked)", s)
}

// OfficeAuth is the Department of Justice's current decision on a notary
// office (tổ chức hành nghề công chứng).
type OfficeAuth struct {
	Agency           string // the notary office's agency id
	Status           OfficeStatus
	Ref              string // reference number of the latest decision
	DecidedBy        string // agency id of the notary.authority
	Signer           []byte
	Height           uint64 // height of the latest decision
	Time             uint64 // unix seconds, block time
	AuthorisedHeight uint64 // height of the first authorisation
}

// Encode writes the canonical form.
func (o *OfficeAuth) Encode(e *Encoder) {
	e.String(o.Agency)
	e.Uint(uint64(o.Status))
	e.String(o.Ref)
	e.String(o.DecidedBy)
	e.Bytes(o.Signer)
	e.Uint(o.Height)
	e.Uint(o.Time)
	e.Uint(o.AuthorisedHeight)
}

// DecodeOfficeAuth reads the canonical form.
func DecodeOfficeAuth(raw []byte) (*OfficeAuth, error) {
	d := NewDecoder(raw)
	o := &OfficeAuth{Agency: d.String(), Status: OfficeStatus(d.Uint()), Ref: d.String(), DecidedBy: d.String(),
		Signer: d.Bytes(), Height: d.Uint(), Time: d.Uint(), AuthorisedHeight: d.Uint()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return o, nil
}

// OfficeAuth reads an office's authorisation; nil if it was never
// authorised.
func (st *State) OfficeAuth(agency string) (*OfficeAuth, error) {
	raw, err := st.s.Get(NotaryOfficeKey(agency))
	if err != nil || raw == nil {
		return nil, err
	}
	return DecodeOfficeAuth(raw)
}

// MsgNotaryAuthorize records a notary.authority's decision on a notary
// office: authorise it, suspend it, or revoke it for good. The council
// grants the notary.office role; this decision, by the Department of
// Justice, is what lets the office notarise contracts on chain.
type MsgNotaryAuthorize struct {
	Agency string
	Status OfficeStatus
	Ref    string // reference number of the decision, e.g. "120/QĐ-STP"
}

func decodeNotaryAuthorize(d *Decoder) Msg {
	return &MsgNotaryAuthorize{Agency: d.String(), Status: OfficeStatus(d.Uint()), Ref: d.String()}
}

func (m *MsgNotaryAuthorize) Type() MsgType { return MsgTypeNotaryAuthorize }
func (m *MsgNotaryAuthorize) Encode(e *Encoder) {
	e.String(m.Agency)
	e.Uint(uint64(m.Status))
	e.String(m.Ref)
}
func (m *MsgNotaryAuthorize) ValidateBasic() error {
	if err := checkAgencyID(m.Agency); err != nil {
		return err
	}
	if m.Status.String() == "unknown" {
		return Errorf(ErrInvalid, "unknown office status %d", m.Status)
	}
	return checkNotaryRef("ref", m.Ref)
}
func (m *MsgNotaryAuthorize) Execute(env *Env) error {
	if err := env.Signer.RequireRole(RoleNotaryAuthority); err != nil {
		return err
	}
	st := env.State
	office, err := st.Agency(m.Agency)
	if err != nil {
		return err
	}
	if !office.HasRole(RoleNotaryOffice) {
		return Errorf(ErrInvalid, "agency %s does not hold role %s (the council grants it)", m.Agency, RoleNotaryOffice)
	}
	old, err := st.OfficeAuth(m.Agency)
	if err != nil {
		return err
	}
	rec := &OfficeAuth{Agency: m.Agency, Status: m.Status, Ref: m.Ref, DecidedBy: env.Signer.Agency.ID,
		Signer: env.Signer.PubKey, Height: env.Ctx.Height, Time: uint64(env.Ctx.Time.Unix())}
	switch {
	case old == nil && m.Status != OfficeAuthorised:
		return Errorf(ErrConflict, "office %s was never authorised", m.Agency)
	case old != nil && old.Status == OfficeRevoked:
		return Errorf(ErrConflict, "the authorisation of office %s was revoked at height %d", m.Agency, old.Height)
	case old != nil && old.Status == m.Status:
		return Errorf(ErrConflict, "office %s is already %s", m.Agency, m.Status)
	case old == nil:
		rec.AuthorisedHeight = env.Ctx.Height
	default:
		rec.AuthorisedHeight = old.AuthorisedHeight
	}
	env.Emit("notary_office", "agency", m.Agency, "status", m.Status.String(), "by", env.Signer.Agency.ID)
	return st.put(NotaryOfficeKey(m.Agency), rec.Encode)
}
