package networks_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestProvenancePageInChromium opens the product page of the demo's pork
// pack and stone carving (the QR on a product holds BASE/p/ID) in real
// headless Chromium: the four businesses' steps, verified, in Vietnamese
// and in English; the carving's village, OCOP rating and owners.
func TestProvenancePageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	browser := chromium(t)
	home := startDemo(t, 2880)

	var manifest struct {
		Pork  string `json:"pork_item"`
		Craft string `json:"craft_item"`
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		b, err := os.ReadFile(filepath.Join(home, "demo.json"))
		if err == nil && json.Unmarshal(b, &manifest) == nil && manifest.Pork != "" {
			break
		}
		require.True(t, time.Now().Before(deadline), "demo did not seed products")
		time.Sleep(500 * time.Millisecond)
	}
	base := "http://127.0.0.1:28802"

	ctx := browserCtx(t, browser, 2*time.Minute)

	open := func(id string) (status, big, page string, steps int) {
		t.Helper()
		var n []byte
		require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(base+"/p/"+id),
			chromedp.WaitVisible(`#p-big[data-status]`, chromedp.ByQuery),
			chromedp.AttributeValue(`#p-big`, "data-status", &status, nil, chromedp.ByQuery),
			chromedp.Text(`#p-big`, &big, chromedp.ByQuery),
			chromedp.Text(`body`, &page, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll("#p-steps li").length`, &n)))
		require.NoError(t, json.Unmarshal(n, &steps))
		return
	}

	status, big, page, steps := open(manifest.Pork)
	require.Equal(t, "valid", status)
	require.Equal(t, "ĐÃ XÁC MINH", big)
	require.Equal(t, 13, steps, "12 steps and a correction")
	for _, name := range []string{"Trang trại chăn nuôi heo Hòa Vang", "Cơ sở giết mổ gia súc Hòa Nhơn",
		"Công ty Chế biến thực phẩm Liên Chiểu", "Cửa hàng thực phẩm sạch Chợ Hàn", "Giết mổ", "Đã khai báo sai"} {
		require.Contains(t, page, name)
	}
	var en, enPage string
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Text(`#p-big`, &en, chromedp.ByQuery), chromedp.Text(`body`, &enPage, chromedp.ByQuery)))
	require.Equal(t, "VERIFIED", en)
	require.Contains(t, enPage, "Slaughtering")
	require.Contains(t, enPage, "Declared in error")
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#lang`, chromedp.ByQuery)))

	status, _, page, _ = open(manifest.Craft)
	require.Equal(t, "valid", status)
	require.Contains(t, page, "Làng nghề đá mỹ nghệ Non Nước")
	require.Contains(t, page, "OCOP 4 sao")
	require.Contains(t, page, "Lịch sử sở hữu")

	var png []byte
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(base+"/p/"+manifest.Pork),
		chromedp.WaitVisible(`#p-big[data-status]`, chromedp.ByQuery), chromedp.FullScreenshot(&png, 90)))
	if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "product-pork.png"), png, 0o644)
	}
}
