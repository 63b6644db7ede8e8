package registry

// EnrolmentStatus is the state of an artisan's enrolment.
type EnrolmentStatus uint64

// Enrolment statuses.
const (
	EnrolmentActive    EnrolmentStatus = 1 // may register products
	EnrolmentWithdrawn EnrolmentStatus = 2 // may not (what was registered stays valid)
)

func (s EnrolmentStatus) String() string {
	switch s {
	case EnrolmentActive:
		return "active"
	case EnrolmentWithdrawn:
		return "withdrawn"
	}
	return "unknown"
}

// Enrolment is a registrar's enrolment of an artisan key: the key may
// register craft products made in this workshop and village.
type Enrolment struct {
	PubKey       []byte
	Agency       string // the artisan's agency (the key's owner)
	Workshop     string // cơ sở sản xuất
	Village      string // làng nghề, e.g. "Làng đá mỹ nghệ Non Nước"
	Registrar    string // the enrolling agency
	Status       EnrolmentStatus
	Height       uint64 // first enrolment
	Time         uint64
	StatusHeight uint64 // last change
}

// Encode writes the canonical form.
func (a *Enrolment) Encode(e *Encoder) {
	e.Bytes(a.PubKey)
	e.String(a.Agency)
	e.String(a.Workshop)
	e.String(a.Village)
	e.String(a.Registrar)
	e.Uint(uint64(a.Status))
	e.Uint(a.Height)
	e.Uint(a.Time)
	e.Uint(a.StatusHeight)
}

// DecodeEnrolment reads the canonical form.
func DecodeEnrolment(b []byte) (*Enrolment, error) {
	d := NewDecoder(b)
	a := &Enrolment{PubKey: d.Bytes(), Agency: d.String(), Workshop: d.String(), Village: d.String(), Registrar: d.String(),
		Status: EnrolmentStatus(d.Uint()), Height: d.Uint(), Time: d.Uint(), StatusHeight: d.Uint()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return a, nil
}

// Enrolment reads the enrolment of an artisan key; ErrNotFound if absent.
func (st *State) Enrolment(pub []byte) (*Enrolment, error) {
	b, err := st.s.Get(ArtisanKey(pub))
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, Errorf(ErrNotFound, "artisan key %s is not enrolled", KeyID(pub))
	}
	return DecodeEnrolment(b)
}

// MsgEnrolArtisan enrols an artisan key (or updates or withdraws its
// enrolment). The signer's agency must hold craft.registrar; the key must
// be registered, not revoked, and owned by an agency holding craft.artisan.
// Only the registrar that enrolled a key may change its enrolment.
type MsgEnrolArtisan struct {
	PubKey   []byte
	Workshop string
	Village  string
	Status   EnrolmentStatus
}

func decodeEnrolArtisan(d *Decoder) Msg {
	return &MsgEnrolArtisan{PubKey: d.Bytes(), Workshop: d.String(), Village: d.String(), Status: EnrolmentStatus(d.Uint())}
}

func (m *MsgEnrolArtisan) Type() MsgType { return MsgTypeEnrolArtisan }

func (m *MsgEnrolArtisan) Encode(e *Encoder) {
	e.Bytes(m.PubKey)
	e.String(m.Workshop)
	e.String(m.Village)
	e.Uint(uint64(m.Status))
}

func (m *MsgEnrolArtisan) ValidateBasic() error {
	if len(m.PubKey) != PubKeySize {
		return Errorf(ErrInvalid, "artisan key must be a %d-byte ed25519 public key", PubKeySize)
	}
	if m.Status != EnrolmentActive && m.Status != EnrolmentWithdrawn {
		return Errorf(ErrInvalid, "status %d must be active (1) or withdrawn (2)", m.Status)
	}
	if err := checkText("workshop", m.Workshop, MaxPlaceLen); err != nil {
		return err
	}
	if err := checkText("village", m.Village, MaxPlaceLen); err != nil {
		return err
	}
	if m.Status == EnrolmentActive && (m.Workshop == "" || m.Village == "") {
		return Errorf(ErrInvalid, "an enrolment names the workshop and the village")
	}
	return nil
}

func (m *MsgEnrolArtisan) Execute(env *Env) error {
	if err := env.Signer.RequireRole(RoleCraftRegistrar); err != nil {
		return err
	}
	kr, err := env.State.KeyRecord(m.PubKey)
	if err != nil {
		return err
	}
	if kr.Revoked {
		return Errorf(ErrRevokedKey, "artisan key %s was revoked", KeyID(m.PubKey))
	}
	owner, err := env.State.Agency(kr.Owner)
	if err != nil || kr.Kind == KeyCouncil {
		return Errorf(ErrInvalid, "key %s does not belong to an agency", KeyID(m.PubKey))
	}
	if !owner.HasRole(RoleCraftArtisan) {
		return Errorf(ErrInvalid, "key %s belongs to %s, which does not hold role %s", KeyID(m.PubKey), owner.ID, RoleCraftArtisan)
	}
	registrar := env.Signer.Agency.ID
	old, err := env.State.Enrolment(m.PubKey)
	switch {
	case err == nil:
		if old.Registrar != registrar {
			return Errorf(ErrUnauthorized, "artisan key %s was enrolled by %s, not %s", KeyID(m.PubKey), old.Registrar, registrar)
		}
	case IsDomain(err):
		if m.Status != EnrolmentActive {
			return Errorf(ErrNotFound, "artisan key %s is not enrolled", KeyID(m.PubKey))
		}
		old = &Enrolment{PubKey: m.PubKey, Registrar: registrar, Height: env.Ctx.Height, Time: blockUnix(env)}
	default:
		return err
	}
	old.Agency, old.Status, old.StatusHeight = owner.ID, m.Status, env.Ctx.Height
	if m.Workshop != "" {
		old.Workshop = m.Workshop
	}
	if m.Village != "" {
		old.Village = m.Village
	}
	if err := env.State.put(ArtisanKey(m.PubKey), old.Encode); err != nil {
		return err
	}
	env.Emit("artisan_enrolled", "registrar", registrar, "artisan", KeyID(m.PubKey), "agency", owner.ID, "status", m.Status.String())
	return nil
}
