package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/danangchain/danangchain/client/epcis"
	"github.com/danangchain/danangchain/registry"
)

// The EPCIS capture interface: a business's own system pushes an EPCIS 2.0
// document (JSON-LD or XML) to any node without the CLI or the Go SDK, in
// the shape of the EPCIS 2.0 REST binding's capture endpoint. A node never
// holds a business's key, so capture is two calls:
//
//  1. POST /epcis/v2/capture/prepare?signer=PUBKEY with the document: the
//     node converts it exactly as import-epcis does and answers with each
//     event's CBV 2.0 hash id and pre-hash string (which the business
//     compares with its own EPCIS software's) and the transactions to sign
//     (their sign bytes, Ed25519, no other encoding to implement);
//  2. POST /epcis/v2/capture with the transactions and their signatures:
//     202 Accepted with a capture job; GET /epcis/v2/capture/{id} tells
//     whether every transaction committed.
//
// The chain authenticates the signatures and applies every rule
// (food.business role, authorisation per bizStep, sub-key scope, rate
// limits), so the endpoint grants nothing a signed transaction would not.

// captureJobs keeps recent capture jobs in memory (a restarted node
// forgets them; the events themselves are on chain and traceable).
type captureJobs struct {
	mu    sync.Mutex
	jobs  map[string]*captureJob
	order []string
}

// maxCaptureJobs bounds the jobs a node remembers.
const maxCaptureJobs = 10000

type captureJob struct {
	ID        string
	CreatedAt time.Time
	TxHashes  [][]byte
}

func (j *captureJobs) add(job *captureJob) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.jobs == nil {
		j.jobs = map[string]*captureJob{}
	}
	if _, ok := j.jobs[job.ID]; ok {
		return
	}
	j.jobs[job.ID] = job
	j.order = append(j.order, job.ID)
	if len(j.order) > maxCaptureJobs {
		delete(j.jobs, j.order[0])
		j.order = j.order[1:]
	}
}

func (j *captureJobs) get(id string) *captureJob {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.jobs[id]
}

func (s *apiServer) captureRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /epcis/v2/capture/prepare", s.handleCapturePrepare)
	mux.HandleFunc("POST /epcis/v2/capture", s.handleCapture)
	mux.HandleFunc("GET /epcis/v2/capture/{id}", s.handleCaptureJob)
}

// prepareEvent is one event of a prepared document.
type prepareEvent struct {
	Index       int      `json:"index"`
	EventID     string   `json:"event_id,omitempty"`
	Type        string   `json:"type"`
	HashID      string   `json:"hash_id"`
	PreHash     string   `json:"pre_hash"`
	Declaration bool     `json:"error_declaration,omitempty"`
	Warnings    []string `json:"warnings,omitempty"`
}

// prepareTx is a transaction to sign.
type prepareTx struct {
	Tx        string `json:"tx"`         // hex: the transaction without its signature
	SignBytes string `json:"sign_bytes"` // hex: what the business's key signs (Ed25519)
	Events    []int  `json:"events"`     // indexes of the events it carries
	ExpiresAt uint64 `json:"expires_at"` // last height at which it can be included
}

func (s *apiServer) handleCapturePrepare(w http.ResponseWriter, r *http.Request) {
	pub, err := hex.DecodeString(r.URL.Query().Get("signer"))
	if err != nil || len(pub) != registry.PubKeySize {
		problem(w, http.StatusBadRequest, "bad signer", registry.Errorf(registry.ErrInvalid,
			"signer must be the business key's 32-byte Ed25519 public key in hex (?signer=…)"))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, s.n.AppCfg.APIMaxBodyBytes+1))
	if err != nil {
		problem(w, http.StatusBadRequest, "body", registry.Errorf(registry.ErrInvalid, "reading the document: %v", err))
		return
	}
	if int64(len(body)) > s.n.AppCfg.APIMaxBodyBytes {
		problem(w, http.StatusRequestEntityTooLarge, "document too large", registry.Errorf(registry.ErrOversize,
			"the document is above %d bytes (api_max_body_bytes): split it", s.n.AppCfg.APIMaxBodyBytes))
		return
	}
	doc, err := epcis.Parse(body)
	if err != nil {
		problem(w, http.StatusBadRequest, "not an EPCIS 2.0 document the chain accepts", registry.Errorf(registry.ErrInvalid, "%v", err))
		return
	}
	c, err := s.client()
	if err != nil {
		problem(w, statusFor(err), "node", err)
		return
	}
	out := struct {
		Events       []prepareEvent `json:"events"`
		Transactions []prepareTx    `json:"transactions"`
		Warnings     []string       `json:"warnings,omitempty"`
	}{Events: []prepareEvent{}, Transactions: []prepareTx{}, Warnings: doc.Warnings}
	for _, ev := range doc.Events {
		out.Events = append(out.Events, prepareEvent{Index: ev.Index, EventID: ev.EventID, Type: ev.Item.Event.Type.String(),
			HashID: ev.HashID(), PreHash: ev.Item.Event.PreHash(), Declaration: ev.IsDeclaration(), Warnings: ev.Warnings})
	}
	ordered := doc.Ordered()
	next := 0
	for _, m := range epcis.Chunk(ordered, 0) {
		tx, err := c.BuildTx(r.Context(), pub, m)
		if err != nil {
			problem(w, statusFor(err), "transaction", err)
			return
		}
		p := prepareTx{Tx: hex.EncodeToString(tx.Encode()), SignBytes: hex.EncodeToString(tx.SignBytes()), ExpiresAt: tx.ExpiresAt}
		for range m.Items {
			p.Events = append(p.Events, ordered[next].Index)
			next++
		}
		out.Transactions = append(out.Transactions, p)
	}
	writeJSONResp(w, out)
}

