package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/cometbft/cometbft/types"
	ics23 "github.com/cosmos/ics23/go"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// checkBundleFormat names version 1 of the offline proof of a notary check.
const checkBundleFormat = "danangchain/notary-check/v1"

// checkBundle is everything needed to verify a notary check offline:
// the state entries with their ICS23 proofs against the app hash of state
// after block Height, the signed header Height+1 that carries that app hash,
// and the validator set that signed it.
//
// The file is strict: it must be exactly the canonical serialisation of
// its content (encodeBundle), every byte string is lower-case hex, the
// header and proofs must be canonical protobuf. Hence changing any byte of
// the file makes verification fail, rather than merely the bytes that
// happen to be covered by a signature or a hash.
type checkBundle struct {
	Format       string            `json:"format"`
	ChainID      string            `json:"chain_id"`
	Property     string            `json:"property"` // canonical string, or "" when checked by raw key
	PropertyKey  string            `json:"property_key"`
	Height       int64             `json:"height"`
	SignedHeader string            `json:"signed_header"` // protobuf tendermint.types.SignedHeader at Height+1
	Validators   []bundleValidator `json:"validators"`    // the set that signed it, in the set's order
	Entries      []bundleEntry     `json:"entries"`       // x|property, then b|id of each active notice
}

type bundleValidator struct {
	PubKey string `json:"pub_key"` // ed25519
	Power  int64  `json:"power"`
}

type bundleEntry struct {
	Key   string `json:"key"`
	Value string `json:"value,omitempty"` // absent: proven absent
	Proof string `json:"proof"`           // ics23 CommitmentProof
}

// encodeBundle is the one serialisation of a bundle.
func encodeBundle(b *checkBundle) ([]byte, error) {
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// checkResult is what a verified bundle proves.
type checkResult struct {
	ChainID     string
	Property    string
	PropertyKey []byte
	Height      int64 // state after this block
	Header      *types.SignedHeader
	Validators  *types.ValidatorSet
	Blocks      []*registry.BlockNotice // the active notices; empty = proven none
	IndexProof  []byte
}

func bundleErr(format string, args ...any) error {
	return fmt.Errorf("%w: bundle: %s", registry.ErrProofInvalid, fmt.Sprintf(format, args...))
}

// canonHex decodes lower-case hex, rejecting any other spelling.
func canonHex(field, s string, size int) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil || hex.EncodeToString(b) != s {
		return nil, bundleErr("%s is not lower-case hex", field)
	}
	if size >= 0 && len(b) != size {
		return nil, bundleErr("%s must be %d bytes", field, size)
	}
	return b, nil
}

// newBundle assembles a bundle from proven entries (nil value = absent).
func newBundle(chainID string, p registry.Property, height int64, sh *types.SignedHeader, vals *types.ValidatorSet, entries []provenEntry) (*checkBundle, error) {
	pb, err := sh.ToProto().Marshal()
	if err != nil {
		return nil, err
	}
	b := &checkBundle{Format: checkBundleFormat, ChainID: chainID, Property: p.Canonical,
		PropertyKey: hex.EncodeToString(p.Key), Height: height, SignedHeader: hex.EncodeToString(pb)}
	for _, v := range vals.Validators {
		b.Validators = append(b.Validators, bundleValidator{PubKey: hex.EncodeToString(v.PubKey.Bytes()), Power: v.VotingPower})
	}
	for _, e := range entries {
		b.Entries = append(b.Entries, bundleEntry{Key: hex.EncodeToString(e.Key), Value: hex.EncodeToString(e.Value),
			Proof: hex.EncodeToString(e.Proof)})
	}
	return b, nil
}

// provenEntry is a state entry and its ICS23 proof (Value nil: absent).
type provenEntry struct {
	Key, Value, Proof []byte
}

// validatorSet rebuilds a validator set from (pub key, power) pairs and
// requires them to be listed in the set's own order.
func bundleValidatorSet(list []bundleValidator) (vs *types.ValidatorSet, err error) {
	if len(list) == 0 || len(list) > types.MaxVotesCount {
		return nil, bundleErr("validator set must have 1..%d members", types.MaxVotesCount)
	}
	seen := map[string]bool{}
	var vals []*types.Validator
	for i, v := range list {
		pub, err := canonHex(fmt.Sprintf("validators[%d].pub_key", i), v.PubKey, ed25519.PubKeySize)
		if err != nil {
			return nil, err
		}
		if v.Power <= 0 || v.Power > types.MaxTotalVotingPower {
			return nil, bundleErr("validators[%d].power out of range", i)
		}
		if seen[string(pub)] {
			return nil, bundleErr("validator %d listed twice", i)
		}
		seen[string(pub)] = true
		vals = append(vals, types.NewValidator(ed25519.PubKey(pub), v.Power))
	}
	defer func() {
		if r := recover(); r != nil {
			vs, err = nil, bundleErr("validator set: %v", r)
		}
	}()
	vs = types.NewValidatorSet(vals)
	for i, v := range vs.Validators {
		if !bytes.Equal(v.PubKey.Bytes(), vals[i].PubKey.Bytes()) {
			return nil, bundleErr("validators are not in the set's order")
		}
	}
	return vs, nil
}

