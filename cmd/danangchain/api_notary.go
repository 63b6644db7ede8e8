package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

// The metered notary API on a node's API server:
//
//	POST /notary/v1/lookup   signed by a notary.office key: the property's
//	                         active notices with proofs; the lookup is logged
//	POST /notary/v1/billing  signed by a notary.authority key: the month's
//	                         run of the lookup log, for the billing report
//
// Requests are registry.APIRequest in JSON (notaryRequestJSON). The node
// checks the signature, the time (±5 min of its clock), the nonce (no
// replay) and the key's standing in its latest committed state: registered,
// not revoked, of an active agency holding the role.

// notaryRequestJSON is a signed API request on the wire; byte strings in hex.
type notaryRequestJSON struct {
	ChainID     string `json:"chain_id"`
	Node        string `json:"node"`
	Action      string `json:"action"`
	PropertyKey string `json:"property_key,omitempty"` // lookup
	Month       string `json:"month,omitempty"`        // billing
	Time        uint64 `json:"time"`
	Nonce       string `json:"nonce"`
	PubKey      string `json:"pub_key"`
	Signature   string `json:"signature"`
}

func (j *notaryRequestJSON) request() (*registry.APIRequest, error) {
	r := &registry.APIRequest{ChainID: j.ChainID, Node: j.Node, Action: j.Action, Time: j.Time}
	var err error
	dec := func(s string) []byte {
		b, e := hex.DecodeString(s)
		if e != nil && err == nil {
			err = registry.Errorf(registry.ErrMalformed, "bad hex in request")
		}
		return b
	}
	switch j.Action {
	case registry.APIActionLookup:
		r.Subject = dec(j.PropertyKey)
	case registry.APIActionBilling:
		r.Subject = []byte(j.Month)
	}
	r.Nonce, r.PubKey, r.Signature = dec(j.Nonce), dec(j.PubKey), dec(j.Signature)
	return r, err
}

func notaryRequestOf(r *registry.APIRequest) notaryRequestJSON {
	j := notaryRequestJSON{ChainID: r.ChainID, Node: r.Node, Action: r.Action, Time: r.Time, Nonce: hex.EncodeToString(r.Nonce),
		PubKey: hex.EncodeToString(r.PubKey), Signature: hex.EncodeToString(r.Signature)}
	if r.Action == registry.APIActionBilling {
		j.Month = string(r.Subject)
	} else {
		j.PropertyKey = hex.EncodeToString(r.Subject)
	}
	return j
}

// lookupReceipt tells the office how its lookup was counted.
type lookupReceipt struct {
	Seq   uint64 `json:"seq"`
	Org   string `json:"org"`
	Month string `json:"month"`
	Hash  string `json:"hash"`
}

// lookupResponse is the answer to a lookup: unverified until the client
// checks the proofs against a header it trusts.
type lookupResponse struct {
	Height  int64         `json:"height"`
	Entries []bundleEntry `json:"entries"`
	Receipt lookupReceipt `json:"receipt"`
}

// billingResponse is the run of the log that covers a month.
type billingResponse struct {
	Month    string    `json:"month"`
	Lines    []logLine `json:"lines"`
	HeadSeq  uint64    `json:"head_seq"`
	HeadHash string    `json:"head_hash"`
}

// errMeteringDown: the lookup log could not be opened (the node's log says
// why); no lookup is answered that could not be counted.
var errMeteringDown = errors.New("notary lookups unavailable: the node's lookup log could not be opened (see the node's log)")

type notaryAPI struct {
	n       *node.Node
	chainID string
	nodeID  string // this node's CometBFT id: requests must be addressed to it
	log     *lookupLog
	logErr  error
}

// notaryRoutes adds the notary API to a node's API server.
func notaryRoutes(mux *http.ServeMux, n *node.Node) {
	a := &notaryAPI{n: n, chainID: n.Comet.GenesisDoc().ChainID, nodeID: string(n.Comet.NodeInfo().ID())}
	a.log, a.logErr = openLookupLog(lookupLogDir(n.Home), a.chainID)
	if a.logErr != nil {
		n.Log.Error("notary lookup log unavailable: lookups are refused", "err", a.logErr)
	}
	mux.HandleFunc("GET /notary/v1/node", a.handleNode)
	mux.HandleFunc("POST /notary/v1/lookup", a.handleLookup)
	mux.HandleFunc("POST /notary/v1/billing", a.handleBilling)
}

// fail answers a failed notary call as problem+json, through the API's
// one status table; internal errors are logged, not shown.
func (a *notaryAPI) fail(w http.ResponseWriter, err error) {
	status := statusFor(err)
	switch {
	case errors.Is(err, errMeteringDown):
		problem(w, http.StatusServiceUnavailable, "notary lookups unavailable", err)
		return
	case !registry.IsDomain(err):
		a.n.Log.Error("notary api", "err", err)
	}
	problem(w, status, "notary request failed", err)
}

