package verification

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/danangchain/danangchain/registry"
	"google.golang.org/protobuf/encoding/protowire"
)

// MaxTotalVotingPower is CometBFT's bound on a validator set's total
// voting power.
const MaxTotalVotingPower = int64(math.MaxInt64) / 8

const (
	addressSize    = 20
	ed25519KeySize = 32
)

// Field numbers of tendermint.crypto.PublicKey's key types.
const (
	keyEd25519   = 1
	keySecp256k1 = 2
	keyMldsa65   = 4
)

// Validator is one validator: an ed25519 public key (32 bytes) and its
// voting power.
type Validator struct {
	PubKey []byte
	Power  int64
}

// Address is the validator's CometBFT address: the first 20 bytes of the
// SHA-256 of its public key.
func (v Validator) Address() []byte {
	h := sha256.Sum256(v.PubKey)
	return h[:addressSize]
}

// validatorLess is CometBFT's canonical order: voting power descending,
// then address ascending.
func validatorLess(a, b Validator) bool {
	if a.Power != b.Power {
		return a.Power > b.Power
	}
	return bytes.Compare(a.Address(), b.Address()) < 0
}

// SortValidators sorts vals in place into CometBFT's canonical order.
func SortValidators(vals []Validator) {
	slices.SortStableFunc(vals, func(a, b Validator) int {
		switch {
		case validatorLess(a, b):
			return -1
		case validatorLess(b, a):
			return 1
		}
		return 0
	})
}

// ValidatorSetHash is CometBFT's ValidatorSet.Hash of the set vals: the
// Merkle root of each validator's SimpleValidator protobuf, in the set's
// canonical order (voting power descending, then address ascending),
// which it sorts a copy of vals into.
func ValidatorSetHash(vals []Validator) []byte {
	sorted := slices.Clone(vals)
	SortValidators(sorted)
	return hashValidators(sorted)
}

// hashValidators hashes ed25519 validators in the order given.
func hashValidators(vals []Validator) []byte {
	leaves := make([][]byte, len(vals))
	for i, v := range vals {
		leaves[i] = simpleValidator(keyEd25519, v.PubKey, v.Power)
	}
	return merkleRoot(leaves)
}

// simpleValidator is the tendermint.types.SimpleValidator protobuf.
func simpleValidator(keyType protowire.Number, pub []byte, power int64) []byte {
	key := appendMessageField(nil, keyType, pub)
	b := appendMessageField(nil, 1, key)
	return appendVarintField(b, 2, uint64(power))
}

// valSet is a validator set in canonical order, with what verification
// needs of it.
type valSet struct {
	vals  []Validator
	total int64
	hash  []byte
}

func newValSet(vals []Validator) *valSet {
	s := &valSet{vals: vals, hash: hashValidators(vals)}
	for _, v := range vals {
		s.total += v.Power
	}
	return s
}

// checkValidators checks a trust root's set: ed25519 keys, positive
// powers within CometBFT's bound, no validator twice.
func checkValidators(vals []Validator) error {
	if len(vals) == 0 {
		return errors.New("no validators")
	}
	var total int64
	seen := map[string]bool{}
	for _, v := range vals {
		if len(v.PubKey) != ed25519KeySize {
			return fmt.Errorf("validator key is %d bytes, not an ed25519 key", len(v.PubKey))
		}
		if v.Power <= 0 || v.Power > MaxTotalVotingPower {
			return fmt.Errorf("validator %X: voting power %d", v.Address(), v.Power)
		}
		if total += v.Power; total > MaxTotalVotingPower {
			return fmt.Errorf("total voting power exceeds %d", MaxTotalVotingPower)
		}
		if seen[string(v.Address())] {
			return fmt.Errorf("validator %X twice", v.Address())
		}
		seen[string(v.Address())] = true
	}
	return nil
}

// decodeCompactSet reads a DNR2 hand-over's next validator set as
// client.decodeCompactSet does (uvarint count, then public key and power
// of each). Whether it is in canonical order is checked later, with the
// rest of the canonical form.
func decodeCompactSet(d *registry.Decoder) ([]Validator, error) {
	n := d.Count(1000, 34)
	if n == 0 {
		return nil, registry.Errorf(registry.ErrMalformed, "empty validator set")
	}
	vals := make([]Validator, 0, n)
	var total int64
	for i := 0; i < n; i++ {
		pk, power := d.Bytes(), d.Uint()
		if len(pk) != ed25519KeySize || power == 0 || power > uint64(MaxTotalVotingPower) {
			return nil, registry.Errorf(registry.ErrMalformed, "bad validator entry")
		}
		if total += int64(power); total > MaxTotalVotingPower {
			return nil, registry.Errorf(registry.ErrMalformed, "validators: total voting power exceeds %d", MaxTotalVotingPower)
		}
		vals = append(vals, Validator{PubKey: pk, Power: int64(power)})
	}
	return vals, nil
}