// verifyEntryProof checks one entry's canonical ICS23 proof against appHash.
func verifyEntryProof(appHash []byte, i int, e bundleEntry) (key, value []byte, err error) {
	if key, err = canonHex(fmt.Sprintf("entries[%d].key", i), e.Key, -1); err != nil {
		return nil, nil, err
	}
	if e.Value != "" {
		if value, err = canonHex(fmt.Sprintf("entries[%d].value", i), e.Value, -1); err != nil {
			return nil, nil, err
		}
	}
	proof, err := canonHex(fmt.Sprintf("entries[%d].proof", i), e.Proof, -1)
	if err != nil {
		return nil, nil, err
	}
	var cp ics23.CommitmentProof
	if err := cp.Unmarshal(proof); err != nil {
		return nil, nil, bundleErr("entries[%d].proof: %v", i, err)
	}
	if again, err := cp.Marshal(); err != nil || !bytes.Equal(again, proof) {
		return nil, nil, bundleErr("entries[%d].proof is not canonical protobuf", i)
	}
	// ICS23 ignores the key field of a non-existence proof; require it.
	switch {
	case value == nil && (cp.GetNonexist() == nil || !bytes.Equal(cp.GetNonexist().Key, key)):
		return nil, nil, bundleErr("entries[%d]: not a non-existence proof of its key", i)
	case value != nil && cp.GetExist() == nil:
		return nil, nil, bundleErr("entries[%d]: not an existence proof", i)
	}
	if err := client.VerifyProof(appHash, key, value, proof); err != nil {
		return nil, nil, fmt.Errorf("entries[%d]: %w", i, err)
	}
	return key, value, nil
}

