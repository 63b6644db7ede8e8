package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cometbft/cometbft/types"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// apiCheck is one line of the verify page's checklist.
type apiCheck struct {
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// apiVerdict is a verdict with the checklist of what was verified.
type apiVerdict struct {
	*client.VerdictView
	Checks map[string]apiCheck `json:"checks"`
}

// resultRoutes adds the administrative-result endpoints.
func (s *apiServer) resultRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/verify", s.handleVerifyHash)
	mux.HandleFunc("GET /v1/results/{id}", s.handleResult)
	mux.HandleFunc("GET /v1/results/{id}/verify", s.handleResult)
	mux.HandleFunc("GET /v1/results/{id}/receipt", s.handleResultReceipt)
	mux.HandleFunc("GET /v1/inspections", s.handleInspections)
}

func verdictChecks(v *client.Verdict, wantHash []byte) map[string]apiCheck {
	checks := map[string]apiCheck{}
	p := v.Proofs.Record
	if p == nil {
		p = v.Proofs.Index
	}
	if p != nil && p.Header != nil && p.Validators != nil {
		signed := 0
		for _, cs := range p.Header.Commit.Signatures {
			if cs.BlockIDFlag == types.BlockIDFlagCommit {
				signed++
			}
		}
		checks["signatures"] = apiCheck{true, fmt.Sprintf("%d/%d validators signed header %d", signed, p.Validators.Size(), p.Header.Height)}
		checks["proof"] = apiCheck{true, fmt.Sprintf("ICS23 proof verified against app hash %X… at height %d", p.Header.AppHash[:6], p.Height)}
	}
	if v.Agency != nil {
		checks["issuer"] = apiCheck{v.Agency.HasRole(registry.RoleResultIssuer), v.Agency.Name}
	}
	checks["status"] = apiCheck{OK: v.Valid()}
	if wantHash != nil && v.Record != nil {
		checks["hash"] = apiCheck{bytes.Equal(wantHash, v.Record.DocHash), hex.EncodeToString(v.Record.DocHash)}
	}
	return checks
}

func (s *apiServer) verdictCtx(r *http.Request) (*client.Client, context.Context, context.CancelFunc, error) {
	c, err := s.client()
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	return c, ctx, cancel, nil
}

// handleVerifyHash answers GET /v1/verify?sha256=HEX.
func (s *apiServer) handleVerifyHash(w http.ResponseWriter, r *http.Request) {
	sum, err := hex.DecodeString(strings.TrimSpace(r.URL.Query().Get("sha256")))
	if err != nil || len(sum) != registry.HashSize {
		problem(w, http.StatusBadRequest, "bad sha256", registry.Errorf(registry.ErrInvalid, "sha256 must be 64 hex characters"))
		return
	}
	c, ctx, cancel, err := s.verdictCtx(r)
	if err != nil {
		problem(w, http.StatusInternalServerError, "client", err)
		return
	}
	defer cancel()
	v, err := c.VerifyDocument(ctx, sum)
	if err != nil {
		problem(w, statusFor(err), "verification failed", err)
		return
	}
	writeJSONResp(w, apiVerdict{v.View(), verdictChecks(v, sum)})
}

// handleResult answers GET /v1/results/{id}[/verify][?h=HEX].
func (s *apiServer) handleResult(w http.ResponseWriter, r *http.Request) {
	id, err := registry.ParseResultID(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusBadRequest, "bad result id", err)
		return
	}
	var want []byte
	if h := r.URL.Query().Get("h"); h != "" {
		if want, err = hex.DecodeString(h); err != nil || len(want) != registry.HashSize {
			problem(w, http.StatusBadRequest, "bad h", registry.Errorf(registry.ErrInvalid, "h must be a SHA-256 in hex"))
			return
		}
	}
	c, ctx, cancel, err := s.verdictCtx(r)
	if err != nil {
		problem(w, http.StatusInternalServerError, "client", err)
		return
	}
	defer cancel()
	v, err := c.VerifyResult(ctx, id)
	if err != nil {
		problem(w, statusFor(err), "verification failed", err)
		return
	}
	out := apiVerdict{v.View(), verdictChecks(v, want)}
	if want != nil && v.Record != nil && !bytes.Equal(want, v.Record.DocHash) {
		// The QR's document hash does not match: the document is not this record.
		out.Status, out.Valid = "unknown", false
	}
	writeJSONResp(w, out)
}

// handleResultReceipt answers GET /v1/results/{id}/receipt.
func (s *apiServer) handleResultReceipt(w http.ResponseWriter, r *http.Request) {
	id, err := registry.ParseResultID(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusBadRequest, "bad result id", err)
		return
	}
	s.writeReceipt(w, r, registry.ResultKey(id))
}

// handleInspections answers GET /v1/inspections?official=HEX|agency=ID.
func (s *apiServer) handleInspections(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var prefix []byte
	switch {
	case q.Get("official") != "":
		pub, err := hex.DecodeString(q.Get("official"))
		if err != nil || len(pub) != registry.PubKeySize {
			problem(w, http.StatusBadRequest, "bad official key", registry.Errorf(registry.ErrInvalid, "official must be a 32-byte public key in hex"))
			return
		}
		prefix = registry.InspectionsByOfficialPrefix(pub)
	case q.Get("agency") != "":
		prefix = registry.InspectionsByAgencyPrefix(q.Get("agency"))
	default:
		problem(w, http.StatusBadRequest, "missing filter", registry.Errorf(registry.ErrInvalid, "give official or agency"))
		return
	}
	kvs, h, err := s.n.App.Range(0, prefix, registry.PrefixEnd(prefix), registry.MaxRangeLimit)
	if err != nil {
		problem(w, statusFor(err), "query failed", err)
		return
	}
	list := []inspectionJSON{}
	for _, kv := range kvs {
		in, err := registry.DecodeInspection(kv.Value)
		if err != nil {
			problem(w, http.StatusInternalServerError, "decode", err)
			return
		}
		list = append(list, inspectionView(in))
	}
	if err := markCompromisedInspections(list, func(pub []byte) (*registry.KeyRecord, error) {
		v, _, _, err := s.n.App.Get(h, registry.KeyRecordKey(pub), false)
		if err != nil || v == nil {
			return nil, err
		}
		return registry.DecodeKeyRecord(v)
	}); err != nil {
		problem(w, statusFor(err), "query failed", err)
		return
	}
	writeJSONResp(w, map[string]any{"height": h, "inspections": list})
}
