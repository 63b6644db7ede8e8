package main

import (
	"fmt"
	"image"
	_ "image/jpeg" // decode JPEG photos of QR codes
	"image/png"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
	qrcode "github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"
)

// QR codes follow PITFALLS: EC level M on paper, an integer number of
// pixels per module, a 4-module quiet zone, no Vietnamese text inside.
const (
	qrPixelsPerModule = 8
	qrMaxVersion      = 10
)

// verifyURL is what a document's QR holds: the verify page for the record
// and the document's SHA-256 (no personal data).
func verifyURL(base, id string, sha256Hex string) string {
	return strings.TrimRight(base, "/") + "/v/" + url.PathEscape(id) + "?h=" + sha256Hex
}

// parseVerifyURL extracts the record id and document hash from a QR URL.
func parseVerifyURL(s string) (id, sha256Hex string, err error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", "", fmt.Errorf("QR does not hold a URL: %w", err)
	}
	i := strings.LastIndex(u.Path, "/v/")
	if i < 0 {
		return "", "", cliErrf(errFormat, "QR URL %q is not a DanangChain verify URL", s)
	}
	id, err = url.PathUnescape(u.Path[i+3:])
	if err != nil || id == "" {
		return "", "", cliErrf(errFormat, "QR URL %q has no record id", s)
	}
	return id, u.Query().Get("h"), nil
}

// writeQR renders content as a PNG QR code (EC level M).
func writeQR(path, content string) (version int, err error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return 0, err
	}
	if q.VersionNumber > qrMaxVersion {
		return q.VersionNumber, cliErrf(errFormat, "QR would need version %d (max %d): shorten the base URL", q.VersionNumber, qrMaxVersion)
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	img := q.Image(-qrPixelsPerModule)
	return q.VersionNumber, png.Encode(f, img)
}

// readQR decodes the first QR code in an image file.
func readQR(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return "", cliErrf(errFormat, "%s is not a PNG, JPEG or GIF picture", path)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", cliErrf(errFormat, "%s: the picture cannot be read as a QR code", path)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", cliErrf(errFormat, "no QR code found in %s (the picture may be blurred, cut off or too small)", path)
	}
	return res.GetText(), nil
}

func newQRCmd(g *globals) *cobra.Command {
	var out, base, sha string
	cmd := &cobra.Command{
		Use:   "qr ID",
		Short: "Render a record's verify QR code as PNG / Tạo mã QR xác minh",
		Long: `qr writes a PNG QR code (ISO/IEC 18004, EC level M, 8 px per module, 4-module
quiet zone, version ≤ 10) holding BASE/v/ID?h=SHA256 — the verify page of the
record and the document's hash. It holds no personal data. Put it in the upper
left of the document (Circular 01/2023/TT-VPCP).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if base == "" {
				base = g.verifyBase()
			}
			if sha == "" {
				s, err := recordDocHash(cmd, g, args[0])
				if err != nil {
					return err
				}
				sha = s
			}
			u := verifyURL(base, args[0], sha)
			v, err := writeQR(out, u)
			if err != nil {
				return err
			}
			res := map[string]any{"file": out, "url": u, "version": v, "ec_level": "M", "pixels_per_module": qrPixelsPerModule}
			return g.print(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "Wrote %s (QR version %d-M): %s\n", out, v, u)
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "qr.png", "PNG file")
	cmd.Flags().StringVar(&base, "base-url", "", "verify page base URL (default: verify_url in client.toml, else the node API)")
	cmd.Flags().StringVar(&sha, "sha256", "", "document SHA-256 (default: read from the record)")
	return cmd
}

// verifyBase is the verify page's base URL for QR codes: the city's
// official address (verify_url in client.toml, e.g.
// https://xacminh.danang.gov.vn) so that a verifier can tell a forged QR by
// its origin; without one, this home's node API (api_addr in app.toml).
func (g *globals) verifyBase() string {
	if c := g.clientConfig(); c.VerifyURL != "" {
		return strings.TrimRight(c.VerifyURL, "/")
	}
	return apiURL(g, "")
}
