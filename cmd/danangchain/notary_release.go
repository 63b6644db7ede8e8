package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newNotaryReleaseCmd(g *globals) *cobra.Command {
	var from, ref, file, docSum string
	cmd := &cobra.Command{
		Use:   "release BLOCK_ID",
		Short: "Record the release of a blocking notice / Ghi giải tỏa ngăn chặn",
		Long: `release records that blocking notice BLOCK_ID is lifted (giải tỏa), signed by
--from: the authority that recorded the notice, or the Department of Justice
(notary.authority) recording a release decision it received. --ref is the
release decision's number; --file or --doc-sha256 its SHA-256.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil || id == 0 {
				return cliErrf(errFormat, "BLOCK_ID must be a positive number")
			}
			doc, err := docHashFlag(file, docSum)
			if err != nil {
				return err
			}
			out, err := submit(cmd, g, from, &registry.MsgNotaryRelease{BlockID: id, Ref: registry.NFC(ref), DocHash: doc})
			if err != nil {
				return err
			}
			res := map[string]any{"id": id, "released": true, "ref": registry.NFC(ref), "tx_hash": out.TxHash, "height": out.Height}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã giải tỏa thông báo ngăn chặn số %d ở khối %d", id, out.Height), fmt.Sprintf("Blocking notice %d released at height %d (tx %s)", id, out.Height, out.TxHash))
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "key of the issuing authority or of a notary.authority")
	f.StringVar(&ref, "ref", "", "reference number of the release decision (no spaces)")
	f.StringVar(&file, "file", "", "the release decision (hashed locally)")
	f.StringVar(&docSum, "doc-sha256", "", "the release decision's SHA-256 instead of --file")
	_ = cmd.MarkFlagRequired("ref")
	return cmd
}
