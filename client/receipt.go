package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/cometbft/cometbft/types"

	"github.com/danangchain/danangchain/registry"
)

// Receipt format v1: a self-contained, offline-verifiable proof that a
// state key held a value (or was absent) after block Height.
//
//	receipt = "DNR1" || str(chain_id) || bytes(key) || bool(present) [|| bytes(value)]
//	          || bytes(ics23 proof) || bytes(header H+1, CometBFT protobuf)
//	          || uvarint(commit round) || bytes(part-set hash) || uvarint(part-set total)
//	          || uvarint(n) || n × (uvarint(validator index) || uvarint(unix s) || uvarint(ns) || bytes(sig))
//	          || bytes(validator set, CometBFT protobuf; empty = the genesis set)
//
// It binds the value to the app hash by the ICS23 proof, the app hash to
// header H+1 by the header hash, and the header to the validators by their
// signatures (a subset holding more than 2/3 of the voting power, every one
// of which must verify). The validator set is trusted when it equals the
// genesis set, or when the caller passes it as trusted.
//
// Receipt format v2 ("DNR2") is v1 followed by the validator-set hand-overs
// from genesis to the set that signed header H+1, so that a receipt made
// after governance replaced the validators verifies from genesis alone:
//
//	v2 = v1 with magic "DNR2" and an empty validator set || uvarint(t) || t × hand-over
//	hand-over = bytes(header h-1) || uvarint(round) || bytes(part-set hash) || uvarint(part-set total)
//	            || uvarint(n) || n × signature (as above) || next validator set
//	validator set = uvarint(m) || m × (bytes(ed25519 public key) || uvarint(voting power))
//
// (the set in canonical order — voting power descending, then address —
// with nothing else, so no byte can change without changing its hash).
//
// Each hand-over header is signed by more than 2/3 of the set trusted so
// far (genesis, then each next set) and names the next set's hash as its
// NextValidatorsHash; the receipt's header must be signed by the last set.
const receiptMagic = "DNR1"

const receiptMagicV2 = "DNR2"

// MaxReceiptBytes bounds a receipt.
const MaxReceiptBytes = 64 << 10

// Receipt is a decoded receipt.
type Receipt struct {
	ChainID    string
	Key        []byte
	Value      []byte // nil: proven absent
	Proof      []byte
	Header     *types.Header
	Round      int32
	PartSet    types.PartSetHeader
	Sigs       []ReceiptSig
	Validators *types.ValidatorSet // nil: the genesis set
	// Handovers lead from the genesis set to Validators (v2; empty in v1).
	Handovers []ReceiptHandover
}

// ReceiptHandover is one validator-set hand-over: header h-1, signed by
// more than 2/3 of the set before, naming Next as the set after.
type ReceiptHandover struct {
	Header  *types.Header
	Round   int32
	PartSet types.PartSetHeader
	Sigs    []ReceiptSig
	Next    *types.ValidatorSet
}

// ReceiptSig is one validator's precommit signature over header H+1.
type ReceiptSig struct {
	Index     int
	Timestamp time.Time
	Signature []byte
}

// NewReceipt builds a receipt from a verified read. The validator set is
// embedded only when it differs from genesis, and only the signatures
// needed to exceed 2/3 of the voting power are kept.
func NewReceipt(p *Proven, gen *types.GenesisDoc) (*Receipt, error) {
	sh := p.Header
	vals := p.Validators
	r := &Receipt{ChainID: sh.ChainID, Key: p.Key, Value: p.Value, Proof: p.Proof, Header: sh.Header,
		Round: sh.Commit.Round, PartSet: sh.Commit.BlockID.PartSetHeader}
	if !bytes.Equal(vals.Hash(), genesisValidators(gen).Hash()) {
		r.Validators = vals
	}
	sigs, err := pickSigs(sh.Commit, vals)
	if err != nil {
		return nil, err
	}
	r.Sigs = sigs
	return r, nil
}

