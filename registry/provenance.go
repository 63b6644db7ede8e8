package registry

// Product provenance (truy xuất nguồn gốc): craft and OCOP products and
// food chains recorded as GS1 EPCIS 2.0 events.
//
// Every traceable thing is a Product with a chain-assigned number (the id
// printed in the QR code, BASE/p/{id}): a craft item or batch registered by
// an enrolled artisan, or an object named in an EPCIS event (an EPC
// instance such as a pig's ear tag, a carcass or a pack of cuts; or a
// class/lot from a quantity list), created the first time an event names
// it. Lists under a product (its events, scans, quality attestations and
// ownership transfers) are numbered 1..n by counters kept in the product
// record, so a verifier that proves the record and entries 1..n has
// proven the whole list: nothing can be left out.
//
// Authority lives on chain: a craft.registrar enrols artisan keys (A); the
// food.authority (Ban Quản lý ATTP) authorises each food.business agency
// per bizStep (F); quality claims such as OCOP stars are attestations by a
// product.rater agency other than the maker (B), never self-declared.
//
// State layout (prefixes reserved for this family: 'A' 'B' 'E' 'F' 'I' 'O'
// 'S' 'T' 'U' 'Z'):
//
//	A | artisan pub (32)                 -> Enrolment (workshop, village, registrar, status)
//	B | product (8 BE) | n (8 BE)        -> Attestation n of the product (e.g. OCOP stars)
//	E | event hash (32)                  -> EventRecord: the EPCIS event, anchored by its
//	                                        CBV 2.0 event hash (never rewritten)
//	F | agency id | 0x00 | bizStep       -> FoodAuth: the food authority's authorisation of a
//	                                        business for one kind of step
//	I | product (8 BE) | n (8 BE)        -> event hash (32): the product's n-th event
//	O | product (8 BE)                   -> Product (counters, tag, craft details, owner)
//	O | product (8 BE) | n (8 BE)        -> Transfer n of the product's ownership history
//	S | product (8 BE) | n (8 BE)        -> Scan n of the product's tag
//	T | tag kind (1) | tag               -> TagBinding: the product the physical tag is bound to
//	U | SHA-256(identifier) (32)         -> product id (8 BE) of an identifier (GS1 Digital
//	                                        Link URI or trace code)
//	Z | event hash (32)                  -> Declaration: the EPCIS error declaration of event
//	s | "product", s | "epcis"           -> last product id, last event number (core sequences)
//
// Product ids come from one increasing counter, so O keys are appended at
// the right edge of the tree and the I/S/B/O-history entries of a product
// sit next to each other; only E, U and Z keys are random hashes. Agency
// ids never contain 0x00, so F keys of one agency never prefix another's.
//
// Message types 20-27 (20-39 are reserved for this family).

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"
)

// Message types of the provenance family.
const (
	MsgTypeEnrolArtisan  MsgType = 20
	MsgTypeRegisterItem  MsgType = 21
	MsgTypeBindTag       MsgType = 22
	MsgTypeTransferItem  MsgType = 23
	MsgTypeAttestProduct MsgType = 24
	MsgTypeAuthorizeFood MsgType = 25
	MsgTypeRecordEvents  MsgType = 26
	MsgTypeScanTag       MsgType = 27
)

// provenanceMsgs lists the provenance messages (types 20-39).
func provenanceMsgs() []msgKind {
	return []msgKind{
		{MsgTypeEnrolArtisan, "craft/enrol", decodeEnrolArtisan},
		{MsgTypeRegisterItem, "craft/register", decodeRegisterItem},
		{MsgTypeBindTag, "product/bind-tag", decodeBindTag},
		{MsgTypeTransferItem, "craft/transfer", decodeTransferItem},
		{MsgTypeAttestProduct, "product/attest", decodeAttestProduct},
		{MsgTypeAuthorizeFood, "food/authorize", decodeAuthorizeFood},
		{MsgTypeRecordEvents, "food/events", decodeRecordEvents},
		{MsgTypeScanTag, "product/scan", decodeScanTag},
		{MsgTypeNameLocation, "product/location", decodeNameLocation},
	}
}

