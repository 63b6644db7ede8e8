package verification

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// ICT is Indochina Time (UTC+7), in which verdicts show times.
var ICT = time.FixedZone("ICT", 7*3600)

// Value is one verified state value: the key, its value (nil: proven
// absent), the state height and the time of the header that proves it.
type Value struct {
	Key    []byte
	Value  []byte
	Height int64
	Time   time.Time
}

// ResultValues are the verified values a result verdict is built from.
// Every non-nil entry MUST have been verified (a receipt checked with
// VerifyReceipt, or a proof against a light-client-verified header):
// EvaluateResult checks that they fit together, not that they are proven.
type ResultValues struct {
	Index       *Value // h|sha256: the id, or proven absence (nil when asked by id)
	Record      *Value // r|id
	Agency      *Value // a|agency of the record
	Replacement *Value // r|replaced_by, optional
	SignerKey   *Value // k|signer of the record, optional (its status)
}

// Verdict is a proven answer about a document or a result id.
type Verdict struct {
	Status      registry.ResultVerdict
	DocHash     []byte                 // the document asked about (nil when asked by id)
	Record      *registry.ResultRecord // nil when Status is unknown
	Agency      *registry.Agency
	Replacement *registry.ResultRecord
	SignerKey   *registry.KeyRecord // the key that signed Record, when read
	Height      int64               // state height the record (or absence) is proven at
	Time        time.Time           // time of the header that proves it: the verdict is "as of" it
	CheckedAt   time.Time           // the verifier's clock: validity periods are judged at it
	Witnesses   int                 // witnesses that cross-checked the header (online reads)
}

// Valid reports whether the verdict is "valid".
func (v *Verdict) Valid() bool { return v.Status == registry.VerdictValid }

// IssuerStands reports whether the issuer still stands behind the record:
// the issuing agency, when read, is active and holds result.issuer, and
// the signing key, when read, was not revoked at or before the record's
// height. A valid record whose issuer does not stand "needs confirmation".
func (v *Verdict) IssuerStands() bool {
	if a := v.Agency; a != nil && (a.Status != registry.AgencyActive || !a.HasRole(registry.RoleResultIssuer)) {
		return false
	}
	if k := v.SignerKey; k != nil && v.Record != nil && k.Revoked && k.RevokedHeight <= v.Record.Height {
		return false
	}
	return true
}

// EvaluateResult turns verified values into a verdict. It is pure: the same
// inputs give the same verdict anywhere (CLI, SDK, browser, receipts).
// docHash may be nil when the record was looked up by id. The record's
// status (revoked, replaced, suspended) is as of its proof; its validity
// period (expired, not yet valid) is judged at now, the verifier's clock.
func EvaluateResult(docHash []byte, p ResultValues, now time.Time) (*Verdict, error) {
	bad := func(format string, args ...any) (*Verdict, error) {
		return nil, fmt.Errorf("%w: %s", registry.ErrProofInvalid, fmt.Sprintf(format, args...))
	}
	var id uint64
	if docHash != nil {
		if p.Index == nil || !bytes.Equal(p.Index.Key, registry.ResultHashKey(docHash)) {
			return bad("missing doc-hash index proof for %x", docHash)
		}
		if p.Index.Value == nil {
			return &Verdict{Status: registry.VerdictUnknown, DocHash: docHash, Height: p.Index.Height,
				Time: p.Index.Time, CheckedAt: now}, nil
		}
		var err error
		if id, err = registry.DecodeResultIndex(p.Index.Value); err != nil {
			return nil, err
		}
	}
	if p.Record == nil || p.Record.Value == nil {
		return bad("missing record proof")
	}
	rec, err := registry.DecodeResultRecord(p.Record.Value)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(p.Record.Key, registry.ResultKey(rec.ID)) || (docHash != nil && rec.ID != id) {
		return bad("record proof is for another result")
	}
	if docHash != nil && !bytes.Equal(rec.DocHash, docHash) {
		return bad("result %d is for document %x, not %x", rec.ID, rec.DocHash, docHash)
	}
	if p.Agency == nil || p.Agency.Value == nil || !bytes.Equal(p.Agency.Key, registry.AgencyKey(rec.Agency)) {
		return bad("missing proof of agency %s", rec.Agency)
	}
	ag, err := registry.DecodeAgency(p.Agency.Value)
	if err != nil {
		return nil, err
	}
	v := &Verdict{DocHash: docHash, Record: rec, Agency: ag, Height: p.Record.Height, Time: p.Record.Time, CheckedAt: now}
	if p.Replacement != nil {
		if rec.ReplacedBy == 0 || p.Replacement.Value == nil || !bytes.Equal(p.Replacement.Key, registry.ResultKey(rec.ReplacedBy)) {
			return bad("replacement proof does not match result %d", rec.ID)
		}
		if v.Replacement, err = registry.DecodeResultRecord(p.Replacement.Value); err != nil {
			return nil, err
		}
		if v.Replacement.Replaces != rec.ID {
			return bad("result %d does not name %d as the result it replaces", v.Replacement.ID, rec.ID)
		}
	}
	// The signing key's record is required: a key declared compromised
	// turns every record it signed since then into "compromised", and a
	// server that left the key out could hide that.
	if len(rec.Signer) > 0 && p.SignerKey == nil {
		return bad("missing proof of the key that signed result %d", rec.ID)
	}
	if p.SignerKey != nil {
		if p.SignerKey.Value == nil || !bytes.Equal(p.SignerKey.Key, registry.KeyRecordKey(rec.Signer)) {
			return bad("signer key proof does not match result %d", rec.ID)
		}
		if v.SignerKey, err = registry.DecodeKeyRecord(p.SignerKey.Value); err != nil {
			return nil, err
		}
	}
	v.Status = rec.VerdictAt(uint64(max(now.Unix(), 0)))
	if k := v.SignerKey; k != nil && k.SignedWhileCompromised(rec.Height) {
		v.Status = registry.VerdictCompromised
	}
	return v, nil
}

