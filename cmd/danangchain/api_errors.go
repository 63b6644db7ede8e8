package main

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// httpStatuses is the HTTP API's one table from a registered error code
// to a status; TestHTTPStatusTable keeps a row for every code.
var httpStatuses = map[uint32]int{
	registry.ErrInternal.Code:         http.StatusInternalServerError,
	registry.ErrMalformed.Code:        http.StatusBadRequest,
	registry.ErrOversize.Code:         http.StatusRequestEntityTooLarge,
	registry.ErrWrongChain.Code:       http.StatusBadRequest,
	registry.ErrReplay.Code:           http.StatusConflict,
	registry.ErrExpired.Code:          http.StatusBadRequest,
	registry.ErrBadSignature.Code:     http.StatusUnauthorized,
	registry.ErrUnknownKey.Code:       http.StatusUnauthorized,
	registry.ErrRevokedKey.Code:       http.StatusForbidden,
	registry.ErrUnauthorized.Code:     http.StatusForbidden,
	registry.ErrInvalid.Code:          http.StatusBadRequest,
	registry.ErrNotFound.Code:         http.StatusNotFound,
	registry.ErrConflict.Code:         http.StatusConflict,
	registry.ErrSuspended.Code:        http.StatusForbidden,
	registry.ErrUnknownMsg.Code:       http.StatusBadRequest,
	registry.ErrNotNFC.Code:           http.StatusBadRequest,
	registry.ErrProposalClosed.Code:   http.StatusConflict,
	registry.ErrRevoked.Code:          http.StatusConflict,
	registry.ErrBlocked.Code:          http.StatusConflict,
	registry.ErrProofInvalid.Code:     http.StatusBadGateway,
	registry.ErrQuorumNotReached.Code: http.StatusConflict,
	registry.ErrNotCurrent.Code:       http.StatusServiceUnavailable,
}

// statusFor maps an error to its HTTP status: registered errors through
// the table, an unreachable upstream node to 502, the rest to 500.
func statusFor(err error) int {
	var e *registry.Error
	if errors.As(err, &e) {
		if s, ok := httpStatuses[e.Code]; ok {
			return s
		}
	}
	if client.IsUnreachable(err) {
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

// problem writes an RFC 9457 application/problem+json response. A
// registered error carries its stable code and name (in "type" and
// "code"), bilingual titles and its detail; any other error of status
// 500 or more reads "internal error" (its text could leak internals).
func problem(w http.ResponseWriter, status int, title string, err error) {
	body := map[string]any{"type": "about:blank", "title": title, "status": status}
	var e *registry.Error
	switch {
	case err != nil && errors.As(err, &e):
		t := e.Text()
		body["type"] = "https://danangchain.dev/errors/" + e.Name
		body["code"], body["codespace"], body["name"] = e.Code, registry.Codespace, e.Name
		body["title"], body["title_vi"], body["hint"], body["hint_vi"] = t.En, t.Vi, t.HintEn, t.HintVi
		if e.Code != registry.ErrInternal.Code {
			body["detail"] = err.Error()
		}
	case err != nil && status < 500:
		body["detail"] = err.Error()
	case status >= 500:
		body["detail"] = "internal error"
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
}