// State key prefixes of the family (see the layout above).
const (
	PrefixArtisan     = 'A'
	PrefixAttestation = 'B'
	PrefixEvent       = 'E'
	PrefixFoodAuth    = 'F'
	PrefixEventIndex  = 'I'
	PrefixProduct     = 'O'
	PrefixScan        = 'S'
	PrefixTag         = 'T'
	PrefixIdentifier  = 'U'
	PrefixDeclaration = 'Z'
)

// Sequence names (core 's' keys) used by this family.
const (
	SeqProduct = "product"
	SeqEPCIS   = "epcis"
)

// Limits of provenance fields.
const (
	MaxIdentifierLen  = 256  // a GS1 Digital Link URI, trace code URN or location id
	MaxProductNameLen = 200  // tên sản phẩm
	MaxDescriptionLen = 2000 // mô tả (Vietnamese, NFC)
	MaxMaterials      = 20   // nguyên liệu
	MaxMaterialLen    = 100
	MaxPayloadCIDs    = 20  // photos, certificates
	MaxPlaceLen       = 200 // workshop, village
	MaxClassLen       = 64  // product class code
	MaxTagLen         = 64  // QR serial
	MaxRefLen         = 100 // decision / certificate number
	MaxBatchQuantity  = 1_000_000_000
	maxProvenanceUnix = 1 << 40
)

// ProductKey is the state key of product id.
func ProductKey(id uint64) []byte { return binary.BigEndian.AppendUint64([]byte{PrefixProduct}, id) }

// TransferKey is the key of the n-th ownership transfer of product id.
func TransferKey(id, n uint64) []byte { return binary.BigEndian.AppendUint64(ProductKey(id), n) }

// EventIndexKey is the key of the n-th event of product id.
func EventIndexKey(id, n uint64) []byte { return idN(PrefixEventIndex, id, n) }

// ScanKey is the key of the n-th scan of product id's tag.
func ScanKey(id, n uint64) []byte { return idN(PrefixScan, id, n) }

// AttestationKey is the key of the n-th attestation about product id.
func AttestationKey(id, n uint64) []byte { return idN(PrefixAttestation, id, n) }

// EventKey is the key of the EPCIS event with this CBV event hash.
func EventKey(hash []byte) []byte { return append([]byte{PrefixEvent}, hash...) }

// DeclarationKey is the key of the error declaration of an event.
func DeclarationKey(hash []byte) []byte { return append([]byte{PrefixDeclaration}, hash...) }

// ArtisanKey is the key of the enrolment of an artisan key.
func ArtisanKey(pub []byte) []byte { return append([]byte{PrefixArtisan}, pub...) }

// FoodAuthKey is the key of a business's authorisation for one bizStep.
func FoodAuthKey(agency, bizStep string) []byte {
	k := append([]byte{PrefixFoodAuth}, agency...)
	return append(append(k, 0), bizStep...)
}

// FoodAuthPrefix is the key prefix of every authorisation of a business.
func FoodAuthPrefix(agency string) []byte {
	return append(append([]byte{PrefixFoodAuth}, agency...), 0)
}

// TagKey is the key of a physical tag's binding.
func TagKey(kind TagKind, tag string) []byte {
	return append([]byte{PrefixTag, byte(kind)}, tag...)
}

// IdentifierKey is the key of the identifier index entry of an identifier.
func IdentifierKey(identifier string) []byte {
	h := sha256.Sum256([]byte(identifier))
	return append([]byte{PrefixIdentifier}, h[:]...)
}

func idN(prefix byte, id, n uint64) []byte {
	k := binary.BigEndian.AppendUint64([]byte{prefix}, id)
	return binary.BigEndian.AppendUint64(k, n)
}

// FormatProductID is the printable form of a product id (decimal).
func FormatProductID(id uint64) string { return strconv.FormatUint(id, 10) }

// ParseProductID parses a printable product id.
func ParseProductID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 || FormatProductID(id) != s {
		return 0, Errorf(ErrInvalid, "product id %q must be a positive decimal number", s)
	}
	return id, nil
}

