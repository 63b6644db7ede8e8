package verification

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// PageRequest is what the verify page asks (JSON from the page).
type PageRequest struct {
	Root     json.RawMessage `json:"root"`      // trust root pinned in the page (genesis subset)
	SHA256   string          `json:"sha256"`    // a document's hash (file dropped or typed)
	ID       string          `json:"id"`        // a result id (from a QR)
	QRSHA256 string          `json:"qr_sha256"` // the document hash the QR names
	// FileSHA256 is the hash of a file the person holds, checked against
	// the record the QR names ("is this paper the document?").
	FileSHA256 string `json:"file_sha256"`
	NowMS      int64  `json:"now_ms"`    // the browser's clock
	MaxAgeS    int64  `json:"max_age_s"` // freshness bound (default 60)
}

// PageCheck is one line of the page's checklist, judged by this package,
// with its detail in English and Vietnamese.
type PageCheck struct {
	OK       bool   `json:"ok"`
	Detail   string `json:"detail,omitempty"`
	DetailVI string `json:"detail_vi,omitempty"`
}

func check(ok bool, en, vi string) PageCheck { return PageCheck{OK: ok, Detail: en, DetailVI: vi} }

// agencyStatusVI names an agency's status in Vietnamese.
func agencyStatusVI(s registry.AgencyStatus) string {
	switch s {
	case registry.AgencyActive:
		return "đang hoạt động"
	case registry.AgencySuspended:
		return "bị đình chỉ"
	case registry.AgencyRemoved:
		return "đã bị loại bỏ"
	}
	return s.String()
}

// PageResponse is a verdict with its checklist, or the keys still needed.
type PageResponse struct {
	Need    []string             `json:"need,omitempty"`
	State   string               `json:"state,omitempty"` // valid, invalid, unconfirmed, mismatch, error
	Reason  string               `json:"reason,omitempty"`
	Error   string               `json:"error,omitempty"`
	Code    string               `json:"code,omitempty"`
	Verdict *VerdictView         `json:"verdict,omitempty"`
	Checks  map[string]PageCheck `json:"checks,omitempty"`
	AgeS    int64                `json:"age_s,omitempty"`
	// Message is the answer in plain words (wording.go): what a person
	// reads first; Checks and the verdict's values are the details.
	Message *Message `json:"message,omitempty"`
}

const pageMaxDrift = 30 * time.Second

func pageFail(err error) PageResponse { return pageFailAs(SayError, err) }

// pageFailAs is pageFail read as status (SayBadLink for a malformed
// request, SayBadReceipt for a receipt file that does not verify).
func pageFailAs(status string, err error) PageResponse {
	code := "internal"
	var e *registry.Error
	if errors.As(err, &e) {
		code = e.Name
	}
	return PageResponse{State: "error", Error: err.Error(), Code: code, Message: ErrorMessage(status, err)}
}

// freshness judges the headers an answer rests on (the oldest and newest
// header times) against the device's clock: the oldest at most MaxAgeS
// (default 60 s) old, the newest at most pageMaxDrift in the future.
func (req PageRequest) freshness(oldest, newest, now time.Time) (bool, int64, PageCheck) {
	maxAge := time.Duration(req.MaxAgeS) * time.Second
	if maxAge <= 0 {
		maxAge = 60 * time.Second
	}
	age := now.Sub(oldest)
	fresh := age <= maxAge && newest.Sub(now) <= pageMaxDrift
	return fresh, int64(age / time.Second), check(fresh,
		fmt.Sprintf("as of %s, %s old on this device's clock (limit %s)", oldest.In(ICT).Format("2006-01-02 15:04:05"), age.Round(time.Second), maxAge),
		fmt.Sprintf("tính đến %s, cũ %d giây theo đồng hồ thiết bị này (giới hạn %d giây)",
			oldest.In(ICT).Format("02/01/2006 15:04:05"), int64(age.Round(time.Second)/time.Second), int64(maxAge/time.Second)))
}

func (req PageRequest) now() time.Time {
	if req.NowMS > 0 {
		return time.UnixMilli(req.NowMS)
	}
	return time.Now()
}

// pageReader verifies the receipts the page fetched, noting the keys it lacks.
type pageReader struct {
	root      *TrustRoot
	got       map[string][]byte
	need      []string
	sigs      int
	handovers int
	oldest    time.Time
	newest    time.Time
	receipt   bool // an offline receipt file, not receipts fetched now
}

func (r *pageReader) get(key []byte) (*Value, bool, error) {
	k := hex.EncodeToString(key)
	raw, ok := r.got[k]
	if !ok {
		r.need = append(r.need, k)
		return nil, false, nil
	}
	v, err := VerifyReceipt(raw, r.root)
	if err != nil {
		return nil, false, err
	}
	if !bytes.Equal(v.Key, key) {
		return nil, false, fmt.Errorf("%w: the node answered for key %X, not %X", registry.ErrProofInvalid, v.Key, key)
	}
	if r.oldest.IsZero() || v.Time.Before(r.oldest) {
		r.oldest = v.Time
	}
	if v.Time.After(r.newest) {
		r.newest = v.Time
	}
	r.handovers = max(r.handovers, v.Handovers)
	r.sigs++
	return &Value{Key: v.Key, Value: v.Value, Height: v.Height, Time: v.Time}, true, nil
}

