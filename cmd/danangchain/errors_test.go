package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/registry"
)

// The CLI's one error table: each kind of failure is told apart, carries
// a stable code and reads in Vietnamese first, then English.
func TestDescribeErrors(t *testing.T) {
	refused := &url.Error{Op: "Post", URL: "http://127.0.0.1:1", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	_, missing := os.Open(filepath.Join(t.TempDir(), "giay-phep.pdf"))
	cases := []struct {
		name   string
		err    error
		code   uint32
		kind   string
		source string
	}{
		{"chain rejection", registry.FromCode(registry.Codespace, registry.ErrUnauthorized.Code, "unauthorized: signer lacks the required role"), 10, kindRejected, "chain"},
		{"chain says blocked", fmt.Errorf("contract: %w", registry.FromCode(registry.Codespace, 19, "blocked: parcel")), 19, kindRejected, "chain"},
		{"chain says not found", registry.FromCode(registry.Codespace, 12, "not_found: result 99999"), 12, kindNotFound, "chain"},
		{"local validation", registry.Errorf(registry.ErrInvalid, "procedure code"), 11, kindInvalidInput, "cli"},
		{"not current", registry.Errorf(registry.ErrNotCurrent, "header 7 is 2m old"), 22, kindNotCurrent, "cli"},
		{"proof failed", registry.Errorf(registry.ErrProofInvalid, "app hash"), 20, kindNotVerified, "cli"},
		{"connection refused", fmt.Errorf("status: %w", refused), 101, kindNetwork, "cli"},
		{"unreachable sentinel", fmt.Errorf("fetch block 1: %w", client.ErrUnreachable), 101, kindNetwork, "cli"},
		{"missing file", missing, 102, kindInvalidInput, "cli"},
		{"usage", cliErrf(errUsage, "--out is required"), 100, kindInvalidInput, "cli"},
		{"cobra usage", errors.New("unknown flag: --fromm"), 100, kindInvalidInput, "cli"},
		{"cobra args", errors.New("accepts 1 arg(s), received 0"), 100, kindInvalidInput, "cli"},
		{"commit timeout", fmt.Errorf("%w: AB12: context deadline exceeded", client.ErrTimeout), 105, kindUnknownOutcome, "cli"},
		{"ctrl-c", fmt.Errorf("wait: %w", context.Canceled), 106, kindInterrupted, "cli"},
		{"unregistered", errors.New("leveldb: closed"), 1, kindInternal, "cli"},
		{"no such key", fmt.Errorf("show %q: %w", "inspector9", keyring.ErrNotFound), 104, kindInvalidInput, "cli"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := describe(tc.err)
			assert.Equal(t, tc.code, r.Code)
			assert.Equal(t, tc.kind, r.Kind)
			assert.Equal(t, tc.source, r.Source)
			assert.NotEmpty(t, r.MessageVi)
			assert.NotEmpty(t, r.MessageEn)
			assert.NotEmpty(t, r.HintVi)
			assert.NotEmpty(t, r.HintEn)
			var text bytes.Buffer
			printError(&text, "text", tc.err)
			title := kindTitle[tc.kind]
			assert.Contains(t, text.String(), title[0]+" / "+title[1])
			if tc.kind != kindRejected {
				assert.NotContains(t, text.String(), "Rejected", "only the chain's answers are rejections")
			}
			var js bytes.Buffer
			printError(&js, "json", tc.err)
			var got map[string]errorReport
			require.NoError(t, json.Unmarshal(js.Bytes(), &got), js.String())
			assert.Equal(t, tc.code, got["error"].Code)
		})
	}
}

