package verification

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/danangchain/danangchain/registry"
	"google.golang.org/protobuf/encoding/protowire"
)

// precommitType is tendermint.types.SignedMsgType PRECOMMIT.
const precommitType = 2

// Sig is one validator's precommit signature carried by a receipt: the
// validator's index in the signing set, the vote's time, the signature.
type Sig struct {
	Index     int
	Timestamp time.Time
	Signature []byte
}

// VoteSignBytes is what a validator signs to precommit block id at height
// and round (CometBFT's VoteSignBytes: the CanonicalVote protobuf, prefixed
// by its length). It fails where CometBFT's panics: a block id whose
// hashes are not empty or 32 bytes, a timestamp outside years 1 to 9999.
func VoteSignBytes(chainID string, height int64, round int32, id BlockID, ts time.Time) ([]byte, error) {
	if err := id.ValidateBasic(); err != nil {
		return nil, fmt.Errorf("block id: %w", err)
	}
	t, err := marshalTimestamp(ts)
	if err != nil {
		return nil, err
	}
	var b []byte
	b = appendVarintField(b, 1, precommitType)
	if height != 0 {
		b = protowire.AppendTag(b, 2, protowire.Fixed64Type)
		b = binary.LittleEndian.AppendUint64(b, uint64(height))
	}
	if round != 0 {
		b = protowire.AppendTag(b, 3, protowire.Fixed64Type)
		b = binary.LittleEndian.AppendUint64(b, uint64(int64(round)))
	}
	if len(id.Hash) != 0 || id.PartSetHeader.Total != 0 || len(id.PartSetHeader.Hash) != 0 {
		// CanonicalBlockID: hash, then the part-set header (always written).
		var ps []byte
		ps = appendVarintField(ps, 1, uint64(id.PartSetHeader.Total))
		ps = appendBytesField(ps, 2, id.PartSetHeader.Hash)
		var bid []byte
		bid = appendBytesField(bid, 1, id.Hash)
		bid = appendMessageField(bid, 2, ps)
		b = appendMessageField(b, 4, bid)
	}
	b = appendMessageField(b, 5, t)
	b = appendBytesField(b, 6, []byte(chainID))
	return protowire.AppendBytes(nil, b), nil
}

// verifyEd25519 checks an ed25519 signature under ZIP-215, the rules
// CometBFT itself verifies with (registry.VerifySignature uses the same
// library and options as CometBFT, curve25519-voi, which the registry
// package links anyway). The standard library's crypto/ed25519 would
// accept a subset of these signatures: it could refuse a signature the
// chain accepted (a non-canonical point encoding, a small-order
// component), never the reverse.
func verifyEd25519(pub, msg, sig []byte) bool {
	return registry.VerifySignature(pub, msg, sig)
}

// verifyCommit is client.verifySigs: sigs (by validator index, strictly
// increasing) precommit header h at round with part set ps; every one must
// verify, and together they must hold more than 2/3 of vals' voting power
// (CometBFT's VerifyCommitLightAllSignatures).
func verifyCommit(chainID string, vals *valSet, h *Header, round int32, ps PartSetHeader, sigs []Sig) error {
	id := BlockID{Hash: h.Hash(), PartSetHeader: ps}
	last := -1
	for _, s := range sigs {
		if s.Index <= last || s.Index >= len(vals.vals) {
			return fmt.Errorf("bad signature index %d", s.Index)
		}
		last = s.Index
	}
	var power int64
	for _, s := range sigs {
		// (CometBFT panics here on a bad part-set hash or timestamp.)
		msg, err := VoteSignBytes(chainID, h.Height, round, id, s.Timestamp)
		if err != nil {
			return fmt.Errorf("signature %d: %v", s.Index, err)
		}
		v := vals.vals[s.Index]
		if !verifyEd25519(v.PubKey, msg, s.Signature) {
			return fmt.Errorf("wrong signature (#%d)", s.Index)
		}
		power += v.Power
	}
	if need := vals.total * 2 / 3; power <= need {
		return errors.New("signatures hold 2/3 of the voting power or less")
	}
	return nil
}