// VerifyResultForPage judges a result from receipts (by hex state key),
// asking for more keys until it has every value the verdict needs: the
// page fetches the receipts it names from any node and calls it again.
func VerifyResultForPage(req PageRequest, got map[string][]byte) PageResponse {
	root, err := TrustRootFromGenesis(req.Root)
	if err != nil {
		return pageFail(err)
	}
	now := req.now()
	r := &pageReader{root: root, got: got}
	var in ResultValues
	var doc []byte
	var id uint64
	if req.SHA256 != "" {
		if doc, err = hex.DecodeString(req.SHA256); err != nil || len(doc) != registry.HashSize {
			return pageFailAs(SayBadLink, registry.Errorf(registry.ErrInvalid, "sha256 must be 64 hex characters"))
		}
		idx, ok, err := r.get(registry.ResultHashKey(doc))
		if err != nil {
			return pageFail(err)
		}
		if !ok {
			return PageResponse{Need: r.need}
		}
		in.Index = idx
		if idx.Value != nil {
			if id, err = registry.DecodeResultIndex(idx.Value); err != nil {
				return pageFail(err)
			}
		}
	} else {
		if id, err = registry.ParseResultID(req.ID); err != nil {
			return pageFailAs(SayBadLink, err)
		}
	}
	if in.Index == nil || in.Index.Value != nil {
		rec, ok, err := r.get(registry.ResultKey(id))
		if err != nil {
			return pageFail(err)
		}
		if !ok {
			return PageResponse{Need: r.need}
		}
		if rec.Value == nil {
			return r.finish(req, now, nil, fmt.Errorf("%w: result %s does not exist (proven absent)", registry.ErrNotFound, registry.FormatResultID(id)))
		}
		in.Record = rec
		rr, err := registry.DecodeResultRecord(rec.Value)
		if err != nil {
			return pageFail(err)
		}
		if in.Agency, _, err = r.get(registry.AgencyKey(rr.Agency)); err != nil {
			return pageFail(err)
		}
		if len(rr.Signer) > 0 {
			if in.SignerKey, _, err = r.get(registry.KeyRecordKey(rr.Signer)); err != nil {
				return pageFail(err)
			}
			if in.SignerKey != nil && in.SignerKey.Value == nil {
				in.SignerKey = nil
			}
		}
		if rr.ReplacedBy != 0 {
			if in.Replacement, _, err = r.get(registry.ResultKey(rr.ReplacedBy)); err != nil {
				return pageFail(err)
			}
		}
		if len(r.need) > 0 {
			return PageResponse{Need: r.need}
		}
	}
	v, err := EvaluateResult(doc, in, now)
	if err != nil {
		return pageFail(err)
	}
	return r.finish(req, now, v, nil)
}