func TestCLIErrorTable(t *testing.T) {
	seen := map[uint32]bool{}
	names := map[string]bool{}
	for _, e := range cliErrors {
		assert.GreaterOrEqual(t, e.Code, uint32(100), "%s: the CLI's codes start at 100, after the chain's", e.Name)
		assert.False(t, seen[e.Code], "duplicate code %d", e.Code)
		assert.False(t, names[e.Name], "duplicate name %s", e.Name)
		seen[e.Code], names[e.Name] = true, true
		assert.NotEmpty(t, kindTitle[e.Kind], e.Name)
		for _, s := range []string{e.Vi, e.En, e.HintVi, e.HintEn} {
			assert.NotEmpty(t, s, e.Name)
		}
	}
	for _, e := range registry.Errors() {
		assert.Less(t, e.Code, uint32(100), "chain codes stay below the CLI's range")
	}
}

// A write sent to a node that is not there is a network failure — not a
// rejection, and no state-sync advice.
func TestWriteToWrongNodeIsNetworkFailure(t *testing.T) {
	home := t.TempDir()
	run := func(args ...string) error {
		root := newRootCmd()
		root.SetArgs(append(args, "--home", home, "--keyring-backend", "test"))
		root.SetOut(new(bytes.Buffer))
		root.SetErr(new(bytes.Buffer))
		return root.ExecuteContext(context.Background())
	}
	require.NoError(t, run("keys", "add", "ward"))
	doc := filepath.Join(home, "giay-phep.pdf")
	require.NoError(t, os.WriteFile(doc, []byte("giấy phép"), 0o600))
	err := run("anchor", doc, "--from", "ward", "--node", "http://127.0.0.1:1")
	require.Error(t, err)
	r := describe(err)
	assert.Equal(t, kindNetwork, r.Kind, "%v", err)
	assert.Equal(t, errUnreachable.Code, r.Code)
	var text bytes.Buffer
	printError(&text, "text", err)
	assert.NotContains(t, text.String(), "state sync")
	assert.NotContains(t, text.String(), "rejected")

	err = run("anchor", filepath.Join(home, "missing.pdf"), "--from", "ward", "--node", "http://127.0.0.1:1")
	assert.Equal(t, errFile.Code, describe(err).Code, "%v", err)
	err = run("query", "anchor", "--sha256", "zz", "--node", "http://127.0.0.1:1")
	r = describe(err)
	assert.Equal(t, errFormat.Code, r.Code, "%v", err)
	assert.NotContains(t, r.Detail, "encoding/hex")
}

// docs/errors.md lists every code with its current wording.
func TestErrorsDoc(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "errors.md"))
	require.NoError(t, err)
	doc := string(b)
	for _, e := range registry.Errors() {
		tx := e.Text()
		row := fmt.Sprintf("| %d | `%s` | %d | %s | %s |", e.Code, e.Name, httpStatuses[e.Code], tx.Vi, tx.En)
		assert.Contains(t, doc, row)
	}
	for _, e := range cliErrors {
		row := fmt.Sprintf("| %d | `%s` | %s | %s | %s |", e.Code, e.Name, e.Kind, e.Vi, e.En)
		assert.Contains(t, doc, row)
	}
	for kind, title := range kindTitle {
		assert.Contains(t, doc, fmt.Sprintf("| `%s` | %s / %s |", kind, title[0], title[1]))
	}
}

// A picture that is not an image, or has no QR code, says so in words.
func TestReadQRErrorsAreWords(t *testing.T) {
	dir := t.TempDir()
	notImage := filepath.Join(dir, "qr.png")
	require.NoError(t, os.WriteFile(notImage, []byte("không phải ảnh"), 0o600))
	_, err := readQR(notImage)
	require.Error(t, err)
	assert.Equal(t, errFormat.Code, describe(err).Code)
	assert.Contains(t, err.Error(), "is not a PNG, JPEG or GIF picture")
	assert.NotContains(t, err.Error(), "image: unknown format")

	blank := filepath.Join(dir, "blank.png")
	f, err := os.Create(blank)
	require.NoError(t, err)
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	require.NoError(t, png.Encode(f, img))
	require.NoError(t, f.Close())
	_, err = readQR(blank)
	require.Error(t, err)
	assert.Equal(t, errFormat.Code, describe(err).Code)
	assert.Contains(t, err.Error(), "no QR code found")
	assert.NotContains(t, err.Error(), "NotFoundException")
}
