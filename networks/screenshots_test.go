//go:build screenshots

package networks_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestScreenshots runs a demo and captures the verify page and the product
// page in every state a citizen can meet, at phone (420 px) and desktop
// (1280 px) widths, in Vietnamese and English, into SCREENSHOT_OUT
// (default docs/screenshots), with a README.md index. Run it with
// `make screenshots` (build tag screenshots: it is not part of make test).
func TestScreenshots(t *testing.T) {
	browser := chromium(t)
	out := os.Getenv("SCREENSHOT_OUT")
	if out == "" {
		out = filepath.Join("..", "docs", "screenshots")
	}
	require.NoError(t, os.MkdirAll(out, 0o755))
	old, _ := filepath.Glob(filepath.Join(out, "*.png"))
	for _, f := range old {
		require.NoError(t, os.Remove(f))
	}

	home := startDemo(t, 2990)
	results := demoResults(t, home)
	manifest := waitDemoProducts(t, home)
	base := "http://127.0.0.1:29902"
	v, r, rp := results["valid"], results["revoked"], results["replaced"]
	qr := func(d demoResult) string { return fmt.Sprintf("%s/v/%s?h=%s", base, d.ID, d.SHA256) }
	notOnChain := filepath.Join(t.TempDir(), "giay-to-khac.txt")
	require.NoError(t, os.WriteFile(notOnChain, []byte("Một tệp không có trên chuỗi khối\n"), 0o644))
	rcOut, err := run(t, "receipt", v.ID, "--out", filepath.Join(t.TempDir(), "bien-nhan.dnr"), "--home", home, "-o", "json")
	require.NoError(t, err)
	receipt := jsonOut(t, rcOut)["file"].(string)

	upload := func(file string) []chromedp.Action {
		return []chromedp.Action{chromedp.SetUploadFiles(`#file`, []string{file}, chromedp.ByQuery)}
	}
	verdict := []chromedp.Action{chromedp.WaitVisible(`#big[data-status]`, chromedp.ByQuery)}
	product := []chromedp.Action{chromedp.WaitVisible(`#p-big[data-status]`, chromedp.ByQuery),
		chromedp.Poll(`Array.from(document.images).every(i => i.complete)`, nil, chromedp.WithPollingTimeout(10*time.Second))}
	type shot struct {
		name, title, url string
		before           []chromedp.Action // after navigation, before waiting
		wait             []chromedp.Action
		skew             time.Duration // the browser's clock, ahead of real time
		details          bool          // open the technical details
		tall             bool
	}
	shots := []shot{
		{name: "verify-start", title: "Verify page, nothing chosen yet (file picker)", url: base + "/verify",
			wait: []chromedp.Action{chromedp.WaitVisible(`#note`, chromedp.ByQuery)}},
		{name: "verify-valid", title: "Valid result opened from its QR code", url: qr(v), wait: verdict},
		{name: "verify-valid-details", title: "Valid result with the technical details open", url: qr(v), wait: verdict, details: true},
		{name: "verify-revoked", title: "Revoked result", url: qr(r), wait: verdict},
		{name: "verify-replaced", title: "Replaced result", url: qr(rp), wait: verdict},
		{name: "verify-unknown-file", title: "A file that matches no record", url: base + "/verify", before: upload(notOnChain), wait: verdict},
		{name: "verify-not-found", title: "A QR link to a record number that does not exist (/v/99999)", url: base + "/v/99999", wait: verdict},
		{name: "verify-bad-link", title: "A QR link with a malformed check code (/v/1?h=0000)", url: base + "/v/" + v.ID + "?h=0000", wait: verdict},
		{name: "verify-qr-mismatch", title: "A QR code whose check code is not its record's (forged QR)", url: fmt.Sprintf("%s/v/%s?h=%s", base, v.ID, r.SHA256), wait: verdict},
		{name: "verify-file-mismatch", title: "Another file dropped on a QR page: not the document this QR names", url: qr(v),
			before: append(append([]chromedp.Action{}, verdict...), upload(r.File)...),
			wait:   []chromedp.Action{chromedp.WaitReady(`li[data-check="file"]`, chromedp.ByQuery)}},
		{name: "verify-not-current", title: "Could not verify: the data is 5 minutes old on this device's clock (a lagging or stale server)",
			url: qr(v), wait: verdict, skew: 5 * time.Minute},
		{name: "verify-receipt", title: "An offline receipt (.dnr) dropped on the page", url: base + "/verify", before: upload(receipt), wait: verdict},
		{name: "product-pork", title: "Product page: the demo's pork pack (EPCIS chain of four businesses)", url: base + "/p/" + manifest.Pork, wait: product, tall: true},
		{name: "product-craft", title: "Product page: the Non Nước stone carving (photo, OCOP rating, owners)", url: base + "/p/" + manifest.Craft, wait: product},
		{name: "product-not-found", title: "Product page for a product number that does not exist", url: base + "/p/99999", wait: product},
	}
	type size struct {
		name   string
		w, h   int64
		mobile bool
	}
	sizes := []size{{"420", 420, 900, true}, {"1280", 1280, 860, false}}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.Flag("hide-scrollbars", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
	defer cancelB()
	require.NoError(t, chromedp.Run(bctx))

	var index []string
	total := int64(0)
	for _, s := range shots {
		index = append(index, "", "### "+s.title, "",
			fmt.Sprintf(`<img src="%s-vi-420.png" width="210" alt="%s">`, s.name, s.title), "")
		for _, lang := range []string{"vi", "en"} {
			var row []string
			for _, sz := range sizes {
				ctx, cancel := chromedp.NewContext(bctx) // a new tab
				ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
				h := sz.h
				if s.tall {
					h = h * 2
				}
				url := s.url + sep(s.url) + "lang=" + lang
				acts := []chromedp.Action{emulation.SetDeviceMetricsOverride(sz.w, h, 1, sz.mobile)}
				if s.skew > 0 {
					acts = append(acts, chromedp.ActionFunc(func(ctx context.Context) error {
						_, err := page.AddScriptToEvaluateOnNewDocument(fmt.Sprintf(
							`(() => { const real = Date.now; Date.now = () => real() + %d; })();`, s.skew.Milliseconds())).Do(ctx)
						return err
					}))
				}
				acts = append(acts, chromedp.Navigate(url))
				acts = append(acts, s.before...)
				acts = append(acts, s.wait...)
				if s.details {
					acts = append(acts, chromedp.Evaluate(`(() => { const d = document.getElementById("tech"); d.open = true;
						window.scrollTo(0, d.getBoundingClientRect().top + window.scrollY - 180); })()`, nil))
				}
				var png []byte
				acts = append(acts, chromedp.Sleep(300*time.Millisecond), chromedp.CaptureScreenshot(&png))
				require.NoError(t, chromedp.Run(ctx, acts...), "%s %s %s", s.name, lang, sz.name)
				cancelT()
				cancel()
				file := fmt.Sprintf("%s-%s-%s.png", s.name, lang, sz.name)
				png, err = quantizePNG(png)
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(filepath.Join(out, file), png, 0o644))
				total += int64(len(png))
				row = append(row, fmt.Sprintf("[%s px](%s)", sz.name, file))
			}
			index = append(index, fmt.Sprintf("- %s: %s", map[string]string{"vi": "Tiếng Việt", "en": "English"}[lang], strings.Join(row, " · ")))
		}
	}
	readme := []string{"# Screenshots of the citizen pages", "",
		"Captured by `make screenshots` (`networks/screenshots_test.go`, build tag `screenshots`): a fresh `danangchain demo`,",
		"the verify page (`/verify`, `/v/{id}?h=…`) and the product page (`/p/{id}`) in headless Chromium, at 420 px",
		"(phone) and 1280 px (desktop), in Vietnamese and English. Every verdict is computed in the browser by the",
		"WebAssembly verifier; its wording comes from `verification/wording.go`, the table the CLI prints too.",
		"The \"could not verify\" state is produced by moving the browser's clock 5 minutes ahead, which is what",
		"a server that serves old data looks like to the page."}
	readme = append(readme, index...)
	require.NoError(t, os.WriteFile(filepath.Join(out, "README.md"), []byte(strings.Join(readme, "\n")+"\n"), 0o644))
	t.Logf("%d screenshots, %d KB in %s", len(shots)*len(sizes)*2, total/1024, out)
}

