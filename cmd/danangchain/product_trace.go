package main

import (
	"fmt"
	"image/png"
	"io"
	"os"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
)

func newProductTraceCmd(g *globals) *cobra.Command {
	var qrOut, base string
	cmd := &cobra.Command{
		Use:   "trace PRODUCT",
		Short: "Trace a product with verified proofs / Truy xuất sản phẩm",
		Long: `trace shows the whole chain of PRODUCT (a product id, a GS1 Digital Link, an EPC
URI or a trace code): every step one step back and one step forward (Circular
02/2024/TT-BKHCN) — the business that recorded it, bizStep, time, location,
inputs and outputs, error declarations and their corrective events — and, for
craft products, the maker, village, photos, OCOP ratings and the ownership
history; the tag, its scans and clone-detection flags. Every value is read
with an ICS23 proof at one height, checked against a header verified from
<home>/config/genesis.json, and every event is re-hashed (CBV 2.0 event hash).

--qr FILE writes the product's QR code (EC level Q, for products): BASE/p/ID,
the verify page of the product, in Vietnamese or English.

Exit status: 0 verified, 1 a step did not verify, 2 error.`,
		Example: `  danangchain product trace 12 -o json
  danangchain product trace https://id.gs1.org/01/08935678000293/21/SN-0001 --qr tem.png`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := parseProductRef(args[0])
			if err != nil {
				return err
			}
			c, err := g.client()
			if err != nil {
				return err
			}
			ctx, cancel := cmdContext(cmd, 2*time.Minute)
			defer cancel()
			tr, err := c.TraceProduct(ctx, q)
			if err != nil {
				return err
			}
			v := tr.View()
			if qrOut != "" {
				if base == "" {
					base = g.verifyBase()
				}
				u := productURL(base, tr.Product.ID)
				if err := writeProductQR(qrOut, u); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "Wrote %s: %s\n", qrOut, u)
			}
			if err := g.print(cmd.OutOrStdout(), v, func(w io.Writer) { printTrace(w, v) }); err != nil {
				return err
			}
			if !v.ProofVerified {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&qrOut, "qr", "", "also write the product's QR code (PNG) to this file")
	cmd.Flags().StringVar(&base, "base-url", "", "verify page base URL (default: verify_url in client.toml, else the node API)")
	return cmd
}

// writeProductQR renders a product QR code: EC level Q (products get
// scuffed), 8 px per module, 4-module quiet zone.
func writeProductQR(path, content string) error {
	q, err := qrcode.New(content, qrcode.High)
	if err != nil {
		return err
	}
	if q.VersionNumber > qrMaxVersion {
		return cliErrf(errFormat, "QR would need version %d (max %d): shorten the base URL", q.VersionNumber, qrMaxVersion)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, q.Image(-qrPixelsPerModule))
}

func printTrace(w io.Writer, v *client.TraceView) {
	p := v.Product
	fmt.Fprintf(w, "Product %s (%s)", p.ID, p.Kind)
	if p.Identifier != "" {
		fmt.Fprintf(w, " %s", p.Identifier)
	}
	fmt.Fprintln(w)
	if c := p.Craft; c != nil {
		maker := c.AgencyName
		if c.Workshop != "" && c.Workshop != c.AgencyName {
			maker += " (" + c.Workshop + ")"
		}
		fmt.Fprintf(w, "  %s — %s\n  maker / nghệ nhân: %s, %s; enrolled by %s\n  owner / chủ sở hữu: %s\n",
			c.Name, c.Class, maker, c.Village, c.RegistrarName, c.Owner)
		for _, ph := range c.Photos {
			fmt.Fprintf(w, "  photo: %s\n", ph)
		}
	}
	if t := p.Tag; t != nil {
		fmt.Fprintf(w, "  tag / tem: %s %s (bound by %s at %s)\n", t.Kind, t.Tag, t.Agency, t.BoundAt)
	}
	for _, a := range v.Attestations {
		note := ""
		if a.Compromised {
			note = " ⚠ khóa đã bị lộ / compromised key"
		}
		fmt.Fprintf(w, "  %s %d★ by %s, %s (valid: %t)%s\n", strings.ToUpper(a.Scheme), a.Level, a.AgencyName, a.Ref, a.Valid, note)
	}
	var chain, outside []client.StepView
	for _, s := range v.Steps {
		if s.OutsideChain {
			outside = append(outside, s)
		} else {
			chain = append(chain, s)
		}
	}
	if len(chain) > 0 {
		fmt.Fprintln(w, "Steps / Các bước:")
	}
	printSteps(w, chain)
	if len(outside) > 0 {
		fmt.Fprintln(w, "Sự kiện khác, do doanh nghiệp ngoài chuỗi của sản phẩm ghi (không nhận sản phẩm từ chuỗi) /")
		fmt.Fprintln(w, "Other events, recorded by businesses outside the product's chain (they did not receive it from the chain):")
		printSteps(w, outside)
	}
	for _, t := range v.Ownership {
		fmt.Fprintf(w, "  transfer %d: %s → %s at %s (height %d)\n", t.Seq, t.From, t.To, t.At, t.Height)
	}
	for _, s := range v.Scans {
		note := ""
		if s.Compromised {
			note = " ⚠ khóa đã bị lộ / compromised key (ignored)"
		}
		fmt.Fprintf(w, "  scan %d: %s by %s at %s%s\n", s.Seq, s.Location, s.AgencyName, s.At, note)
	}
	for _, f := range v.CloneFlags {
		fmt.Fprintf(w, "  ⚠ %s: %s / %s\n", f.Rule, f.DetailVI, f.Detail)
	}
	fmt.Fprintf(w, "proofs verified: %t — state at height %d, block time %s\n", v.ProofVerified, v.ProvenHeight, v.CheckedAt)
	if v.Truncated {
		fmt.Fprintln(w, "(rút gọn: hành trình dài hơn một lần tra cứu — chỉ hiện 500 lượt quét, chuyển nhượng, xếp hạng gần nhất mỗi loại và 1.000 bước đầu /")
		fmt.Fprintln(w, " truncated: the journey is longer than one trace reads — only the latest 500 scans, transfers and ratings of each kind and the first 1,000 steps)")
	}
}

// printSteps prints steps of a trace, one block each.
func printSteps(w io.Writer, steps []client.StepView) {
	for _, s := range steps {
		mark := "✔"
		if !s.ProofVerified {
			mark = "✘ " + s.Problem
		}
		fmt.Fprintf(w, "  %2d %s %-8s %s — %s / %s — %s\n", s.N, s.Time, s.Direction, s.Business, s.BizStepVI, s.BizStepEN, mark)
		if s.Place != nil {
			fmt.Fprintf(w, "       tại / at: %s  [%s]\n", s.Place.Vi, s.Location)
		} else if s.Location != "" {
			fmt.Fprintf(w, "       tại / at: %s\n", s.Location)
		}
		for _, x := range s.Inputs {
			fmt.Fprintf(w, "       in  %s\n", x)
		}
		for _, x := range s.Outputs {
			fmt.Fprintf(w, "       out %s\n", x)
		}
		for _, x := range s.BizTransactions {
			fmt.Fprintf(w, "       chứng từ / document %s\n", x)
		}
		if d := s.ErrorDeclaration; d != nil {
			fmt.Fprintf(w, "       DECLARED IN ERROR (%s) at %s; corrected by %s\n", d.Reason, d.DeclaredAt, strings.Join(d.CorrectedBy, ", "))
		}
		if len(s.Corrects) > 0 {
			fmt.Fprintf(w, "       corrects %s\n", strings.Join(s.Corrects, ", "))
		}
	}
}
