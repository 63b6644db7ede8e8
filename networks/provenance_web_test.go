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

	manifest := waitDemoProducts(t, home)
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
		"Công ty Chế biến thực phẩm Liên Chiểu", "Cửa hàng thực phẩm sạch Chợ Hàn", "Giết mổ", "Bước này đã được khai báo là sai: dữ liệu ghi sai",
		// Identifiers and places in words, not URIs.
		"Sản phẩm của Công ty Chế biến thực phẩm Liên Chiểu", "Mã sản phẩm GTIN 08935678000293, số sê-ri SN-0001", "Tại: Cửa hàng thực phẩm sạch, chợ Hàn · Địa điểm (mã GLN 8935678000040)", "Đầu vào: Mã truy xuất HV-2025-000123",
		"Mọi thông tin dưới đây đều có chữ ký", "Nên làm gì:", "Đã kiểm tra ngay trên thiết bị này"} {
		require.Contains(t, page, name)
	}
	requirePlain(t, page)
	var en, enPage string
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Text(`#p-big`, &en, chromedp.ByQuery), chromedp.Text(`body`, &enPage, chromedp.ByQuery)))
	require.Equal(t, "VERIFIED", en)
	require.Contains(t, enPage, "Slaughtering")
	require.Contains(t, enPage, "This step was declared in error: the data was wrong")
	require.Contains(t, enPage, "At: Cửa hàng thực phẩm sạch, chợ Hàn · Place (GLN 8935678000040)")
	require.NoError(t, chromedp.Run(ctx, chromedp.Click(`#lang`, chromedp.ByQuery)))

	status, _, page, _ = open(manifest.Craft)
	require.Equal(t, "valid", status)
	require.Contains(t, page, "Làng nghề đá mỹ nghệ Non Nước")
	require.Contains(t, page, "OCOP 4 sao")
	require.Contains(t, page, "Lịch sử sở hữu")
	// Owners by name: the workshop's key by its agency, the buyer private.
	require.Contains(t, page, "Chủ sở hữu hiện tại")
	require.Contains(t, page, "1. Cơ sở điêu khắc đá mỹ nghệ Non Nước → Người mua (đã ẩn danh)")
	requirePlain(t, page)
	// The photo is a real image, served by the node's IPFS gateway.
	var photoWidth int
	require.NoError(t, chromedp.Run(ctx, chromedp.Poll(`(() => { const i = document.querySelector("#p-photos img");
		return i && i.complete && i.naturalWidth; })()`, &photoWidth, chromedp.WithPollingTimeout(20*time.Second))))
	require.Equal(t, 360, photoWidth)

	// A product number that does not exist: proven absent, in words, with
	// the stable code (never "trace failed: not_found: …").
	status, big, page, _ = open("99999")
	require.Equal(t, "not_found", status)
	require.Equal(t, "KHÔNG TÌM THẤY SẢN PHẨM", big)
	require.Contains(t, page, "Không có sản phẩm nào mang mã này trên chuỗi khối")
	require.Contains(t, page, "Mã: not_found")
	requirePlain(t, page)
	// A malformed product code: an invalid link.
	status, big, page, _ = open("khong-phai-ma")
	require.Equal(t, "error", status)
	require.Equal(t, "ĐƯỜNG DẪN KHÔNG HỢP LỆ", big)
	requirePlain(t, page)

	var png []byte
	require.NoError(t, chromedp.Run(ctx, chromedp.Navigate(base+"/p/"+manifest.Pork),
		chromedp.WaitVisible(`#p-big[data-status]`, chromedp.ByQuery), chromedp.FullScreenshot(&png, 90)))
	if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "product-pork.png"), png, 0o644)
	}
}