// EncodeProductIndex is the value of an identifier index entry.
func EncodeProductIndex(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// DecodeProductIndex reads the value of an identifier index entry.
func DecodeProductIndex(b []byte) (uint64, error) {
	if len(b) != 8 || binary.BigEndian.Uint64(b) == 0 {
		return 0, Errorf(ErrMalformed, "product index value must be a non-zero 8-byte id")
	}
	return binary.BigEndian.Uint64(b), nil
}

// ProductKind says what a product is.
type ProductKind uint64

// Product kinds.
const (
	ProductCraftItem  ProductKind = 1 // one craft item (sản phẩm thủ công)
	ProductCraftBatch ProductKind = 2 // a batch of identical craft or OCOP products (lô)
	ProductObject     ProductKind = 3 // an object named by EPCIS events (an EPC instance)
	ProductClass      ProductKind = 4 // a product class or lot named in an EPCIS quantity list
)

func (k ProductKind) String() string {
	switch k {
	case ProductCraftItem:
		return "craft_item"
	case ProductCraftBatch:
		return "craft_batch"
	case ProductObject:
		return "object"
	case ProductClass:
		return "class"
	}
	return "unknown"
}

// IsCraft reports whether the kind is registered by an artisan.
func (k ProductKind) IsCraft() bool { return k == ProductCraftItem || k == ProductCraftBatch }

// OwnerKind says how an owner is named.
type OwnerKind uint64

// Owner kinds.
const (
	OwnerKey        OwnerKind = 1 // an ed25519 public key
	OwnerCommitment OwnerKind = 2 // SHA-256(salt || NFC(identifier)) of a buyer without a key
)

func (k OwnerKind) String() string {
	switch k {
	case OwnerKey:
		return "key"
	case OwnerCommitment:
		return "commitment"
	}
	return "unknown"
}

// Owner is the owner of a craft item: a key, or a salted commitment for a
// buyer without a key (the salt stays with the buyer, as for results).
type Owner struct {
	Kind  OwnerKind
	Value []byte // 32 bytes
}

func (o Owner) encode(e *Encoder) { e.Uint(uint64(o.Kind)); e.Bytes(o.Value) }

func decodeOwner(d *Decoder) Owner { return Owner{Kind: OwnerKind(d.Uint()), Value: d.Bytes()} }

// Validate checks the owner's form.
func (o Owner) Validate() error {
	if o.Kind != OwnerKey && o.Kind != OwnerCommitment {
		return Errorf(ErrInvalid, "owner kind %d must be key (1) or commitment (2)", o.Kind)
	}
	if len(o.Value) != 32 {
		return Errorf(ErrInvalid, "owner %s must be 32 bytes", o.Kind)
	}
	return nil
}

// Equal reports whether two owners are the same.
func (o Owner) Equal(p Owner) bool { return o.Kind == p.Kind && string(o.Value) == string(p.Value) }

// String is "key:<key id>" or "commitment:<hex>".
func (o Owner) String() string {
	if o.Kind == OwnerKey {
		return "key:" + KeyID(o.Value)
	}
	return o.Kind.String() + ":" + hexs(o.Value)
}

// TagKind is the kind of a physical tag.
type TagKind uint64

// Tag kinds.
const (
	TagQR  TagKind = 1 // a printed QR serial (tem QR)
	TagNFC TagKind = 2 // an NFC chip UID
)

func (k TagKind) String() string {
	switch k {
	case TagQR:
		return "qr"
	case TagNFC:
		return "nfc"
	}
	return "unknown"
}

// ParseTagKind parses "qr" or "nfc".
func ParseTagKind(s string) (TagKind, error) {
	switch s {
	case "qr":
		return TagQR, nil
	case "nfc":
		return TagNFC, nil
	}
	return 0, Errorf(ErrInvalid, "tag kind %q must be qr or nfc", s)
}

// CheckTag checks a tag in its canonical form: a QR serial of 1..64
// letters, digits and . - _; an NFC UID of 4, 7 or 10 bytes in upper-case
// hex (use NormalizeTag first).
func CheckTag(kind TagKind, tag string) error {
	switch kind {
	case TagQR:
		if tag == "" {
			return Errorf(ErrInvalid, "tag serial is required")
		}
		return checkCode("tag serial", tag, MaxTagLen, false)
	case TagNFC:
		if n := len(tag); n != 8 && n != 14 && n != 20 {
			return Errorf(ErrInvalid, "NFC UID %q must be 4, 7 or 10 bytes in hex", tag)
		}
		for i := 0; i < len(tag); i++ {
			if c := tag[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
				return Errorf(ErrInvalid, "NFC UID %q must be upper-case hex", tag)
			}
		}
		return nil
	}
	return Errorf(ErrInvalid, "tag kind %d must be qr (1) or nfc (2)", kind)
}

// NormalizeTag returns the canonical form of a tag as typed or read: NFC
// UIDs lose separators (':' '-' ' ') and become upper case; QR serials are
// trimmed.
func NormalizeTag(kind TagKind, tag string) string {
	tag = strings.TrimSpace(tag)
	if kind == TagNFC {
		tag = strings.ToUpper(strings.NewReplacer(":", "", "-", "", " ", "").Replace(tag))
	}
	return tag
}

// CheckLocation checks a read point, business location or scan place:
// an identifier (CheckIdentifier: a GLN Digital Link, a URN) or, as CBV
// allows for places, a geo: URI (RFC 5870: geo:LAT,LON[,ALT][;params],
// latitude -90..90, longitude -180..180).
func CheckLocation(field, s string) error {
	if !strings.HasPrefix(s, "geo:") {
		return CheckIdentifier(field, s)
	}
	if len(s) > MaxIdentifierLen || strings.ContainsAny(s, " \"<>\\") {
		return Errorf(ErrInvalid, "%s %q: a geo: URI of at most %d characters without spaces", field, s, MaxIdentifierLen)
	}
	if _, _, ok := ParseGeo(s); !ok {
		return Errorf(ErrInvalid, "%s %q: want geo:LATITUDE,LONGITUDE (decimal degrees, e.g. geo:16.0544,108.2022)", field, s)
	}
	return nil
}

// ParseGeo reads the latitude and longitude of a geo: URI, as written
// (decimal strings, not floats: the chain never rounds).
func ParseGeo(s string) (lat, lon string, ok bool) {
	body, found := strings.CutPrefix(s, "geo:")
	if !found {
		return "", "", false
	}
	body, _, _ = strings.Cut(body, ";")
	parts := strings.Split(body, ",")
	if len(parts) < 2 || len(parts) > 3 {
		return "", "", false
	}
	for i, p := range parts {
		limit := []int{90, 180, 100000}[i]
		if !degrees(p, limit) {
			return "", "", false
		}
	}
	return parts[0], parts[1], true
}

// degrees reports whether s is a decimal number of magnitude at most
// limit (integer part compared; "90.5" is above 90).
func degrees(s string, limit int) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 6 || !AllDigits(whole) || (frac != "" && !AllDigits(frac)) || len(frac) > 15 {
		return false
	}
	n := 0
	for _, c := range whole {
		n = n*10 + int(c-'0')
	}
	return n < limit || (n == limit && strings.Trim(frac, "0") == "")
}

