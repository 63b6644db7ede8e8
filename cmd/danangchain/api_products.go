package main

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// productRoutes adds the provenance endpoints: the product page (the QR on
// a product holds BASE/p/{id}) and its trace as JSON.
func (s *apiServer) productRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /p/{id}", s.page)
	mux.HandleFunc("GET /v1/products/{id}/trace", s.handleProductTrace)
}

// handleProductTrace answers GET /v1/products/{id}/trace: the trace of a
// product id (or of an identifier, URL-escaped), read with verified proofs
// at one height (client.TraceProduct), in the shape of 'product trace -o
// json'.
func (s *apiServer) handleProductTrace(w http.ResponseWriter, r *http.Request) {
	q, err := parseProductRef(strings.TrimSpace(r.PathValue("id")))
	if err != nil {
		problem(w, http.StatusBadRequest, "Invalid product code", err)
		return
	}
	c, err := s.client()
	if err != nil {
		problem(w, http.StatusInternalServerError, "client", err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 60*time.Second)
	defer cancel()
	tr, err := c.TraceProduct(ctx, q)
	if err != nil {
		problem(w, statusFor(err), "Could not trace the product", err)
		return
	}
	writeJSONResp(w, tr.View())
}
