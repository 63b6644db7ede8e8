package registry

// Administrative results (kết quả thủ tục hành chính, TTHC).
//
// An agency holding the role result.issuer records the results it issues:
// one ResultRecord per document, keyed by a per-chain sequence number, and a
// doc-hash index so that anyone holding the file can find (and prove) its
// record. Lifecycle: issued -> superseded (reissued / replaced / amended,
// linked both ways), suspended <-> active, revoked (final); "expired" and
// "not yet valid" are derived from the validity window and block time.
// Officials with role result.inspector log their inspections.
//
// State layout (prefixes reserved for this family: 'r' 'h' 'i' 'j' 'q'):
//
//	r | id (8 BE)                                            -> ResultRecord
//	h | sha256 (32)                                          -> id (8 BE)
//	i | height (8 BE) | seq (8 BE)                           -> Inspection (the log)
//	j | 'o' | official pub (32) | height (8 BE) | seq (8 BE) -> Inspection (copy, per official)
//	j | 'a' | agency id | 0x00 | height (8 BE) | seq (8 BE)  -> Inspection (copy, per agency)
//	q                                                        reserved (a council-set list of
//	                                                         procedure codes per agency)
//	s | "result"                                             -> last result id (core sequence)
//	s | "inspection"                                         -> last inspection seq (core sequence)
//
// A verifier needs two proofs: h|sha256 (membership gives the id, absence
// proves "unknown") and r|id (the record with its status). Result ids come
// from one increasing counter, so record keys are appended at the right
// edge of the IAVL tree (the fast insert path); only the doc-hash index key
// is random. The inspection log and both indexes grow by increasing
// (height, seq) within each prefix. Index values are copies of the log
// entry, so a supervisor's listing is one range read and every entry is
// provable on its own. Agency ids never contain 0x00, so the separator
// keeps one agency's keys from prefixing another's.
//
// Message types 10-13 (10-19 are reserved for this family).

import (
	"encoding/base32"
	"encoding/binary"
	"strconv"
)

// Message types of the administrative-result family.
const (
	MsgTypeIssueResults    MsgType = 10
	MsgTypeSupersedeResult MsgType = 11
	MsgTypeSetResultStatus MsgType = 12
	MsgTypeInspectResult   MsgType = 13
)

// State key prefixes of the family (see the layout above).
const (
	PrefixResult          = 'r' // r|id(8 BE)            -> ResultRecord
	PrefixResultHash      = 'h' // h|sha256              -> id (8 BE)
	PrefixInspection      = 'i' // i|height|seq          -> Inspection
	PrefixInspectionIndex = 'j' // j|'o'|pub|height|seq, j|'a'|agency|0|height|seq -> Inspection
	PrefixResultReserved  = 'q' // reserved for a per-agency procedure allow-list
)

// Sequence names (core 's' keys) used by this family.
const (
	SeqResult     = "result"
	SeqInspection = "inspection"
)

// Limits of result fields.
const (
	MaxResultsPerTx   = 10000 // results in one issue tx (also bounded by MaxTxBytes)
	MaxProcedureLen   = 64    // mã TTHC, e.g. "1.001612.000.00.00.H17"
	MaxDossierLen     = 64    // mã hồ sơ, e.g. "000.00.17.H17-250901-0001"
	MaxDocTypeLen     = 100   // loại giấy tờ
	MaxTitleLen       = 300   // trích yếu / tên giấy tờ
	MaxCIDLen         = 100   // CIDv1 base32
	MaxReasonLen      = 500   // revocation / suspension text
	MaxReasonCode     = 65535 // agency-defined reason codes
	HolderSaltSize    = 16    // salt of a holder commitment
	maxResultUnixTime = 1 << 40
)

func resultMsgs() []msgKind {
	return []msgKind{
		{MsgTypeIssueResults, "result/issue", decodeIssueResults},
		{MsgTypeSupersedeResult, "result/supersede", decodeSupersedeResult},
		{MsgTypeSetResultStatus, "result/status", decodeSetResultStatus},
		{MsgTypeInspectResult, "result/inspect", decodeInspectResult},
	}
}

// ResultKey is the state key of result id.
func ResultKey(id uint64) []byte { return binary.BigEndian.AppendUint64([]byte{PrefixResult}, id) }

