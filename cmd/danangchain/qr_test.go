package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestQRRoundTrip(t *testing.T) {
	sha := strings.Repeat("ab", 32)
	for _, tc := range []struct{ base, id string }{
		{"http://127.0.0.1:1317", "0123456789abcdef0123456789abcdef"},
		{"https://xacminh.danang.gov.vn", "r-000001"},
		{"https://verify.example.org/danang/", "id with space"},
	} {
		u := verifyURL(tc.base, tc.id, sha)
		p := filepath.Join(t.TempDir(), "qr.png")
		v, err := writeQR(p, u)
		require.NoError(t, err)
		require.LessOrEqual(t, v, qrMaxVersion)
		got, err := readQR(p)
		require.NoError(t, err)
		require.Equal(t, u, got)
		id, h, err := parseVerifyURL(got)
		require.NoError(t, err)
		require.Equal(t, tc.id, id)
		require.Equal(t, sha, h)
	}
}

func TestParseVerifyURLRejects(t *testing.T) {
	for _, s := range []string{"", "hello", "http://x/other/1", "http://x/v/"} {
		_, _, err := parseVerifyURL(s)
		require.Error(t, err, s)
	}
}

func TestQRTooLong(t *testing.T) {
	_, err := writeQR(filepath.Join(t.TempDir(), "x.png"), strings.Repeat("x", 600))
	require.ErrorContains(t, err, "version")
}