// authenticate decodes and checks a signed request and the signer's
// standing at the latest committed height; it returns the signer's agency
// and that height.
func (a *notaryAPI) authenticate(w http.ResponseWriter, req *http.Request, action, role string) (*registry.APIRequest, *registry.Agency, int64, error) {
	if a.logErr != nil {
		return nil, nil, 0, errMeteringDown
	}
	var j notaryRequestJSON
	dec := json.NewDecoder(http.MaxBytesReader(w, req.Body, 16<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, nil, 0, registry.Errorf(registry.ErrMalformed, "request body: %v", err)
	}
	r, err := j.request()
	if err != nil {
		return nil, nil, 0, err
	}
	if r.Action != action {
		return nil, nil, 0, registry.Errorf(registry.ErrInvalid, "this endpoint serves %q requests", action)
	}
	if err := r.Validate(a.chainID, a.nodeID); err != nil {
		return nil, nil, 0, err
	}
	if a.n == nil || a.n.App == nil {
		return nil, nil, 0, errors.New("no DanangChain application in this node")
	}
	if a.n.App.Height() < 1 {
		return nil, nil, 0, errors.New("no committed block yet")
	}
	st, h, err := a.n.App.StateAt(0)
	if err != nil {
		return nil, nil, 0, err
	}
	// The same key-standing check as every transaction's.
	s, err := registry.KeyStanding(st, r.PubKey)
	if err != nil {
		return nil, nil, 0, err
	}
	kr, ag := s.Key, s.Agency
	if ag == nil {
		return nil, nil, 0, registry.Errorf(registry.ErrUnauthorized, "council keys hold no %s role", role)
	}
	// A sub-key does notary work only when scoped for it (a notary
	// public's key), and never reads the bill.
	if kr.Kind == registry.KeyOfficial && (action != registry.APIActionLookup || !slices.Contains(kr.Scope, "notary/contract")) {
		return nil, nil, 0, registry.Errorf(registry.ErrUnauthorized, "sub-key %s is not scoped for %s requests", registry.KeyID(r.PubKey), action)
	}
	if !ag.HasRole(role) {
		return nil, nil, 0, registry.Errorf(registry.ErrUnauthorized, "agency %s lacks role %s", ag.ID, role)
	}
	return r, ag, h, nil
}

func (a *notaryAPI) handleLookup(w http.ResponseWriter, req *http.Request) {
	r, ag, h, err := a.authenticate(w, req, registry.APIActionLookup, registry.RoleNotaryOffice)
	if err != nil {
		a.fail(w, err)
		return
	}
	entries, err := a.checkEntries(h, r.Subject)
	if err != nil {
		a.fail(w, err)
		return
	}
	// Count before answering: no answer without a durable log entry.
	line, err := a.log.Append(r, ag.ID, uint64(h), time.Now())
	if err != nil {
		a.fail(w, err)
		return
	}
	writeNotaryJSON(w, lookupResponse{Height: h, Entries: entries,
		Receipt: lookupReceipt{Seq: line.Seq, Org: line.Org, Month: line.Month, Hash: line.Hash}})
}

// checkEntries reads a property's index key and its notices at height h,
// with proofs.
func (a *notaryAPI) checkEntries(h int64, property []byte) ([]bundleEntry, error) {
	read := func(key []byte) (bundleEntry, []byte, error) {
		v, proof, _, err := a.n.App.Get(h, key, true)
		if err != nil {
			return bundleEntry{}, nil, err
		}
		if len(v) == 0 {
			v = nil
		}
		return bundleEntry{Key: hex.EncodeToString(key), Value: hex.EncodeToString(v), Proof: hex.EncodeToString(proof)}, v, nil
	}
	idx, v, err := read(registry.NotaryActiveKey(property))
	if err != nil {
		return nil, err
	}
	out := []bundleEntry{idx}
	if v == nil {
		return out, nil
	}
	ids, err := registry.DecodeActiveBlocks(v)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		e, _, err := read(registry.NotaryBlockKey(id))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (a *notaryAPI) handleBilling(w http.ResponseWriter, req *http.Request) {
	r, _, _, err := a.authenticate(w, req, registry.APIActionBilling, registry.RoleNotaryAuthority)
	if err != nil {
		a.fail(w, err)
		return
	}
	if err := a.log.Admit(r, time.Now()); err != nil {
		a.fail(w, err)
		return
	}
	lines, err := a.log.Lines()
	if err != nil {
		a.fail(w, fmt.Errorf("read lookup log: %w", err))
		return
	}
	resp := billingResponse{Month: string(r.Subject), Lines: monthRange(lines, string(r.Subject))}
	if resp.Lines == nil {
		resp.Lines = []logLine{}
	}
	if n := len(lines); n > 0 {
		resp.HeadSeq, resp.HeadHash = lines[n-1].Seq, lines[n-1].Hash
	}
	writeNotaryJSON(w, resp)
}

func writeNotaryJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// handleNode tells a client which node it is talking to: signed requests
// name it, so that one is valid at this node only.
func (a *notaryAPI) handleNode(w http.ResponseWriter, _ *http.Request) {
	writeJSONResp(w, map[string]string{"chain_id": a.chainID, "node_id": a.nodeID})
}
