package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

const logChainID, logNodeID = "danang-log-test", "00112233445566778899aabbccddeeff00112233"

type seedSigner struct{ priv []byte }

func (s seedSigner) PubKey() []byte                  { return registry.PubKeyOf(s.priv) }
func (s seedSigner) Sign(msg []byte) ([]byte, error) { return registry.Sign(s.priv, msg), nil }

func testSigner(name string) seedSigner {
	seed := sha256.Sum256([]byte(name))
	return seedSigner{registry.NewKeyFromSeed(seed[:])}
}

func lookupReq(t *testing.T, s seedSigner, at time.Time) *registry.APIRequest {
	t.Helper()
	p, err := registry.ParseProperty("cert:BX123456", registry.PropertyKeying{})
	require.NoError(t, err)
	r, err := signAPIRequest(logChainID, logNodeID, registry.APIActionLookup, p.Key, s)
	require.NoError(t, err)
	r.Time = uint64(at.Unix())
	sig, _ := s.Sign(r.SignBytes())
	r.Signature = sig
	return r
}

func TestNotaryLookupLog(t *testing.T) {
	dir := t.TempDir()
	office := testSigner("office")
	now := time.Date(2026, 1, 31, 16, 58, 0, 0, time.UTC) // 23:58 in Da Nang
	l, err := openLookupLog(dir, logChainID)
	require.NoError(t, err)
	for i := 0; i < 3; i++ {
		line, err := l.Append(lookupReq(t, office, now.Add(time.Duration(i)*time.Minute)), "vpcc-song-han", uint64(10+i), now.Add(time.Duration(i)*time.Minute))
		require.NoError(t, err)
		require.Equal(t, uint64(i+1), line.Seq)
	}
	// The third lookup was at 00:00 on 1 February in Vietnam.
	lines, err := l.Lines()
	require.NoError(t, err)
	require.Equal(t, []string{"2026-01", "2026-01", "2026-02"}, []string{lines[0].Month, lines[1].Month, lines[2].Month})
	require.Len(t, monthRange(lines, "2026-01"), 2)
	require.Len(t, monthRange(lines, "2026-02"), 1)
	require.Empty(t, monthRange(lines, "2026-03"))
	_, err = verifyLogLines(logChainID, lines)
	require.NoError(t, err)

	// Replays and stale requests are refused and not logged.
	r := lookupReq(t, office, now)
	_, err = l.Append(r, "vpcc-song-han", 13, now)
	require.NoError(t, err)
	_, err = l.Append(r, "vpcc-song-han", 13, now)
	require.ErrorIs(t, err, registry.ErrReplay)
	_, err = l.Append(lookupReq(t, office, now.Add(-10*time.Minute)), "vpcc-song-han", 13, now)
	require.ErrorIs(t, err, registry.ErrExpired)
	require.NoError(t, l.f.Close())

	// Reopening verifies the chain, remembers nonces and continues it.
	l, err = openLookupLog(dir, logChainID)
	require.NoError(t, err)
	require.Equal(t, uint64(4), l.last.Seq)
	_, err = l.Append(r, "vpcc-song-han", 13, now)
	require.ErrorIs(t, err, registry.ErrReplay, "nonces survive a restart")
	require.NoError(t, l.f.Close())

	// A torn last line (crash mid-write) is cut off.
	path := filepath.Join(dir, lookupLogFile)
	good, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(good, []byte(`{"seq":5,"ti`)...), 0o640))
	l, err = openLookupLog(dir, logChainID)
	require.NoError(t, err)
	line, err := l.Append(lookupReq(t, office, now), "vpcc-song-han", 14, now)
	require.NoError(t, err)
	require.Equal(t, uint64(5), line.Seq)
	require.NoError(t, l.f.Close())
	lines, _, err = readLogFile(path)
	require.NoError(t, err)
	_, err = verifyLogLines(logChainID, lines)
	require.NoError(t, err)
}

func TestNotaryLookupLogTamper(t *testing.T) {
	office := testSigner("office")
	now := time.Now()
	build := func(t *testing.T) (string, []logLine) {
		dir := t.TempDir()
		l, err := openLookupLog(dir, logChainID)
		require.NoError(t, err)
		for i := 0; i < 4; i++ {
			_, err := l.Append(lookupReq(t, office, now), "vpcc-song-han", 10, now)
			require.NoError(t, err)
		}
		lines, err := l.Lines()
		require.NoError(t, err)
		require.NoError(t, l.f.Close())
		return dir, lines
	}
	write := func(t *testing.T, dir string, lines []logLine) {
		var b strings.Builder
		for _, l := range lines {
			raw, err := json.Marshal(l)
			require.NoError(t, err)
			b.Write(raw)
			b.WriteByte('\n')
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, lookupLogFile), []byte(b.String()), 0o640))
	}
	cases := map[string]func(ls []logLine) []logLine{
		"entry deleted":       func(ls []logLine) []logLine { return append(ls[:1], ls[2:]...) },
		"entries swapped":     func(ls []logLine) []logLine { ls[1], ls[2] = ls[2], ls[1]; return ls },
		"org rewritten":       func(ls []logLine) []logLine { ls[1].Org = "vpcc-hai-van"; return ls },
		"month rewritten":     func(ls []logLine) []logLine { ls[1].Month = "1999-01"; return ls },
		"edited and rehashed": func(ls []logLine) []logLine { ls[1].Height = 99; ls[1] = rehash(ls[1]); return ls },
		"invented lookup":     func(ls []logLine) []logLine { ls[3].Signature = strings.Repeat("ab", 64); return ls },
		"first entry edited":  func(ls []logLine) []logLine { ls[0].Prev = strings.Repeat("11", 32); return ls },
	}
	for name, mut := range cases {
		t.Run(name, func(t *testing.T) {
			dir, lines := build(t)
			write(t, dir, mut(lines))
			_, err := openLookupLog(dir, logChainID)
			require.Error(t, err)
		})
	}
}

// rehash recomputes a line's hash from its content, as a forger would.
func rehash(l logLine) logLine {
	dec := func(s string) []byte { b, _ := hex.DecodeString(s); return b }
	return lineOf(&registry.LookupLogEntry{Seq: l.Seq, Time: l.Time, Org: l.Org, PubKey: dec(l.PubKey),
		PropertyKey: dec(l.PropertyKey), Nonce: dec(l.Nonce), Signature: dec(l.Signature), Height: l.Height, Prev: dec(l.Prev)})
}
