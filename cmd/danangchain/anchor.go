package main

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newAnchorCmd(g *globals) *cobra.Command {
	var from, tag string
	cmd := &cobra.Command{
		Use:   "anchor FILE",
		Short: "Anchor a document's SHA-256 for your agency / Neo mã băm tài liệu",
		Long: `anchor hashes FILE locally (the file never leaves this machine) and records the
hash on chain, signed by --from. Anchoring the same hash again is idempotent and
keeps the first anchor's height and time.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sum, err := hashFile(args[0])
			if err != nil {
				return err
			}
			out, err := submit(cmd, g, from, &registry.MsgAnchor{Hash: sum, Tag: registry.NFC(tag)})
			if err != nil {
				return err
			}
			res := map[string]any{"sha256": hex.EncodeToString(sum), "tx_hash": out.TxHash, "height": out.Height}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Anchored %x at height %d (tx %s)", sum, out.Height, out.TxHash))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency key name")
	cmd.Flags().StringVar(&tag, "tag", "", "document kind, e.g. \"công văn\"")
	return cmd
}