// verifyBundle checks a bundle file completely, with no network:
//   - the file is canonical (see checkBundle) and for chainID;
//   - the header is well formed, for the bundle's chain and height+1;
//   - the validator set hashes to header.ValidatorsHash and its members
//     with more than 2/3 of the power signed the header's commit (every
//     signature present is checked);
//   - if trusted is not nil, the validator set equals it (the caller's
//     trust root: the genesis set, or a set it obtained otherwise);
//   - every entry's ICS23 proof verifies against header.AppHash, and the
//     entries are exactly: the property's index key, then the record of each
//     notice it lists, each active and covering the property.
//
// With trusted == nil the result is only as good as the caller's reason to
// trust the header (e.g. the light client verified it).
func verifyBundle(raw []byte, chainID string, k registry.PropertyKeying, trusted *types.ValidatorSet) (*checkResult, error) {
	var b checkBundle
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, bundleErr("decode: %v", err)
	}
	if canon, err := encodeBundle(&b); err != nil || !bytes.Equal(canon, raw) {
		return nil, bundleErr("file is not in canonical form (edited?)")
	}
	if b.Format != checkBundleFormat {
		return nil, bundleErr("unknown format %q", b.Format)
	}
	if b.ChainID != chainID {
		return nil, bundleErr("bundle is for chain %q, expected %q", b.ChainID, chainID)
	}
	pk, err := canonHex("property_key", b.PropertyKey, registry.HashSize)
	if err != nil {
		return nil, err
	}
	if b.Property != "" && (!registry.IsCanonicalProperty(b.Property) || !bytes.Equal(k.Key(b.Property), pk)) {
		return nil, bundleErr("property %q does not match property_key", b.Property)
	}
	shBytes, err := canonHex("signed_header", b.SignedHeader, -1)
	if err != nil {
		return nil, err
	}
	var shp cmtproto.SignedHeader
	if err := shp.Unmarshal(shBytes); err != nil {
		return nil, bundleErr("signed_header: %v", err)
	}
	if again, err := shp.Marshal(); err != nil || !bytes.Equal(again, shBytes) {
		return nil, bundleErr("signed_header is not canonical protobuf")
	}
	sh, err := types.SignedHeaderFromProto(&shp)
	if err != nil {
		return nil, bundleErr("signed_header: %v", err)
	}
	if err := sh.ValidateBasic(b.ChainID); err != nil {
		return nil, bundleErr("signed_header: %v", err)
	}
	if b.Height < 1 || sh.Height != b.Height+1 {
		return nil, bundleErr("state height %d needs header %d, got %d", b.Height, b.Height+1, sh.Height)
	}
	vs, err := bundleValidatorSet(b.Validators)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(vs.Hash(), sh.ValidatorsHash) {
		return nil, bundleErr("validator set does not match the header's validators hash")
	}
	if trusted != nil && !bytes.Equal(trusted.Hash(), vs.Hash()) {
		return nil, bundleErr("the header was signed by a validator set you do not trust (it differs from the trusted set; see --trusted-validators)")
	}
	if err := vs.VerifyCommit(b.ChainID, sh.Commit.BlockID, sh.Height, sh.Commit); err != nil {
		return nil, bundleErr("commit: %v", err)
	}

	res := &checkResult{ChainID: b.ChainID, Property: b.Property, PropertyKey: pk, Height: b.Height, Header: sh, Validators: vs}
	if len(b.Entries) == 0 {
		return nil, bundleErr("no entries")
	}
	key, value, err := verifyEntryProof(sh.AppHash, 0, b.Entries[0])
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(key, registry.NotaryActiveKey(pk)) {
		return nil, bundleErr("entries[0] is not the property's index key")
	}
	res.IndexProof, _ = hex.DecodeString(b.Entries[0].Proof)
	if value == nil {
		if len(b.Entries) != 1 {
			return nil, bundleErr("absence proven, yet %d notice entries follow", len(b.Entries)-1)
		}
		return res, nil
	}
	ids, err := registry.DecodeActiveBlocks(value)
	if err != nil {
		return nil, bundleErr("index value: %v", err)
	}
	if len(b.Entries) != 1+len(ids) {
		return nil, bundleErr("index lists %d notices, bundle has %d", len(ids), len(b.Entries)-1)
	}
	for i, id := range ids {
		key, value, err := verifyEntryProof(sh.AppHash, i+1, b.Entries[i+1])
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(key, registry.NotaryBlockKey(id)) || value == nil {
			return nil, bundleErr("entries[%d] is not the record of notice %d", i+1, id)
		}
		n, err := registry.DecodeBlockNotice(value)
		if err != nil {
			return nil, bundleErr("notice %d: %v", id, err)
		}
		if n.ID != id || n.Released || !n.HasProperty(pk) {
			return nil, bundleErr("notice %d is not an active notice on the property", id)
		}
		res.Blocks = append(res.Blocks, n)
	}
	return res, nil
}

// trustedValidatorsFile is the format of --trusted-validators: the
// validators as a bundle lists them.
type trustedValidatorsFile struct {
	Validators []bundleValidator `json:"validators"`
}

// loadTrustedSet returns the validator set to trust: from a
// --trusted-validators file if given, else genesis's validators.
func loadTrustedSet(genesisPath, trustedPath string) (*types.ValidatorSet, string, error) {
	gen, err := types.GenesisDocFromFile(genesisPath)
	if err != nil {
		return nil, "", fmt.Errorf("genesis: %w", err)
	}
	return trustedSet(gen, trustedPath)
}

// genesisKeying is the chain's property keying from its genesis file.
func genesisKeying(gen *types.GenesisDoc) (registry.PropertyKeying, error) {
	var st registry.GenesisState
	if err := json.Unmarshal(gen.AppState, &st); err != nil {
		return registry.PropertyKeying{}, cliErrf(errFormat, "genesis app_state: %v", err)
	}
	return st.Params.PropertyKeying(gen.ChainID), nil
}

func trustedSet(gen *types.GenesisDoc, trustedPath string) (*types.ValidatorSet, string, error) {
	if trustedPath != "" {
		raw, err := os.ReadFile(trustedPath)
		if err != nil {
			return nil, "", err
		}
		var f trustedValidatorsFile
		if err := json.Unmarshal(raw, &f); err != nil {
			return nil, "", fmt.Errorf("%s: %w", trustedPath, err)
		}
		vs, err := bundleValidatorSet(f.Validators)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", trustedPath, err)
		}
		return vs, gen.ChainID, nil
	}
	if len(gen.Validators) == 0 {
		return nil, "", errors.New("genesis lists no validators")
	}
	var vals []*types.Validator
	for _, v := range gen.Validators {
		vals = append(vals, types.NewValidator(v.PubKey, v.Power))
	}
	return types.NewValidatorSet(vals), gen.ChainID, nil
}
