package cas

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ipfs/boxo/gateway"
	"github.com/ipfs/go-cid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/danangchain/danangchain/registry"
)

// GatewayOptions configure Store.Gateway.
type GatewayOptions struct {
	// Deserialized also serves a payload as the file itself (for
	// <img src="/ipfs/CID">), besides the trustless ?format=raw and
	// ?format=car responses.
	Deserialized bool
	// Metrics receives boxo's gateway metrics (nil = a private registry).
	Metrics prometheus.Registerer
}

// GatewayPath is the route prefix the gateway serves.
const GatewayPath = "/ipfs/"

// Gateway returns an IPFS path gateway over the store, built on boxo's
// gateway package (offline: it serves only what the store holds):
//
//	GET|HEAD /ipfs/{cid}              the file (if Deserialized), with Range support
//	GET|HEAD /ipfs/{cid}?format=raw   the block (application/vnd.ipld.raw)
//	GET|HEAD /ipfs/{cid}?format=car   the DAG as a CAR v1 (application/vnd.ipld.car)
//
// Before boxo sees a request, the handler answers 400 to anything but
// /ipfs/{cid} with a CID the policy accepts (no sub-paths: payloads are
// single files; no "..", NUL or backslash) and 404 at once to a root the
// store does not hold. Errors are RFC 9457 problem+json documents with the
// registry code. HTML, SVG and XML payloads are served with a sandboxing
// Content-Security-Policy, so a payload never runs script on the node's
// origin.
func (s *Store) Gateway(o GatewayOptions) (http.Handler, error) {
	reg := o.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	backend, err := gateway.NewBlocksBackend(s.bsvc, gateway.WithPrometheusRegistry(reg))
	if err != nil {
		return nil, err
	}
	h := gateway.NewHandler(gateway.Config{
		DeserializedResponses: o.Deserialized,
		NoDNSLink:             true,
		DisableHTMLErrors:     true,
		RetrievalTimeout:      30 * time.Second,
		MaxConcurrentRequests: 256,
		MetricsRegistry:       reg,
	}, backend)
	return &gatewayHandler{s: s, next: h}, nil
}

type gatewayHandler struct {
	s    *Store
	next http.Handler
}

func (g *gatewayHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		Problem(w, http.StatusMethodNotAllowed, "method not allowed", fmt.Errorf("%w: read-only gateway", registry.ErrInvalid))
		return
	}
	c, err := GatewayCID(r.URL.Path, r.URL.RawPath)
	if err != nil {
		Problem(w, http.StatusBadRequest, "bad payload path", err)
		return
	}
	ok, err := g.s.Has(r.Context(), c)
	if err != nil {
		Problem(w, http.StatusInternalServerError, "store error", err)
		return
	}
	if !ok {
		Problem(w, http.StatusNotFound, "payload not found", fmt.Errorf("%w: %s is not stored on this node", ErrNotFound, c))
		return
	}
	if c.Prefix().Codec == CodecDagPB && !rawBlockRequest(r) {
		// A file or a CAR needs every block: answer at once rather than
		// cut a 200 response short (cheap: the leaves are only stat'ed).
		missing, err := g.s.Missing(r.Context(), c)
		if err != nil {
			Problem(w, http.StatusInternalServerError, "store error", err)
			return
		}
		if len(missing) > 0 {
			Problem(w, http.StatusNotFound, "payload incomplete on this node", fmt.Errorf("%w: %d blocks of %s are missing here (first %s): try another node; operators: danangchain payload verify",
				ErrNotFound, len(missing), c, missing[0]))
			return
		}
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	g.next.ServeHTTP(&sandboxWriter{ResponseWriter: w}, r)
}

// rawBlockRequest reports whether r asks for the root block only.
func rawBlockRequest(r *http.Request) bool {
	return r.URL.Query().Get("format") == "raw" || strings.Contains(r.Header.Get("Accept"), "application/vnd.ipld.raw")
}

// GatewayCID extracts the CID of a gateway path "/ipfs/{cid}" (rawPath is
// the escaped form when it differs, as in url.URL).
func GatewayCID(path, rawPath string) (c cid.Cid, err error) {
	for _, p := range []string{path, rawPath} {
		if strings.ContainsAny(p, "\x00\\") || strings.Contains(p, "..") || strings.Contains(strings.ToLower(p), "%2f") ||
			strings.Contains(p, "%00") || strings.Contains(strings.ToLower(p), "%5c") {
			return c, fmt.Errorf("%w: %q", ErrBadPath, p)
		}
	}
	rest, ok := strings.CutPrefix(path, GatewayPath)
	if !ok {
		return c, fmt.Errorf("%w: %q: want %s{cid}", ErrBadPath, path, GatewayPath)
	}
	if strings.Contains(rest, "/") {
		return c, fmt.Errorf("%w: %q: payloads are single files, no sub-paths", ErrBadPath, path)
	}
	return ParseCID(rest)
}

// sandboxWriter adds a sandboxing CSP to active content types.
type sandboxWriter struct {
	http.ResponseWriter
	wrote bool
}

func (s *sandboxWriter) WriteHeader(code int) {
	if !s.wrote {
		s.wrote = true
		ct := strings.ToLower(s.Header().Get("Content-Type"))
		if ct == "" || strings.Contains(ct, "html") || strings.Contains(ct, "xml") || strings.Contains(ct, "svg") ||
			strings.Contains(ct, "javascript") {
			s.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'")
		}
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *sandboxWriter) Write(b []byte) (int, error) {
	if !s.wrote {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *sandboxWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Flush passes flushes through (boxo streams CARs).
func (s *sandboxWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Problem writes an RFC 9457 problem+json document; a registry error adds
// its code and codespace (the API's convention).
func Problem(w http.ResponseWriter, status int, title string, err error) {
	body := map[string]any{"type": "about:blank", "title": title, "status": status}
	if err != nil {
		body["detail"] = err.Error()
		var e *registry.Error
		if errors.As(err, &e) {
			body["code"] = e.Code
			body["codespace"] = registry.Codespace
			body["type"] = "https://danangchain.dev/errors/" + e.Name
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
}
