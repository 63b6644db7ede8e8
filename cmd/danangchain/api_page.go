package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/danangchain/danangchain/registry"
	"github.com/danangchain/danangchain/verification"
)

// webFS holds the verify page and, after `make build`, the verifier
// compiled to WebAssembly (verifier.wasm) and Go's wasm_exec.js, copied
// from the Go toolchain that built it (both are build outputs, not kept in
// git).
//
//go:embed web
var webFS embed.FS

// trustRootMarker is replaced in the page by the trust root it pins.
const trustRootMarker = `<script id="trust-root" type="application/json">{}</script>`

// wordingMarker is replaced in the page by the verdict wording table
// (verification.WordingForPage: the table the CLI and the verifier use), for the
// answers the page gives without the verifier (no network, no verifier).
const wordingMarker = `<script id="wording" type="application/json">{}</script>`

// trustRoot is what the page pins: the chain id and the genesis validator
// set (as in genesis.json), and the genesis agencies' names. It depends only on the genesis, so every node
// of a chain serves the same page bytes.
func trustRoot(gen *cmttypes.GenesisDoc) ([]byte, error) {
	type pub struct {
		Type  string `json:"type"`
		Value []byte `json:"value"`
	}
	type val struct {
		PubKey pub    `json:"pub_key"`
		Power  string `json:"power"`
	}
	type agency struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	root := struct {
		ChainID    string `json:"chain_id"`
		Validators []val  `json:"validators"`
		// Agencies names the genesis agencies, for offline receipts
		// (which prove a record, not its agency): as the CLI names them
		// from genesis.json.
		Agencies []agency `json:"agencies,omitempty"`
	}{ChainID: gen.ChainID}
	for _, v := range gen.Validators {
		root.Validators = append(root.Validators, val{pub{"tendermint/PubKeyEd25519", v.PubKey.Bytes()}, fmt.Sprint(v.Power)})
	}
	var st registry.GenesisState
	if json.Unmarshal(gen.AppState, &st) == nil {
		for _, a := range st.Agencies {
			root.Agencies = append(root.Agencies, agency{a.ID, a.Name})
		}
	}
	return json.Marshal(root)
}

// pageAssets are the page (with the trust root pinned) and the verifier,
// plain and gzipped, built once per process.
type pageAssets struct {
	once  sync.Once
	err   error
	files map[string]asset
}

type asset struct {
	ctype string
	plain []byte
	gz    []byte
}

func (a *pageAssets) load(gen *cmttypes.GenesisDoc) error {
	a.once.Do(func() {
		a.files = map[string]asset{}
		html, err := webFS.ReadFile("web/verify.html")
		if err != nil {
			a.err = err
			return
		}
		root, err := trustRoot(gen)
		if err != nil {
			a.err = err
			return
		}
		html = bytes.Replace(html, []byte(trustRootMarker),
			[]byte(`<script id="trust-root" type="application/json">`+string(root)+`</script>`), 1)
		words, err := json.Marshal(verification.WordingForPage())
		if err != nil {
			a.err = err
			return
		}
		html = bytes.Replace(html, []byte(wordingMarker),
			[]byte(`<script id="wording" type="application/json">`+string(words)+`</script>`), 1)
		a.add("verify.html", "text/html; charset=utf-8", html)
		for name, ctype := range map[string]string{"verifier.wasm": "application/wasm", "wasm_exec.js": "text/javascript; charset=utf-8"} {
			if b, err := fs.ReadFile(webFS, "web/"+name); err == nil {
				a.add(name, ctype, b)
			}
		}
	})
	return a.err
}

func (a *pageAssets) add(name, ctype string, b []byte) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	a.files[name] = asset{ctype, b, buf.Bytes()}
}

// serve writes the named asset, gzipped when the client accepts it;
// assets other than the page are immutable for a build and cached.
func (a *pageAssets) serve(w http.ResponseWriter, r *http.Request, name string) {
	f, ok := a.files[name]
	if !ok {
		problem(w, http.StatusNotFound, "verifier not built", fmt.Errorf("%s is missing from this binary: build it with 'make build'", name))
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Vary", "Accept-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")
	sum := sha256.Sum256(f.plain)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	if name == "verify.html" {
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; "+
			"style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'")
		h.Set("Cache-Control", "no-cache")
	} else {
		h.Set("Cache-Control", "public, max-age=86400")
	}
	body := f.plain
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

// pageHash is the SHA-256 of the page as served for gen (trust root pinned)
// and of the verifier: what 'danangchain version --home' prints so that a
// citizen or auditor can tell the official page from a look-alike.
func pageHash(gen *cmttypes.GenesisDoc) (page, wasm string, err error) {
	var a pageAssets
	if err := a.load(gen); err != nil {
		return "", "", err
	}
	p := sha256.Sum256(a.files["verify.html"].plain)
	page = hex.EncodeToString(p[:])
	if f, ok := a.files["verifier.wasm"]; ok {
		w := sha256.Sum256(f.plain)
		wasm = hex.EncodeToString(w[:])
	}
	return page, wasm, nil
}
