package registry

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// Sizes of the cryptographic fields.
const (
	PubKeySize    = ed25519.PublicKeySize
	SignatureSize = ed25519.SignatureSize
	HashSize      = sha256.Size
)

// zip215 selects the ZIP-215 verification rules used by CometBFT itself:
// every node agrees on every signature, whatever library it links.
var zip215 = &ed25519.Options{Verify: ed25519.VerifyOptionsZIP_215}

// VerifySignature checks an ed25519 signature with ZIP-215 rules.
func VerifySignature(pub, msg, sig []byte) bool {
	if len(pub) != PubKeySize || len(sig) != SignatureSize {
		return false
	}
	return ed25519.VerifyWithOptions(ed25519.PublicKey(pub), msg, sig, zip215)
}

// Sign signs msg with an ed25519 private key (64-byte seed||pub form).
func Sign(priv []byte, msg []byte) []byte {
	return ed25519.Sign(ed25519.PrivateKey(priv), msg)
}

// NewKeyFromSeed derives an ed25519 private key from a 32-byte seed.
func NewKeyFromSeed(seed []byte) []byte {
	return ed25519.NewKeyFromSeed(seed)
}

// PubKeyOf returns the public key of an ed25519 private key.
func PubKeyOf(priv []byte) []byte {
	pub := make([]byte, PubKeySize)
	copy(pub, priv[32:])
	return pub
}

// Hash is SHA-256.
func Hash(b ...[]byte) []byte {
	h := sha256.New()
	for _, x := range b {
		h.Write(x)
	}
	return h.Sum(nil)
}

// KeyID is the short printable id of a public key: the first 20 bytes of
// its SHA-256 in hex (the same construction as CometBFT addresses).
func KeyID(pub []byte) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:20])
}
