package registry

import (
	"fmt"
	"math"
)

// Limits of the envelope.
const (
	TxVersion     = 1
	MaxTxBytes    = 2 << 20 // 2 MiB: a bulk issuance of 10,000 results fits
	MinNonceSize  = 8
	MaxNonceSize  = 32
	MaxChainIDLen = 50
)

// signDomain separates DanangChain sign bytes from every other use of the
// same key.
const signDomain = "danangchain/tx/v1\n"

// Tx is the signed envelope of every state change.
//
// Replay protection is (Signer, Nonce, ExpiresAt): the chain remembers the
// triple until ExpiresAt, so one key may have any number of transactions in
// flight at once (no sequence numbers), and a transaction can never be
// included after its expiry height.
type Tx struct {
	ChainID   string
	Signer    []byte // ed25519 public key, 32 bytes
	Nonce     []byte // 8..32 bytes chosen by the sender, unique per signer
	ExpiresAt uint64 // last block height at which the tx may be included
	Msg       Msg
	Signature []byte // ed25519 over SignBytes, 64 bytes
}

func (tx *Tx) encodeUnsigned(e *Encoder) {
	e.Uint(TxVersion)
	e.String(tx.ChainID)
	e.Bytes(tx.Signer)
	e.Bytes(tx.Nonce)
	e.Uint(tx.ExpiresAt)
	e.Uint(uint64(tx.Msg.Type()))
	body := NewEncoder(64)
	tx.Msg.Encode(body)
	e.Bytes(body.Out())
}

// SignBytes returns the exact bytes that are signed: a domain string then
// the canonical encoding of every field except the signature.
func (tx *Tx) SignBytes() []byte {
	e := NewEncoder(256)
	e.Raw([]byte(signDomain))
	tx.encodeUnsigned(e)
	return e.Out()
}

// Encode returns the canonical wire bytes.
func (tx *Tx) Encode() []byte {
	e := NewEncoder(256)
	tx.encodeUnsigned(e)
	e.Bytes(tx.Signature)
	return e.Out()
}

// SignWith fills Signature using an ed25519 private key.
func (tx *Tx) SignWith(priv []byte) {
	tx.Signature = Sign(priv, tx.SignBytes())
}

// ReplayKey is the state key that remembers this tx until it expires.
func (tx *Tx) ReplayKey() []byte {
	return replayKey(tx.ExpiresAt, tx.Signer, tx.Nonce)
}

// DecodeTx parses wire bytes. It checks the encoding only; ValidateBasic
// checks the content.
func DecodeTx(b []byte) (*Tx, error) {
	if len(b) > MaxTxBytes {
		return nil, Errorf(ErrOversize, "tx is %d bytes, limit %d", len(b), MaxTxBytes)
	}
	d := NewDecoder(b)
	if v := d.Uint(); d.Err() == nil && v != TxVersion {
		return nil, Errorf(ErrMalformed, "unsupported tx version %d", v)
	}
	tx := &Tx{}
	tx.ChainID = d.String()
	tx.Signer = d.Bytes()
	tx.Nonce = d.Bytes()
	tx.ExpiresAt = d.Uint()
	typ := d.Uint()
	body := d.Bytes()
	tx.Signature = d.Bytes()
	if err := d.Finish(); err != nil {
		return nil, err
	}
	// MsgType is 16 bits: a wider value must not be truncated onto a known
	// type, or one signed tx would have several accepted wire encodings.
	if typ > math.MaxUint16 {
		return nil, Errorf(ErrUnknownMsg, "type %d", typ)
	}
	msg, err := DecodeMsg(MsgType(typ), body)
	if err != nil {
		return nil, err
	}
	tx.Msg = msg
	return tx, nil
}

// ValidateBasic runs every stateless check: sizes, chain id, signature
// (ZIP-215) and the message's own field rules. CheckTx, PrepareProposal,
// ProcessProposal, FinalizeBlock and the client all call it.
func (tx *Tx) ValidateBasic(chainID string) error {
	if tx.ChainID != chainID {
		return Errorf(ErrWrongChain, "tx is for chain %q, this is %q", tx.ChainID, chainID)
	}
	if len(tx.Signer) != PubKeySize {
		return Errorf(ErrMalformed, "signer must be a %d-byte ed25519 public key", PubKeySize)
	}
	if len(tx.Nonce) < MinNonceSize || len(tx.Nonce) > MaxNonceSize {
		return Errorf(ErrMalformed, "nonce must be %d..%d bytes", MinNonceSize, MaxNonceSize)
	}
	if tx.ExpiresAt == 0 {
		return Errorf(ErrExpired, "expires_at must be set")
	}
	if len(tx.Signature) != SignatureSize {
		return Errorf(ErrBadSignature, "signature must be %d bytes", SignatureSize)
	}
	if tx.Msg == nil {
		return Errorf(ErrMalformed, "missing message")
	}
	if err := tx.Msg.ValidateBasic(); err != nil {
		return err
	}
	if !VerifySignature(tx.Signer, tx.SignBytes(), tx.Signature) {
		return Errorf(ErrBadSignature, "signature by %s does not verify", KeyID(tx.Signer))
	}
	return nil
}

// String is a short description for logs.
func (tx *Tx) String() string {
	return fmt.Sprintf("tx{%s from %s}", MsgName(tx.Msg.Type()), KeyID(tx.Signer))
}
