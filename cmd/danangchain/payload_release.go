package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newPayloadReleaseCmd(g *globals) *cobra.Command {
	var from, reason string
	cmd := &cobra.Command{
		Use:   "release CID --reason TEXT",
		Short: "End your agency's publication of a payload / Thôi lưu giữ tệp",
		Long: `release ends your agency's publication of CID. When no agency publishes it
any more, every node deletes its blocks (garbage collection runs after the
block). For an encrypted payload, also destroy the key: see docs/payloads.md.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := submit(cmd, g, from, &registry.MsgReleasePayload{CID: args[0], Reason: registry.NFC(reason)})
			if err != nil {
				return err
			}
			res := map[string]any{"cid": args[0], "tx_hash": out.TxHash, "height": out.Height}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã yêu cầu các nút xóa tệp %s (khối %d)", args[0], out.Height), fmt.Sprintf("Released %s at height %d (tx %s)", args[0], out.Height, out.TxHash))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency key name")
	cmd.Flags().StringVar(&reason, "reason", "", "why (required), e.g. \"Hết thời hạn lưu trữ\"")
	return cmd
}
