package verification

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// TracePageRequest is what the product page asks: the product (a decimal
// id, or a canonical identifier) and the browser's clock.
type TracePageRequest struct {
	PageRequest
	Product string `json:"product"`
}

// TracePageResponse is the product's trace with its checklist, or the keys
// still needed (all at Height: the page fetches them with ?height=).
type TracePageResponse struct {
	Need   []string             `json:"need,omitempty"`
	Height int64                `json:"height,omitempty"`
	State  string               `json:"state,omitempty"` // valid, warning (clone flags), invalid, unconfirmed, error
	Reason string               `json:"reason,omitempty"`
	Error  string               `json:"error,omitempty"`
	Code   string               `json:"code,omitempty"`
	Trace  *TraceView           `json:"trace,omitempty"`
	Checks map[string]PageCheck `json:"checks,omitempty"`
	AgeS   int64                `json:"age_s,omitempty"`
	// Message is the answer in plain words (wording.go).
	Message *Message `json:"message,omitempty"`
}

func traceFail(err error) TracePageResponse { return traceFailAs(SayError, err) }

func traceFailAs(status string, err error) TracePageResponse {
	r := pageFailAs(status, err)
	return TracePageResponse{State: r.State, Error: r.Error, Code: r.Code, Message: r.Message}
}

// productQuery reads a product reference: a decimal id or a canonical
// identifier (GS1 Digital Link URI or trace-code URN, as the QR holds it).
func productQuery(s string) (TraceQuery, error) {
	s = strings.TrimSpace(s)
	if id, err := registry.ParseProductID(s); err == nil {
		return TraceQuery{ID: id}, nil
	}
	if err := registry.CheckIdentifier("product", s); err != nil {
		return TraceQuery{}, err
	}
	return TraceQuery{Identifier: s}, nil
}

// VerifyTraceForPage builds a product's trace from receipts (by hex state
// key), all verified against the pinned trust root and all at one height:
// the first receipt fixes the height and every further one must match it.
// While values are missing it names them (Need, with Height).
func VerifyTraceForPage(req TracePageRequest, got map[string][]byte) TracePageResponse {
	root, err := TrustRootFromGenesis(req.Root)
	if err != nil {
		return traceFail(err)
	}
	q, err := productQuery(req.Product)
	if err != nil {
		return traceFailAs(SayBadLink, err)
	}
	now := req.now()
	vals := &TraceValues{Values: make(map[string]*Value, len(got))}
	var oldest, newest time.Time
	handovers := 0
	for k, raw := range got {
		v, err := VerifyReceipt(raw, root)
		if err != nil {
			return traceFail(err)
		}
		if hex.EncodeToString(v.Key) != k {
			return traceFail(fmt.Errorf("%w: the node answered for key %X, not %s", registry.ErrProofInvalid, v.Key, k))
		}
		if vals.Height == 0 {
			vals.Height = v.Height
		} else if v.Height != vals.Height {
			return traceFail(fmt.Errorf("%w: receipts at heights %d and %d: a trace is read at one height", registry.ErrProofInvalid, vals.Height, v.Height))
		}
		if oldest.IsZero() || v.Time.Before(oldest) {
			oldest = v.Time
		}
		if v.Time.After(newest) {
			newest = v.Time
		}
		handovers = max(handovers, v.Handovers)
		vals.Values[string(v.Key)] = &Value{Key: v.Key, Value: v.Value, Height: v.Height, Time: v.Time}
	}
	if len(got) == 0 {
		vals.Height = 0
	}
	tr, err := EvaluateTrace(q, vals)
	var miss *MissingProofsError
	if errors.As(err, &miss) {
		out := TracePageResponse{Height: vals.Height}
		for _, k := range miss.Keys {
			out.Need = append(out.Need, hex.EncodeToString(k))
		}
		return out
	}
	if errors.Is(err, registry.ErrNotFound) {
		// Proven absent: no such product (unless the proof is stale).
		fresh, ageS, freshCheck := req.freshness(oldest, newest, now)
		out := TracePageResponse{Height: vals.Height, State: "invalid", Code: "not_found", Error: err.Error(), AgeS: ageS,
			Checks: map[string]PageCheck{"fresh": freshCheck}}
		status := SayProductNotFound
		if !fresh {
			out.State, out.Reason, status = "unconfirmed", "stale", SayNotCurrent
		}
		out.Message = NewMessage(status, Basis{Where: InBrowser, AsOf: oldest, Age: now.Sub(oldest), Fresh: fresh})
		return out
	}
	if err != nil {
		return traceFail(err)
	}
	fresh, ageS, freshCheck := req.freshness(oldest, newest, now)
	out := TracePageResponse{Height: vals.Height, Trace: tr.View(), AgeS: ageS, Checks: map[string]PageCheck{
		"signatures": check(true,
			fmt.Sprintf("%d headers, each signed by more than 2/3 of the validators followed from the pinned genesis (%d hand-overs)", len(got), handovers),
			fmt.Sprintf("%d tiêu đề khối, mỗi tiêu đề có chữ ký của hơn 2/3 các nút theo chuỗi từ khối khởi tạo (%d lần chuyển giao)", len(got), handovers)),
		"proof": check(true, fmt.Sprintf("%d ICS23 proofs verified in this browser at height %d", len(got), vals.Height),
			fmt.Sprintf("%d chứng minh ICS23 kiểm tra trong trình duyệt này tại khối %d", len(got), vals.Height)),
		"fresh": freshCheck,
		"steps": check(tr.Verified(), fmt.Sprintf("%d steps", len(tr.Steps)), fmt.Sprintf("%d bước", len(tr.Steps))),
	}}
	status := SayProductVerified
	switch {
	case !fresh:
		out.State, out.Reason, status = "unconfirmed", "stale", SayNotCurrent
	case !tr.Verified():
		out.State, status = "invalid", SayProductInvalid
	case len(tr.Flags) > 0:
		out.State, status = "warning", SayProductWarning
	default:
		out.State = "valid"
	}
	out.Message = NewMessage(status, Basis{Where: InBrowser, AsOf: oldest, Age: now.Sub(oldest), Fresh: fresh, Trace: tr.Verified() && len(tr.Steps) > 0})
	return out
}
