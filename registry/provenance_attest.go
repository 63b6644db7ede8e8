package registry

import "strconv"

// SchemeOCOP is the attestation scheme of OCOP star ratings (One Commune
// One Product): levels 3..5 stars are certified ratings.
const SchemeOCOP = "ocop"

// Attestation is a quality claim about a product made by a rating agency
// (product.rater), never by the maker: e.g. an OCOP star rating.
type Attestation struct {
	Product     uint64
	Seq         uint64 // 1..Product.Attestations
	Scheme      string // "ocop" or another scheme code
	Level       uint64 // stars for OCOP
	Ref         string // decision / certificate number, e.g. "1234/QĐ-UBND"
	Certificate string // payload CID of the certificate, optional
	ValidUntil  uint64 // unix seconds, exclusive; 0 = no end
	Agency      string
	Signer      []byte
	Height      uint64
	Time        uint64
}

// Encode writes the canonical form.
func (a *Attestation) Encode(e *Encoder) {
	e.Uint(a.Product)
	e.Uint(a.Seq)
	e.String(a.Scheme)
	e.Uint(a.Level)
	e.String(a.Ref)
	e.String(a.Certificate)
	e.Uint(a.ValidUntil)
	e.String(a.Agency)
	e.Bytes(a.Signer)
	e.Uint(a.Height)
	e.Uint(a.Time)
}

// DecodeAttestation reads the canonical form.
func DecodeAttestation(b []byte) (*Attestation, error) {
	d := NewDecoder(b)
	a := &Attestation{Product: d.Uint(), Seq: d.Uint(), Scheme: d.String(), Level: d.Uint(), Ref: d.String(),
		Certificate: d.String(), ValidUntil: d.Uint(), Agency: d.String(), Signer: d.Bytes(), Height: d.Uint(), Time: d.Uint()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return a, nil
}

// ValidAt reports whether the attestation is in force at block time t.
func (a *Attestation) ValidAt(t uint64) bool { return a.ValidUntil == 0 || t < a.ValidUntil }

// MsgAttestProduct records a quality attestation. The signer's agency must
// hold product.rater and must not be a producer: an agency holding
// craft.artisan or food.business, or the maker of the product, cannot rate
// (no self-declared quality claims).
type MsgAttestProduct struct {
	Product     uint64
	Scheme      string
	Level       uint64
	Ref         string
	Certificate string
	ValidUntil  uint64
}

func decodeAttestProduct(d *Decoder) Msg {
	return &MsgAttestProduct{Product: d.Uint(), Scheme: d.String(), Level: d.Uint(), Ref: d.String(), Certificate: d.String(),
		ValidUntil: d.Uint()}
}

func (m *MsgAttestProduct) Type() MsgType { return MsgTypeAttestProduct }

func (m *MsgAttestProduct) Encode(e *Encoder) {
	e.Uint(m.Product)
	e.String(m.Scheme)
	e.Uint(m.Level)
	e.String(m.Ref)
	e.String(m.Certificate)
	e.Uint(m.ValidUntil)
}

func (m *MsgAttestProduct) ValidateBasic() error {
	if m.Product == 0 {
		return Errorf(ErrInvalid, "product id is required")
	}
	if m.Scheme == "" {
		return Errorf(ErrInvalid, "scheme is required")
	}
	if err := checkCode("scheme", m.Scheme, 32, false); err != nil {
		return err
	}
	if m.Scheme == SchemeOCOP && (m.Level < 3 || m.Level > 5) {
		return Errorf(ErrInvalid, "an OCOP rating is 3, 4 or 5 stars")
	}
	if m.Level > 100 {
		return Errorf(ErrInvalid, "level above 100")
	}
	if m.Ref == "" {
		return Errorf(ErrInvalid, "the decision or certificate number is required")
	}
	if err := checkText("ref", m.Ref, MaxRefLen); err != nil {
		return err
	}
	if m.Certificate != "" {
		if err := CheckCID(m.Certificate); err != nil {
			return err
		}
	}
	if m.ValidUntil >= maxProvenanceUnix {
		return Errorf(ErrInvalid, "valid_until out of range")
	}
	return nil
}

func (m *MsgAttestProduct) Execute(env *Env) error {
	if err := env.Signer.RequireRole(RoleProductRater); err != nil {
		return err
	}
	a := env.Signer.Agency
	if a.HasRole(RoleCraftArtisan) || a.HasRole(RoleFoodBusiness) {
		return Errorf(ErrUnauthorized, "agency %s is a producer: quality claims are attested by an independent rater, never self-declared", a.ID)
	}
	p, err := env.State.Product(m.Product)
	if err != nil {
		return err
	}
	if p.Craft != nil && p.Craft.Agency == a.ID {
		return Errorf(ErrUnauthorized, "agency %s made product %d: quality claims are never self-declared", a.ID, p.ID)
	}
	if m.ValidUntil != 0 && m.ValidUntil <= blockUnix(env) {
		return Errorf(ErrInvalid, "valid_until is in the past")
	}
	p.Attestations++
	at := &Attestation{Product: p.ID, Seq: p.Attestations, Scheme: m.Scheme, Level: m.Level, Ref: m.Ref,
		Certificate: m.Certificate, ValidUntil: m.ValidUntil, Agency: a.ID, Signer: env.Signer.PubKey,
		Height: env.Ctx.Height, Time: blockUnix(env)}
	if err := env.State.put(AttestationKey(p.ID, at.Seq), at.Encode); err != nil {
		return err
	}
	if err := env.State.SetProduct(p); err != nil {
		return err
	}
	env.Result.Data = EncodeProductIndex(at.Seq)
	env.Emit("product_attested", "product", FormatProductID(p.ID), "scheme", m.Scheme, "level", strconv.FormatUint(m.Level, 10),
		"agency", a.ID)
	return nil
}
