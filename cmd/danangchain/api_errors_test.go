package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// Every registered error has exactly one HTTP status, here.
func TestHTTPStatusTable(t *testing.T) {
	for _, e := range registry.Errors() {
		s, ok := httpStatuses[e.Code]
		require.True(t, ok, "no HTTP status for %s (%d)", e.Name, e.Code)
		assert.GreaterOrEqual(t, s, 400, e.Name)
		assert.Equal(t, s, statusFor(registry.Errorf(e, "x")), e.Name)
	}
	assert.Len(t, httpStatuses, len(registry.Errors()))
	assert.Equal(t, http.StatusInternalServerError, statusFor(errors.New("leveldb: closed")))
}

func TestProblemJSON(t *testing.T) {
	read := func(status int, err error) map[string]any {
		rec := httptest.NewRecorder()
		problem(rec, status, "title", err)
		assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
		assert.Equal(t, status, rec.Code)
		var body map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		return body
	}
	err := registry.Errorf(registry.ErrUnknownKey, "key 3f2a… is not registered")
	b := read(statusFor(err), err)
	assert.EqualValues(t, 8, b["code"])
	assert.Equal(t, "unknown_key", b["name"])
	assert.Equal(t, "https://danangchain.dev/errors/unknown_key", b["type"])
	assert.Equal(t, "Khóa ký chưa được đăng ký trên chuỗi", b["title_vi"])
	assert.Contains(t, b["detail"], "is not registered")
	assert.EqualValues(t, http.StatusUnauthorized, b["status"])

	b = read(http.StatusInternalServerError, errors.New("open /var/lib/danangchain/data/app: permission denied"))
	assert.Equal(t, "internal error", b["detail"], "internal text never leaks")
	assert.Nil(t, b["code"])

	// The notary API answers problem+json through the same table.
	rec := httptest.NewRecorder()
	(&notaryAPI{}).fail(rec, registry.Errorf(registry.ErrUnauthorized, "not a notary office"))
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	var nb map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &nb))
	assert.EqualValues(t, 10, nb["code"])
	assert.Nil(t, nb["error"])
}
