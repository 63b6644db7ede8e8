package networks_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	byteorder "encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// payloadTenMiB is the documented Kubo-compatible CID of the 10 MiB test
// file (SHA-256 counter stream, see cas/kubo_test.go): what
// `ipfs add --cid-version=1 --raw-leaves --chunker=size-262144` prints.
const payloadTenMiB = "bafybeig2d2nmth7dc3rqtmy7i3katc5nft52s576xrohyis6vyetbzrx5a"

func kuboPattern(n int) []byte {
	out := make([]byte, 0, n+32)
	for i := uint64(0); len(out) < n; i++ {
		s := sha256.Sum256(byteorder.BigEndian.AppendUint64([]byte("danangchain/kubo-vector/"), i))
		out = append(out, s[:]...)
	}
	return out[:n]
}

func httpGet(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

// TestPayloads runs the payload journey on 4 validators with the real
// CLI: a 10 MiB file added through node 0 (its CID is the documented Kubo
// CID) and anchored in a result; every validator holds it; node 0 stops
// and node 2 serves it through the gateway (file, range, CAR that go-car
// reads) and `payload get` (verified); bad input is refused with clear
// errors and nothing invalid is stored; a damaged store is repaired from
// a peer; an encrypted personal payload is released and erased from every
// node.
func TestPayloads(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	net := newNetwork(t, 4, 28300)
	for _, n := range net.nodes {
		n.start(t)
	}
	waitHeight(t, net.nodes[3].client(t), 2, 60*time.Second)
	api := func(i int) string { return fmt.Sprintf("http://127.0.0.1:%d", 28300+10*i+2) }
	cli := func(home string, args ...string) (map[string]any, error) {
		t.Helper()
		out, err := run(t, append(args, "--home", home, "-o", "json")...)
		if strings.TrimSpace(out) == "" {
			return nil, err
		}
		return jsonOut(t, out), err
	}
	dir := t.TempDir()
	data := kuboPattern(10 << 20)
	file := filepath.Join(dir, "quyet-dinh-cong-khai.bin")
	require.NoError(t, os.WriteFile(file, data, 0o644))

	// Add through node 0: the documented Kubo CID.
	start := time.Now()
	add, err := cli(net.nodes[0].home, "payload", "add", file, "--from", "ward")
	requireExit(t, err, 0)
	t.Logf("payload add 10 MiB: %s", time.Since(start))
	c := add["cid"].(string)
	assert.Equal(t, payloadTenMiB, c)
	assert.Equal(t, float64(len(data)), add["size"])
	assert.Equal(t, float64(7), add["upload_txs"])

	// Anchor it in a record: a result whose public payload is the file.
	iss, err := cli(net.nodes[0].home, "result", "issue", file, "--procedure", "2.000720.000.00.00.H17",
		"--title", "Quyết định công khai", "--cid", c, "--from", "ward")
	requireExit(t, err, 0)
	v, err := cli(net.nodes[1].home, "verify", file)
	requireExit(t, err, 0)
	assert.Equal(t, iss["id"], v["id"])
	assert.Equal(t, c, v["cid"], "the record names the payload")

	// The invariant: a committed record's payload is on every validator.
	root, err := cid.Decode(c)
	require.NoError(t, err)
	for i := range net.nodes {
		var buf bytes.Buffer
		_, err := client.FetchPayload(context.Background(), nil, api(i), root, &buf, 0)
		require.NoError(t, err, "node %d", i)
		require.True(t, bytes.Equal(data, buf.Bytes()), "node %d", i)
	}

	// Node 0 stops; node 2 serves the file, a range, a CAR and `payload get`.
	err, _ = net.nodes[0].stop(20 * time.Second)
	require.NoError(t, err)
	resp, body := httpGet(t, api(2)+"/ipfs/"+c)
	require.Equal(t, 200, resp.StatusCode)
	require.True(t, bytes.Equal(data, body))
	req, _ := http.NewRequest("GET", api(2)+"/ipfs/"+c, nil)
	req.Header.Set("Range", "bytes=262140-262150")
	rr, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	part, _ := io.ReadAll(rr.Body)
	rr.Body.Close()
	assert.Equal(t, 206, rr.StatusCode)
	assert.Equal(t, data[262140:262151], part)

	resp, car := httpGet(t, api(2)+"/ipfs/"+c+"?format=car")
	require.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "application/vnd.ipld.car")
	br, err := carv2.NewBlockReader(bytes.NewReader(car))
	require.NoError(t, err)
	require.Equal(t, []cid.Cid{root}, br.Roots)
	nblocks := 0
	for {
		b, err := br.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		require.NoError(t, cas.VerifyBlock(b.Cid(), b.RawData()))
		nblocks++
	}
	assert.Equal(t, 41, nblocks)
	if d := os.Getenv("DANANGCHAIN_CAR_OUT"); d != "" { // for `ipfs dag import` by hand
		require.NoError(t, os.WriteFile(filepath.Join(d, c+".car"), car, 0o644))
	}

	out := filepath.Join(dir, "tai-ve.bin")
	got, err := cli(net.nodes[2].home, "payload", "get", c, "--out", out)
	requireExit(t, err, 0)
	assert.Equal(t, true, got["verified"])
	fromDisk, err := os.ReadFile(out)
	require.NoError(t, err)
	require.True(t, bytes.Equal(data, fromDisk))

	// Bad input: clear errors, fast 404s, nothing stored.
	unknown := cas.BlockCID(cas.CodecRaw, []byte("không có trên chuỗi")).String()
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/ipfs/bafy-khong-hop-le", 400},
		{"/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", 400},
		{"/ipfs/bafkqaaa", 400}, // identity CID of ""
		{"/ipfs/" + c + "/anh.jpg", 400},
		{"/ipfs/" + c + "%2F..%2F..%2Fconfig%2Fnode_key.json", 400},
		{"/ipfs/" + unknown, 404},
		{"/ipfs/" + unknown + "?format=car", 404},
	} {
		start := time.Now()
		resp, body := httpGet(t, api(2)+tc.path)
		assert.Equal(t, tc.status, resp.StatusCode, "%s: %s", tc.path, body)
		assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"), tc.path)
		assert.Less(t, time.Since(start), 2*time.Second, tc.path)
	}
	_, err = cli(net.nodes[2].home, "payload", "get", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "--out", out)
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "CIDv0")
	_, err = cli(net.nodes[2].home, "payload", "get", unknown, "--out", out)
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "not_found")
	big := filepath.Join(dir, "qua-lon.bin")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(registry.MaxPayloadSize+1)) // sparse
	f.Close()
	_, err = cli(net.nodes[2].home, "payload", "add", big, "--from", "ward")
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "oversize")

	// A tx whose dag-pb block declares other links than its bytes hold is
	// refused (invalid, code 11) and nothing is stored.
	lie := cas.PayloadBlocks(mustImport(t, kuboPattern(2*cas.ChunkSize+1)).Blocks)
	rootBlock := lie[len(lie)-1]
	rootBlock.Links = append([]registry.PayloadLink(nil), rootBlock.Links...)
	rootBlock.Links[0].CID = registry.BlockCID(registry.CodecRaw, []byte("giả mạo"))
	cl := net.nodes[2].client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = cl.Submit(ctx, signer(t, net.nodes[2].home, "ward"), &registry.MsgPayloadBlocks{Blocks: []registry.PayloadBlock{rootBlock}})
	require.ErrorIs(t, err, registry.ErrInvalid)
	resp, _ = httpGet(t, api(2)+"/ipfs/"+registry.FormatPayloadCID(rootBlock.CID()))
	assert.Equal(t, 404, resp.StatusCode)

	// A damaged store (a lost and a corrupted block on node 3) is found
	// and repaired from a peer's gateway, verified against the CID.
	err, _ = net.nodes[3].stop(20 * time.Second)
	require.NoError(t, err)
	files := blockFiles(t, filepath.Join(net.nodes[3].home, "data", "payloads"))
	require.GreaterOrEqual(t, len(files), 41)
	require.NoError(t, os.Remove(files[3]))
	require.NoError(t, os.WriteFile(files[7], []byte("hỏng"), 0o644))
	_, err = cli(net.nodes[3].home, "payload", "verify")
	requireExit(t, err, 1)
	rep, err := cli(net.nodes[3].home, "payload", "verify", "--repair-from", api(1))
	requireExit(t, err, 0)
	assert.Equal(t, float64(0), rep["incomplete"])
	net.nodes[3].start(t)
	waitHeight(t, net.nodes[3].client(t), height(context.Background(), cl)+1, 60*time.Second)

	// Personal data: encrypted here, released, erased from every node.
	personal := filepath.Join(dir, "ho-so-ca-nhan.txt")
	require.NoError(t, os.WriteFile(personal, []byte("CCCD 048099001234 — Nguyễn Văn A\n"), 0o644))
	enc, err := cli(net.nodes[1].home, "payload", "add", personal, "--encrypt", "--from", "ward")
	requireExit(t, err, 0)
	ec, key := enc["cid"].(string), enc["key"].(string)
	resp, body = httpGet(t, api(3)+"/ipfs/"+ec)
	require.Equal(t, 200, resp.StatusCode)
	assert.NotContains(t, string(body), "048099001234", "nodes hold only ciphertext")
	dec := filepath.Join(dir, "giai-ma.txt")
	// Without the key nothing is written: ciphertext is not "the file".
	_, err = cli(net.nodes[3].home, "payload", "get", ec, "--out", dec)
	requireExit(t, err, 2)
	assert.Contains(t, err.Error(), "encrypted payload")
	_, statErr := os.Stat(dec)
	assert.True(t, os.IsNotExist(statErr))
	_, err = cli(net.nodes[3].home, "payload", "get", ec, "--out", dec, "--key", key)
	requireExit(t, err, 0)
	plain, _ := os.ReadFile(dec)
	assert.Equal(t, "CCCD 048099001234 — Nguyễn Văn A\n", string(plain))
	_, err = cli(net.nodes[1].home, "payload", "release", ec, "--reason", "Chủ thể dữ liệu yêu cầu xóa", "--from", "ward")
	requireExit(t, err, 0)
	for _, i := range []int{1, 2, 3} {
		require.Eventually(t, func() bool {
			resp, _ := httpGet(t, api(i)+"/ipfs/"+ec)
			return resp.StatusCode == 404
		}, 20*time.Second, 200*time.Millisecond, "node %d still serves the released payload", i)
	}
	// The public payload is still everywhere.
	for _, i := range []int{1, 2, 3} {
		resp, _ := httpGet(t, api(i)+"/ipfs/"+c+"?format=raw")
		assert.Equal(t, 200, resp.StatusCode, "node %d", i)
	}
	var st map[string]any
	resp, body = httpGet(t, api(2)+"/readyz")
	_ = json.Unmarshal(body, &st)
	assert.Equal(t, 200, resp.StatusCode, "%v", st)
}

func mustImport(t *testing.T, data []byte) *cas.DAG {
	d, err := cas.Import(bytes.NewReader(data), 0)
	require.NoError(t, err)
	return d
}

// blockFiles lists the block files of a payload store.
func blockFiles(t *testing.T, dir string) []string {
	var out []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".data") && !strings.Contains(p, ".temp") {
			out = append(out, p)
		}
		return err
	}))
	return out
}
