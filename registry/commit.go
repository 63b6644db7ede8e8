package registry

import (
	"bytes"
	"strings"

	"golang.org/x/crypto/argon2"
)

// CommitKind separates the commitments of different roles, so that a
// commitment of a result's holder can never be replayed as a product
// owner's or a contract party's.
type CommitKind string

// The kinds of commitment.
const (
	CommitHolder CommitKind = "holder" // the holder of an administrative result
	CommitOwner  CommitKind = "owner"  // a product's buyer without a key
	CommitParty  CommitKind = "party"  // a party to a notarised contract
)

// Default Argon2id cost of commitments (see Params.CommitTime).
const (
	DefaultCommitTime      = 3
	DefaultCommitMemoryKiB = 64 << 10
)

// CommitSaltSize is the size of a commitment's random salt.
const CommitSaltSize = 16

// Commit is the version-2 commitment to a personal identifier (a CCCD
// number, a tax code): Argon2id over a domain tag naming the kind and the
// trimmed NFC identifier, salted with a random per-record salt, at the
// chain's cost parameters. 32 bytes, the same size as version 1, so
// records keep one field; only who computes it (the agency's client, the
// holder checking it) runs Argon2id — the state machine never does.
func Commit(kind CommitKind, salt []byte, identifier string, p Params) []byte {
	p = p.WithDefaults()
	pw := []byte("danangchain/commit/v2/" + string(kind) + "\x00" + strings.TrimSpace(NFC(identifier)))
	return argon2.IDKey(pw, salt, uint32(p.CommitTime), uint32(p.CommitMemoryKiB), 1, HashSize)
}

// MatchCommitment reports whether c commits to identifier with salt, and
// with which version: 2 (Commit), or 1 for records written before it
// (HolderCommitment, PartyCommitment: SHA-256 of salt and identifier),
// which keep verifying. 0: no match.
func MatchCommitment(c []byte, kind CommitKind, salt []byte, identifier string, p Params) int {
	if bytes.Equal(c, Commit(kind, salt, identifier, p)) {
		return 2
	}
	var v1 []byte
	if kind == CommitParty {
		v1 = PartyCommitment(salt, identifier)
	} else {
		v1 = HolderCommitment(salt, identifier)
	}
	if bytes.Equal(c, v1) {
		return 1
	}
	return 0
}
