package networks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromium returns the headless browser, or skips (fails in CI).
func chromium(t testing.TB) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is required in CI (.ci/run installs it)")
	}
	t.Skip("chromium not installed")
	return ""
}

// startDemo runs `danangchain demo` as a process on ports base*10+0..3
// (p2p, RPC, API, Prometheus) and returns its home; the process is killed
// when the test ends.
func startDemo(t testing.TB, base int) string {
	t.Helper()
	home := t.TempDir()
	addr := func(i int) string { return fmt.Sprintf("127.0.0.1:%d", base*10+i) }
	cmd := exec.Command(binary(t), "demo", "--home", home, "--p2p-addr", addr(0), "--rpc-addr", addr(1),
		"--api-addr", addr(2), "--prometheus-addr", addr(3))
	logf, err := os.Create(filepath.Join(t.TempDir(), "demo.log"))
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = logf, logf
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return home
}

// demoResult is a result the demo seeded (demo.json "results").
type demoResult struct {
	ID     string `json:"id"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
}

// demoResults waits until the demo in home has seeded its results.
func demoResults(t testing.TB, home string) map[string]demoResult {
	t.Helper()
	var manifest struct {
		Results map[string]demoResult `json:"results"`
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join(home, "demo.json"))
		if err == nil && json.Unmarshal(b, &manifest) == nil && manifest.Results["valid"].ID != "" {
			return manifest.Results
		}
		if time.Now().After(deadline) {
			t.Fatal("demo did not seed results")
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// browserCtx starts headless Chromium at phone size (412 px wide); the
// context ends after timeout and the browser with the test.
func browserCtx(t testing.TB, browser string, timeout time.Duration) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.WindowSize(412, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelT(); cancel(); cancelA() })
	return ctx
}

// pageVerdict opens url, runs actions, waits for the verify page's verdict
// and returns its data-status, its headline and the page text.
func pageVerdict(t testing.TB, ctx context.Context, url string, actions ...chromedp.Action) (status, big, page string) {
	t.Helper()
	all := []chromedp.Action{chromedp.Navigate(url)}
	all = append(all, actions...)
	all = append(all,
		chromedp.WaitVisible(`#big[data-status]`, chromedp.ByQuery),
		chromedp.AttributeValue(`#big`, "data-status", &status, nil, chromedp.ByQuery),
		chromedp.Text(`#big`, &big, chromedp.ByQuery),
		chromedp.Text(`body`, &page, chromedp.ByQuery))
	require.NoError(t, chromedp.Run(ctx, all...))
	return
}

