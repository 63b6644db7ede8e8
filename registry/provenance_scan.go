package registry

import (
	"encoding/binary"
	"strconv"
)

// ScanRoles are the roles whose keys may record tag scans: retailers and
// food businesses, inspectors (food authority, result inspectors), and the
// craft registrars and workshops that sell craft products.
var ScanRoles = []string{RoleFoodBusiness, RoleFoodAuthority, RoleResultInspector, RoleCraftRegistrar, RoleCraftArtisan, RoleProductRater}

// Scan is one recorded scan of a product's tag: who scanned it, where (a
// location id such as a GLN Digital Link) and when (block time). Clone
// detection runs over scans in the trace, client side.
type Scan struct {
	Product  uint64
	Seq      uint64 // 1..Product.Scans
	TagKind  TagKind
	Tag      string
	Location string
	Agency   string
	Signer   []byte
	Height   uint64
	Time     uint64 // block time, unix seconds
}

// Encode writes the canonical form.
func (s *Scan) Encode(e *Encoder) {
	e.Uint(s.Product)
	e.Uint(s.Seq)
	e.Uint(uint64(s.TagKind))
	e.String(s.Tag)
	e.String(s.Location)
	e.String(s.Agency)
	e.Bytes(s.Signer)
	e.Uint(s.Height)
	e.Uint(s.Time)
}

// DecodeScan reads the canonical form.
func DecodeScan(b []byte) (*Scan, error) {
	d := NewDecoder(b)
	s := &Scan{Product: d.Uint(), Seq: d.Uint(), TagKind: TagKind(d.Uint()), Tag: d.String(), Location: d.String(),
		Agency: d.String(), Signer: d.Bytes(), Height: d.Uint(), Time: d.Uint()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return s, nil
}

// MsgScanTag records a scan of a bound tag at a location, by a retailer or
// an inspector (ScanRoles). The tx Data is the product id (8 BE) followed
// by the scan's number (8 BE).
type MsgScanTag struct {
	Kind     TagKind
	Tag      string
	Location string // where: a location identifier (GLN Digital Link, trace code URN)
}

func decodeScanTag(d *Decoder) Msg {
	return &MsgScanTag{Kind: TagKind(d.Uint()), Tag: d.String(), Location: d.String()}
}

func (m *MsgScanTag) Type() MsgType { return MsgTypeScanTag }

func (m *MsgScanTag) Encode(e *Encoder) {
	e.Uint(uint64(m.Kind))
	e.String(m.Tag)
	e.String(m.Location)
}

func (m *MsgScanTag) ValidateBasic() error {
	if err := CheckTag(m.Kind, m.Tag); err != nil {
		return err
	}
	return CheckLocation("location", m.Location)
}

func (m *MsgScanTag) Execute(env *Env) error {
	if err := requireAnyRole(env, ScanRoles...); err != nil {
		return err
	}
	t, err := env.State.TagBinding(m.Kind, m.Tag)
	if err != nil {
		return err
	}
	p, err := env.State.Product(t.Product)
	if err != nil {
		return err
	}
	if err := chargeRate(env, rateScan, p.ID, ScanRateLimit, ScanRatePeriod, "scans"); err != nil {
		return err
	}
	p.Scans++
	s := &Scan{Product: p.ID, Seq: p.Scans, TagKind: m.Kind, Tag: m.Tag, Location: m.Location, Agency: env.Signer.Agency.ID,
		Signer: env.Signer.PubKey, Height: env.Ctx.Height, Time: blockUnix(env)}
	if err := env.State.put(ScanKey(p.ID, s.Seq), s.Encode); err != nil {
		return err
	}
	if err := notePlace(env.State, p.ID, m.Location, s.Seq); err != nil {
		return err
	}
	if err := env.State.SetProduct(p); err != nil {
		return err
	}
	env.Result.Data = append(EncodeProductIndex(p.ID), EncodeProductIndex(s.Seq)...)
	env.Emit("tag_scanned", "product", FormatProductID(p.ID), "seq", strconv.FormatUint(s.Seq, 10), "location", m.Location,
		"agency", env.Signer.Agency.ID)
	return nil
}

// PrefixScanPlaces keys a product's recent scan places:
// G | product id (8 BE) -> ScanPlaces.
const PrefixScanPlaces = 'G'

// MaxScanPlaces is how many distinct places a product's ScanPlaces keeps.
const MaxScanPlaces = 16

// ScanPlacesKey is the key of a product's recent scan places.
func ScanPlacesKey(id uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{PrefixScanPlaces}, id)
}

// ScanPlace is the latest scan of a product at one place.
type ScanPlace struct {
	Location string
	Seq      uint64
}

// ScanPlaces is the latest scan at each of the MaxScanPlaces places where
// a product was most recently scanned, newest first. A trace reads the
// newest scans and these, so clone detection still sees a scan somewhere
// else when one place floods the product with scans afterwards; pushing a
// place out takes scans at MaxScanPlaces other places, which clone
// detection flags in their own right.
type ScanPlaces []ScanPlace

// Encode writes uvarint(count) then each place: str(location) uvarint(seq).
func (ps ScanPlaces) Encode(e *Encoder) {
	e.Uint(uint64(len(ps)))
	for _, p := range ps {
		e.String(p.Location)
		e.Uint(p.Seq)
	}
}

// DecodeScanPlaces reads the canonical form: at most MaxScanPlaces
// distinct places, seqs strictly descending.
func DecodeScanPlaces(b []byte) (ScanPlaces, error) {
	d := NewDecoder(b)
	n := d.Uint()
	if n > MaxScanPlaces {
		return nil, Errorf(ErrInvalid, "%d scan places, at most %d", n, MaxScanPlaces)
	}
	ps := make(ScanPlaces, 0, n)
	for i := uint64(0); i < n && d.Err() == nil; i++ {
		p := ScanPlace{Location: d.String(), Seq: d.Uint()}
		if i > 0 && p.Seq >= ps[i-1].Seq {
			return nil, Errorf(ErrInvalid, "scan places out of order")
		}
		for _, q := range ps {
			if q.Location == p.Location {
				return nil, Errorf(ErrInvalid, "scan place %q twice", p.Location)
			}
		}
		ps = append(ps, p)
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return ps, nil
}

// notePlace records scan seq at location as the product's newest scan
// place, dropping the place's earlier entry and, beyond MaxScanPlaces, the
// place scanned longest ago.
func notePlace(st *State, product uint64, location string, seq uint64) error {
	var ps ScanPlaces
	b, err := st.s.Get(ScanPlacesKey(product))
	if err != nil {
		return err
	}
	if b != nil {
		if ps, err = DecodeScanPlaces(b); err != nil {
			return err
		}
	}
	out := ScanPlaces{{Location: location, Seq: seq}}
	for _, p := range ps {
		if p.Location != location && len(out) < MaxScanPlaces {
			out = append(out, p)
		}
	}
	return st.put(ScanPlacesKey(product), out.Encode)
}
