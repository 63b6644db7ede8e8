package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
	"github.com/danangchain/danangchain/verification"
)

func newVerifyCmd(g *globals) *cobra.Command {
	var hashHex, receiptFile, genesisFile, qrFile string
	var offline bool
	var maxAge time.Duration
	cmd := &cobra.Command{
		Use:   "verify FILE",
		Short: "Verify a document file / Xác minh giấy tờ",
		Long: `verify hashes FILE locally (the file never leaves this machine), finds its
administrative result and prints the verdict: valid, revoked, replaced,
suspended, expired, not_yet_valid or unknown. Every value comes with an ICS23
proof checked against a header verified from <home>/config/genesis.json with
CometBFT's light client; the node's word alone is never trusted.

With --receipt R --genesis G --offline it uses no network at all: the receipt
(from 'danangchain receipt ID') carries the record, its proof and the
signatures of more than 2/3 of the validators; the answer is "as of" the
receipt's height and time (its age is shown; --max-age refuses older ones).
Validity periods are judged at this computer's clock.

Online answers are "as of" the newest header that this command verified
itself: signed by more than 2/3 of the validators followed from genesis,
no older than --max-header-age on this computer's clock, and cross-checked
by the witnesses (--witness or client.toml). The node's word for its height
is never used: a node that lags, is catching up or hides newer blocks gets
"could not confirm the current state" (exit 2), never "valid". With --qr IMAGE it decodes the QR code on a
document and verifies the record it names (and the document hash it holds).

Exit status: 0 valid, 1 any other verdict (revoked, replaced, …, unknown,
mismatch: a file or QR that is not the record's document), 2 nothing could be
verified (no node, a receipt or proof that does not verify, a state that
could not be confirmed as current).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if qrFile != "" {
				// With FILE too: is this paper the document the QR names?
				var file []byte
				if len(args) == 1 {
					sum, err := hashFile(args[0])
					if err != nil {
						return err
					}
					file = sum
				}
				return verifyQR(cmd, g, qrFile, file)
			}
			var sum []byte
			var err error
			switch {
			case len(args) == 1 && hashHex == "":
				sum, err = hashFile(args[0])
			case len(args) == 0 && hashHex != "":
				sum, err = parseHex("--sha256", hashHex, registry.HashSize)
			default:
				err = cliErrf(errUsage, "give FILE or --sha256")
			}
			if err != nil {
				return err
			}
			if receiptFile != "" || offline {
				return verifyOffline(cmd, g, sum, receiptFile, genesisFile, maxAge)
			}
			v, err := verifyOnline(cmd, g, sum)
			if err != nil {
				return reportNotCurrent(cmd, g, err)
			}
			return reportVerdict(cmd, g, v)
		},
	}
	cmd.Flags().StringVar(&hashHex, "sha256", "", "document SHA-256 (hex) instead of a file")
	cmd.Flags().StringVar(&receiptFile, "receipt", "", "offline receipt from 'danangchain receipt'")
	cmd.Flags().StringVar(&genesisFile, "genesis", "", "trusted genesis.json (default <home>/config/genesis.json)")
	cmd.Flags().BoolVar(&offline, "offline", false, "use no network (requires --receipt)")
	cmd.Flags().DurationVar(&maxAge, "max-age", 0, "with --receipt: refuse (exit 2) a receipt older than this, e.g. 24h (default: any age, shown)")
	cmd.Flags().StringVar(&qrFile, "qr", "", "PNG/JPEG image of a document's QR code")
	return cmd
}

// verifyOnline asks the node for the document's result with verified
// reads only (client.VerifyDocument: doc-hash index, record, agency,
// replacement, each proven).
func verifyOnline(cmd *cobra.Command, g *globals, sum []byte) (*client.Verdict, error) {
	c, err := g.client()
	if err != nil {
		return nil, err
	}
	ctx, cancel := cmdContext(cmd, 60*time.Second)
	defer cancel()
	return c.VerifyDocument(ctx, sum)
}

// textOutput reports whether the command prints for people (-o text).
func (g *globals) textOutput() bool { return g.output == "text" || g.output == "" }

// verdictJSON is verify's JSON: the verdict's fields as before, plus the
// answer in plain words.
type verdictJSON struct {
	*client.VerdictView
	Message *verification.Message `json:"message"`
}

// onlineStatus is the wording status of an online verdict: a valid record
// whose issuer no longer stands "needs confirmation" (as on the page).
func onlineStatus(v *client.Verdict) string {
	if v.Valid() && !v.IssuerStands() {
		return verification.SayIssuer
	}
	return verification.VerdictStatus(v.Status)
}

// onlineBasis is what an online verdict rests on (client.Verifier: fresh
// header, proofs, witnesses).
func onlineBasis(v *client.Verdict) verification.Basis {
	return verification.Basis{Where: verification.OnThisComputer, AsOf: v.Time, Age: time.Since(v.Time), Fresh: true,
		Issuer: v.Agency != nil && v.IssuerStands(), Witnesses: v.Witnesses}
}

// reportVerdict prints v and maps it to the exit status (1 unless valid).
func reportVerdict(cmd *cobra.Command, g *globals, v *client.Verdict) error {
	msg := verification.NewMessage(onlineStatus(v), onlineBasis(v))
	if err := g.print(cmd.OutOrStdout(), verdictJSON{v.View(), msg}, func(w io.Writer) {
		printPlainVerdict(w, msg, v, func(w io.Writer) { printVerdictText(w, v) })
	}); err != nil {
		return err
	}
	if !v.Valid() {
		return &exitError{code: 1}
	}
	return nil
}

// reportNotCurrent prints, for people, that the current state could not
// be confirmed (exit 2); with -o json the error is reported as before.
func reportNotCurrent(cmd *cobra.Command, g *globals, err error) error {
	if !g.textOutput() || !errors.Is(err, registry.ErrNotCurrent) {
		return err
	}
	msg := verification.ErrorMessage(verification.SayError, err)
	printPlainVerdict(cmd.OutOrStdout(), msg, nil, func(w io.Writer) { fmt.Fprintf(w, "  %v\n", err) })
	return &exitError{code: 2}
}

// printPlainVerdict prints an answer for people, Vietnamese then English,
// in the wording of verification/wording.go (the verify page's): the
// headline and what it means, the facts a person compares with the paper,
// what to do next, what was checked and as of when; then, after them, the
// technical details (heights, keys, hashes, proofs).
func printPlainVerdict(w io.Writer, m *verification.Message, v *client.Verdict, technical func(io.Writer)) {
	both := func(x verification.Words) {
		if x.Vi != "" {
			fmt.Fprintf(w, "  %s\n  %s\n", x.Vi, x.En)
		}
	}
	fmt.Fprintf(w, "%s / %s\n", m.Headline.Vi, m.Headline.En)
	both(m.Explain)
	if v != nil && v.Record != nil {
		r := v.Record
		fmt.Fprintln(w)
		fact := func(vi, en, val string) {
			if val != "" {
				fmt.Fprintf(w, "  %-36s %s\n", vi+" / "+en+":", val)
			}
		}
		fact("Tên giấy tờ", "Document", r.Title)
		if v.Agency != nil {
			fact("Cơ quan cấp", "Issued by", v.Agency.Name)
		} else {
			fact("Mã cơ quan cấp", "Issuing agency code", r.Agency)
		}
		if k := v.SignerKey; k != nil {
			fact("Người ký", "Signed by", k.Label)
		}
		fact("Ngày cấp", "Issued on", dayTime(r.Time))
		if r.ValidFrom > r.Time {
			fact("Hiệu lực từ", "Valid from", dayTime(r.ValidFrom))
		}
		if r.ValidUntil != 0 {
			until := time.Unix(int64(r.ValidUntil), 0).In(verification.ICT)
			if until.Hour() == 0 && until.Minute() == 0 && until.Second() == 0 {
				fact("Hiệu lực đến hết ngày", "Valid through", until.AddDate(0, 0, -1).Format("02/01/2006"))
			} else {
				fact("Hiệu lực đến", "Valid until", dayTime(r.ValidUntil))
			}
		}
		fact("Mã thủ tục", "Procedure code", r.Procedure)
		fact("Mã hồ sơ", "Dossier code", r.Dossier)
		fact("Số kết quả", "Record number", registry.FormatResultID(r.ID))
		if r.ReplacedBy != 0 {
			id := registry.FormatResultID(r.ReplacedBy)
			fact("Được thay bằng", "Replaced by", "kết quả số "+id+" / record no. "+id)
		}
		fact("Lý do", "Reason", r.Reason)
	}
	if m.Next.Vi != "" {
		fmt.Fprintf(w, "\n  Nên làm gì: %s\n  What to do: %s\n", m.Next.Vi, m.Next.En)
	}
	if m.Reason != nil {
		fmt.Fprintf(w, "  Mã / Code: %s — %s / %s\n", m.Code, m.Reason.Vi, m.Reason.En)
	}
	fmt.Fprintln(w)
	both(m.Checked)
	if technical != nil {
		fmt.Fprintln(w, "\nChi tiết kỹ thuật / Technical details:")
		technical(w)
	}
}

// dayTime shows unix seconds for people: "00:34 08/12/2026 (UTC+7)".
func dayTime(s uint64) string {
	if s == 0 {
		return ""
	}
	return time.Unix(int64(s), 0).In(verification.ICT).Format("15:04 02/01/2006") + " (UTC+7)"
}