// TestVerifyPageInChromium opens the verify page of a running demo node in
// real headless Chromium: a QR link to a valid result, a revoked one, the
// English toggle, and a file dropped into the page (hashed in the browser).
func TestVerifyPageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	browser := chromium(t)
	home := startDemo(t, 2870)

	results := demoResults(t, home)
	base := "http://127.0.0.1:28702"
	ctx := browserCtx(t, browser, 2*time.Minute)

	verdict := func(url string, actions ...chromedp.Action) (status, big, page string) {
		t.Helper()
		return pageVerdict(t, ctx, url, actions...)
	}

	v := results["valid"]
	status, big, page := verdict(fmt.Sprintf("%s/v/%s?h=%s", base, v.ID, v.SHA256))
	require.Equal(t, "valid", status)
	require.Equal(t, "HỢP LỆ", big)
	require.Contains(t, page, "UBND phường Hải Châu")
	// In plain words: what it means, what to do, what was checked and as
	// of when; the technical checklist behind "Chi tiết kỹ thuật".
	require.Contains(t, page, "Giấy tờ này do cơ quan nêu dưới đây cấp và vẫn còn hiệu lực.")
	require.Contains(t, page, "Nên làm gì:")
	require.Contains(t, page, "Đã kiểm tra ngay trên thiết bị này: chữ ký của hơn 2/3 số máy chủ của thành phố")
	require.Regexp(t, `Tính đến \d\d:\d\d:\d\d ngày \d\d/\d\d/\d{4} \(giờ Việt Nam\), cách đây \d+ giây`, page)
	requirePlain(t, page)
	var tech string
	require.NoError(t, chromedp.Run(ctx, chromedp.TextContent(`#tech`, &tech, chromedp.ByQuery)))
	require.Contains(t, tech, "Chi tiết kỹ thuật")
	require.Contains(t, tech, "Chữ ký của các nút thành phố")
	require.Contains(t, tech, v.SHA256)
	// The file picker is the page's own label, not the browser's "Choose File".
	var pick string
	var inputWidth float64
	require.NoError(t, chromedp.Run(ctx, chromedp.Text(`label[for="file"]`, &pick, chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("file").getBoundingClientRect().width`, &inputWidth)))
	require.Equal(t, "Chọn tệp", pick)
	require.LessOrEqual(t, inputWidth, 1.0, "the browser's own file button is hidden")

	// English toggle.
	var en, enPage string
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#lang`, chromedp.ByQuery), chromedp.Text(`#big`, &en, chromedp.ByQuery),
		chromedp.Text(`body`, &enPage, chromedp.ByQuery), chromedp.Text(`label[for="file"]`, &pick, chromedp.ByQuery)))
	require.Equal(t, "VALID", en)
	require.Equal(t, "Choose a file", pick)
	require.Contains(t, enPage, "This document was issued by the agency named below and is still valid.")
	require.Contains(t, enPage, "Checked on this device: the signatures of more than 2/3 of the city's servers")
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#lang`, chromedp.ByQuery)))

	// A revoked result.
	r := results["revoked"]
	status, big, page = verdict(fmt.Sprintf("%s/v/%s?h=%s", base, r.ID, r.SHA256))
	require.Equal(t, "revoked", status)
	require.Equal(t, "ĐÃ BỊ THU HỒI", big)
	require.Contains(t, page, "Thu hồi")
	require.Contains(t, page, "Cơ quan cấp đã thu hồi giấy tờ này")
	requirePlain(t, page)

	// A replaced result names its replacement in words.
	rp := results["replaced"]
	status, big, page = verdict(fmt.Sprintf("%s/v/%s?h=%s", base, rp.ID, rp.SHA256))
	require.Equal(t, "replaced", status)
	require.Equal(t, "ĐÃ ĐƯỢC THAY THẾ", big)
	require.Contains(t, page, "Được thay bằng")
	require.Contains(t, page, "kết quả số ")
	requirePlain(t, page)

	// A file chosen in the page: hashed in the browser, never uploaded;
	// its fingerprint is a technical detail.
	status, _, page = verdict(base+"/verify", chromedp.SetUploadFiles(`#file`, []string{r.File}, chromedp.ByQuery))
	require.Equal(t, "revoked", status)
	require.Contains(t, page, "Tệp đã chọn: "+filepath.Base(r.File))
	requirePlain(t, page)
	require.NoError(t, chromedp.Run(ctx, chromedp.TextContent(`#tech`, &tech, chromedp.ByQuery)))
	require.Contains(t, tech, r.SHA256)

	other := filepath.Join(t.TempDir(), "khong-co.txt")
	require.NoError(t, os.WriteFile(other, []byte("không có trên chuỗi"), 0o644))
	status, big, page = verdict(base+"/verify", chromedp.SetUploadFiles(`#file`, []string{other}, chromedp.ByQuery))
	require.Equal(t, "unknown", status)
	require.True(t, strings.HasPrefix(big, "KHÔNG"), big)
	require.Contains(t, page, "Không có giấy tờ nào trên chuỗi khối khớp với tệp này")

	// A QR link whose check code is malformed: an invalid link, in words.
	status, big, page = verdict(base + "/v/" + v.ID + "?h=0000")
	require.Equal(t, "error", status)
	require.Equal(t, "ĐƯỜNG DẪN KHÔNG HỢP LỆ", big)
	require.Contains(t, page, "Quét lại mã QR")
	require.Contains(t, page, "Chưa xác minh được dữ liệu nào.")
	requirePlain(t, page)

	var png []byte
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(fmt.Sprintf("%s/v/%s?h=%s", base, v.ID, v.SHA256)),
		chromedp.WaitVisible(`#big[data-status]`, chromedp.ByQuery), chromedp.FullScreenshot(&png, 90)))
	if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "verify-valid.png"), png, 0o644)
	}
}

// requirePlain fails if the visible text of a citizen page shows raw
// values: hashes, key ids, URIs, proof jargon or Go error text.
func requirePlain(t testing.TB, page string) {
	t.Helper()
	require.NotRegexp(t, `[0-9a-f]{40}`, page, "a hash or key id is shown")
	for _, raw := range []string{"ICS23", "app hash", "urn:", "https://id.gs1.org", "key:", "commitment:", "proof_invalid:", "not_found:", "failed"} {
		require.NotContains(t, page, raw)
	}
}

// demoProducts is the part of demo.json naming the seeded products.
type demoProducts struct {
	Pork  string `json:"pork_item"`
	Craft string `json:"craft_item"`
}

// waitDemoProducts waits until the demo in home has seeded its products.
func waitDemoProducts(t testing.TB, home string) demoProducts {
	t.Helper()
	var m demoProducts
	deadline := time.Now().Add(2 * time.Minute)
	for {
		b, err := os.ReadFile(filepath.Join(home, "demo.json"))
		if err == nil && json.Unmarshal(b, &m) == nil && m.Pork != "" && m.Craft != "" {
			return m
		}
		require.True(t, time.Now().Before(deadline), "demo did not seed products")
		time.Sleep(500 * time.Millisecond)
	}
}