// ResultHashKey is the state key of the doc-hash index entry of a document.
func ResultHashKey(sha256 []byte) []byte { return append([]byte{PrefixResultHash}, sha256...) }

// InspectionKey is the key of an entry of the inspection log.
func InspectionKey(height, seq uint64) []byte {
	k := binary.BigEndian.AppendUint64([]byte{PrefixInspection}, height)
	return binary.BigEndian.AppendUint64(k, seq)
}

// InspectionsByOfficialPrefix is the key prefix of an official's inspections.
func InspectionsByOfficialPrefix(pub []byte) []byte {
	return append([]byte{PrefixInspectionIndex, 'o'}, pub...)
}

// InspectionsByAgencyPrefix is the key prefix of an agency's inspections.
func InspectionsByAgencyPrefix(agency string) []byte {
	return append(append([]byte{PrefixInspectionIndex, 'a'}, agency...), 0)
}

func appendHeightSeq(k []byte, height, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(k, height), seq)
}

// FormatResultID is the printable form of a result id (decimal).
func FormatResultID(id uint64) string { return strconv.FormatUint(id, 10) }

// ParseResultID parses a printable result id.
func ParseResultID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 || FormatResultID(id) != s {
		return 0, Errorf(ErrInvalid, "result id %q must be a positive decimal number", s)
	}
	return id, nil
}

// HolderCommitment is SHA-256(salt || NFC(holder)): it binds a result to
// its holder (a CCCD number, a tax code) without revealing them. The salt
// travels with the holder's receipt or QR code, never on chain.
func HolderCommitment(salt []byte, holder string) []byte {
	return Hash(salt, []byte(NFC(holder)))
}

// ResultStatus is the stored lifecycle state of a result.
type ResultStatus uint64

// Stored statuses. Expiry is never stored: see ResultRecord.VerdictAt.
const (
	ResultActive     ResultStatus = 1
	ResultSuspended  ResultStatus = 2
	ResultRevoked    ResultStatus = 3 // final
	ResultSuperseded ResultStatus = 4 // reissued, replaced or amended: see ReplacedBy
)

func (s ResultStatus) String() string {
	switch s {
	case ResultActive:
		return "active"
	case ResultSuspended:
		return "suspended"
	case ResultRevoked:
		return "revoked"
	case ResultSuperseded:
		return "superseded"
	}
	return "unknown"
}

// ResultOrigin says how a result came about.
type ResultOrigin uint64

// Origins. A new record of origin reissue, replace or amend names the
// record it supersedes (Replaces).
const (
	OriginIssue   ResultOrigin = 1 // cấp mới
	OriginReissue ResultOrigin = 2 // cấp lại (lost or damaged)
	OriginReplace ResultOrigin = 3 // cấp đổi
	OriginAmend   ResultOrigin = 4 // điều chỉnh, sửa đổi
)

func (o ResultOrigin) String() string {
	switch o {
	case OriginIssue:
		return "issue"
	case OriginReissue:
		return "reissue"
	case OriginReplace:
		return "replace"
	case OriginAmend:
		return "amend"
	}
	return "unknown"
}

// ParseSupersedeKind parses "reissue", "replace" or "amend".
func ParseSupersedeKind(s string) (ResultOrigin, error) {
	for _, o := range []ResultOrigin{OriginReissue, OriginReplace, OriginAmend} {
		if o.String() == s {
			return o, nil
		}
	}
	return 0, Errorf(ErrInvalid, "kind %q must be reissue, replace or amend", s)
}

// ResultVerdict is what a verifier concludes about a result at a time.
type ResultVerdict string

// Verdicts. Only VerdictValid means "valid".
const (
	VerdictValid       ResultVerdict = "valid"
	VerdictRevoked     ResultVerdict = "revoked"
	VerdictReplaced    ResultVerdict = "replaced" // reissued, replaced or amended
	VerdictSuspended   ResultVerdict = "suspended"
	VerdictExpired     ResultVerdict = "expired"
	VerdictNotYetValid ResultVerdict = "not_yet_valid"
	VerdictUnknown     ResultVerdict = "unknown" // no result for this document
	// VerdictCompromised: signed with a key its owner (or the council)
	// declared compromised since a height at or before the record's.
	VerdictCompromised ResultVerdict = "compromised"
)