func sep(url string) string {
	if strings.Contains(url, "?") {
		return "&"
	}
	return "?"
}

// quantizePNG re-encodes a screenshot with a palette of its 256 most used
// colours (pages are flat colours and anti-aliased text: no visible loss),
// at about a third of the size.
func quantizePNG(b []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	bounds := img.Bounds()
	count := map[color.RGBA]int{}
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			count[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	colors := make([]color.RGBA, 0, len(count))
	for c := range count {
		colors = append(colors, c)
	}
	sort.Slice(colors, func(i, j int) bool {
		if count[colors[i]] != count[colors[j]] {
			return count[colors[i]] > count[colors[j]]
		}
		a, c := colors[i], colors[j]
		return uint32(a.R)<<24|uint32(a.G)<<16|uint32(a.B)<<8|uint32(a.A) < uint32(c.R)<<24|uint32(c.G)<<16|uint32(c.B)<<8|uint32(c.A)
	})
	pal := color.Palette{}
	for _, c := range colors[:min(len(colors), 256)] {
		pal = append(pal, c)
	}
	index := make(map[color.RGBA]uint8, len(colors))
	for _, c := range colors {
		index[c] = uint8(pal.Index(c))
	}
	out := image.NewPaletted(bounds, pal)
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			out.SetColorIndex(x, y, index[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)])
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
