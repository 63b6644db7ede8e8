package registry

import (
	"bytes"
)

// Metered lookups happen off chain: a notary office signs each request to
// a node's API, the node answers with proven state and appends the request
// to a local hash-chained log. Nothing here touches consensus state; these
// are the canonical bytes both sides sign and hash.

// Actions of a signed notary API request.
const (
	APIActionLookup  = "lookup"  // Subject: the property key (32 bytes)
	APIActionBilling = "billing" // Subject: the month "YYYY-MM"
)

// Limits of a signed API request.
const (
	MinAPINonce = 16
	MaxAPINonce = 32
)

// v2: a request names the node it is addressed to (see APIRequest.Node).
const apiSignDomain = "danangchain/notary-api/v2\n"
const lookupLogDomain = "danangchain/notary-lookup-log/v2\n"

// ValidMonth reports whether s is "YYYY-MM".
func ValidMonth(s string) bool {
	if len(s) != 7 || s[4] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && (c < '0' || c > '9') {
			return false
		}
	}
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	return m >= 1 && m <= 12
}

// APIRequest is a request signed by an agency key: who asks (PubKey), for
// what (Action, Subject), on which chain, when (Time, unix seconds of the
// sender's clock) and a random Nonce against replays.
type APIRequest struct {
	ChainID string
	// Node is the CometBFT node ID (40 hex characters) of the one node the
	// request is addressed to: nonces are remembered per node, so a signed
	// lookup replayed to another node must fail there, not be billed twice.
	Node      string
	Action    string
	Subject   []byte
	Time      uint64
	Nonce     []byte
	PubKey    []byte
	Signature []byte
}

// SignBytes returns the exact bytes signed: a domain string, then
// str(chain_id) str(node) str(action) bytes(subject) uvarint(time)
// bytes(nonce) bytes(pub_key).
func (r *APIRequest) SignBytes() []byte {
	e := NewEncoder(128)
	e.Raw([]byte(apiSignDomain))
	e.String(r.ChainID)
	e.String(r.Node)
	e.String(r.Action)
	e.Bytes(r.Subject)
	e.Uint(r.Time)
	e.Bytes(r.Nonce)
	e.Bytes(r.PubKey)
	return e.Out()
}

// SignWith fills Signature with an ed25519 private key.
func (r *APIRequest) SignWith(priv []byte) { r.Signature = Sign(priv, r.SignBytes()) }

// Validate checks the fields and the signature (ZIP-215), and that the
// request is addressed to node, not the clock or the key's standing on
// chain.
func (r *APIRequest) Validate(chainID, node string) error {
	if r.ChainID != chainID {
		return Errorf(ErrWrongChain, "request is for chain %q, this is %q", r.ChainID, chainID)
	}
	if !validNodeID(r.Node) {
		return Errorf(ErrInvalid, "request must name the node it is addressed to (40 hex characters)")
	}
	if r.Node != node {
		return Errorf(ErrInvalid, "request is addressed to node %s, this is node %s: a signed request is valid at one node only", r.Node, node)
	}
	switch r.Action {
	case APIActionLookup:
		if len(r.Subject) != HashSize {
			return Errorf(ErrInvalid, "lookup subject must be a %d-byte property key", HashSize)
		}
	case APIActionBilling:
		if !ValidMonth(string(r.Subject)) {
			return Errorf(ErrInvalid, "billing subject must be a month YYYY-MM")
		}
	default:
		return Errorf(ErrInvalid, "unknown action %q", r.Action)
	}
	if len(r.Nonce) < MinAPINonce || len(r.Nonce) > MaxAPINonce {
		return Errorf(ErrInvalid, "nonce must be %d..%d bytes", MinAPINonce, MaxAPINonce)
	}
	if len(r.PubKey) != PubKeySize {
		return Errorf(ErrInvalid, "public key must be %d bytes", PubKeySize)
	}
	if !VerifySignature(r.PubKey, r.SignBytes(), r.Signature) {
		return Errorf(ErrBadSignature, "request signature by %s does not verify", KeyID(r.PubKey))
	}
	return nil
}