// finish adds the checklist and decides the state: "valid" only when the
// verdict is valid, every receipt verified from the pinned root, the
// newest header is fresh on the browser's clock and the issuer and its key
// stand; "unconfirmed" (amber) when the state could not be confirmed as
// current; "invalid" otherwise.
func (r *pageReader) finish(req PageRequest, now time.Time, v *Verdict, notFound error) (out PageResponse) {
	out = PageResponse{Checks: map[string]PageCheck{}}
	out.Checks["signatures"] = check(true,
		fmt.Sprintf("%d headers, each signed by more than 2/3 of the validators followed from the pinned genesis (%d hand-overs)", r.sigs, r.handovers),
		fmt.Sprintf("%d tiêu đề khối, mỗi tiêu đề có chữ ký của hơn 2/3 các nút theo chuỗi từ khối khởi tạo ghim trong trang (%d lần chuyển giao)", r.sigs, r.handovers))
	out.Checks["proof"] = check(true, "ICS23 proofs verified in this browser against the signed app hashes",
		"chứng minh ICS23 được kiểm tra trong trình duyệt này với mã băm trạng thái đã ký")
	var fresh bool
	fresh, out.AgeS, out.Checks["fresh"] = req.freshness(r.oldest, r.newest, now)
	basis := Basis{Where: InBrowser, AsOf: r.oldest, Age: now.Sub(r.oldest), Fresh: fresh}
	if r.receipt {
		basis.Where, basis.Fresh = FromReceipt, false
	}
	defer func() { out.Message = NewMessage(out.status(r.receipt), basis) }()
	if notFound != nil {
		out.State, out.Error, out.Code = "invalid", notFound.Error(), "not_found"
		if !fresh {
			out.State, out.Reason = "unconfirmed", "stale"
		}
		return out
	}
	view := v.View()
	out.Verdict = view
	stands := true
	if v.Agency != nil {
		ok := v.Agency.Status == registry.AgencyActive && v.Agency.HasRole(registry.RoleResultIssuer)
		out.Checks["issuer"] = check(ok, v.Agency.Name+" — "+v.Agency.Status.String(), v.Agency.Name+" — "+agencyStatusVI(v.Agency.Status))
		stands = stands && ok
	}
	if k := v.SignerKey; k != nil && v.Record != nil {
		ok := !k.Revoked || k.RevokedHeight > v.Record.Height
		en, vi := "active", "đang hiệu lực"
		if k.Revoked {
			en = fmt.Sprintf("revoked at height %d (record signed at %d)", k.RevokedHeight, v.Record.Height)
			vi = fmt.Sprintf("bị thu hồi tại khối %d (bản ghi ký tại khối %d)", k.RevokedHeight, v.Record.Height)
		}
		out.Checks["signer_key"] = check(ok, en, vi)
		stands = stands && ok
	}
	basis.Issuer = v.Agency != nil && stands
	out.Checks["status"] = check(v.Valid(), string(v.Status), StatusVI(v.Status))
	switch {
	case v.Record != nil && req.QRSHA256 != "" && !strings.EqualFold(req.QRSHA256, hex.EncodeToString(v.Record.DocHash)):
		out.Checks["hash"] = check(false, "the QR names document "+req.QRSHA256+", the record is for "+hex.EncodeToString(v.Record.DocHash),
			"mã QR ghi tài liệu "+req.QRSHA256+", bản ghi là của tài liệu "+hex.EncodeToString(v.Record.DocHash))
		out.State = "mismatch"
	case !fresh:
		out.State, out.Reason = "unconfirmed", "stale"
	case v.Valid() && stands:
		out.State = "valid"
	case v.Valid():
		out.State, out.Reason = "unconfirmed", "issuer"
	default:
		out.State = "invalid"
	}
	if v.Record != nil && req.QRSHA256 != "" && out.State != "mismatch" {
		out.Checks["hash"] = check(true, "the QR's document hash is the record's", "mã băm trong QR đúng là của bản ghi")
	}
	if v.Record != nil && req.FileSHA256 != "" && out.State != "mismatch" {
		if strings.EqualFold(req.FileSHA256, hex.EncodeToString(v.Record.DocHash)) {
			out.Checks["file"] = check(true, req.FileSHA256, req.FileSHA256)
		} else {
			out.Checks["file"] = check(false, "your file "+req.FileSHA256+" is not the document of this record ("+
				hex.EncodeToString(v.Record.DocHash)+")", "tệp của bạn "+req.FileSHA256+" không phải tài liệu của bản ghi này ("+
				hex.EncodeToString(v.Record.DocHash)+")")
			out.State = "mismatch"
		}
	}
	return out
}

// status is the wording status of a finished answer.
func (out *PageResponse) status(receipt bool) string {
	switch out.State {
	case "valid":
		if receipt {
			return SayReceiptValid
		}
		return SayValid
	case "mismatch":
		if c, ok := out.Checks["file"]; ok && !c.OK {
			return SayMismatchFile
		}
		return SayMismatchQR
	case "unconfirmed":
		switch {
		case out.Reason == "issuer":
			return SayIssuer
		case receipt:
			return SayReceiptOld
		}
		return SayNotCurrent
	case "invalid":
		if out.Code == "not_found" {
			return SayNotFound
		}
		if out.Verdict != nil {
			return out.Verdict.Status
		}
	}
	return SayError
}

// VerifyReceiptForPage judges an offline receipt dropped on the page: the
// record it proves, as of the receipt's time (shown with its age).
func VerifyReceiptForPage(req PageRequest, raw []byte) PageResponse {
	root, err := TrustRootFromGenesis(req.Root)
	if err != nil {
		return pageFail(err)
	}
	v, err := VerifyReceipt(raw, root)
	if err != nil {
		return pageFailAs(SayBadReceipt, err)
	}
	if len(v.Key) != 9 || v.Key[0] != registry.PrefixResult || v.Value == nil {
		return pageFailAs(SayBadReceipt, registry.Errorf(registry.ErrInvalid, "the receipt does not prove a result record"))
	}
	now := req.now()
	verdict, err := EvaluateRecordOnly(&Value{Key: v.Key, Value: v.Value, Height: v.Height, Time: v.Time}, nil, now)
	if err != nil {
		return pageFail(err)
	}
	r := &pageReader{root: root, sigs: 1, handovers: v.Handovers, oldest: v.Time, newest: v.Time, receipt: true}
	out := r.finish(req, now, verdict, nil)
	if out.Verdict != nil && out.Verdict.AgencyName == "" {
		out.Verdict.AgencyName = genesisAgencyName(req.Root, out.Verdict.Agency)
	}
	return out // a receipt proves the record only: no issuer line
}

// genesisAgencyName names an agency from the genesis agencies pinned with
// the trust root ("agencies": [{"id", "name"}]), as the CLI names the
// agency of an offline receipt from genesis.json; "" when not there.
func genesisAgencyName(root json.RawMessage, id string) string {
	var g struct {
		Agencies []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"agencies"`
	}
	if json.Unmarshal(root, &g) == nil {
		for _, a := range g.Agencies {
			if a.ID == id {
				return a.Name
			}
		}
	}
	return ""
}