// NewReceiptWith is NewReceipt carrying the validator-set hand-overs from
// genesis (Client.Handovers), for records signed after the validators
// changed: such a receipt verifies from genesis alone.
func NewReceiptWith(p *Proven, gen *types.GenesisDoc, hand []Transition) (*Receipt, error) {
	r, err := NewReceipt(p, gen)
	if err != nil {
		return nil, err
	}
	for _, t := range hand {
		sigs, err := pickSigs(t.Signed.Commit, t.Signed.ValidatorSet)
		if err != nil {
			return nil, err
		}
		r.Handovers = append(r.Handovers, ReceiptHandover{Header: t.Signed.Header, Round: t.Signed.Commit.Round,
			PartSet: t.Signed.Commit.BlockID.PartSetHeader, Sigs: sigs, Next: t.NextSet})
	}
	if len(r.Handovers) > 0 {
		r.Validators = nil // the last hand-over names the signing set
	}
	return r, nil
}

// Receipt builds an offline receipt for p (a verified read) that carries
// the validator-set hand-overs since genesis when the set that signed p's
// header is not the genesis set.
func (c *Client) Receipt(ctx context.Context, p *Proven) (*Receipt, error) {
	v, err := c.Verifier(ctx)
	if err != nil {
		return nil, err
	}
	hand, err := v.Handovers(ctx, p.Header.Height)
	if err != nil {
		return nil, err
	}
	return NewReceiptWith(p, v.Genesis(), hand)
}

// pickSigs keeps the fewest signatures of commit (largest powers first)
// that exceed 2/3 of vals' voting power, in validator order.
func pickSigs(commit *types.Commit, vals *types.ValidatorSet) ([]ReceiptSig, error) {
	type cand struct {
		idx   int
		power int64
	}
	var cands []cand
	for i, cs := range commit.Signatures {
		if cs.BlockIDFlag != types.BlockIDFlagCommit || i >= vals.Size() {
			continue
		}
		cands = append(cands, cand{i, vals.Validators[i].VotingPower})
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].power > cands[b].power })
	var power int64
	need := vals.TotalVotingPower() * 2 / 3
	var chosen []int
	for _, c := range cands {
		chosen = append(chosen, c.idx)
		power += c.power
		if power > need {
			break
		}
	}
	if power <= need {
		return nil, fmt.Errorf("%w: commit has only %d of %d voting power", registry.ErrProofInvalid, power, vals.TotalVotingPower())
	}
	sort.Ints(chosen)
	var out []ReceiptSig
	for _, i := range chosen {
		cs := commit.Signatures[i]
		out = append(out, ReceiptSig{Index: i, Timestamp: cs.Timestamp, Signature: cs.Signature})
	}
	return out, nil
}

func genesisValidators(gen *types.GenesisDoc) *types.ValidatorSet {
	vals := make([]*types.Validator, 0, len(gen.Validators))
	for _, v := range gen.Validators {
		vals = append(vals, types.NewValidator(v.PubKey, v.Power))
	}
	return types.NewValidatorSet(vals)
}

// Encode returns the canonical bytes.
func (r *Receipt) Encode() ([]byte, error) {
	hp := r.Header.ToProto()
	hb, err := hp.Marshal()
	if err != nil {
		return nil, err
	}
	e := registry.NewEncoder(2048)
	if len(r.Handovers) > 0 {
		e.Raw([]byte(receiptMagicV2))
	} else {
		e.Raw([]byte(receiptMagic))
	}
	e.String(r.ChainID)
	e.Bytes(r.Key)
	e.Bool(r.Value != nil)
	if r.Value != nil {
		e.Bytes(r.Value)
	}
	e.Bytes(r.Proof)
	e.Bytes(hb)
	e.Uint(uint64(r.Round))
	e.Bytes(r.PartSet.Hash)
	e.Uint(uint64(r.PartSet.Total))
	encodeSigs(e, r.Sigs)
	vb, err := encodeValidators(r.Validators)
	if err != nil {
		return nil, err
	}
	e.Bytes(vb)
	if len(r.Handovers) > 0 {
		e.Uint(uint64(len(r.Handovers)))
		for _, h := range r.Handovers {
			hb, err := h.Header.ToProto().Marshal()
			if err != nil {
				return nil, err
			}
			e.Bytes(hb)
			e.Uint(uint64(h.Round))
			e.Bytes(h.PartSet.Hash)
			e.Uint(uint64(h.PartSet.Total))
			encodeSigs(e, h.Sigs)
			if err := encodeCompactSet(e, h.Next); err != nil {
				return nil, err
			}
		}
	}
	return e.Out(), nil
}