func validNodeID(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// LookupLogEntry is one line of a node's lookup log. Each entry carries
// the office's own signature over its request, so the node cannot invent
// lookups, and the hash of the previous entry, so it cannot drop or
// reorder them without changing every later hash.
type LookupLogEntry struct {
	Seq         uint64 // 1, 2, 3, ...
	Time        uint64 // the request's signed time (unix seconds)
	Org         string // agency id of the key at lookup time
	PubKey      []byte
	PropertyKey []byte
	Nonce       []byte
	Signature   []byte // the office's signature over the APIRequest
	Height      uint64 // height of the state answered
	Prev        []byte // hash of the previous entry (32 zero bytes for the first)
	Node        string // the node the request was addressed to (this log's node)
}

// Encode writes the canonical form.
func (l *LookupLogEntry) Encode(e *Encoder) {
	e.Uint(l.Seq)
	e.Uint(l.Time)
	e.String(l.Org)
	e.Bytes(l.PubKey)
	e.Bytes(l.PropertyKey)
	e.Bytes(l.Nonce)
	e.Bytes(l.Signature)
	e.Uint(l.Height)
	e.Bytes(l.Prev)
	e.String(l.Node)
}

// DecodeLookupLogEntry reads the canonical form.
func DecodeLookupLogEntry(raw []byte) (*LookupLogEntry, error) {
	d := NewDecoder(raw)
	l := &LookupLogEntry{Seq: d.Uint(), Time: d.Uint(), Org: d.String(), PubKey: d.Bytes(), PropertyKey: d.Bytes(),
		Nonce: d.Bytes(), Signature: d.Bytes(), Height: d.Uint(), Prev: d.Bytes(), Node: d.String()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return l, nil
}

// Hash is SHA-256(domain || canonical encoding): the link to the next
// entry.
func (l *LookupLogEntry) Hash() []byte {
	return Hash([]byte(lookupLogDomain), encode(l.Encode))
}

// Request rebuilds the signed request the entry records.
func (l *LookupLogEntry) Request(chainID string) *APIRequest {
	return &APIRequest{ChainID: chainID, Node: l.Node, Action: APIActionLookup, Subject: l.PropertyKey, Time: l.Time,
		Nonce: l.Nonce, PubKey: l.PubKey, Signature: l.Signature}
}

// VerifyLink checks that l follows prev (nil: l is the first entry seen,
// whose Prev is taken on trust) and that its request signature verifies.
func (l *LookupLogEntry) VerifyLink(chainID string, prev *LookupLogEntry) error {
	if len(l.Prev) != HashSize {
		return Errorf(ErrProofInvalid, "entry %d: prev must be %d bytes", l.Seq, HashSize)
	}
	if prev != nil {
		if l.Seq != prev.Seq+1 {
			return Errorf(ErrProofInvalid, "entry %d follows entry %d", l.Seq, prev.Seq)
		}
		if !bytes.Equal(l.Prev, prev.Hash()) {
			return Errorf(ErrProofInvalid, "entry %d does not link to entry %d", l.Seq, prev.Seq)
		}
	}
	if err := l.Request(chainID).Validate(chainID, l.Node); err != nil {
		return Errorf(ErrProofInvalid, "entry %d: %v", l.Seq, err)
	}
	return nil
}

// BillingDigest is the tamper-evident digest of a month's lookup counts:
// SHA-256 over the domain, chain id, month, the log range (first and last
// seq, the hash before the first and the hash of the last entry) and the
// counts per organisation in ascending id order. Anchoring it (MsgAnchor)
// fixes the month's report: a later rewrite of the log changes the head.
func BillingDigest(chainID, month string, firstSeq, lastSeq uint64, prev, head []byte, orgs []string, counts []uint64) []byte {
	e := NewEncoder(256)
	e.Raw([]byte("danangchain/notary-billing/v1\n"))
	e.String(chainID)
	e.String(month)
	e.Uint(firstSeq)
	e.Uint(lastSeq)
	e.Bytes(prev)
	e.Bytes(head)
	e.Uint(uint64(len(orgs)))
	for i, o := range orgs {
		e.String(o)
		e.Uint(counts[i])
	}
	return Hash(e.Out())
}
