package client

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"time"

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
const receiptMagic = "DNR1"

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
	type cand struct {
		idx   int
		power int64
	}
	var cands []cand
	for i, cs := range sh.Commit.Signatures {
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
	for _, i := range chosen {
		cs := sh.Commit.Signatures[i]
		r.Sigs = append(r.Sigs, ReceiptSig{Index: i, Timestamp: cs.Timestamp, Signature: cs.Signature})
	}
	return r, nil
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
	e.Raw([]byte(receiptMagic))
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
	e.Uint(uint64(len(r.Sigs)))
	for _, s := range r.Sigs {
		e.Uint(uint64(s.Index))
		e.Uint(uint64(s.Timestamp.Unix()))
		e.Uint(uint64(s.Timestamp.Nanosecond()))
		e.Bytes(s.Signature)
	}
	var vb []byte
	if r.Validators != nil {
		vp, err := r.Validators.ToProto()
		if err != nil {
			return nil, err
		}
		if vb, err = vp.Marshal(); err != nil {
			return nil, err
		}
	}
	e.Bytes(vb)
	return e.Out(), nil
}

// DecodeReceipt parses receipt bytes (it does not verify them).
func DecodeReceipt(b []byte) (*Receipt, error) {
	if len(b) > MaxReceiptBytes {
		return nil, registry.Errorf(registry.ErrOversize, "receipt is %d bytes", len(b))
	}
	if !bytes.HasPrefix(b, []byte(receiptMagic)) {
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
	n := d.Count(1000, 4)
	for i := 0; i < n; i++ {
		idx, sec, ns := d.Uint(), d.Uint(), d.Uint()
		sig := d.Bytes()
		if ns >= 1e9 || idx > 10000 || sec > 1<<40 {
			return nil, registry.Errorf(registry.ErrMalformed, "bad signature entry")
		}
		r.Sigs = append(r.Sigs, ReceiptSig{Index: int(idx), Timestamp: time.Unix(int64(sec), int64(ns)).UTC(), Signature: sig})
	}
	vb := d.Bytes()
	if err := d.Finish(); err != nil {
		return nil, err
	}
	var hp cmtproto.Header
	if err := hp.Unmarshal(hb); err != nil {
		return nil, registry.Errorf(registry.ErrMalformed, "header: %v", err)
	}
	h, err := types.HeaderFromProto(&hp)
	if err != nil {
		return nil, registry.Errorf(registry.ErrMalformed, "header: %v", err)
	}
	r.Header = &h
	if len(vb) > 0 {
		var vp cmtproto.ValidatorSet
		if err := vp.Unmarshal(vb); err != nil {
			return nil, registry.Errorf(registry.ErrMalformed, "validators: %v", err)
		}
		vs, err := types.ValidatorSetFromProto(&vp)
		if err != nil {
			return nil, registry.Errorf(registry.ErrMalformed, "validators: %v", err)
		}
		r.Validators = vs
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
	if r.Validators != nil {
		if !bytes.Equal(r.Validators.Hash(), vals.Hash()) && (trusted == nil || !bytes.Equal(r.Validators.Hash(), trusted.Hash())) {
			return fail("receipt is signed by a validator set that is neither the genesis set nor a trusted one")
		}
		vals = r.Validators
	}
	if !bytes.Equal(r.Header.ValidatorsHash, vals.Hash()) {
		return fail("header validators hash does not match the trusted validator set")
	}
	blockID := types.BlockID{Hash: r.Header.Hash(), PartSetHeader: r.PartSet}
	commit := &types.Commit{Height: r.Header.Height, Round: r.Round, BlockID: blockID,
		Signatures: make([]types.CommitSig, vals.Size())}
	for i := range commit.Signatures {
		commit.Signatures[i] = types.NewCommitSigAbsent()
	}
	last := -1
	for _, s := range r.Sigs {
		if s.Index <= last || s.Index >= vals.Size() {
			return fail("bad signature index %d", s.Index)
		}
		last = s.Index
		commit.Signatures[s.Index] = types.CommitSig{BlockIDFlag: types.BlockIDFlagCommit,
			ValidatorAddress: vals.Validators[s.Index].Address, Timestamp: s.Timestamp, Signature: s.Signature}
	}
	if err := vals.VerifyCommitLightAllSignatures(gen.ChainID, blockID, r.Header.Height, commit); err != nil {
		return fail("commit: %v", err)
	}
	if err := VerifyProof(r.Header.AppHash, r.Key, r.Value, r.Proof); err != nil {
		return nil, err
	}
	return &VerifiedReceipt{Key: r.Key, Value: r.Value, Height: r.Header.Height - 1, Time: r.Header.Time, AppHash: r.Header.AppHash}, nil
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
