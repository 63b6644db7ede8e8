package registry

import (
	"errors"
	"fmt"
)

// Codespace is the ABCI codespace of every error registered here.
const Codespace = "danang"

// Error is a domain error with a stable numeric code. Codes never change
// meaning once released; clients map them back to the same sentinel.
type Error struct {
	Code uint32
	Name string
	Desc string
}

func (e *Error) Error() string { return e.Name + ": " + e.Desc }

// Is lets wrapped errors match their sentinel by code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// The sentinel errors. Code 1 is reserved for "internal error".
var (
	ErrInternal         = &Error{1, "internal", "internal error"}
	ErrMalformed        = &Error{2, "malformed", "malformed bytes"}
	ErrOversize         = &Error{3, "oversize", "input too large"}
	ErrWrongChain       = &Error{4, "wrong_chain", "wrong chain id"}
	ErrReplay           = &Error{5, "replay", "transaction already seen (replay)"}
	ErrExpired          = &Error{6, "expired_tx", "transaction expired or expiry out of range"}
	ErrBadSignature     = &Error{7, "bad_signature", "signature does not verify"}
	ErrUnknownKey       = &Error{8, "unknown_key", "signer key is not registered"}
	ErrRevokedKey       = &Error{9, "revoked_key", "signer key is revoked"}
	ErrUnauthorized     = &Error{10, "unauthorized", "signer lacks the required role"}
	ErrInvalid          = &Error{11, "invalid", "invalid field"}
	ErrNotFound         = &Error{12, "not_found", "not found"}
	ErrConflict         = &Error{13, "conflict", "conflicts with existing state"}
	ErrSuspended        = &Error{14, "suspended", "agency is suspended or removed"}
	ErrUnknownMsg       = &Error{15, "unknown_msg", "unknown message type"}
	ErrNotNFC           = &Error{16, "not_nfc", "text is not valid UTF-8 in Unicode NFC"}
	ErrProposalClosed   = &Error{17, "proposal_closed", "proposal is no longer open"}
	ErrRevoked          = &Error{18, "revoked", "record is revoked"}
	ErrBlocked          = &Error{19, "blocked", "property has an active blocking notice"}
	ErrProofInvalid     = &Error{20, "proof_invalid", "proof does not verify"}
	ErrQuorumNotReached = &Error{21, "quorum_not_reached", "council quorum not reached"}
	// ErrNotCurrent: the verifier could not establish a fresh header (the
	// node lags, is catching up, lies about its height, or no witness
	// confirmed it), so it cannot say what holds now.
	ErrNotCurrent = &Error{22, "not_current", "could not confirm the current state"}
)

// allErrors is the table of registered errors, indexed by code.
var allErrors = []*Error{
	ErrInternal, ErrMalformed, ErrOversize, ErrWrongChain, ErrReplay, ErrExpired,
	ErrBadSignature, ErrUnknownKey, ErrRevokedKey, ErrUnauthorized, ErrInvalid,
	ErrNotFound, ErrConflict, ErrSuspended, ErrUnknownMsg, ErrNotNFC,
	ErrProposalClosed, ErrRevoked, ErrBlocked, ErrProofInvalid, ErrQuorumNotReached, ErrNotCurrent,
}

// Errors returns every registered error, ordered by code.
func Errors() []*Error {
	out := make([]*Error, len(allErrors))
	copy(out, allErrors)
	return out
}

// Errorf wraps a sentinel with detail while keeping errors.Is working.
func Errorf(sentinel *Error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}

// ABCICode returns the codespace and code for err. Unregistered errors are
// reported as ErrInternal so that no implementation detail leaks out.
func ABCICode(err error) (string, uint32) {
	if err == nil {
		return "", 0
	}
	var e *Error
	if errors.As(err, &e) {
		return Codespace, e.Code
	}
	return Codespace, ErrInternal.Code
}

// IsDomain reports whether err carries a registered code (as opposed to an
// internal failure such as a storage error).
func IsDomain(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code != ErrInternal.Code
}

// FromCode returns the sentinel for a (codespace, code) pair, wrapped with
// the log text. Unknown pairs become ErrInternal.
func FromCode(codespace string, code uint32, log string) error {
	if code == 0 {
		return nil
	}
	base := ErrInternal
	if codespace == Codespace {
		for _, e := range allErrors {
			if e.Code == code {
				base = e
				break
			}
		}
	}
	if log == "" {
		return base
	}
	return &remoteError{base: base, log: log}
}

type remoteError struct {
	base *Error
	log  string
}

func (r *remoteError) Error() string { return r.log }
func (r *remoteError) Unwrap() error { return r.base }

// FromChain reports whether err is an answer of the chain (decoded by
// FromCode from a node's response) rather than the result of a local
// check: the CLI calls only the former a rejection.
func FromChain(err error) bool {
	var r *remoteError
	return errors.As(err, &r)
}

// PublicText is what may leave a node about err (ABCI Log, HTTP detail):
// a registered error's own text, and "internal error" for anything else,
// whose text could reveal paths, storage or versions.
func PublicText(err error) string {
	if IsDomain(err) {
		return err.Error()
	}
	return ErrInternal.Desc
}
