package registry

import (
	"strconv"
	"strings"
)

// MsgTypeNameLocation names one of a business's places.
const MsgTypeNameLocation MsgType = 28

// PrefixLocation keys the names of places:
// N | SHA-256(location id) -> LocationName.
const PrefixLocation = 'N'

// MaxLocationNameLen bounds a place's name (NFC bytes).
const MaxLocationNameLen = 200

// LocationKey is the key of a place's name.
func LocationKey(location string) []byte {
	return append([]byte{PrefixLocation}, Hash([]byte(location))...)
}

// LocationName is a place's name as the business that uses it registered
// it ("Lò mổ Hòa Nhơn, 12 Nguyễn Văn Tạo"): traces and pages show it
// instead of a GLN or coordinates. The first business to name a place
// owns its name; only it may rename it.
type LocationName struct {
	Location string // a GLN Digital Link, a URN or a geo: URI (CheckLocation)
	Name     string // NFC, 1..MaxLocationNameLen bytes
	Agency   string // the business that named it
	Signer   []byte
	Height   uint64
	Time     uint64
}

// Encode writes the canonical form.
func (l *LocationName) Encode(e *Encoder) {
	e.String(l.Location)
	e.String(l.Name)
	e.String(l.Agency)
	e.Bytes(l.Signer)
	e.Uint(l.Height)
	e.Uint(l.Time)
}

// DecodeLocationName reads the canonical form.
func DecodeLocationName(b []byte) (*LocationName, error) {
	d := NewDecoder(b)
	l := &LocationName{Location: d.String(), Name: d.String(), Agency: d.String(), Signer: d.Bytes(), Height: d.Uint(), Time: d.Uint()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return l, nil
}

// MsgNameLocation names a place a business records events or scans at.
type MsgNameLocation struct {
	Location string
	Name     string
}

func decodeNameLocation(d *Decoder) Msg {
	return &MsgNameLocation{Location: d.String(), Name: d.String()}
}

func (m *MsgNameLocation) Type() MsgType { return MsgTypeNameLocation }

func (m *MsgNameLocation) Encode(e *Encoder) {
	e.String(m.Location)
	e.String(m.Name)
}

func (m *MsgNameLocation) ValidateBasic() error {
	if err := CheckLocation("location", m.Location); err != nil {
		return err
	}
	if strings.TrimSpace(m.Name) != m.Name || m.Name == "" {
		return Errorf(ErrInvalid, "a place's name is 1..%d bytes without surrounding spaces", MaxLocationNameLen)
	}
	return checkText("place name", m.Name, MaxLocationNameLen)
}

// Execute: the businesses that record events or scans (ScanRoles) name
// their places; a place another business named first is a conflict that
// names its owner.
func (m *MsgNameLocation) Execute(env *Env) error {
	if err := requireAnyRole(env, ScanRoles...); err != nil {
		return err
	}
	agency := env.Signer.Agency.ID
	b, err := env.State.s.Get(LocationKey(m.Location))
	if err != nil {
		return err
	}
	if b != nil {
		prev, err := DecodeLocationName(b)
		if err != nil {
			return err
		}
		if prev.Agency != agency {
			return Errorf(ErrConflict, "place %s was named by %s (%q): only that business may rename it", m.Location, prev.Agency, prev.Name)
		}
		if prev.Name == m.Name {
			return Errorf(ErrConflict, "place %s is already named %q", m.Location, m.Name)
		}
	}
	l := &LocationName{Location: m.Location, Name: m.Name, Agency: agency, Signer: env.Signer.PubKey,
		Height: env.Ctx.Height, Time: blockUnix(env)}
	if err := env.State.put(LocationKey(m.Location), l.Encode); err != nil {
		return err
	}
	env.Emit("location_named", "location", m.Location, "agency", agency, "height", strconv.FormatUint(env.Ctx.Height, 10))
	return nil
}