func encodeSigs(e *registry.Encoder, sigs []ReceiptSig) {
	e.Uint(uint64(len(sigs)))
	for _, s := range sigs {
		e.Uint(uint64(s.Index))
		e.Uint(uint64(s.Timestamp.Unix()))
		e.Uint(uint64(s.Timestamp.Nanosecond()))
		e.Bytes(s.Signature)
	}
}

func encodeValidators(vs *types.ValidatorSet) ([]byte, error) {
	if vs == nil {
		return nil, nil
	}
	vp, err := vs.ToProto()
	if err != nil {
		return nil, err
	}
	return vp.Marshal()
}

func encodeCompactSet(e *registry.Encoder, vs *types.ValidatorSet) error {
	e.Uint(uint64(len(vs.Validators)))
	for _, v := range vs.Validators {
		if v.PubKey == nil || v.PubKey.Type() != ed25519.KeyType || v.VotingPower <= 0 {
			return fmt.Errorf("receipt: validator %X: only ed25519 keys with positive power", v.Address)
		}
		e.Bytes(v.PubKey.Bytes())
		e.Uint(uint64(v.VotingPower))
	}
	return nil
}

func decodeCompactSet(d *registry.Decoder) (*types.ValidatorSet, error) {
	n := d.Count(1000, 34)
	if n == 0 {
		return nil, registry.Errorf(registry.ErrMalformed, "empty validator set")
	}
	vals := make([]*types.Validator, 0, n)
	for i := 0; i < n; i++ {
		pk, power := d.Bytes(), d.Uint()
		if len(pk) != ed25519.PubKeySize || power == 0 || power > uint64(types.MaxTotalVotingPower) {
			return nil, registry.Errorf(registry.ErrMalformed, "bad validator entry")
		}
		vals = append(vals, types.NewValidator(ed25519.PubKey(pk), int64(power)))
	}
	vs, err := types.ValidatorSetFromExistingValidators(vals)
	if err != nil {
		return nil, registry.Errorf(registry.ErrMalformed, "validators: %v", err)
	}
	return vs, nil
}

func decodeSigs(d *registry.Decoder) ([]ReceiptSig, error) {
	n := d.Count(1000, 4)
	var out []ReceiptSig
	for i := 0; i < n; i++ {
		idx, sec, ns := d.Uint(), d.Uint(), d.Uint()
		sig := d.Bytes()
		if ns >= 1e9 || idx > 10000 || sec > 1<<40 {
			return nil, registry.Errorf(registry.ErrMalformed, "bad signature entry")
		}
		out = append(out, ReceiptSig{Index: int(idx), Timestamp: time.Unix(int64(sec), int64(ns)).UTC(), Signature: sig})
	}
	return out, nil
}

func decodeHeader(hb []byte) (*types.Header, error) {
	var hp cmtproto.Header
	if err := hp.Unmarshal(hb); err != nil {
		return nil, registry.Errorf(registry.ErrMalformed, "header: %v", err)
	}
	h, err := types.HeaderFromProto(&hp)
	if err != nil {
		return nil, registry.Errorf(registry.ErrMalformed, "header: %v", err)
	}
	return &h, nil
}

func decodeValidators(vb []byte) (*types.ValidatorSet, error) {
	if len(vb) == 0 {
		return nil, nil
	}
	var vp cmtproto.ValidatorSet
	if err := vp.Unmarshal(vb); err != nil {
		return nil, registry.Errorf(registry.ErrMalformed, "validators: %v", err)
	}
	vs, err := types.ValidatorSetFromProto(&vp)
	if err != nil {
		return nil, registry.Errorf(registry.ErrMalformed, "validators: %v", err)
	}
	for _, v := range append([]*types.Validator{vs.Proposer}, vs.Validators...) {
		if v == nil || v.PubKey == nil || v.PubKey.Type() != ed25519.KeyType {
			return nil, registry.Errorf(registry.ErrMalformed, "validators: only ed25519 keys")
		}
	}
	return vs, nil
}

