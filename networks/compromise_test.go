package networks_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompromisedKey: the council declares the ward's main key compromised
// since the height of its second result. The first result (signed before)
// stays valid; the second verifies as "compromised" (exit 1) — one
// governance action, no record touched. The same for an inspector's lost
// phone key (the inspection log flags its check) and for the court's key
// (notary check flags its notice, which still blocks).
func TestCompromisedKey(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	n, cli := oneNode(t, 29800)
	file := func(name, text string) string {
		p := filepath.Join(t.TempDir(), name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	before := file("truoc.txt", "Giấy phép trước khi lộ khóa")
	after := file("sau.txt", "Giấy phép ký bằng khóa đã lộ")
	first, err := cli("result", "issue", before, "--procedure", "1.001612", "--from", "ward")
	requireExit(t, err, 0)
	firstID := fmt.Sprint(first["id"])

	// An inspector's phone key logs a check, then is lost: the ward
	// declares it compromised since that check, which the log now flags.
	_, err = cli("keys", "register-official", "insp9", "--label", "Cán bộ kiểm tra 09", "--scope", "result/inspect", "--from", "ward")
	requireExit(t, err, 0)
	checked, err := cli("result", "inspect", firstID, "--outcome", "ok", "--from", "insp9")
	requireExit(t, err, 0)
	lost := fmt.Sprint(int64(checked["height"].(float64)))
	_, err = cli("keys", "revoke-official", "insp9", "--reason", "Mất điện thoại", "--compromised-since", lost, "--from", "ward")
	requireExit(t, err, 0)
	log, err := cli("result", "inspections", "--official", "insp9")
	requireExit(t, err, 0)
	entries := log["inspections"].([]any)
	require.Len(t, entries, 1)
	assert.Equal(t, true, entries[0].(map[string]any)["signed_by_compromised_key"])
	waitHeight(t, n.client(t), 4, 30*time.Second)
	leaked, err := cli("result", "issue", after, "--procedure", "1.001612", "--from", "ward")
	requireExit(t, err, 0)
	since := fmt.Sprint(int64(leaked["height"].(float64)))
	anchored := file("cong-van.txt", "Công văn neo bằng khóa đã lộ")
	_, err = cli("anchor", anchored, "--from", "ward")
	requireExit(t, err, 0)

	prop, err := cli("gov", "propose", "revoke-key", "--key-name", "ward", "--compromised-since", since,
		"--reason", "Lộ khóa", "--from", "council1")
	requireExit(t, err, 0)
	id := fmt.Sprint(int64(prop["proposal_id"].(float64)))
	for _, c := range []string{"council2", "council3"} {
		_, err = cli("gov", "vote", id, "yes", "--from", c)
		requireExit(t, err, 0)
	}

	v, err := cli("verify", before)
	requireExit(t, err, 0)
	assert.Equal(t, "valid", v["status"], "signed before the compromise")
	v, err = cli("verify", after)
	requireExit(t, err, 1)
	assert.Equal(t, "compromised", v["status"])
	assert.Equal(t, "compromised", v["signer_key_status"])
	text, err := run(t, "verify", after, "--home", n.home)
	requireExit(t, err, 1)
	assert.Contains(t, text, "KHÔNG ĐƯỢC CÔNG NHẬN")
	// Anchors it signed since then are not the agency's word either.
	q, err := cli("query", "anchor", anchored)
	requireExit(t, err, 1)
	assert.Equal(t, "compromised", q["signer_key_status"])
	assert.Equal(t, false, q["valid"])
	// The court's key too: its blocking notice still blocks, flagged.
	blocked, err := cli("notary", "block", "parcel:20194/12/345", "--ref", "45/2025/QĐ-BPKCTT", "--reason", "court-injunction",
		"--from", "court")
	requireExit(t, err, 0)
	prop, err = cli("gov", "propose", "revoke-key", "--key-name", "court", "--compromised-since", fmt.Sprint(int64(blocked["height"].(float64))),
		"--reason", "Lộ khóa", "--from", "council1")
	requireExit(t, err, 0)
	id = fmt.Sprint(int64(prop["proposal_id"].(float64)))
	for _, c := range []string{"council2", "council3"} {
		_, err = cli("gov", "vote", id, "yes", "--from", c)
		requireExit(t, err, 0)
	}
	chk, err := cli("notary", "check", "parcel:20194/12/345")
	requireExit(t, err, 0)
	assert.Equal(t, true, chk["blocked"])
	notices := chk["active_blocks"].([]any)
	require.Len(t, notices, 1)
	assert.Equal(t, true, notices[0].(map[string]any)["signed_by_compromised_key"])
	// The key signs nothing any more.
	_, err = cli("anchor", after, "--from", "ward")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "revoked")
}
