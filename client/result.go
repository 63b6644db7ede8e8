package client

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// ICT is Indochina Time (UTC+7), in which verification answers show times.
var ICT = time.FixedZone("ICT", 7*3600)

// ResultProofs are the verified state values a verdict is built from.
// Every non-nil entry MUST come from Client.Get or an equivalent check (an
// ICS23 proof against the app hash of a header verified from genesis):
// EvaluateResult checks that they fit together, not the proofs themselves.
type ResultProofs struct {
	Index       *Proven // h|sha256: the id, or proven absence (nil when looking up by id)
	Record      *Proven // r|id
	Agency      *Proven // a|agency of the record
	Replacement *Proven // r|replaced_by, optional
}

// Verdict is a proven answer about a document or a result id.
type Verdict struct {
	Status      registry.ResultVerdict
	DocHash     []byte                 // the document asked about (nil when asked by id)
	Record      *registry.ResultRecord // nil when Status is unknown
	Agency      *registry.Agency       // the issuing agency
	Replacement *registry.ResultRecord // the record that supersedes Record, when fetched
	Height      int64                  // state height the record (or absence) is proven at
	Time        time.Time              // block time of the verified header: the verdict is "as of" it
	CheckedAt   time.Time              // the verifier's clock: validity periods are judged at it
	Witnesses   int                    // witnesses that cross-checked the header (online reads)
	Proofs      ResultProofs
}

// Valid reports whether the verdict is "valid".
func (v *Verdict) Valid() bool { return v.Status == registry.VerdictValid }

// EvaluateResult is EvaluateResultAt at this computer's clock.
func EvaluateResult(docHash []byte, p ResultProofs) (*Verdict, error) {
	return EvaluateResultAt(docHash, p, time.Now())
}