// CheckIdentifier accepts the identifiers of traced objects, classes and
// locations as the chain stores them: an absolute URI of at most 256
// printable ASCII characters with scheme https, http or urn — a GS1
// Digital Link URI (canonical form https://id.gs1.org/..., no query), a
// trace code URN (urn:vn:tcvn13274:...) or another URN. EPC URNs that have
// a GS1 Digital Link equivalent (urn:epc:id:sgtin:..., sscc, sgln, lgtin,
// grai, giai, pgln, idpat:sgtin) must be converted first (the CLI and
// client/epcis do), so that one object has one identifier and the CBV
// event hash matches other implementations.
func CheckIdentifier(field, s string) error {
	if s == "" || len(s) > MaxIdentifierLen {
		return Errorf(ErrInvalid, "%s must be 1..%d characters", field, MaxIdentifierLen)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' {
			return Errorf(ErrInvalid, "%s %q: only printable ASCII without spaces, quotes or <>\\", field, s)
		}
	}
	switch {
	case strings.HasPrefix(s, "https://id.gs1.org/"):
		if strings.ContainsAny(s, "?#") {
			return Errorf(ErrInvalid, "%s %q: a GS1 Digital Link identifier carries no query or fragment", field, s)
		}
	case strings.HasPrefix(s, "https://"), strings.HasPrefix(s, "http://"):
	case strings.HasPrefix(s, "urn:"):
		for _, p := range convertibleEPCURNs {
			if strings.HasPrefix(s, p) {
				return Errorf(ErrInvalid, "%s %q: convert EPC URIs to GS1 Digital Link URIs (https://id.gs1.org/...) first", field, s)
			}
		}
		for _, v := range []string{"bizstep:", "disp:", "btt:", "sdt:", "er:"} {
			if strings.HasPrefix(s, "urn:epcglobal:cbv:"+v) {
				return Errorf(ErrInvalid, "%s %q is a CBV vocabulary term, not an identifier", field, s)
			}
		}
	default:
		return Errorf(ErrInvalid, "%s %q must be a URI (https://id.gs1.org/..., urn:...)", field, s)
	}
	return nil
}