// canonicalOrder reports whether vals are in canonical order (a validator
// listed twice in a row is: CometBFT's sort leaves the bytes unchanged).
func canonicalOrder(vals []Validator) bool {
	for i := 1; i < len(vals); i++ {
		if validatorLess(vals[i], vals[i-1]) {
			return false
		}
	}
	return true
}

// protoValidator is a tendermint.types.Validator as decoded.
type protoValidator struct {
	address         []byte
	keyType         protowire.Number // 0: no key
	key             []byte
	power, priority int64
}

func (v *protoValidator) marshal() []byte {
	var k []byte
	if v.keyType != 0 {
		k = appendMessageField(nil, v.keyType, v.key)
	}
	var b []byte
	b = appendBytesField(b, 1, v.address)
	b = appendMessageField(b, 2, k)
	b = appendVarintField(b, 3, uint64(v.power))
	return appendVarintField(b, 4, uint64(v.priority))
}

// check is ValidatorFromProto followed by Validator.ValidateBasic.
func (v *protoValidator) check() bool {
	var addr []byte
	// Only ed25519 keys: the chain's validators use nothing else, and the
	// client refuses other key types in a receipt as malformed too.
	if v.keyType != keyEd25519 || len(v.key) != ed25519KeySize {
		return false
	}
	h := sha256.Sum256(v.key)
	addr = h[:addressSize]
	return v.power >= 0 && bytes.Equal(v.address, addr)
}

func readProtoValidator(b []byte) (*protoValidator, bool) {
	v := &protoValidator{}
	ok := readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		switch num {
		case 1:
			x, ok := bytesField(r, typ)
			v.address = x
			return true, ok
		case 2:
			x, ok := bytesField(r, typ)
			return true, ok && readMessage(x, func(r *wireReader, num int32, typ int) (bool, bool) {
				if num != keyEd25519 && num != keySecp256k1 && num != keyMldsa65 {
					return true, false
				}
				k, ok := bytesField(r, typ)
				v.keyType, v.key = protowire.Number(num), k
				return true, ok
			})
		case 3, 4:
			x, ok := varintField(r, typ)
			if num == 3 {
				v.power = int64(x)
			} else {
				v.priority = int64(x)
			}
			return true, ok
		}
		return true, false
	})
	return v, ok
}

// legacySetHash decodes the validator set a v1 receipt may embed (a
// tendermint.types.ValidatorSet protobuf), checks it as CometBFT's
// ValidatorSetFromProto does, requires the canonical form the reference
// re-encodes it to (total voting power left out), and returns its hash.
// Sets with keys other than ed25519 are malformed (as in the client).
func legacySetHash(b []byte) ([]byte, error) {
	var vals []*protoValidator
	var proposer *protoValidator
	ok := readMessage(b, func(r *wireReader, num int32, typ int) (bool, bool) {
		if num == 3 {
			_, ok := varintField(r, typ)
			return true, ok
		}
		x, ok := bytesField(r, typ)
		if !ok || (num != 1 && num != 2) {
			return true, false
		}
		v, ok := readProtoValidator(x)
		if num == 1 {
			vals = append(vals, v)
		} else {
			proposer = v
		}
		return true, ok
	})
	bad := func(what string) ([]byte, error) {
		return nil, registry.Errorf(registry.ErrMalformed, "validators: %s", what)
	}
	if !ok {
		return bad("bad protobuf")
	}
	if len(vals) == 0 || proposer == nil {
		return bad("empty set or no proposer")
	}
	var total int64
	again := make([]byte, 0, len(b))
	leaves := make([][]byte, len(vals))
	proposerIn := false
	for i, v := range vals {
		if !v.check() {
			return bad("bad validator")
		}
		if v.power > MaxTotalVotingPower-total {
			return bad("total voting power too large")
		}
		total += v.power
		proposerIn = proposerIn || bytes.Equal(v.address, proposer.address)
		again = appendMessageField(again, 1, v.marshal())
		leaves[i] = simpleValidator(v.keyType, v.key, v.power)
	}
	if !proposer.check() || !proposerIn {
		return bad("bad proposer")
	}
	again = appendMessageField(again, 2, proposer.marshal())
	if !bytes.Equal(again, b) {
		return bad("not in canonical form")
	}
	return merkleRoot(leaves), nil
}