// ResultDoc is what an agency states about one result document.
type ResultDoc struct {
	Procedure  string // mã TTHC (ASCII code), required
	DocType    string // loại giấy tờ, e.g. "Giấy chứng nhận đăng ký hộ kinh doanh"
	Title      string // trích yếu / tên giấy tờ (Vietnamese, NFC)
	DocHash    []byte // SHA-256 of the document file
	Dossier    string // mã hồ sơ (ASCII code), optional
	Holder     []byte // HolderCommitment, empty or 32 bytes
	ValidFrom  uint64 // unix seconds; 0 = from issue
	ValidUntil uint64 // unix seconds, exclusive; 0 = no end
	CID        string // CIDv1 (base32, sha2-256) of a public payload, optional
}

func (r *ResultDoc) encode(e *Encoder) {
	e.String(r.Procedure)
	e.String(r.DocType)
	e.String(r.Title)
	e.Bytes(r.DocHash)
	e.String(r.Dossier)
	e.Bytes(r.Holder)
	e.Uint(r.ValidFrom)
	e.Uint(r.ValidUntil)
	e.String(r.CID)
}

func decodeResultDoc(d *Decoder) ResultDoc {
	return ResultDoc{Procedure: d.String(), DocType: d.String(), Title: d.String(), DocHash: d.Bytes(),
		Dossier: d.String(), Holder: d.Bytes(), ValidFrom: d.Uint(), ValidUntil: d.Uint(), CID: d.String()}
}

// Validate checks every field without state.
func (r *ResultDoc) Validate() error {
	if err := checkTemplate(r.Procedure, r.DocType, r.Title); err != nil {
		return err
	}
	return checkItem(r.DocHash, r.Dossier, r.Holder, r.ValidFrom, r.ValidUntil, r.CID)
}

func checkTemplate(procedure, docType, title string) error {
	if err := checkCode("procedure", procedure, MaxProcedureLen, false); err != nil {
		return err
	}
	if procedure == "" {
		return Errorf(ErrInvalid, "procedure code is required")
	}
	if err := checkText("type", docType, MaxDocTypeLen); err != nil {
		return err
	}
	return checkText("title", title, MaxTitleLen)
}

func checkItem(hash []byte, dossier string, holder []byte, from, until uint64, cid string) error {
	if len(hash) != HashSize {
		return Errorf(ErrInvalid, "document hash must be %d bytes (SHA-256)", HashSize)
	}
	if err := checkCode("dossier", dossier, MaxDossierLen, true); err != nil {
		return err
	}
	if len(holder) != 0 && len(holder) != HashSize {
		return Errorf(ErrInvalid, "holder commitment must be empty or %d bytes", HashSize)
	}
	if from >= maxResultUnixTime || until >= maxResultUnixTime {
		return Errorf(ErrInvalid, "validity time out of range")
	}
	if until != 0 && from >= until {
		return Errorf(ErrInvalid, "valid_from must be before valid_until")
	}
	if cid != "" {
		return CheckCID(cid)
	}
	return nil
}

// checkCode accepts ASCII letters, digits, '.', '-', '_' (and '/' when
// slash is set), up to max bytes.
func checkCode(field, s string, max int, slash bool) error {
	if len(s) > max {
		return Errorf(ErrInvalid, "%s above %d bytes", field, max)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '-' || c == '_' || (slash && c == '/')
		if !ok {
			return Errorf(ErrInvalid, "%s %q: a code uses only ASCII letters a-z without diacritics, digits and . - _ (e.g. da-my-nghe)", field, s)
		}
	}
	return nil
}

// checkText accepts NFC text up to max bytes (may be empty).
func checkText(field, s string, max int) error {
	if err := CheckNFC(s); err != nil {
		return err
	}
	if len(s) > max {
		return Errorf(ErrInvalid, "%s above %d bytes", field, max)
	}
	return nil
}

var cidBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// CheckCID accepts only a CIDv1 in base32 ("b" multibase prefix,
// lowercase) whose multihash is sha2-256: version 1, any codec, 0x12 0x20
// and a 32-byte digest. The chain stores it as an opaque string.
func CheckCID(s string) error {
	if len(s) < 2 || len(s) > MaxCIDLen || s[0] != 'b' {
		return Errorf(ErrInvalid, "cid must be a CIDv1 in base32 ('b...'), at most %d characters", MaxCIDLen)
	}
	raw, err := cidBase32.DecodeString(s[1:])
	if err != nil || cidBase32.EncodeToString(raw) != s[1:] {
		return Errorf(ErrInvalid, "cid %q is not lowercase base32", s)
	}
	d := NewDecoder(raw)
	version := d.Uint()
	d.Uint() // content codec: any (raw, dag-pb, ...)
	mh, size := d.Uint(), d.Uint()
	d.Fixed(HashSize)
	if err := d.Finish(); err != nil || version != 1 || mh != 0x12 || size != HashSize {
		return Errorf(ErrInvalid, "cid %q must be CIDv1 with a sha2-256 multihash", s)
	}
	return nil
}

// ResultRecord is the on-chain record of one administrative result.
type ResultRecord struct {
	ID       uint64
	Agency   string // issuing agency id
	Signer   []byte // the agency key that issued it
	Origin   ResultOrigin
	Replaces uint64 // the result this one supersedes (0 = none)
	ResultDoc
	Height       uint64 // issue height
	Time         uint64 // issue time, unix seconds (block time)
	Status       ResultStatus
	ReplacedBy   uint64 // the result that supersedes this one (0 = none)
	StatusHeight uint64 // height of the last status change (0 = none)
	StatusTime   uint64 // block time of the last status change
	ReasonCode   uint64 // reason of the last suspension or revocation
	Reason       string
}

// Encode writes the canonical form.
func (r *ResultRecord) Encode(e *Encoder) {
	e.Uint(r.ID)
	e.String(r.Agency)
	e.Bytes(r.Signer)
	e.Uint(uint64(r.Origin))
	e.Uint(r.Replaces)
	r.ResultDoc.encode(e)
	e.Uint(r.Height)
	e.Uint(r.Time)
	e.Uint(uint64(r.Status))
	e.Uint(r.ReplacedBy)
	e.Uint(r.StatusHeight)
	e.Uint(r.StatusTime)
	e.Uint(r.ReasonCode)
	e.String(r.Reason)
}

// DecodeResultRecord reads the canonical form.
func DecodeResultRecord(b []byte) (*ResultRecord, error) {
	d := NewDecoder(b)
	r := &ResultRecord{ID: d.Uint(), Agency: d.String(), Signer: d.Bytes(), Origin: ResultOrigin(d.Uint()), Replaces: d.Uint()}
	r.ResultDoc = decodeResultDoc(d)
	r.Height = d.Uint()
	r.Time = d.Uint()
	r.Status = ResultStatus(d.Uint())
	r.ReplacedBy = d.Uint()
	r.StatusHeight = d.Uint()
	r.StatusTime = d.Uint()
	r.ReasonCode = d.Uint()
	r.Reason = d.String()
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return r, nil
}

// VerdictAt is the verdict on the result at block time t (unix seconds):
// revoked, then replaced, then suspended, then the validity window. t must
// be a block time (a verified header's), never the verifier's wall clock.
func (r *ResultRecord) VerdictAt(t uint64) ResultVerdict {
	switch r.Status {
	case ResultRevoked:
		return VerdictRevoked
	case ResultSuperseded:
		return VerdictReplaced
	case ResultSuspended:
		return VerdictSuspended
	case ResultActive:
	default:
		return VerdictUnknown
	}
	if r.ValidUntil != 0 && t >= r.ValidUntil {
		return VerdictExpired
	}
	if t < r.ValidFrom {
		return VerdictNotYetValid
	}
	return VerdictValid
}

// ResultRecord reads a result; ErrNotFound if absent.
func (st *State) ResultRecord(id uint64) (*ResultRecord, error) {
	b, err := st.s.Get(ResultKey(id))
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, Errorf(ErrNotFound, "result %d", id)
	}
	return DecodeResultRecord(b)
}

// SetResultRecord writes a result.
func (st *State) SetResultRecord(r *ResultRecord) error { return st.put(ResultKey(r.ID), r.Encode) }

