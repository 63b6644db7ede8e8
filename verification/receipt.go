package verification

import (
	"bytes"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// Receipts, formats DNR1 and DNR2 (client/receipt.go documents them):
//
//	v1 = "DNR1" || str(chain_id) || bytes(key) || bool(present) [|| bytes(value)]
//	     || bytes(ics23 proof) || bytes(header H+1, CometBFT protobuf)
//	     || uvarint(round) || bytes(part-set hash) || uvarint(part-set total)
//	     || uvarint(n) || n × (uvarint(index) || uvarint(unix s) || uvarint(ns) || bytes(sig))
//	     || bytes(validator set, CometBFT protobuf; empty = the genesis set)
//	v2 = v1 with magic "DNR2" and an empty validator set || uvarint(t) || t × hand-over
//	hand-over = bytes(header h-1) || uvarint(round) || bytes(part-set hash) || uvarint(part-set total)
//	            || uvarint(n) || n × signature || uvarint(m) || m × (bytes(ed25519 key) || uvarint(power))
//
// Decoding and checking follow client.DecodeReceipt and client.VerifyReceipt
// step by step, so that the same bytes fail with the same registry error.

// MaxReceiptBytes bounds a receipt.
const MaxReceiptBytes = 64 << 10

const (
	magicV1 = "DNR1"
	magicV2 = "DNR2"
)

// Verified is what a receipt proves.
type Verified struct {
	Key, Value []byte    // Value nil: proven absent
	Height     int64     // state after this block (header height - 1)
	Time       time.Time // time of the signed header
	AppHash    []byte
	Handovers  int // validator-set hand-overs followed from genesis
}

// Commit is a header with the precommit signatures a receipt carries for
// it.
type Commit struct {
	Header  *Header
	Round   int32
	PartSet PartSetHeader
	Sigs    []Sig
}

// Handover is a validator-set hand-over: a header signed by more than 2/3
// of the set trusted so far, naming Next (by hash) as the set after it.
type Handover struct {
	Commit
	Next []Validator
}

// Receipt is a decoded receipt (not yet verified).
type Receipt struct {
	ChainID string
	Key     []byte
	Value   []byte // nil: absent
	Proof   []byte // ICS23 CommitmentProof
	Commit
	// LegacySetHash is the hash of the validator set a v1 receipt embeds
	// (nil: the genesis set).
	LegacySetHash []byte
	Handovers     []Handover
}

// rawCommit is a commit as read, before its header is parsed and its
// numbers are checked for canonical form.
type rawCommit struct {
	header       []byte
	round, total uint64
	psHash       []byte
	sigs         []Sig
}

func readCommit(d *registry.Decoder) (rawCommit, error) {
	var c rawCommit
	c.header = d.Bytes()
	c.round = d.Uint()
	c.psHash = d.Bytes()
	c.total = d.Uint()
	var err error
	c.sigs, err = decodeSigs(d)
	return c, err
}

// commit parses the header and requires the numbers to be what the
// reference re-encodes them to: an int32 round (written as a uint64, so a
// negative round is canonical, as 10 bytes), a uint32 total.
func (c rawCommit) commit() (Commit, error) {
	h, err := ParseHeader(c.header)
	if err != nil {
		return Commit{}, err
	}
	if uint64(int32(c.round)) != c.round || uint64(uint32(c.total)) != c.total {
		return Commit{}, registry.Errorf(registry.ErrMalformed, "receipt is not in canonical form")
	}
	return Commit{Header: h, Round: int32(c.round), PartSet: PartSetHeader{Total: uint32(c.total), Hash: c.psHash}, Sigs: c.sigs}, nil
}

func decodeSigs(d *registry.Decoder) ([]Sig, error) {
	n := d.Count(1000, 4)
	var out []Sig
	for i := 0; i < n; i++ {
		idx, sec, ns := d.Uint(), d.Uint(), d.Uint()
		sig := d.Bytes()
		if ns >= 1e9 || idx > 10000 || sec > 1<<40 {
			return nil, registry.Errorf(registry.ErrMalformed, "bad signature entry")
		}
		out = append(out, Sig{Index: int(idx), Timestamp: time.Unix(int64(sec), int64(ns)).UTC(), Signature: sig})
	}
	return out, nil
}

// DecodeReceipt parses receipt bytes, which must be in canonical form; it
// does not verify them. It fails with registry.ErrOversize,
// registry.ErrMalformed, or registry.ErrNotNFC (a chain id that is not
// NFC text).
func DecodeReceipt(b []byte) (*Receipt, error) {
	if len(b) > MaxReceiptBytes {
		return nil, registry.Errorf(registry.ErrOversize, "receipt is %d bytes", len(b))
	}
	v2 := bytes.HasPrefix(b, []byte(magicV2))
	if !v2 && !bytes.HasPrefix(b, []byte(magicV1)) {
		return nil, registry.Errorf(registry.ErrMalformed, "not a DanangChain receipt")
	}
	d := registry.NewDecoder(b[len(magicV1):])
	r := &Receipt{ChainID: d.String(), Key: d.Bytes()}
	if d.Bool() {
		r.Value = d.Bytes()
	}
	r.Proof = d.Bytes()
	main, err := readCommit(d)
	if err != nil {
		return nil, err
	}
	vb := d.Bytes()
	type rawHandover struct {
		c    rawCommit
		next []Validator
	}
	var raw []rawHandover
	if v2 {
		n := d.Count(64, 8)
		for i := 0; i < n; i++ {
			var rh rawHandover
			if rh.c, err = readCommit(d); err != nil {
				return nil, err
			}
			if d.Err() == nil {
				if rh.next, err = decodeCompactSet(d); err != nil {
					return nil, err
				}
			}
			raw = append(raw, rh)
		}
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	if r.Commit, err = main.commit(); err != nil {
		return nil, err
	}
	if len(vb) > 0 {
		if r.LegacySetHash, err = legacySetHash(vb); err != nil {
			return nil, err
		}
	}
	if v2 && (len(vb) > 0 || len(raw) == 0) {
		return nil, registry.Errorf(registry.ErrMalformed, "v2 receipt: the hand-overs name the signing set")
	}
	for _, rh := range raw {
		c, err := rh.c.commit()
		if err != nil {
			return nil, err
		}
		if !canonicalOrder(rh.next) {
			return nil, registry.Errorf(registry.ErrMalformed, "receipt is not in canonical form")
		}
		r.Handovers = append(r.Handovers, Handover{Commit: c, Next: rh.next})
	}
	return r, nil
}

// VerifyReceipt decodes a receipt and checks it against the trust root
// with no network: the hand-overs from the genesis set, the signatures of
// more than 2/3 of the signing set over the header, the ICS23 proof of the
// key against the header's app hash. It accepts exactly the receipts
// client.VerifyReceiptBytes(raw, genesis, nil) accepts. Callers MUST check
// the returned Key is the one they asked about.
func VerifyReceipt(raw []byte, root *TrustRoot) (*Verified, error) {
	gen, err := root.set()
	if err != nil {
		return nil, err
	}
	r, err := DecodeReceipt(raw)
	if err != nil {
		return nil, err
	}
	return r.verify(root.ChainID, gen)
}

func (r *Receipt) verify(chainID string, vals *valSet) (*Verified, error) {
	fail := func(format string, args ...any) (*Verified, error) {
		return nil, registry.Errorf(registry.ErrProofInvalid, format, args...)
	}
	if r.ChainID != chainID || r.Header.ChainID != chainID {
		return nil, registry.Errorf(registry.ErrWrongChain, "receipt is for chain %q, trust root is %q", r.Header.ChainID, chainID)
	}
	var last int64
	for i, h := range r.Handovers {
		if h.Header.ChainID != chainID {
			return nil, registry.Errorf(registry.ErrWrongChain, "hand-over %d is for chain %q", i, h.Header.ChainID)
		}
		if h.Header.Height <= last {
			return fail("hand-over %d: heights must increase", i)
		}
		last = h.Header.Height
		if !bytes.Equal(h.Header.ValidatorsHash, vals.hash) {
			return fail("hand-over %d (height %d) is not signed by the validator set trusted so far", i, h.Header.Height)
		}
		if err := verifyCommit(chainID, vals, h.Header, h.Round, h.PartSet, h.Sigs); err != nil {
			return fail("hand-over %d (height %d): %v", i, h.Header.Height, err)
		}
		next := newValSet(h.Next)
		if !bytes.Equal(next.hash, h.Header.NextValidatorsHash) {
			return fail("hand-over %d (height %d) does not name the next validator set", i, h.Header.Height)
		}
		vals = next
	}
	// A v1 receipt may embed the set that signed it: accepted when it is
	// the one reached (its hash covers every key and power, in order, so
	// it is that set).
	if r.LegacySetHash != nil && !bytes.Equal(r.LegacySetHash, vals.hash) {
		return fail("receipt is signed by a validator set not reachable from genesis (no hand-over leads to it)")
	}
	if r.Header.Height <= last {
		return fail("receipt header %d is not after the last hand-over %d", r.Header.Height, last)
	}
	if !bytes.Equal(r.Header.ValidatorsHash, vals.hash) {
		return fail("header validators hash does not match the trusted validator set")
	}
	if err := verifyCommit(chainID, vals, r.Header, r.Round, r.PartSet, r.Sigs); err != nil {
		return fail("commit: %v", err)
	}
	if err := verifyProof(r.Header.AppHash, r.Key, r.Value, r.Proof); err != nil {
		return nil, err
	}
	return &Verified{Key: r.Key, Value: r.Value, Height: r.Header.Height - 1, Time: r.Header.Time,
		AppHash: r.Header.AppHash, Handovers: len(r.Handovers)}, nil
}

// set returns the trust root's validator set in canonical order, checked.
func (t *TrustRoot) set() (*valSet, error) {
	if t == nil {
		return nil, registry.Errorf(registry.ErrInvalid, "no trust root")
	}
	if err := checkValidators(t.Validators); err != nil {
		return nil, registry.Errorf(registry.ErrInvalid, "trust root: %v", err)
	}
	vals := append([]Validator(nil), t.Validators...)
	SortValidators(vals)
	return newValSet(vals), nil
}