// EvaluateResultAt turns verified state values into a verdict. It is pure:
// the same inputs give the same verdict anywhere (CLI, web page, offline
// receipt). docHash may be nil when the record was looked up by id.
// The record's status (revoked, replaced, suspended) is as of the verified
// header; its validity period (expired, not yet valid) is judged at now,
// the verifier's own clock — a receipt from last year of a licence that
// expired since says expired.
func EvaluateResultAt(docHash []byte, p ResultProofs, now time.Time) (*Verdict, error) {
	bad := func(format string, args ...any) (*Verdict, error) {
		return nil, fmt.Errorf("%w: %s", registry.ErrProofInvalid, fmt.Sprintf(format, args...))
	}
	var id uint64
	if docHash != nil {
		if p.Index == nil || !bytes.Equal(p.Index.Key, registry.ResultHashKey(docHash)) {
			return bad("missing doc-hash index proof for %x", docHash)
		}
		if p.Index.Value == nil {
			if p.Index.Header == nil {
				return bad("index proof without a header")
			}
			return &Verdict{Status: registry.VerdictUnknown, DocHash: docHash, Height: p.Index.Height,
				Time: p.Index.Header.Time, CheckedAt: now, Proofs: p}, nil
		}
		var err error
		if id, err = registry.DecodeResultIndex(p.Index.Value); err != nil {
			return nil, err
		}
	}
	if p.Record == nil || p.Record.Value == nil || p.Record.Header == nil {
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
	v := &Verdict{DocHash: docHash, Record: rec, Agency: ag, Height: p.Record.Height, Time: p.Record.Header.Time,
		CheckedAt: now, Proofs: p}
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
	v.Status = rec.VerdictAt(uint64(max(now.Unix(), 0)))
	return v, nil
}

// VerifyDocument answers "is this document a valid result?" from verified
// reads only: the doc-hash index (or its proven absence), the record, the
// issuing agency and, for a superseded result, the record that replaces it.
func (c *Client) VerifyDocument(ctx context.Context, sha256 []byte) (*Verdict, error) {
	if len(sha256) != registry.HashSize {
		return nil, fmt.Errorf("%w: document hash must be %d bytes", registry.ErrInvalid, registry.HashSize)
	}
	get, cur, err := c.pinned(ctx)
	if err != nil {
		return nil, err
	}
	idx, err := get(ctx, registry.ResultHashKey(sha256))
	if err != nil {
		return nil, err
	}
	p := ResultProofs{Index: idx}
	if idx.Value != nil {
		id, err := registry.DecodeResultIndex(idx.Value)
		if err != nil {
			return nil, err
		}
		if err := resultProofs(ctx, get, id, &p); err != nil {
			return nil, err
		}
	}
	return c.judge(sha256, p, cur)
}

// judge evaluates proofs read under the current header cur at this
// computer's clock and notes the witnesses that cross-checked it.
func (c *Client) judge(docHash []byte, p ResultProofs, cur *Verifier) (*Verdict, error) {
	v, err := EvaluateResultAt(docHash, p, time.Now())
	if err != nil {
		return nil, err
	}
	v.Witnesses = cur.Witnessed()
	return v, nil
}

// VerifyResult is VerifyDocument for a result id. A result that does not
// exist is ErrNotFound (its absence is proven).
func (c *Client) VerifyResult(ctx context.Context, id uint64) (*Verdict, error) {
	get, cur, err := c.pinned(ctx)
	if err != nil {
		return nil, err
	}
	var p ResultProofs
	if err := resultProofs(ctx, get, id, &p); err != nil {
		return nil, err
	}
	return c.judge(nil, p, cur)
}

func resultProofs(ctx context.Context, get getter, id uint64, p *ResultProofs) error {
	rec, err := get(ctx, registry.ResultKey(id))
	if err != nil {
		return err
	}
	if rec.Value == nil {
		return fmt.Errorf("%w: result %d (proven absent at height %d)", registry.ErrNotFound, id, rec.Height)
	}
	r, err := registry.DecodeResultRecord(rec.Value)
	if err != nil {
		return err
	}
	p.Record = rec
	if p.Agency, err = get(ctx, registry.AgencyKey(r.Agency)); err != nil {
		return err
	}
	if r.ReplacedBy != 0 {
		if p.Replacement, err = get(ctx, registry.ResultKey(r.ReplacedBy)); err != nil {
			return err
		}
	}
	return nil
}

// VerdictView is the JSON shape of a verdict (CLI -o json, web, API).
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
	ProvenHeight     int64            `json:"proven_height"`
	AsOf             string           `json:"as_of"`      // time of the verified header (UTC+7)
	CheckedAt        string           `json:"checked_at"` // the verifier's clock (UTC+7)
	Witnesses        int              `json:"witnesses"`  // witnesses that cross-checked the header (0 offline)
	ProofVerified    bool             `json:"proof_verified"`
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
	if n := v.Replacement; n != nil {
		out.Replacement = &ReplacementView{ID: registry.FormatResultID(n.ID), Kind: n.Origin.String(),
			Status: string(n.VerdictAt(uint64(max(v.CheckedAt.Unix(), 0)))), IssuedAt: FormatUnix(n.Time), Height: n.Height}
	}
	return out
}

// ChunkResults splits docs into groups whose issue tx stays under maxBytes
// (and MaxResultsPerTx results), keeping their order. maxBytes <= 0 means
// registry.MaxTxBytes minus room for the envelope.
func ChunkResults(docs []registry.ResultDoc, maxBytes int) [][]registry.ResultDoc {
	if maxBytes <= 0 {
		maxBytes = registry.MaxTxBytes - 1024
	}
	var out [][]registry.ResultDoc
	var cur []registry.ResultDoc
	size := 16
	seen := map[registry.ResultTemplate]bool{}
	for _, d := range docs {
		t := registry.ResultTemplate{Procedure: d.Procedure, DocType: d.DocType, Title: d.Title}
		add := itemSize(d)
		if !seen[t] {
			add += len(d.Procedure) + len(d.DocType) + len(d.Title) + 9
		}
		if len(cur) > 0 && (size+add > maxBytes || len(cur) == registry.MaxResultsPerTx) {
			out = append(out, cur)
			cur, size, seen = nil, 16, map[registry.ResultTemplate]bool{}
			add = itemSize(d) + len(d.Procedure) + len(d.DocType) + len(d.Title) + 9
		}
		seen[t] = true
		cur = append(cur, d)
		size += add
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// itemSize bounds the encoded size of one item (varints at their longest).
func itemSize(d registry.ResultDoc) int {
	return 3 + (3 + len(d.DocHash)) + (3 + len(d.Dossier)) + (3 + len(d.Holder)) + 10 + 10 + (3 + len(d.CID))
}