// DecodeReceipt parses receipt bytes (it does not verify them).
func DecodeReceipt(b []byte) (*Receipt, error) {
	if len(b) > MaxReceiptBytes {
		return nil, registry.Errorf(registry.ErrOversize, "receipt is %d bytes", len(b))
	}
	v2 := bytes.HasPrefix(b, []byte(receiptMagicV2))
	if !v2 && !bytes.HasPrefix(b, []byte(receiptMagic)) {
		return nil, registry.Errorf(registry.ErrMalformed, "not a DanangChain receipt")
	}
	d := registry.NewDecoder(b[len(receiptMagic):])
	r := &Receipt{ChainID: d.String(), Key: d.Bytes()}
	if d.Bool() {
		r.Value = d.Bytes()
	}
	r.Proof = d.Bytes()
	hb := d.Bytes()
	r.Round = int32(d.Uint())
	r.PartSet.Hash = d.Bytes()
	r.PartSet.Total = uint32(d.Uint())
	var err error
	if r.Sigs, err = decodeSigs(d); err != nil {
		return nil, err
	}
	vb := d.Bytes()
	type rawHandover struct {
		hb []byte
		h  ReceiptHandover
	}
	var raw []rawHandover
	if v2 {
		n := d.Count(64, 8)
		for i := 0; i < n; i++ {
			var rh rawHandover
			rh.hb = d.Bytes()
			rh.h.Round = int32(d.Uint())
			rh.h.PartSet.Hash = d.Bytes()
			rh.h.PartSet.Total = uint32(d.Uint())
			if rh.h.Sigs, err = decodeSigs(d); err != nil {
				return nil, err
			}
			if d.Err() == nil {
				if rh.h.Next, err = decodeCompactSet(d); err != nil {
					return nil, err
				}
			}
			raw = append(raw, rh)
		}
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	if r.Header, err = decodeHeader(hb); err != nil {
		return nil, err
	}
	if r.Validators, err = decodeValidators(vb); err != nil {
		return nil, err
	}
	if v2 && (r.Validators != nil || len(raw) == 0) {
		return nil, registry.Errorf(registry.ErrMalformed, "v2 receipt: the hand-overs name the signing set")
	}
	for _, rh := range raw {
		if rh.h.Header, err = decodeHeader(rh.hb); err != nil {
			return nil, err
		}
		r.Handovers = append(r.Handovers, rh.h)
	}
	// Canonical: re-encoding must give the same bytes (no malleability).
	again, err := r.Encode()
	if err != nil || !bytes.Equal(again, b) {
		return nil, registry.Errorf(registry.ErrMalformed, "receipt is not in canonical form")
	}
	return r, nil
}

// VerifiedReceipt is what a receipt proves.
type VerifiedReceipt struct {
	Key    []byte
	Value  []byte // nil: absent
	Height int64  // state after this block
	Time   time.Time
	// AppHash is the app hash of state after Height (in header Height+1).
	AppHash []byte
}

// VerifyReceipt checks a receipt against a trusted genesis with no network.
// trusted optionally names a validator set the caller trusts besides the
// genesis set (for chains whose validators changed since genesis). Callers
// MUST check the returned Key is the one they asked about.
func VerifyReceipt(r *Receipt, gen *types.GenesisDoc, trusted *types.ValidatorSet) (*VerifiedReceipt, error) {
	fail := func(format string, args ...any) (*VerifiedReceipt, error) {
		return nil, fmt.Errorf("%w: %s", registry.ErrProofInvalid, fmt.Sprintf(format, args...))
	}
	if r.ChainID != gen.ChainID || r.Header.ChainID != gen.ChainID {
		return nil, registry.Errorf(registry.ErrWrongChain, "receipt is for chain %q, genesis is %q", r.Header.ChainID, gen.ChainID)
	}
	if err := r.Header.ValidateBasic(); err != nil {
		return fail("header: %v", err)
	}
	vals := genesisValidators(gen)
	// Follow the hand-overs from the genesis set.
	var last int64
	for i, h := range r.Handovers {
		if h.Header.ChainID != gen.ChainID {
			return nil, registry.Errorf(registry.ErrWrongChain, "hand-over %d is for chain %q", i, h.Header.ChainID)
		}
		if err := h.Header.ValidateBasic(); err != nil {
			return fail("hand-over %d: header: %v", i, err)
		}
		if h.Header.Height <= last {
			return fail("hand-over %d: heights must increase", i)
		}
		last = h.Header.Height
		if !bytes.Equal(h.Header.ValidatorsHash, vals.Hash()) {
			return fail("hand-over %d (height %d) is not signed by the validator set trusted so far", i, h.Header.Height)
		}
		if err := verifySigs(gen.ChainID, vals, h.Header, h.Round, h.PartSet, h.Sigs); err != nil {
			return fail("hand-over %d (height %d): %v", i, h.Header.Height, err)
		}
		if !bytes.Equal(h.Next.Hash(), h.Header.NextValidatorsHash) {
			return fail("hand-over %d (height %d) does not name the next validator set", i, h.Header.Height)
		}
		vals = h.Next
	}
	if r.Validators != nil {
		if !bytes.Equal(r.Validators.Hash(), vals.Hash()) && (trusted == nil || !bytes.Equal(r.Validators.Hash(), trusted.Hash())) {
			return fail("receipt is signed by a validator set not reachable from genesis (no hand-over leads to it) nor trusted")
		}
		vals = r.Validators
	}
	if r.Header.Height <= last {
		return fail("receipt header %d is not after the last hand-over %d", r.Header.Height, last)
	}
	if !bytes.Equal(r.Header.ValidatorsHash, vals.Hash()) {
		return fail("header validators hash does not match the trusted validator set")
	}
	if err := verifySigs(gen.ChainID, vals, r.Header, r.Round, r.PartSet, r.Sigs); err != nil {
		return fail("commit: %v", err)
	}
	if err := VerifyProof(r.Header.AppHash, r.Key, r.Value, r.Proof); err != nil {
		return nil, err
	}
	return &VerifiedReceipt{Key: r.Key, Value: r.Value, Height: r.Header.Height - 1, Time: r.Header.Time, AppHash: r.Header.AppHash}, nil
}

// verifySigs checks that sigs (by validator index) over header are
// canonical, each verifies, and together hold more than 2/3 of vals.
func verifySigs(chainID string, vals *types.ValidatorSet, h *types.Header, round int32, ps types.PartSetHeader, sigs []ReceiptSig) error {
	if err := ps.ValidateBasic(); err != nil {
		return fmt.Errorf("part set header: %v", err)
	}
	for _, s := range sigs {
		if s.Timestamp.Year() >= 10000 {
			return fmt.Errorf("signature time %d out of range", s.Timestamp.Unix())
		}
	}
	blockID := types.BlockID{Hash: h.Hash(), PartSetHeader: ps}
	commit := &types.Commit{Height: h.Height, Round: round, BlockID: blockID, Signatures: make([]types.CommitSig, vals.Size())}
	for i := range commit.Signatures {
		commit.Signatures[i] = types.NewCommitSigAbsent()
	}
	last := -1
	for _, s := range sigs {
		if s.Index <= last || s.Index >= vals.Size() {
			return fmt.Errorf("bad signature index %d", s.Index)
		}
		last = s.Index
		commit.Signatures[s.Index] = types.CommitSig{BlockIDFlag: types.BlockIDFlagCommit,
			ValidatorAddress: vals.Validators[s.Index].Address, Timestamp: s.Timestamp, Signature: s.Signature}
	}
	return vals.VerifyCommitLightAllSignatures(chainID, blockID, h.Height, commit)
}

// VerifyReceiptBytes decodes and verifies.
func VerifyReceiptBytes(b []byte, gen *types.GenesisDoc, trusted *types.ValidatorSet) (*VerifiedReceipt, error) {
	r, err := DecodeReceipt(b)
	if err != nil {
		return nil, err
	}
	return VerifyReceipt(r, gen, trusted)
}

// ErrNoGenesis is returned when a verified operation has no trust root.
var ErrNoGenesis = errors.New("client: no trusted genesis")
