package networks_test

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// notaryCLI runs "danangchain notary ARGS... --home HOME -o json".
func notaryCLI(t *testing.T, home string, args ...string) (map[string]any, error) {
	t.Helper()
	out, err := run(t, append(append([]string{"notary"}, args...), "--home", home, "-o", "json")...)
	if err != nil {
		return nil, err
	}
	return jsonOut(t, out), nil
}

// requireCheck asserts a check's answer and returns its active notice ids.
func requireCheck(t *testing.T, m map[string]any, blocked bool) []string {
	t.Helper()
	require.Equal(t, true, m["proof_verified"], m)
	require.Equal(t, blocked, m["blocked"], m)
	list, ok := m["active_blocks"].([]any)
	require.True(t, ok, "active_blocks must be a list: %v", m)
	var ids []string
	for _, b := range list {
		ids = append(ids, fmt.Sprint(b.(map[string]any)["id"]))
	}
	if blocked {
		require.NotEmpty(t, ids)
		require.Contains(t, m["proof_kind"], "membership")
	} else {
		require.Empty(t, ids)
		require.Contains(t, m["statement"], "no active blocking notice as of height")
		require.Contains(t, m["proof_kind"], "non-membership")
	}
	return ids
}

// TestNotaryJourney runs the "done when" through the CLI binary
// against a real node: absence proven before the block, a court's block,
// presence proven, a sale rejected naming the notice, the release, absence
// proven again, the sale accepted; every proof verified offline and every
// mutated bundle refused; a key without the notary role cannot anchor a
// contract; the billing report counts the metered lookups.
func TestNotaryJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 1, 28400)
	n0 := net.nodes[0]
	n0.start(t)
	waitHeight(t, n0.client(t), 2, 90*time.Second)
	home := n0.home
	genesis := filepath.Join(home, "config", "genesis.json")
	dir := t.TempDir()
	const property = "parcel:20194/12/345"

	checkAndVerify := func(name string, blocked bool) (map[string]any, []string) {
		t.Helper()
		bundle := filepath.Join(dir, name+".json")
		m, err := notaryCLI(t, home, "check", property, "--from", "notary", "--out", bundle)
		require.NoError(t, err)
		ids := requireCheck(t, m, blocked)
		require.Equal(t, "parcel:20194:12:345", m["property"])
		require.NotNil(t, m["lookup"], "a check with --from is metered")
		off, err := notaryCLI(t, home, "verify-check", bundle, "--genesis", genesis)
		require.NoError(t, err)
		require.Equal(t, ids, requireCheck(t, off, blocked), "offline answer equals the online one")
		require.Equal(t, m["height"], off["height"])
		require.Equal(t, "genesis", off["trusted_validators"])
		return m, ids
	}

	// 1. Before any block: proven absence (and the lookup is counted).
	first, _ := checkAndVerify("before", false)
	month := first["lookup"].(map[string]any)["month"].(string)

	// The Department of Justice authorises the notary office on chain.
	_, err := notaryCLI(t, home, "authorize", "vpcc-song-han", "--ref", "120/QĐ-STP", "--from", "justice")
	require.NoError(t, err)

	// A key without the notary role cannot anchor contracts.
	contract := filepath.Join(dir, "hop-dong-mua-ban.pdf")
	require.NoError(t, os.WriteFile(contract, []byte("Hợp đồng chuyển nhượng quyền sử dụng đất — thửa 345, tờ 12"), 0o644))
	for _, k := range []string{"ward", "court", "justice"} {
		_, err = notaryCLI(t, home, "contract", contract, "--type", "sale", "--property", property, "--from", k)
		require.ErrorContains(t, err, "unauthorized", k)
	}

	// 2. The court blocks the property.
	m, err := notaryCLI(t, home, "block", property, "--ref", "45/2025/QĐ-BPKCTT", "--reason", "court-injunction", "--from", "court")
	require.NoError(t, err)
	id := fmt.Sprint(m["id"])
	require.NotEmpty(t, id)

	// 3. Proven presence.
	_, ids := checkAndVerify("blocked", true)
	require.Equal(t, []string{id}, ids)

	// 4. A sale is rejected in FinalizeBlock, naming the notice's id only.
	_, err = notaryCLI(t, home, "contract", contract, "--type", "sale", "--property", property, "--party", "048090001234", "--from", "notary")
	require.ErrorContains(t, err, "blocked")
	require.ErrorContains(t, err, "blocking notice id "+id)
	require.NotContains(t, err.Error(), "45/2025", "the notice's details stay out of the error")

	// 5. The court releases it: proven absence again.
	m, err = notaryCLI(t, home, "release", id, "--ref", "46/2025/QĐ-HBPKCTT", "--from", "court")
	require.NoError(t, err)
	require.Equal(t, true, m["released"])
	checkAndVerify("released", false)

	// 6. The sale is accepted; the parties get their salts.
	m, err = notaryCLI(t, home, "contract", contract, "--type", "sale", "--property", property,
		"--party", "048090001234", "--party", "048090005678", "--from", "notary")
	require.NoError(t, err)
	sum := sha256.Sum256([]byte("Hợp đồng chuyển nhượng quyền sử dụng đất — thửa 345, tờ 12"))
	require.Equal(t, hex.EncodeToString(sum[:]), m["id"])
	parties := m["parties"].([]any)
	require.Len(t, parties, 2)
	salt, err := hex.DecodeString(parties[0].(map[string]any)["salt"].(string))
	require.NoError(t, err)
	commit, err := hex.DecodeString(parties[0].(map[string]any)["commitment"].(string))
	require.NoError(t, err)
	require.Equal(t, 2, registry.MatchCommitment(commit, registry.CommitParty, salt, "048090001234", registry.DefaultParams()),
		"a version-2 (Argon2id) party commitment")
	require.NotContains(t, fmt.Sprint(m), "048090001234", "identifiers are never printed or sent")

	// 7. Changed bundles do not verify offline.
	raw, err := os.ReadFile(filepath.Join(dir, "blocked.json"))
	require.NoError(t, err)
	for i := 0; i < 12; i++ {
		pos := (i*7919 + 13) % len(raw)
		mut := append([]byte(nil), raw...)
		mut[pos] ^= 0x01
		p := filepath.Join(dir, fmt.Sprintf("mutated-%d.json", i))
		require.NoError(t, os.WriteFile(p, mut, 0o644))
		_, err := notaryCLI(t, home, "verify-check", p, "--genesis", genesis)
		require.Error(t, err, "byte %d flipped", pos)
	}
	// Another chain's genesis is not a trust root for this bundle.
	other := t.TempDir()
	_, err = run(t, "testnet", "--validators", "1", "--output", other, "--base-port", "28450", "--chain-id", "danang-e2e")
	require.NoError(t, err)
	_, err = notaryCLI(t, home, "verify-check", filepath.Join(dir, "blocked.json"), "--genesis", filepath.Join(other, "node0", "config", "genesis.json"))
	require.Error(t, err)

	// 8. An unmetered check (no --from) is not counted.
	m, err = notaryCLI(t, home, "check", property)
	require.NoError(t, err)
	requireCheck(t, m, false)
	require.Nil(t, m["lookup"])

	// A key without the office role cannot make metered lookups.
	_, err = notaryCLI(t, home, "check", property, "--from", "ward")
	require.ErrorContains(t, err, "unauthorized")

	// 9. Billing: the three metered lookups of vpcc-song-han, read through
	// the API (signed by the Department of Justice) and from the node's
	// file, with the same digest; the digest anchored on chain.
	rep, err := notaryCLI(t, home, "billing", "--month", month, "--from", "justice", "--anchor")
	require.NoError(t, err)
	orgs := rep["organisations"].([]any)
	require.Len(t, orgs, 1, rep)
	row := orgs[0].(map[string]any)
	require.Equal(t, "vpcc-song-han", row["org"])
	require.EqualValues(t, 3, row["lookups"])
	require.EqualValues(t, 6000, row["amount"], "default fee 2,000 VND")
	require.Equal(t, true, rep["log"].(map[string]any)["signatures_verified"])
	require.NotNil(t, rep["anchor"])
	local, err := notaryCLI(t, home, "billing", "--month", month, "--fee", "1500")
	require.NoError(t, err)
	require.Equal(t, rep["digest"], local["digest"], "the report is reproducible from the log")
	require.EqualValues(t, 4500, local["total_amount"])
	// The anchored digest is on chain.
	out, err := run(t, "query", "anchor", "--sha256", rep["digest"].(string), "--home", home, "-o", "json")
	require.NoError(t, err)
	require.Equal(t, true, jsonOut(t, out)["anchored"])
	// The justice key is not a notary office: billing is not readable by offices.
	_, err = notaryCLI(t, home, "billing", "--month", month, "--from", "notary")
	require.ErrorContains(t, err, "unauthorized")

	csvOut, err := run(t, "notary", "billing", "--month", month, "--home", home, "-o", "csv")
	require.NoError(t, err)
	records, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 3)
	require.Equal(t, []string{month, "vpcc-song-han", "3", "2000", "6000"}, records[1][:5])
	require.Equal(t, "TOTAL", records[2][1])

	// The node's log is JSON lines, hash-chained.
	logRaw, err := os.ReadFile(filepath.Join(home, "data", "notary-lookups", "lookups.jsonl"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(logRaw)), "\n")
	require.Len(t, lines, 3)
	var last map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[2]), &last))
	require.Equal(t, rep["log"].(map[string]any)["head_hash"], last["hash"])
}