// EvaluateRecordOnly is the verdict from a result record alone (an offline
// receipt proves one key): the agency is not read (the caller may name it
// from its genesis), nor the replacement. docHash, when given, must be the
// record's document hash, else the verdict is unknown for that document.
func EvaluateRecordOnly(rec *Value, docHash []byte, now time.Time) (*Verdict, error) {
	if rec == nil || rec.Value == nil || len(rec.Key) != 9 || rec.Key[0] != registry.PrefixResult {
		return nil, fmt.Errorf("%w: the receipt does not prove a result record", registry.ErrProofInvalid)
	}
	r, err := registry.DecodeResultRecord(rec.Value)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(rec.Key, registry.ResultKey(r.ID)) {
		return nil, fmt.Errorf("%w: record and key disagree", registry.ErrProofInvalid)
	}
	v := &Verdict{Record: r, Height: rec.Height, Time: rec.Time, CheckedAt: now, DocHash: docHash}
	if docHash != nil && !bytes.Equal(docHash, r.DocHash) {
		// The receipt is genuine but for another document.
		v.Status, v.Record = registry.VerdictUnknown, nil
		return v, nil
	}
	v.Status = r.VerdictAt(uint64(max(now.Unix(), 0)))
	return v, nil
}

// VerdictView is the JSON shape of a verdict (CLI -o json, API, browser).
// Times are RFC 3339 in UTC+7; ids are decimal strings.
type VerdictView struct {
	Status           string           `json:"status"`
	StatusVI         string           `json:"status_vi"`
	Valid            bool             `json:"valid"`
	SHA256           string           `json:"sha256,omitempty"`
	ID               string           `json:"id,omitempty"`
	Agency           string           `json:"agency,omitempty"`
	AgencyName       string           `json:"agency_name,omitempty"`
	AgencyStatus     string           `json:"agency_status,omitempty"`
	Procedure        string           `json:"procedure,omitempty"`
	Dossier          string           `json:"dossier,omitempty"`
	DocType          string           `json:"type,omitempty"`
	Title            string           `json:"title,omitempty"`
	IssuedAt         string           `json:"issued_at,omitempty"`
	Height           uint64           `json:"height,omitempty"` // issue height
	Origin           string           `json:"origin,omitempty"`
	Replaces         string           `json:"replaces,omitempty"`
	ReplacedBy       string           `json:"replaced_by,omitempty"`
	Replacement      *ReplacementView `json:"replacement,omitempty"`
	ValidFrom        string           `json:"valid_from,omitempty"`
	ValidUntil       string           `json:"valid_until,omitempty"`
	StatusChangedAt  string           `json:"status_changed_at,omitempty"`
	StatusHeight     uint64           `json:"status_height,omitempty"`
	ReasonCode       uint64           `json:"reason_code,omitempty"`
	Reason           string           `json:"reason,omitempty"`
	HolderCommitment string           `json:"holder_commitment,omitempty"`
	CID              string           `json:"cid,omitempty"`
	Signer           string           `json:"signer_key_id,omitempty"`
	// SignerKeyStatus is "active" or "revoked" when the key was read;
	// SignerKeyRevokedHeight says when (a record signed before stands).
	SignerKeyStatus        string `json:"signer_key_status,omitempty"`
	SignerKeyRevokedHeight uint64 `json:"signer_key_revoked_height,omitempty"`
	// SignerKeyCompromisedSince: records the key signed from this height on
	// are "compromised".
	SignerKeyCompromisedSince uint64 `json:"signer_key_compromised_since,omitempty"`
	// SignerLabel is the signing key's on-chain label (an official's key,
	// e.g. "Cán bộ một cửa 01"); empty for the agency's own keys.
	SignerLabel string `json:"signer_label,omitempty"`
	// IssuerHeldRole: the chain accepted the record only from a key of an
	// agency holding result.issuer at that height (checked in FinalizeBlock).
	IssuerHeldRole bool   `json:"issuer_held_role,omitempty"`
	ProvenHeight   int64  `json:"proven_height"`
	AsOf           string `json:"as_of"`      // time of the verified header (UTC+7)
	CheckedAt      string `json:"checked_at"` // the verifier's clock (UTC+7)
	Witnesses      int    `json:"witnesses"`  // witnesses that cross-checked the header (0 offline)
	ProofVerified  bool   `json:"proof_verified"`
}

