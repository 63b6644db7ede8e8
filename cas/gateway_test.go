package cas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"
	mh "github.com/multiformats/go-multihash"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func gatewayServer(t *testing.T, s *Store) *httptest.Server {
	t.Helper()
	h, err := s.Gateway(GatewayOptions{Deserialized: true})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle(GatewayPath, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, method, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

func TestGatewayServesVerifiedPayloads(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	srv := gatewayServer(t, s)
	data := pattern(3*ChunkSize + 1000)
	root, _, err := s.Add(ctx, bytes.NewReader(data))
	require.NoError(t, err)
	small := []byte("Quyết định công khai số 12/QĐ-UBND\n")
	smallCID, _, err := s.Add(ctx, bytes.NewReader(small))
	require.NoError(t, err)
	u := srv.URL + "/ipfs/" + root.String()

	// The file itself, with HEAD and ranges.
	resp, body := get(t, "GET", u)
	require.Equal(t, 200, resp.StatusCode, string(body))
	assert.Equal(t, data, body)
	assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	assert.Contains(t, resp.Header.Get("Etag"), root.String())
	resp, body = get(t, "HEAD", u)
	require.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, body)
	assert.Equal(t, fmt.Sprint(len(data)), resp.Header.Get("Content-Length"))
	resp, body = get(t, "GET", u, "Range", fmt.Sprintf("bytes=%d-%d", ChunkSize-10, ChunkSize+9))
	require.Equal(t, 206, resp.StatusCode)
	assert.Equal(t, data[ChunkSize-10:ChunkSize+10], body)
	assert.Equal(t, fmt.Sprintf("bytes %d-%d/%d", ChunkSize-10, ChunkSize+9, len(data)), resp.Header.Get("Content-Range"))

	// A raw block, by ?format= and by Accept.
	resp, body = get(t, "GET", u+"?format=raw")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/vnd.ipld.raw", resp.Header.Get("Content-Type"))
	require.NoError(t, VerifyBlock(root, body))
	resp, body = get(t, "GET", srv.URL+"/ipfs/"+smallCID.String(), "Accept", "application/vnd.ipld.raw")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, small, body)

	// A CAR that go-car reads, whose blocks re-hash to their CIDs and
	// rebuild the file.
	resp, body = get(t, "GET", u+"?format=car")
	require.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "application/vnd.ipld.car")
	br, err := carv2.NewBlockReader(bytes.NewReader(body))
	require.NoError(t, err)
	assert.Equal(t, []cid.Cid{root}, br.Roots)
	n := 0
	for {
		b, err := br.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		require.NoError(t, VerifyBlock(b.Cid(), b.RawData()))
		n++
	}
	assert.Equal(t, 5, n)
	roots, bs, err := ReadCAR(bytes.NewReader(body), 0)
	require.NoError(t, err)
	got, err := WriteFile(roots[0], bs)
	require.NoError(t, err)
	assert.Equal(t, data, got)
	if dir := os.Getenv("DANANGCHAIN_CAR_OUT"); dir != "" { // for a manual `ipfs dag import`
		require.NoError(t, os.WriteFile(dir+"/"+root.String()+".car", body, 0o644))
	}
}

func TestGatewayRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	srv := gatewayServer(t, s)
	data := []byte("ảnh")
	c := BlockCID(CodecRaw, data)
	require.NoError(t, s.Put(ctx, c, data))
	sha, _ := mh.Sum(data, mh.SHA2_256, -1)
	identity, _ := mh.Sum(data, mh.IDENTITY, -1)
	unknown := BlockCID(CodecRaw, []byte("không có trên nút"))

	for _, tc := range []struct {
		name, path string
		status     int
		code       float64
	}{
		{"malformed", "/ipfs/bafy-khong-hop-le", 400, 11},
		{"cidv0", "/ipfs/" + cid.NewCidV0(sha).String(), 400, 11},
		{"identity", "/ipfs/" + cid.NewCidV1(cid.Raw, identity).String(), 400, 11},
		{"sub-path", "/ipfs/" + c.String() + "/a.jpg", 400, 11},
		{"dot-dot", "/ipfs/" + c.String() + "/%2e%2e/%2e%2e/etc/passwd", 400, 11},
		{"encoded slash", "/ipfs/" + c.String() + "%2F..%2Fx", 400, 11},
		{"nul", "/ipfs/" + c.String() + "%00", 400, 11},
		{"backslash", "/ipfs/" + c.String() + "%5C..", 400, 11},
		{"empty", "/ipfs/", 400, 11},
		{"unknown", "/ipfs/" + unknown.String(), 404, 12},
		{"unknown car", "/ipfs/" + unknown.String() + "?format=car", 404, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			resp, body := get(t, "GET", srv.URL+tc.path)
			require.Equal(t, tc.status, resp.StatusCode, string(body))
			assert.Less(t, time.Since(start), time.Second, "answers quickly")
			assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
			var p map[string]any
			require.NoError(t, json.Unmarshal(body, &p), string(body))
			assert.Equal(t, tc.code, p["code"])
			assert.Equal(t, "danang", p["codespace"])
		})
	}
	resp, _ := get(t, "POST", srv.URL+"/ipfs/"+c.String())
	assert.Equal(t, 405, resp.StatusCode)

	// A block damaged on disk is never served, in any format.
	require.NoError(t, os.WriteFile(blockFile(t, s, c), []byte("giả"), 0o644))
	for _, q := range []string{"", "?format=raw"} {
		resp, body := get(t, "GET", srv.URL+"/ipfs/"+c.String()+q)
		assert.Equal(t, 500, resp.StatusCode, q)
		assert.NotContains(t, string(body), "giả", q)
	}
	// A CAR is streamed: the response is cut before the damaged block.
	_, body := get(t, "GET", srv.URL+"/ipfs/"+c.String()+"?format=car")
	assert.NotContains(t, string(body), "giả")
	_, bs, _ := ReadCAR(bytes.NewReader(body), 0)
	assert.NotContains(t, bs, c.KeyString())
}

func TestGatewaySandboxesActiveContent(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	srv := gatewayServer(t, s)
	html := []byte("<!doctype html><html><body><script>alert(1)</script></body></html>")
	c, _, err := s.Add(ctx, bytes.NewReader(html))
	require.NoError(t, err)
	resp, _ := get(t, "GET", srv.URL+"/ipfs/"+c.String())
	require.Equal(t, 200, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox"), resp.Header)

	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	c, _, err = s.Add(ctx, bytes.NewReader(png))
	require.NoError(t, err)
	resp, _ = get(t, "GET", srv.URL+"/ipfs/"+c.String())
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "image/png", resp.Header.Get("Content-Type"))
	assert.Empty(t, resp.Header.Get("Content-Security-Policy"))
}

func TestGatewayRefusesIncompletePayloads(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	srv := gatewayServer(t, s)
	data := pattern(3*ChunkSize + 1)
	root, _, err := s.Add(ctx, bytes.NewReader(data))
	require.NoError(t, err)
	d, err := Import(bytes.NewReader(data), 0)
	require.NoError(t, err)
	require.NoError(t, s.bs.DeleteBlock(ctx, d.Blocks[1].CID))
	for _, q := range []string{"", "?format=car"} {
		resp, body := get(t, "GET", srv.URL+"/ipfs/"+root.String()+q)
		assert.Equal(t, 404, resp.StatusCode, q)
		assert.Contains(t, string(body), "missing here", q)
	}
	// The root block alone is still served.
	resp, body := get(t, "GET", srv.URL+"/ipfs/"+root.String()+"?format=raw")
	assert.Equal(t, 200, resp.StatusCode)
	require.NoError(t, VerifyBlock(root, body))
}
