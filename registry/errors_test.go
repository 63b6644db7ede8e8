package registry

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stableCodes is the released table of error codes. Codes never change
// meaning: a change here breaks every client and SDK.
var stableCodes = []struct {
	name string
	code uint32
	err  *Error
}{
	{"internal", 1, ErrInternal},
	{"malformed", 2, ErrMalformed},
	{"oversize", 3, ErrOversize},
	{"wrong_chain", 4, ErrWrongChain},
	{"replay", 5, ErrReplay},
	{"expired_tx", 6, ErrExpired},
	{"bad_signature", 7, ErrBadSignature},
	{"unknown_key", 8, ErrUnknownKey},
	{"revoked_key", 9, ErrRevokedKey},
	{"unauthorized", 10, ErrUnauthorized},
	{"invalid", 11, ErrInvalid},
	{"not_found", 12, ErrNotFound},
	{"conflict", 13, ErrConflict},
	{"suspended", 14, ErrSuspended},
	{"unknown_msg", 15, ErrUnknownMsg},
	{"not_nfc", 16, ErrNotNFC},
	{"proposal_closed", 17, ErrProposalClosed},
	{"revoked", 18, ErrRevoked},
	{"blocked", 19, ErrBlocked},
	{"proof_invalid", 20, ErrProofInvalid},
	{"quorum_not_reached", 21, ErrQuorumNotReached},
	{"not_current", 22, ErrNotCurrent},
}

func TestErrorCodesStable(t *testing.T) {
	all := Errors()
	require.Len(t, all, len(stableCodes), "a new error needs a row in stableCodes")
	for i, row := range stableCodes {
		assert.Equal(t, row.code, row.err.Code, row.name)
		assert.Equal(t, row.name, row.err.Name, "code %d", row.code)
		assert.NotEmpty(t, row.err.Desc, row.name)
		assert.Same(t, row.err, all[i], "Errors() is ordered by code")
		assert.Equal(t, row.name+": "+row.err.Desc, row.err.Error())
	}
}

func TestErrorCodesUnique(t *testing.T) {
	codes := map[uint32]string{}
	names := map[string]uint32{}
	for _, e := range Errors() {
		require.NotZero(t, e.Code, "code 0 means success in ABCI")
		if prev, ok := codes[e.Code]; ok {
			t.Errorf("code %d used by %s and %s", e.Code, prev, e.Name)
		}
		if prev, ok := names[e.Name]; ok {
			t.Errorf("name %s used by codes %d and %d", e.Name, prev, e.Code)
		}
		codes[e.Code] = e.Name
		names[e.Name] = e.Code
	}
}

func TestErrorsReturnsACopy(t *testing.T) {
	a := Errors()
	a[0] = ErrBlocked
	assert.Same(t, ErrInternal, Errors()[0])
}

func TestFromCodeMapsBack(t *testing.T) {
	for _, row := range stableCodes {
		err := FromCode(Codespace, row.code, "x")
		require.Error(t, err)
		assert.True(t, errors.Is(err, row.err), row.name)
		assert.Equal(t, "x", err.Error(), "the remote log is kept as the message")
		for _, other := range stableCodes {
			if other.code != row.code {
				assert.False(t, errors.Is(err, other.err), "%s is not %s", row.name, other.name)
			}
		}
		var e *Error
		require.True(t, errors.As(err, &e))
		assert.Same(t, row.err, e)

		// Round trip through ABCICode.
		space, code := ABCICode(err)
		assert.Equal(t, Codespace, space)
		assert.Equal(t, row.code, code)

		// Without a log the sentinel itself comes back.
		assert.Same(t, row.err, FromCode(Codespace, row.code, ""))
	}
	assert.True(t, errors.Is(FromCode(Codespace, ErrRevokedKey.Code, "x"), ErrRevokedKey))
}

func TestFromCodeUnknown(t *testing.T) {
	assert.NoError(t, FromCode(Codespace, 0, "ok"))
	assert.NoError(t, FromCode("sdk", 0, ""))
	for _, tc := range []struct {
		space string
		code  uint32
	}{
		{Codespace, 999},
		{Codespace, 99},
		{"sdk", ErrRevokedKey.Code}, // another module's code 9 is not ours
		{"", ErrMalformed.Code},
	} {
		err := FromCode(tc.space, tc.code, "remote text")
		assert.True(t, errors.Is(err, ErrInternal), "%s/%d", tc.space, tc.code)
		assert.False(t, IsDomain(err))
		assert.Equal(t, "remote text", err.Error())
	}
}

func TestABCICode(t *testing.T) {
	space, code := ABCICode(nil)
	assert.Equal(t, "", space)
	assert.Zero(t, code)

	for _, row := range stableCodes {
		wrapped := fmt.Errorf("deliver: %w", Errorf(row.err, "detail %d", 7))
		space, code := ABCICode(wrapped)
		assert.Equal(t, Codespace, space)
		assert.Equal(t, row.code, code)
		assert.True(t, errors.Is(wrapped, row.err))
		assert.Contains(t, wrapped.Error(), "detail 7")
	}

	// Unregistered errors never leak their details through a code.
	for _, err := range []error{errors.New("disk on fire"), io.ErrUnexpectedEOF, fmt.Errorf("x: %w", io.EOF)} {
		space, code := ABCICode(err)
		assert.Equal(t, Codespace, space)
		assert.Equal(t, ErrInternal.Code, code)
		assert.False(t, IsDomain(err))
	}
}

func TestIsDomain(t *testing.T) {
	assert.True(t, IsDomain(ErrConflict))
	assert.True(t, IsDomain(Errorf(ErrNotFound, "x")))
	assert.False(t, IsDomain(Errorf(ErrInternal, "params missing")))
	assert.False(t, IsDomain(nil))
	assert.False(t, IsDomain(errors.New("x")))
}

func TestErrorIsMatchesByCode(t *testing.T) {
	// A copy of a sentinel (e.g. decoded by a client) matches by code.
	clone := &Error{Code: ErrReplay.Code, Name: "replay", Desc: "other text"}
	assert.True(t, errors.Is(clone, ErrReplay))
	assert.True(t, errors.Is(Errorf(ErrReplay, "n"), clone))
	assert.False(t, errors.Is(clone, ErrExpired))
	assert.False(t, errors.Is(ErrReplay, io.EOF))
}

func TestErrorTexts(t *testing.T) {
	for _, e := range Errors() {
		tx := e.Text()
		assert.NotEmpty(t, tx.Vi, e.Name)
		assert.NotEmpty(t, tx.En, e.Name)
		assert.NotEmpty(t, tx.HintVi, e.Name)
		assert.NotEmpty(t, tx.HintEn, e.Name)
		assert.NotEqual(t, tx.Vi, tx.En, "%s: Vietnamese text missing", e.Name)
	}
	assert.Equal(t, ErrInternal.Text(), (&Error{Code: 999}).Text())
}

func TestPublicText(t *testing.T) {
	assert.Equal(t, "internal error", PublicText(errors.New("open /var/lib/x: permission denied")))
	assert.Equal(t, "invalid: invalid field: title", PublicText(Errorf(ErrInvalid, "title")))
	assert.Equal(t, "internal error", PublicText(Errorf(ErrInternal, "leveldb closed")))
}
