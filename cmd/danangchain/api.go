package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

// apiServer serves the HTTP API and the verify page from a node. Reads go
// through the SDK's verifying client against the node's own RPC, so the API
// answers only what the light client and the ICS23 proofs confirmed.
type apiServer struct {
	n      *node.Node
	once   sync.Once
	c      *client.Client
	err    error
	assets pageAssets
	jobs   captureJobs // EPCIS capture jobs
}

// apiRoutes adds the application's HTTP API to a node's API server.
func apiRoutes(mux *http.ServeMux, n *node.Node) {
	s := &apiServer{n: n}
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("GET /verify", s.page)
	mux.HandleFunc("GET /v/{id}", s.page)
	mux.HandleFunc("GET /verifier.wasm", s.asset("verifier.wasm"))
	mux.HandleFunc("GET /wasm_exec.js", s.asset("wasm_exec.js"))
	mux.HandleFunc("GET /v1/state/{key}", s.handleState)
	mux.HandleFunc("GET /v1/receipt/{key}", s.handleReceipt)
	mux.HandleFunc("GET /openapi.yaml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(openAPISpec)
	})
	s.resultRoutes(mux)
	s.productRoutes(mux)
	s.captureRoutes(mux)
	notaryRoutes(mux, n)
	payloadRoutes(mux, n)
}

func (s *apiServer) client() (*client.Client, error) {
	s.once.Do(func() {
		gen := s.n.Comet.GenesisDoc()
		opts := []client.Option{client.WithGenesis(gen), client.WithChainID(gen.ChainID), client.WithPollInterval(100 * time.Millisecond),
			client.WithMaxHeaderAge(s.n.AppCfg.ReadyMaxBlockAge.Duration)}
		// The other city nodes cross-check this node's headers and height.
		opts = append(opts, client.WithWitnesses(witnessURLs(s.n.AppCfg.Witnesses)...))
		// A node restored by state sync lacks block 1 (and maybe the trust
		// height itself): its verified reads start from the trust point the
		// operator gave state sync, with the state-sync RPC servers as
		// witnesses that can serve the headers the node lacks.
		if ss := s.n.Config.StateSync; ss != nil && ss.TrustHeight > 0 {
			if h, err := client.ParseTrustHash(ss.TrustHash); err == nil {
				opts = append(opts, client.WithTrustPoint(ss.TrustHeight, h))
				for _, u := range ss.RPCServers {
					if u = strings.TrimSpace(u); u != "" {
						opts = append(opts, client.WithWitnesses(witnessURLs([]string{u})...))
					}
				}
			}
		}
		s.c, s.err = client.New("http://"+addrOf(s.n.Config.RPC.ListenAddress), opts...)
	})
	return s.c, s.err
}

// witnessURLs normalises RPC addresses ("host:port" gets http://).
func witnessURLs(in []string) []string {
	var out []string
	for _, u := range in {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		if !strings.Contains(u, "://") {
			u = "http://" + u
		}
		out = append(out, u)
	}
	return out
}

// page serves the verify page with the chain's trust root pinned in it.
func (s *apiServer) page(w http.ResponseWriter, r *http.Request) {
	if err := s.assets.load(s.n.Comet.GenesisDoc()); err != nil {
		problem(w, http.StatusInternalServerError, "page", err)
		return
	}
	s.assets.serve(w, r, "verify.html")
}

// asset serves the page's verifier files.
func (s *apiServer) asset(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.assets.load(s.n.Comet.GenesisDoc()); err != nil {
			problem(w, http.StatusInternalServerError, "page", err)
			return
		}
		s.assets.serve(w, r, name)
	}
}

// problem writes an RFC 9457 problem+json response.
func writeJSONResp(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (s *apiServer) proven(r *http.Request, key []byte) (*client.Proven, error) {
	c, err := s.client()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	return c.Get(ctx, key)
}

func (s *apiServer) provenAt(r *http.Request, height int64, key []byte) (*client.Proven, error) {
	c, err := s.client()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	return c.GetAt(ctx, height, key)
}

func parseHexKey(s string) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) == 0 || len(b) > 1024 {
		return nil, registry.Errorf(registry.ErrMalformed, "key must be 1..1024 bytes of hex")
	}
	return b, nil
}

// handleState returns a raw state value with its verified proof.
func (s *apiServer) handleState(w http.ResponseWriter, r *http.Request) {
	key, err := parseHexKey(r.PathValue("key"))
	if err != nil {
		problem(w, http.StatusBadRequest, "bad key", err)
		return
	}
	p, err := s.proven(r, key)
	if err != nil {
		problem(w, statusFor(err), "state read failed", err)
		return
	}
	writeJSONResp(w, provenView(p))
}

// handleReceipt returns an offline receipt for a state key.
func (s *apiServer) handleReceipt(w http.ResponseWriter, r *http.Request) {
	key, err := parseHexKey(r.PathValue("key"))
	if err != nil {
		problem(w, http.StatusBadRequest, "bad key", err)
		return
	}
	s.writeReceipt(w, r, key)
}

// writeReceipt writes the receipt of key: as of the current header, or with
// ?height=H as of the state after block H (the product page reads a whole
// trace at one height).
func (s *apiServer) writeReceipt(w http.ResponseWriter, r *http.Request, key []byte) {
	var p *client.Proven
	var err error
	if hs := r.URL.Query().Get("height"); hs != "" {
		h, perr := strconv.ParseInt(hs, 10, 64)
		if perr != nil || h <= 0 {
			problem(w, http.StatusBadRequest, "bad height", registry.Errorf(registry.ErrInvalid, "height must be a positive integer"))
			return
		}
		p, err = s.provenAt(r, h, key)
	} else {
		p, err = s.proven(r, key)
	}
	if err != nil {
		problem(w, statusFor(err), "state read failed", err)
		return
	}
	c, err := s.client()
	if err != nil {
		problem(w, statusFor(err), "receipt failed", err)
		return
	}
	rc, err := c.Receipt(r.Context(), p)
	if err != nil {
		problem(w, statusFor(err), "receipt failed", err)
		return
	}
	b, err := rc.Encode()
	if err != nil {
		problem(w, http.StatusInternalServerError, "receipt failed", err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.danangchain.receipt")
	w.Header().Set("Content-Disposition", `attachment; filename="receipt.dnr"`)
	_, _ = w.Write(b)
}