var convertibleEPCURNs = []string{
	"urn:epc:id:sgtin:", "urn:epc:id:sscc:", "urn:epc:id:sgln:", "urn:epc:id:grai:", "urn:epc:id:giai:",
	"urn:epc:id:pgln:", "urn:epc:class:lgtin:", "urn:epc:idpat:sgtin:",
}

func checkCIDs(field string, cids []string) error {
	if len(cids) > MaxPayloadCIDs {
		return Errorf(ErrInvalid, "at most %d %s", MaxPayloadCIDs, field)
	}
	sorted, unique := sortedUnique(cids)
	if !unique {
		return Errorf(ErrInvalid, "duplicate %s", field)
	}
	for i, c := range cids {
		if sorted[i] != c {
			return Errorf(ErrInvalid, "%s must be sorted", field)
		}
		if err := CheckCID(c); err != nil {
			return err
		}
	}
	return nil
}

// checkSortedIDs checks a list of identifiers is strictly ascending (so
// unique and canonical) and each a valid identifier.
func checkSortedIDs(field string, ids []string) error {
	for i, s := range ids {
		if err := CheckIdentifier(field, s); err != nil {
			return err
		}
		if i > 0 && ids[i-1] >= s {
			return Errorf(ErrInvalid, "%s must be strictly ascending (sorted, no duplicates)", field)
		}
	}
	return nil
}

// Product is the record of a traceable product: a craft item or batch, or
// an object or class named by EPCIS events. The counters say how many
// entries each of its lists holds (keys n = 1..count).
type Product struct {
	ID           uint64
	Kind         ProductKind
	Identifier   string // GS1 Digital Link URI or trace code; empty for a craft item without one
	Height       uint64 // creation height
	Time         uint64 // creation block time, unix seconds
	Events       uint64 // I | id | 1..Events
	Scans        uint64 // S | id | 1..Scans
	Attestations uint64 // B | id | 1..Attestations
	Transfers    uint64 // O | id | 1..Transfers
	TagKind      TagKind
	Tag          string // the bound tag ("" = none)
	Craft        *CraftDetails
}

// CraftDetails are what an artisan registers about a craft item or batch,
// with the maker's workshop and village copied from the enrolment.
type CraftDetails struct {
	Class        string   // product class code, e.g. "da-my-nghe" or an OCOP category code
	Name         string   // Vietnamese, NFC
	Description  string   // Vietnamese, NFC
	Materials    []string // Vietnamese, NFC
	Photos       []string // payload CIDs, sorted
	Certificates []string // payload CIDs, sorted
	Quantity     uint64   // 1 for an item, the batch size for a batch
	Maker        []byte   // the artisan key that registered it
	Agency       string   // the maker's agency (workshop)
	Registrar    string   // the agency that enrolled the maker
	Workshop     string
	Village      string
	Owner        Owner
}