// ReplacementView summarises the record that supersedes a result.
type ReplacementView struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"` // reissue, replace or amend
	Status   string `json:"status"`
	IssuedAt string `json:"issued_at"`
	Height   uint64 `json:"height"`
}

// StatusVI is the Vietnamese label of a verdict.
func StatusVI(s registry.ResultVerdict) string {
	switch s {
	case registry.VerdictValid:
		return "Hợp lệ"
	case registry.VerdictRevoked:
		return "Đã bị thu hồi"
	case registry.VerdictReplaced:
		return "Đã được thay thế"
	case registry.VerdictSuspended:
		return "Đang bị tạm đình chỉ"
	case registry.VerdictExpired:
		return "Đã hết hiệu lực"
	case registry.VerdictNotYetValid:
		return "Chưa có hiệu lực"
	case registry.VerdictUnknown:
		return "Không tìm thấy kết quả"
	case registry.VerdictCompromised:
		return "Ký bằng khóa bị lộ"
	}
	return string(s)
}

// FormatUnix shows unix seconds in UTC+7 (RFC 3339); 0 is "".
func FormatUnix(s uint64) string {
	if s == 0 {
		return ""
	}
	return time.Unix(int64(s), 0).In(ICT).Format(time.RFC3339)
}

func formatID(id uint64) string {
	if id == 0 {
		return ""
	}
	return registry.FormatResultID(id)
}

// View returns the JSON shape of v.
func (v *Verdict) View() *VerdictView {
	out := &VerdictView{Status: string(v.Status), StatusVI: StatusVI(v.Status), Valid: v.Valid(),
		ProvenHeight: v.Height, AsOf: v.Time.In(ICT).Format(time.RFC3339),
		CheckedAt: v.CheckedAt.In(ICT).Format(time.RFC3339), Witnesses: v.Witnesses, ProofVerified: true}
	if v.DocHash != nil {
		out.SHA256 = hex.EncodeToString(v.DocHash)
	}
	r := v.Record
	if r == nil {
		return out
	}
	out.SHA256 = hex.EncodeToString(r.DocHash)
	out.ID = registry.FormatResultID(r.ID)
	out.Agency = r.Agency
	if v.Agency != nil {
		out.AgencyName, out.AgencyStatus = v.Agency.Name, v.Agency.Status.String()
	}
	out.Procedure, out.Dossier, out.DocType, out.Title = r.Procedure, r.Dossier, r.DocType, r.Title
	out.IssuedAt, out.Height, out.Origin = FormatUnix(r.Time), r.Height, r.Origin.String()
	out.Replaces, out.ReplacedBy = formatID(r.Replaces), formatID(r.ReplacedBy)
	out.ValidFrom, out.ValidUntil = FormatUnix(r.ValidFrom), FormatUnix(r.ValidUntil)
	out.StatusChangedAt, out.StatusHeight = FormatUnix(r.StatusTime), r.StatusHeight
	out.ReasonCode, out.Reason = r.ReasonCode, r.Reason
	if len(r.Holder) > 0 {
		out.HolderCommitment = hex.EncodeToString(r.Holder)
	}
	out.CID, out.Signer = r.CID, registry.KeyID(r.Signer)
	out.IssuerHeldRole = true
	if k := v.SignerKey; k != nil {
		out.SignerKeyStatus, out.SignerLabel = "active", k.Label
		if k.Revoked {
			out.SignerKeyStatus, out.SignerKeyRevokedHeight = "revoked", k.RevokedHeight
		}
		if k.CompromisedSince > 0 {
			out.SignerKeyStatus, out.SignerKeyCompromisedSince = "compromised", k.CompromisedSince
		}
	}
	if n := v.Replacement; n != nil {
		out.Replacement = &ReplacementView{ID: registry.FormatResultID(n.ID), Kind: n.Origin.String(),
			Status: string(n.VerdictAt(uint64(max(v.CheckedAt.Unix(), 0)))), IssuedAt: FormatUnix(n.Time), Height: n.Height}
	}
	return out
}
