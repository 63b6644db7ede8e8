package networks_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// exitCode runs the CLI and returns its exit status and stdout.
func exitCode(t *testing.T, args ...string) (int, string) {
	t.Helper()
	out, err := exec.Command(binary(t), args...).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), string(out)
	}
	require.NoError(t, err)
	return 0, string(out)
}

// TestResultReceiptAndQR: a result's QR decodes and verifies online; its
// offline receipt verifies with the node stopped and fails after any one
// byte is flipped.
func TestResultReceiptAndQR(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 1, 28900)
	n := net.nodes[0]
	n.start(t)
	waitHeight(t, n.client(t), 2, 60*time.Second)
	H := []string{"--home", n.home}
	dir := t.TempDir()
	doc := filepath.Join(dir, "giay-chung-nhan.pdf")
	require.NoError(t, os.WriteFile(doc, []byte("%PDF-1.4 Giấy chứng nhận quyền sử dụng đất — demo"), 0o644))
	out, err := run(t, append([]string{"result", "issue", doc, "--procedure", "1.004227.000.00.00.H17", "--title", "Giấy chứng nhận", "--from", "ward", "-o", "json"}, H...)...)
	require.NoError(t, err)
	id := jsonOut(t, out)["id"].(string)

	qr := filepath.Join(dir, "qr.png")
	_, err = run(t, append([]string{"qr", id, "--out", qr}, H...)...)
	require.NoError(t, err)
	code, out := exitCode(t, append([]string{"verify", "--qr", qr, "-o", "json"}, H...)...)
	require.Equal(t, 0, code, out)
	require.Equal(t, "valid", jsonOut(t, out)["status"])

	// The QR with the paper in hand: the right file is valid, another one
	// is "not the document this QR names" (exit 1), not "valid".
	code, _ = exitCode(t, append([]string{"verify", doc, "--qr", qr}, H...)...)
	require.Equal(t, 0, code)
	wrong := filepath.Join(dir, "giay-khac.pdf")
	require.NoError(t, os.WriteFile(wrong, []byte("%PDF-1.4 một giấy khác"), 0o644))
	code, out = exitCode(t, append([]string{"verify", wrong, "--qr", qr, "-o", "json"}, H...)...)
	require.Equal(t, 1, code, out)
	require.Equal(t, "mismatch", jsonOut(t, out)["status"])

	// No receipt for a record that does not exist.
	code, _ = exitCode(t, append([]string{"receipt", "99999", "--out", filepath.Join(dir, "none.dnr")}, H...)...)
	require.Equal(t, 2, code)
	_, statErr := os.Stat(filepath.Join(dir, "none.dnr"))
	require.True(t, os.IsNotExist(statErr), "no receipt file for an absent record")

	receipt := filepath.Join(dir, "r.dnr")
	_, err = run(t, append([]string{"receipt", id, "--out", receipt}, H...)...)
	require.NoError(t, err)
	err, _ = n.stop(15 * time.Second)
	require.NoError(t, err)

	gen := filepath.Join(n.home, "config", "genesis.json")
	code, out = exitCode(t, "verify", doc, "--receipt", receipt, "--genesis", gen, "--offline", "-o", "json", "--node", "http://127.0.0.1:1")
	require.Equal(t, 0, code, out)
	m := jsonOut(t, out)
	require.Equal(t, "valid", m["status"])
	require.Equal(t, "UBND phường Hải Châu", m["agency_name"])

	b, err := os.ReadFile(receipt)
	require.NoError(t, err)
	for _, i := range []int{0, 10, len(b) / 3, len(b) / 2, len(b) - 70, len(b) - 1} {
		bad := append([]byte(nil), b...)
		bad[i] ^= 0x80
		p := filepath.Join(dir, "bad.dnr")
		require.NoError(t, os.WriteFile(p, bad, 0o644))
		code, out = exitCode(t, "verify", doc, "--receipt", p, "--genesis", gen, "--offline", "-o", "json")
		require.Equal(t, 2, code, "byte %d flipped: %s", i, out)
	}
	// Another document against this receipt is not valid.
	other := filepath.Join(dir, "khac.pdf")
	require.NoError(t, os.WriteFile(other, []byte("khác"), 0o644))
	code, out = exitCode(t, "verify", other, "--receipt", receipt, "--genesis", gen, "--offline", "-o", "json")
	require.Equal(t, 1, code)
	require.Equal(t, "mismatch", jsonOut(t, out)["status"], "a receipt proves nothing about another document")
}