// Encode writes the canonical form.
func (p *Product) Encode(e *Encoder) {
	e.Uint(p.ID)
	e.Uint(uint64(p.Kind))
	e.String(p.Identifier)
	e.Uint(p.Height)
	e.Uint(p.Time)
	e.Uint(p.Events)
	e.Uint(p.Scans)
	e.Uint(p.Attestations)
	e.Uint(p.Transfers)
	e.Uint(uint64(p.TagKind))
	e.String(p.Tag)
	e.Bool(p.Craft != nil)
	if c := p.Craft; c != nil {
		e.String(c.Class)
		e.String(c.Name)
		e.String(c.Description)
		e.Strings(c.Materials)
		e.Strings(c.Photos)
		e.Strings(c.Certificates)
		e.Uint(c.Quantity)
		e.Bytes(c.Maker)
		e.String(c.Agency)
		e.String(c.Registrar)
		e.String(c.Workshop)
		e.String(c.Village)
		c.Owner.encode(e)
	}
}

// DecodeProduct reads the canonical form.
func DecodeProduct(b []byte) (*Product, error) {
	d := NewDecoder(b)
	p := &Product{ID: d.Uint(), Kind: ProductKind(d.Uint()), Identifier: d.String(), Height: d.Uint(), Time: d.Uint(),
		Events: d.Uint(), Scans: d.Uint(), Attestations: d.Uint(), Transfers: d.Uint(), TagKind: TagKind(d.Uint()), Tag: d.String()}
	if d.Bool() {
		p.Craft = &CraftDetails{Class: d.String(), Name: d.String(), Description: d.String(),
			Materials: d.Strings(MaxMaterials), Photos: d.Strings(MaxPayloadCIDs), Certificates: d.Strings(MaxPayloadCIDs),
			Quantity: d.Uint(), Maker: d.Bytes(), Agency: d.String(), Registrar: d.String(), Workshop: d.String(),
			Village: d.String(), Owner: decodeOwner(d)}
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return p, nil
}

// Product reads a product; ErrNotFound if absent.
func (st *State) Product(id uint64) (*Product, error) {
	b, err := st.s.Get(ProductKey(id))
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, Errorf(ErrNotFound, "product %d", id)
	}
	return DecodeProduct(b)
}

// SetProduct writes a product.
func (st *State) SetProduct(p *Product) error { return st.put(ProductKey(p.ID), p.Encode) }

// ProductByIdentifier looks an identifier up in the identifier index.
func (st *State) ProductByIdentifier(identifier string) (uint64, bool, error) {
	b, err := st.s.Get(IdentifierKey(identifier))
	if err != nil || b == nil {
		return 0, false, err
	}
	id, err := DecodeProductIndex(b)
	return id, err == nil, err
}

// newProduct assigns the next product id, writes the record and, when it
// has an identifier, the index entry (which must be free).
func newProduct(env *Env, p *Product) error {
	if p.Identifier != "" {
		if id, ok, err := env.State.ProductByIdentifier(p.Identifier); err != nil || ok {
			if err != nil {
				return err
			}
			return Errorf(ErrConflict, "identifier %s is already product %d", p.Identifier, id)
		}
	}
	id, err := env.State.NextSeq(SeqProduct)
	if err != nil {
		return err
	}
	p.ID, p.Height, p.Time = id, env.Ctx.Height, blockUnix(env)
	if p.Identifier != "" {
		if err := env.State.Store().Set(IdentifierKey(p.Identifier), EncodeProductIndex(id)); err != nil {
			return err
		}
	}
	return env.State.SetProduct(p)
}

func blockUnix(env *Env) uint64 { return uint64(env.Ctx.Time.Unix()) }

// requireAnyRole fails with ErrUnauthorized unless the signer's agency
// holds one of roles.
func requireAnyRole(env *Env, roles ...string) error {
	if env.Signer.Agency != nil {
		for _, r := range roles {
			if env.Signer.Agency.HasRole(r) {
				return nil
			}
		}
	}
	return Errorf(ErrUnauthorized, "key %s (%s) holds none of the roles %s", KeyID(env.Signer.PubKey),
		env.Signer.describe(), strings.Join(roles, ", "))
}