// TestNotaryDemo checks that the demo seeds a blocked and a free property.
func TestNotaryDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	home := filepath.Join(t.TempDir(), "demo")
	_, err := run(t, "demo", "--home", home, "--p2p-addr", "127.0.0.1:28405", "--rpc-addr", "127.0.0.1:28406",
		"--api-addr", "127.0.0.1:28407", "--prometheus-addr", "127.0.0.1:28408", "--exit")
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join(home, "demo.json"))
	require.NoError(t, err)
	var manifest map[string]any
	require.NoError(t, json.Unmarshal(raw, &manifest))
	blocked, _ := manifest["blocked_property"].(string)
	free, _ := manifest["free_property"].(string)
	require.NotEmpty(t, blocked)
	require.NotEmpty(t, free)

	p := &proc{home: home, rpc: "http://127.0.0.1:28406"}
	p.start(t)
	t.Cleanup(p.kill)
	waitHeight(t, p.client(t), 4, 90*time.Second)
	m, err := notaryCLI(t, home, "check", blocked, "--from", "notary")
	require.NoError(t, err)
	ids := requireCheck(t, m, true)
	require.Equal(t, []string{fmt.Sprint(manifest["blocking_notice_id"])}, ids)
	m, err = notaryCLI(t, home, "check", free)
	require.NoError(t, err)
	requireCheck(t, m, false)
}