// ResultIDByHash looks a document hash up in the doc-hash index.
func (st *State) ResultIDByHash(sha256 []byte) (uint64, bool, error) {
	b, err := st.s.Get(ResultHashKey(sha256))
	if err != nil || b == nil {
		return 0, false, err
	}
	id, err := DecodeResultIndex(b)
	return id, err == nil, err
}

// EncodeResultIndex is the value of a doc-hash index entry.
func EncodeResultIndex(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// DecodeResultIndex reads the value of a doc-hash index entry.
func DecodeResultIndex(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, Errorf(ErrMalformed, "result index value must be 8 bytes")
	}
	id := binary.BigEndian.Uint64(b)
	if id == 0 {
		return 0, Errorf(ErrMalformed, "result index value is zero")
	}
	return id, nil
}

// IssuedResult is one entry of the Data of an issue or supersede tx.
type IssuedResult struct {
	ID  uint64
	New bool // false: the agency had already issued this document (idempotent)
}

// EncodeIssued writes the tx Data of result/issue and result/supersede:
// list<(uvarint id, bool new)> in the order of the message's results.
func EncodeIssued(list []IssuedResult) []byte {
	e := NewEncoder(1 + 6*len(list))
	e.Uint(uint64(len(list)))
	for _, r := range list {
		e.Uint(r.ID)
		e.Bool(r.New)
	}
	return e.Out()
}

// DecodeIssued reads what EncodeIssued wrote.
func DecodeIssued(b []byte) ([]IssuedResult, error) {
	d := NewDecoder(b)
	n := d.Count(MaxResultsPerTx, 2)
	out := make([]IssuedResult, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, IssuedResult{ID: d.Uint(), New: d.Bool()})
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return out, nil
}

// issueResult records doc for the signer's agency, or returns the id the
// agency already holds for the same document hash (idempotent: the first
// record, its height and time are kept). Another agency's document is a
// conflict.
func issueResult(env *Env, doc *ResultDoc, origin ResultOrigin, replaces uint64) (IssuedResult, error) {
	agency := env.Signer.Agency.ID
	if id, ok, err := env.State.ResultIDByHash(doc.DocHash); err != nil || ok {
		if err != nil {
			return IssuedResult{}, err
		}
		old, err := env.State.ResultRecord(id)
		if err != nil {
			return IssuedResult{}, err
		}
		if old.Agency != agency {
			return IssuedResult{}, Errorf(ErrConflict, "document %x is already result %d of agency %s", doc.DocHash, id, old.Agency)
		}
		return IssuedResult{ID: id}, nil
	}
	id, err := env.State.NextSeq(SeqResult)
	if err != nil {
		return IssuedResult{}, err
	}
	r := &ResultRecord{ID: id, Agency: agency, Signer: env.Signer.PubKey, Origin: origin, Replaces: replaces,
		ResultDoc: *doc, Height: env.Ctx.Height, Time: uint64(env.Ctx.Time.Unix()), Status: ResultActive}
	if err := env.State.SetResultRecord(r); err != nil {
		return IssuedResult{}, err
	}
	if err := env.State.Store().Set(ResultHashKey(doc.DocHash), EncodeResultIndex(id)); err != nil {
		return IssuedResult{}, err
	}
	return IssuedResult{ID: id, New: true}, nil
}

// requireIssuerKey: results are issued and managed with an agency's main
// keys only. Official sub-keys (registered by the agency alone, carried in
// the field) may inspect but never issue, replace, suspend or revoke.
func requireIssuerKey(env *Env) error {
	if env.Signer.Agency == nil || env.Signer.Key.Kind != KeyAgency {
		return Errorf(ErrUnauthorized, "key %s is not an agency main key: results are issued and managed with main keys",
			KeyID(env.Signer.PubKey))
	}
	return nil
}

// loadOwnResult reads result id and checks the signer's agency issued it.
func loadOwnResult(env *Env, id uint64) (*ResultRecord, error) {
	r, err := env.State.ResultRecord(id)
	if err != nil {
		return nil, err
	}
	if r.Agency != env.Signer.Agency.ID {
		return nil, Errorf(ErrUnauthorized, "result %d was issued by %s, not %s", id, r.Agency, env.Signer.Agency.ID)
	}
	return r, nil
}