// captureRequest is the body of POST /epcis/v2/capture.
type captureRequest struct {
	Transactions []struct {
		Tx        string `json:"tx"`
		Signature string `json:"signature"`
	} `json:"transactions"`
}

func (s *apiServer) handleCapture(w http.ResponseWriter, r *http.Request) {
	var req captureRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, s.n.AppCfg.APIMaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || len(req.Transactions) == 0 || len(req.Transactions) > 1000 {
		problem(w, http.StatusBadRequest, "bad capture request", registry.Errorf(registry.ErrInvalid,
			`want {"transactions":[{"tx":HEX,"signature":HEX}, …]} (1..1000) as returned by /epcis/v2/capture/prepare and signed`))
		return
	}
	gen := s.n.Comet.GenesisDoc()
	var txs []*registry.Tx
	for i, t := range req.Transactions {
		raw, err1 := hex.DecodeString(t.Tx)
		sig, err2 := hex.DecodeString(t.Signature)
		if err1 != nil || err2 != nil {
			problem(w, http.StatusBadRequest, "bad hex", registry.Errorf(registry.ErrInvalid, "transaction %d: tx and signature are hex", i))
			return
		}
		tx, err := registry.DecodeTx(raw)
		if err != nil {
			problem(w, http.StatusBadRequest, "bad transaction", fmt.Errorf("transaction %d: %w", i, err))
			return
		}
		if _, ok := tx.Msg.(*registry.MsgRecordEvents); !ok {
			problem(w, http.StatusBadRequest, "not an EPCIS capture", registry.Errorf(registry.ErrInvalid,
				"transaction %d is not food/events: this endpoint captures EPCIS events only", i))
			return
		}
		tx.Signature = sig
		if err := tx.ValidateBasic(gen.ChainID); err != nil {
			problem(w, statusFor(err), "transaction refused", fmt.Errorf("transaction %d: %w", i, err))
			return
		}
		txs = append(txs, tx)
	}
	c, err := s.client()
	if err != nil {
		problem(w, statusFor(err), "node", err)
		return
	}
	h := sha256.New()
	job := &captureJob{CreatedAt: time.Now()}
	for i, tx := range txs {
		hash, err := c.BroadcastAsync(r.Context(), tx.Encode())
		if err != nil {
			// Transactions before this one may be in the mempool already:
			// say which, so that the business does not resend them blindly.
			problem(w, statusFor(err), "transaction refused", fmt.Errorf("transaction %d (transactions 0..%d were accepted): %w", i, i-1, err))
			return
		}
		job.TxHashes = append(job.TxHashes, hash)
		h.Write(hash)
	}
	job.ID = hex.EncodeToString(h.Sum(nil)[:16])
	s.jobs.add(job)
	w.Header().Set("Location", "/epcis/v2/capture/"+job.ID)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(map[string]any{"captureID": job.ID, "transactions": hexList(job.TxHashes)})
}

func hexList(bs [][]byte) []string {
	out := make([]string, 0, len(bs))
	for _, b := range bs {
		out = append(out, fmt.Sprintf("%X", b))
	}
	return out
}

// captureTxStatus is one transaction of a capture job.
type captureTxStatus struct {
	Hash   string `json:"hash"`
	Status string `json:"status"` // pending, committed, rejected
	Height int64  `json:"height,omitempty"`
	Code   uint32 `json:"code,omitempty"`
	Error  string `json:"error,omitempty"`
}

// handleCaptureJob answers the EPCIS capture job: running until every
// transaction committed or was rejected; success when all committed.
func (s *apiServer) handleCaptureJob(w http.ResponseWriter, r *http.Request) {
	job := s.jobs.get(r.PathValue("id"))
	if job == nil {
		problem(w, http.StatusNotFound, "no such capture job", registry.Errorf(registry.ErrNotFound,
			"capture job %q is unknown to this node (jobs are kept in memory by the node that accepted them; the events, once committed, are on chain: trace them)", r.PathValue("id")))
		return
	}
	c, err := s.client()
	if err != nil {
		problem(w, statusFor(err), "node", err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	running, success := false, true
	var errs []string
	var txs []captureTxStatus
	for _, hash := range job.TxHashes {
		st := captureTxStatus{Hash: fmt.Sprintf("%X", hash), Status: "pending"}
		res, err := c.RPC().Tx(ctx, hash, false)
		switch {
		case err != nil:
			running, success = true, false
		case res.TxResult.Code != 0:
			st.Status, st.Height, st.Code = "rejected", res.Height, res.TxResult.Code
			st.Error = registry.PublicText(registry.FromCode(res.TxResult.Codespace, res.TxResult.Code, res.TxResult.Log))
			errs = append(errs, st.Hash+": "+st.Error)
			success = false
		default:
			st.Status, st.Height = "committed", res.Height
		}
		txs = append(txs, st)
	}
	out := map[string]any{"captureID": job.ID, "createdAt": job.CreatedAt.UTC().Format(time.RFC3339), "running": running,
		"success": success && !running, "captureErrorBehaviour": "proceed", "errors": errsOrEmpty(errs), "transactions": txs}
	writeJSONResp(w, out)
}

func errsOrEmpty(e []string) []string {
	if e == nil {
		return []string{}
	}
	return e
}
