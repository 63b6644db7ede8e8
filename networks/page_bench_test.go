package networks_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// BenchmarkVerifyPage measures the verify page in real headless Chromium
// against a local demo node: bytes transferred for the page and its
// verifier (compressed, first load, then cached), the time from navigation
// to the verdict, and the time the WebAssembly verifier spends verifying.
// The same run measures the baseline: the server's own verdict JSON
// fetched from the same page (what the page used to show, verifying
// nothing in the browser).
//
//	go test -run '^$' -bench BenchmarkVerifyPage -benchtime 20x ./networks/
func BenchmarkVerifyPage(b *testing.B) {
	browser := chromium(b)
	home := startDemo(b, 2970)
	results := demoResults(b, home)
	v := results["valid"]
	base := "http://127.0.0.1:29702"
	link := fmt.Sprintf("%s/v/%s?h=%s", base, v.ID, v.SHA256)

	ctx := browserCtx(b, browser, 30*time.Minute)

	// First load (cold cache): bytes transferred for page + loader + verifier.
	var first struct {
		Transfer float64 `json:"transfer"`
		Decoded  float64 `json:"decoded"`
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(link), chromedp.WaitVisible(`#big[data-status]`, chromedp.ByQuery),
		chromedp.Evaluate(`(() => { let t = 0, d = 0; for (const e of performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")))
			{ if (!e.name.includes("/v1/")) { t += e.transferSize; d += e.decodedBodySize; } } return {transfer: t, decoded: d}; })()`, &first)); err != nil {
		b.Fatal(err)
	}
	var verdictMS, verifyMS, baselineMS []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var m struct {
			Verdict float64 `json:"verdict"`
			Verify  float64 `json:"verify"`
			Status  string  `json:"status"`
		}
		if err := chromedp.Run(ctx, chromedp.Navigate(link), chromedp.WaitVisible(`#big[data-status]`, chromedp.ByQuery),
			chromedp.Evaluate(`({verdict: window.danangTimings.verdictAt, verify: window.danangTimings.verifyMS, status: document.getElementById("big").dataset.status})`, &m)); err != nil {
			b.Fatal(err)
		}
		if m.Status != "valid" {
			b.Fatalf("status %q", m.Status)
		}
		verdictMS = append(verdictMS, m.Verdict)
		verifyMS = append(verifyMS, m.Verify)
		// Baseline: the server's verdict JSON, fetched from the same page.
		var base float64
		if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`(async () => { const t0 = performance.now();
			const r = await fetch("/v1/results/%s/verify?h=%s"); await r.json(); return performance.now() - t0; })()`, v.ID, v.SHA256),
			&base, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })); err != nil {
			b.Fatal(err)
		}
		baselineMS = append(baselineMS, base)
	}
	b.StopTimer()
	b.ReportMetric(first.Transfer/1024, "KiB-first-load")
	b.ReportMetric(first.Decoded/1024, "KiB-decoded")
	b.ReportMetric(median(verdictMS), "ms-to-verdict-p50")
	b.ReportMetric(pct(verdictMS, 0.99), "ms-to-verdict-p99")
	b.ReportMetric(median(verifyMS), "ms-verify-p50")
	b.ReportMetric(pct(verifyMS, 0.99), "ms-verify-p99")
	b.ReportMetric(median(baselineMS), "ms-server-verdict-p50")
}

func median(xs []float64) float64 { return pct(xs, 0.5) }

func pct(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(p * float64(len(s)-1))
	return s[i]
}
