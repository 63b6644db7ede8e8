package networks_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// requireExit checks the exit status of a CLI run (0 = no error).
func requireExit(t *testing.T, err error, code int) {
	t.Helper()
	if code == 0 {
		require.NoError(t, err)
		return
	}
	require.Error(t, err)
	require.Contains(t, err.Error(), fmt.Sprintf("exit status %d", code))
}

// TestResults runs the administrative-result journey on a real node with
// the real CLI: issue and verify (valid, with the ward's Vietnamese name),
// revoke (revoked, with the reason), replace (replaced, with replaced_by),
// suspend and reinstate, a key without the role refused, a bulk of 1,000
// results, and an inspection by an official's sub-key listed by official
// and by agency.
func TestResults(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	_, cli := oneNode(t, 28500)
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}

	// Issue from a file with the ward's key, then verify it: valid.
	permit := file("giay-phep-kinh-doanh.txt", "UBND PHƯỜNG HẢI CHÂU\nGiấy chứng nhận đăng ký hộ kinh doanh số 32A8-0001\n")
	iss, err := cli("result", "issue", permit, "--procedure", "2.000720.000.00.00.H17", "--dossier", "000.26.17.H17-260102-0001",
		"--type", "Giấy chứng nhận", "--title", "Giấy chứng nhận đăng ký hộ kinh doanh", "--valid-until", "2099-12-31",
		"--holder", "048099001234", "--from", "ward")
	requireExit(t, err, 0)
	id := iss["id"].(string)
	require.NotEmpty(t, id)
	require.Greater(t, iss["height"].(float64), 0.0)
	assert.Equal(t, true, iss["new"])
	salt, err := hex.DecodeString(iss["holder_salt"].(string))
	require.NoError(t, err)

	v, err := cli("verify", permit)
	requireExit(t, err, 0)
	assert.Equal(t, "valid", v["status"])
	assert.Equal(t, "UBND phường Hải Châu", v["agency_name"])
	assert.Equal(t, "ubnd-phuong-hai-chau", v["agency"])
	assert.Equal(t, "2.000720.000.00.00.H17", v["procedure"])
	assert.Equal(t, "Giấy chứng nhận đăng ký hộ kinh doanh", v["title"])
	assert.Equal(t, id, v["id"])
	assert.Equal(t, iss["height"], v["height"])
	assert.True(t, strings.HasSuffix(v["issued_at"].(string), "+07:00"), "issue time in UTC+7: %v", v["issued_at"])
	assert.Equal(t, true, v["proof_verified"])
	// The holder proves the document is theirs with the salt from the receipt.
	assert.Equal(t, hex.EncodeToString(registry.Commit(registry.CommitHolder, salt, "048099001234", registry.DefaultParams())), v["holder_commitment"])

	// Issuing the same file again is idempotent.
	again, err := cli("result", "issue", permit, "--procedure", "2.000720.000.00.00.H17", "--from", "ward")
	requireExit(t, err, 0)
	assert.Equal(t, id, again["id"])
	assert.Equal(t, false, again["new"])

	// A key whose agency lacks result.issuer is refused (exit 2).
	_, err = cli("result", "issue", permit, "--procedure", "2.000720.000.00.00.H17", "--from", "farm")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "unauthorized")

	// An unknown document: proven absent, exit 1.
	v, err = cli("verify", file("khong-co.txt", "không có trên chuỗi"))
	requireExit(t, err, 1)
	assert.Equal(t, "unknown", v["status"])

	// Suspend, verify (exit 1, suspended), reinstate, verify (valid).
	_, err = cli("result", "suspend", id, "--reason", "Đang xác minh hồ sơ", "--from", "ward")
	requireExit(t, err, 0)
	v, err = cli("verify", permit)
	requireExit(t, err, 1)
	assert.Equal(t, "suspended", v["status"])
	_, err = cli("result", "reinstate", id, "--from", "ward")
	requireExit(t, err, 0)
	v, err = cli("verify", permit)
	requireExit(t, err, 0)
	assert.Equal(t, "valid", v["status"])

	// Revoke it and verify again: exit 1, revoked, with the reason.
	rev, err := cli("result", "revoke", id, "--reason", "Cấp sai đối tượng", "--reason-code", "3", "--from", "ward")
	requireExit(t, err, 0)
	assert.Equal(t, "revoked", rev["status"])
	v, err = cli("verify", permit)
	requireExit(t, err, 1)
	assert.Equal(t, "revoked", v["status"])
	assert.Equal(t, "Cấp sai đối tượng", v["reason"])
	assert.Equal(t, 3.0, v["reason_code"])
	assert.Equal(t, "UBND phường Hải Châu", v["agency_name"])
	// Revocation is final.
	_, err = cli("result", "reinstate", id, "--from", "ward")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "revoked")

	// Replace another result (cấp đổi) and verify the old file: replaced, replaced_by.
	oldFile := file("giay-phep-xay-dung-cu.txt", "Giấy phép xây dựng số 01/GPXD — bản cũ")
	newFile := file("giay-phep-xay-dung-moi.txt", "Giấy phép xây dựng số 01/GPXD — cấp đổi")
	old, err := cli("result", "issue", oldFile, "--procedure", "1.009994.000.00.00.H17", "--title", "Giấy phép xây dựng", "--from", "ward")
	requireExit(t, err, 0)
	rep, err := cli("result", "replace", old["id"].(string), newFile, "--procedure", "1.009995.000.00.00.H17", "--from", "ward")
	requireExit(t, err, 0)
	assert.Equal(t, "replace", rep["kind"])
	assert.Equal(t, old["id"], rep["replaces"])
	v, err = cli("verify", oldFile)
	requireExit(t, err, 1)
	assert.Equal(t, "replaced", v["status"])
	assert.Equal(t, rep["id"], v["replaced_by"])
	assert.Equal(t, "replace", v["replacement"].(map[string]any)["kind"])
	v, err = cli("verify", newFile)
	requireExit(t, err, 0)
	assert.Equal(t, "valid", v["status"])
	assert.Equal(t, old["id"], v["replaces"])
	assert.Equal(t, "Giấy phép xây dựng", v["title"], "fields not given are copied from the old record")
	assert.Equal(t, "1.009995.000.00.00.H17", v["procedure"])
	show, err := cli("result", "show", old["id"].(string))
	requireExit(t, err, 0)
	assert.Equal(t, "replaced", show["status"])

	// Bulk: 1,000 results from a CSV (hashes and a few files), one tx.
	var csv strings.Builder
	csv.WriteString("file,sha256,dossier,title,valid_until,holder\n")
	var hashes []string
	for i := 0; i < 1000; i++ {
		if i < 3 {
			name := fmt.Sprintf("ban-sao-%d.txt", i)
			file(name, fmt.Sprintf("Bản số hóa hồ sơ lưu trữ %d", i))
			fmt.Fprintf(&csv, "%s,,HS-%05d,Giấy khai sinh (bản số hóa),2099-12-31,\n", name, i)
			sum := sha256.Sum256([]byte(fmt.Sprintf("Bản số hóa hồ sơ lưu trữ %d", i)))
			hashes = append(hashes, hex.EncodeToString(sum[:]))
			continue
		}
		sum := sha256.Sum256([]byte(fmt.Sprint("lưu trữ ", i)))
		hashes = append(hashes, hex.EncodeToString(sum[:]))
		holder := ""
		if i%100 == 0 {
			holder = fmt.Sprintf("0480990%05d", i)
		}
		fmt.Fprintf(&csv, ",%s,HS-%05d,\"Giấy khai sinh, bản số hóa\",,%s\n", hashes[i], i, holder)
	}
	bulkFile := file("luu-tru.csv", csv.String())
	start := time.Now()
	bulk, err := cli("result", "bulk", bulkFile, "--procedure", "1.001193.000.00.00.H17", "--type", "Giấy khai sinh", "--from", "ward")
	requireExit(t, err, 0)
	t.Logf("bulk of 1,000 results committed in %s", time.Since(start))
	assert.Equal(t, 1000.0, bulk["count"])
	assert.Equal(t, 1000.0, bulk["new"])
	results := bulk["results"].([]any)
	require.Len(t, results, 1000)
	ids := map[string]bool{}
	for i, r := range results {
		m := r.(map[string]any)
		assert.Equal(t, float64(i+1), m["row"])
		assert.Equal(t, hashes[i], m["sha256"])
		ids[m["id"].(string)] = true
		if i%100 == 0 && i >= 3 {
			assert.Len(t, m["holder_salt"], 32, "row %d has a holder: its salt is printed", i+1)
		}
	}
	assert.Len(t, ids, 1000, "every row has its own result")
	last := results[999].(map[string]any)
	v, err = cli("verify", "--sha256", hashes[999])
	requireExit(t, err, 0)
	assert.Equal(t, last["id"], v["id"])
	assert.Equal(t, "Giấy khai sinh, bản số hóa", v["title"])
	assert.Equal(t, "HS-00999", v["dossier"])
	v, err = cli("verify", filepath.Join(dir, "ban-sao-1.txt"))
	requireExit(t, err, 0)
	assert.Equal(t, results[1].(map[string]any)["id"], v["id"])
	assert.NotEmpty(t, v["valid_until"])
	// Re-running the same file is safe: same ids, nothing new.
	bulk, err = cli("result", "bulk", bulkFile, "--procedure", "1.001193.000.00.00.H17", "--from", "ward")
	requireExit(t, err, 0)
	assert.Equal(t, 0.0, bulk["new"])
	assert.Equal(t, last["id"], bulk["results"].([]any)[999].(map[string]any)["id"])

	// Inspection by an official's sub-key.
	reg, err := cli("keys", "register-official", "inspector1", "--label", "Cán bộ kiểm tra 01", "--scope", "result/inspect", "--from", "ward")
	requireExit(t, err, 0)
	assert.Equal(t, "official", reg["kind"])
	insp, err := cli("result", "inspect", rep["id"].(string), "--outcome", "ok", "--from", "inspector1")
	requireExit(t, err, 0)
	assert.Equal(t, "ok", insp["outcome"])
	_, err = cli("result", "inspect", id, "--outcome", "invalid", "--from", "inspector1")
	requireExit(t, err, 0)
	// The ward's main key is not an official's key.
	_, err = cli("result", "inspect", rep["id"].(string), "--outcome", "ok", "--from", "ward")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "unauthorized")
	// An official's key cannot issue results.
	_, err = cli("result", "issue", file("x.txt", "x"), "--procedure", "1.000001", "--from", "inspector1")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "unauthorized")
	// Nor sign anything outside its scope (a lost phone cannot act for the city).
	_, err = cli("anchor", file("cong-van.txt", "công văn"), "--from", "inspector1")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "may sign only result/inspect, not anchor")
	shown, err := cli("keys", "show", "inspector1")
	requireExit(t, err, 0)
	assert.Equal(t, []any{"result/inspect"}, shown["on_chain"].(map[string]any)["scope"])
	ag, err := cli("agency", "show", "ubnd-phuong-hai-chau")
	requireExit(t, err, 0)
	assert.Contains(t, fmt.Sprint(ag["keys"]), "result/inspect")
	assert.EqualValues(t, 256<<20, ag["payload_quota"].(map[string]any)["bytes"])
	_, err = cli("keys", "register-official", "clerk9", "--label", "Cán bộ 09", "--scope", "result/issue", "--from", "ward")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "main keys only")

	byOfficial, err := cli("result", "inspections", "--official", "inspector1")
	requireExit(t, err, 0)
	assert.Equal(t, 2.0, byOfficial["count"])
	list := byOfficial["inspections"].([]any)
	first := list[0].(map[string]any)
	assert.Equal(t, rep["id"], first["result_id"])
	assert.Equal(t, "ok", first["outcome"])
	assert.Equal(t, "ubnd-phuong-hai-chau", first["agency"])
	assert.Equal(t, reg["pub_key"], first["official"])
	assert.Equal(t, "invalid", list[1].(map[string]any)["outcome"])
	for _, e := range list {
		for k := range e.(map[string]any) {
			assert.NotContains(t, []string{"holder", "holder_commitment", "holder_salt"}, k, "no holder identity in the log")
		}
	}
	byAgency, err := cli("result", "inspections", "--agency", "ubnd-phuong-hai-chau")
	requireExit(t, err, 0)
	assert.Equal(t, byOfficial["inspections"], byAgency["inspections"])
	none, err := cli("result", "inspections", "--agency", "so-tu-phap")
	requireExit(t, err, 0)
	assert.Equal(t, 0.0, none["count"])

	// The agency revokes the lost phone's key, declaring it compromised
	// since the height it was registered; it signs nothing any more.
	rv, err := cli("keys", "revoke-official", "inspector1", "--reason", "Mất điện thoại",
		"--compromised-since", fmt.Sprint(int64(reg["height"].(float64))), "--from", "ward")
	requireExit(t, err, 0)
	assert.EqualValues(t, reg["height"], rv["compromised_since"])
	_, err = cli("result", "inspect", id, "--outcome", "ok", "--from", "inspector1")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "revoked")
	shown, err = cli("keys", "show", "inspector1")
	requireExit(t, err, 0)
	assert.Equal(t, true, shown["on_chain"].(map[string]any)["revoked"])
}
