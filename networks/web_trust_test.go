package networks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// lyingAPI is an HTTP proxy in front of a node's API that lies in one of
// three ways: it rewrites verdicts in JSON ("revoked" -> "valid"), flips a
// byte in every receipt, or replays the first receipt it saw for a key
// (stale state).
type lyingAPI struct {
	target string
	url    string
	mu     sync.Mutex
	mode   string // "verdicts", "tamper", "freeze", "" (honest)
	frozen map[string][]byte
}

func newLyingAPI(t *testing.T, target string) *lyingAPI {
	l := &lyingAPI{target: target, frozen: map[string][]byte{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	l.url = "http://" + ln.Addr().String()
	srv := &http.Server{Handler: l}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l
}

func (l *lyingAPI) setMode(m string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.mode = m
}

func (l *lyingAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	mode := l.mode
	frozen, isFrozen := l.frozen[r.URL.Path]
	l.mu.Unlock()
	if mode == "freeze" && isFrozen {
		w.Header().Set("Content-Type", "application/vnd.danangchain.receipt")
		_, _ = w.Write(frozen)
		return
	}
	req, _ := http.NewRequest(r.Method, l.target+r.URL.RequestURI(), nil)
	req.Header = r.Header.Clone()
	req.Header.Del("Accept-Encoding") // plain bodies, so they can be rewritten
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	isReceipt := strings.HasPrefix(r.URL.Path, "/v1/receipt/") && res.StatusCode == http.StatusOK
	switch {
	case mode == "verdicts" && strings.Contains(res.Header.Get("Content-Type"), "json"):
		b = bytes.ReplaceAll(b, []byte(`"revoked"`), []byte(`"valid"`))
		b = bytes.ReplaceAll(b, []byte(`"valid":false`), []byte(`"valid":true`))
		b = bytes.ReplaceAll(b, []byte(`"ok":false`), []byte(`"ok":true`))
	case mode == "tamper" && isReceipt && len(b) > 40:
		b = append([]byte(nil), b...)
		b[len(b)/2] ^= 0x01
	case mode == "freeze" && isReceipt:
		l.mu.Lock()
		l.frozen[r.URL.Path] = b
		l.mu.Unlock()
	}
	writeProxied(w, res, b)
}

// TestVerifyPageTrustsNoServer: the verify page verifies in the browser
// from the trust root pinned in it. Through a proxy that rewrites every
// verdict in the node's JSON, the revoked result still shows revoked and
// never HỢP LỆ; tampered receipts and replayed (stale) receipts give the
// amber "could not verify"; through the honest node valid and revoked
// results show correctly. A receipt file dropped on the page verifies
// offline.
func TestVerifyPageTrustsNoServer(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	browser := chromium(t)
	home := startDemo(t, 2960)
	results := demoResults(t, home)
	honest := "http://127.0.0.1:29602"
	liar := newLyingAPI(t, honest)
	ctx := browserCtx(t, browser, 3*time.Minute)

	verdict := func(url string, actions ...chromedp.Action) (status, big, page string) {
		t.Helper()
		return pageVerdict(t, ctx, url, actions...)
	}
	v, r := results["valid"], results["revoked"]
	link := func(base string, res demoResult) string {
		return fmt.Sprintf("%s/v/%s?h=%s", base, res.ID, res.SHA256)
	}

	// Honest node: valid and revoked, every check done in the page.
	status, big, page := verdict(link(honest, v))
	require.Equal(t, "valid", status)
	require.Equal(t, "HỢP LỆ", big)
	require.Contains(t, page, "Đã kiểm tra ngay trên thiết bị này")
	status, big, _ = verdict(link(honest, r))
	require.Equal(t, "revoked", status)
	require.Equal(t, "ĐÃ BỊ THU HỒI", big)

	// A proxy rewriting every verdict in JSON: the page does not read
	// verdicts, so the revoked result stays revoked.
	liar.setMode("verdicts")
	status, big, _ = verdict(link(liar.url, r))
	require.Equal(t, "revoked", status)
	require.NotEqual(t, "HỢP LỆ", big)
	status, _, _ = verdict(link(liar.url, v))
	require.Equal(t, "valid", status)

	// Tampered receipts: amber, never green.
	liar.setMode("tamper")
	status, big, page = verdict(link(liar.url, v))
	require.Equal(t, "error", status)
	require.Equal(t, "KHÔNG XÁC MINH ĐƯỢC", big)
	require.NotContains(t, page, "HỢP LỆ")
	require.Contains(t, page, "không qua được bước kiểm tra")
	require.Contains(t, page, "Chưa xác minh được dữ liệu nào.")
	requirePlain(t, page)

	// Stale state: the proxy replays the receipts it saw 3 s ago; with a
	// 2 s freshness bound the page cannot confirm the current state.
	liar.setMode("freeze")
	status, _, _ = verdict(link(liar.url, v))
	require.Equal(t, "valid", status)
	time.Sleep(3 * time.Second)
	status, big, page = verdict(link(liar.url, v) + "&max_age=2")
	require.Equal(t, "unconfirmed", status)
	require.Equal(t, "KHÔNG XÁC MINH ĐƯỢC", big)
	require.Contains(t, page, "Không xác nhận được tình trạng hiện tại")
	require.NotContains(t, page, "dữ liệu còn mới", "stale data is not called current")
	requirePlain(t, page)

	// A QR whose hash is not the record's: mismatch, not "not found".
	status, big, page = verdict(fmt.Sprintf("%s/v/%s?h=%s", honest, v.ID, r.SHA256))
	require.Equal(t, "mismatch", status)
	require.Equal(t, "KHÔNG KHỚP", big)
	require.Contains(t, page, "Mã QR này không khớp với giấy tờ mà nó chỉ tới")
	require.NotContains(t, page, "Tệp bạn chọn")
	requirePlain(t, page)
	// A result id that does not exist: proven absent, said in words with
	// the stable code.
	status, big, page = verdict(honest + "/v/99999")
	require.Equal(t, "not_found", status)
	require.Equal(t, "KHÔNG TÌM THẤY", big)
	require.Contains(t, page, "Không có kết quả nào mang số này trên chuỗi khối")
	require.Contains(t, page, "Mã: not_found")
	require.Contains(t, page, "Đã kiểm tra ngay trên thiết bị này")
	requirePlain(t, page)

	// A receipt file dropped on the page verifies offline (no receipts
	// fetched: the node is only asked for the page and the verifier).
	out, err := run(t, "receipt", v.ID, "--out", filepath.Join(t.TempDir(), "r.dnr"), "--home", home, "-o", "json")
	require.NoError(t, err)
	rc := jsonOut(t, out)["file"].(string)
	status, _, page = verdict(honest+"/verify", chromedp.SetUploadFiles(`#file`, []string{rc}, chromedp.ByQuery))
	require.Equal(t, "valid", status)
	require.Contains(t, page, "Biên nhận ngoại tuyến")
	require.Contains(t, page, "Tính đến lúc lập biên nhận:")
	requirePlain(t, page)

	// A different file on the QR page: "this file is not the document".
	status, big, page = verdict(link(honest, v), chromedp.WaitVisible(`#big[data-status]`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`#file`, []string{r.File}, chromedp.ByQuery),
		chromedp.WaitReady(`li[data-check="file"]`, chromedp.ByQuery))
	require.Equal(t, "mismatch", status)
	require.Equal(t, "KHÔNG KHỚP", big)
	require.Contains(t, page, "Tệp bạn chọn không phải là giấy tờ mà mã QR này chỉ tới.")
	requirePlain(t, page)

	// The shared receipt vectors (verification/testdata/receipts.json: valid
	// receipts and mutated ones — value, key, proof, header, signatures,
	// validator sets, hand-overs, chain id) judged by the verifier running
	// in this browser exactly as by the Go verifiers (TestVectors).
	vf, err := os.ReadFile(filepath.Join("..", "verification", "testdata", "receipts.json"))
	require.NoError(t, err)
	var vectors struct {
		Vectors []struct {
			Name    string  `json:"name"`
			Expect  string  `json:"expect"`
			Key     string  `json:"key"`
			Value   *string `json:"value"`
			Height  int64   `json:"height"`
			Time    string  `json:"time"`
			AppHash string  `json:"app_hash"`
		} `json:"vectors"`
	}
	require.NoError(t, json.Unmarshal(vf, &vectors))
	var judged []struct {
		Name    string `json:"name"`
		OK      bool   `json:"ok"`
		Code    string `json:"code"`
		Key     string `json:"key"`
		Value   string `json:"value"`
		Present bool   `json:"present"`
		Height  int64  `json:"height"`
		Time    string `json:"time"`
		AppHash string `json:"app_hash"`
	}
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(honest+"/verify"), chromedp.WaitVisible(`#note`, chromedp.ByQuery),
		chromedp.Evaluate(`loadVerifier().then(() => true)`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.Evaluate(`(() => { const vf = `+string(vf)+`;
			return vf.vectors.map(v => { let b = Uint8Array.from(atob(v.receipt), c => c.charCodeAt(0));
				if (v.pad) { const p = new Uint8Array(b.length + v.pad); p.set(b); b = p; }
				return Object.assign({ name: v.name }, JSON.parse(danang.checkReceipt(b, JSON.stringify(vf.genesis)))); }); })()`, &judged)))
	require.Len(t, judged, len(vectors.Vectors))
	for i, want := range vectors.Vectors {
		got := judged[i]
		require.Equal(t, want.Name, got.Name)
		if want.Expect != "ok" {
			require.False(t, got.OK, "vector %s accepted in the browser", want.Name)
			require.Equal(t, want.Expect, got.Code, "vector %s", want.Name)
			continue
		}
		require.True(t, got.OK, "vector %s refused in the browser: %s", want.Name, got.Code)
		require.Equal(t, want.Key, got.Key, want.Name)
		require.Equal(t, want.Value != nil, got.Present, want.Name)
		if want.Value != nil {
			require.Equal(t, *want.Value, got.Value, want.Name)
		}
		require.Equal(t, want.Height, got.Height, want.Name)
		require.Equal(t, want.Time, got.Time, want.Name)
		require.Equal(t, want.AppHash, got.AppHash, want.Name)
	}
	t.Logf("%d shared receipt vectors judged identically in Chromium", len(judged))

	var png []byte
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(link(honest, r)),
		chromedp.WaitVisible(`#big[data-status]`, chromedp.ByQuery), chromedp.FullScreenshot(&png, 90)))
	if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "verify-revoked.png"), png, 0o644)
	}
}
