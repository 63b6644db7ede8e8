package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
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
				sum, err = hex.DecodeString(hashHex)
				if err == nil && len(sum) != registry.HashSize {
					err = fmt.Errorf("--sha256 must be %d bytes in hex", registry.HashSize)
				}
			default:
				err = fmt.Errorf("give FILE or --sha256")
			}
			if err != nil {
				return err
			}
			if receiptFile != "" || offline {
				return verifyOffline(cmd, g, sum, receiptFile, genesisFile, maxAge)
			}
			v, err := verifyOnline(cmd, g, sum)
			if err != nil {
				return err
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

// reportVerdict prints v and maps it to the exit status (1 unless valid).
func reportVerdict(cmd *cobra.Command, g *globals, v *client.Verdict) error {
	if err := g.print(cmd.OutOrStdout(), v.View(), func(w io.Writer) { printVerdictText(w, v) }); err != nil {
		return err
	}
	if !v.Valid() {
		return &exitError{code: 1}
	}
	return nil
}
