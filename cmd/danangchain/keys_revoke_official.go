package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newKeysRevokeOfficialCmd(g *globals) *cobra.Command {
	var from, reason, pubHex string
	var since uint64
	cmd := &cobra.Command{
		Use:   "revoke-official NAME|--pubkey HEX --reason TEXT --from AGENCY_KEY",
		Short: "Revoke an official's sub-key of your agency / Thu hồi khóa cán bộ",
		Long: `revoke-official revokes one of your agency's official sub-keys (a lost or
stolen phone, an official who left): it signs nothing from then on; what it
signed before stays valid. With --compromised-since H the key is declared
compromised since height H (also a key already revoked): everything it signed
at or after H verifies as "compromised", never valid, on every path.`,
		Example: `  danangchain keys revoke-official inspector1 --reason "Mất điện thoại" --from ward
  danangchain keys revoke-official inspector1 --reason "Lộ khóa" --compromised-since 1200 --from ward`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pub, _, err := officialKey(g, args, pubHex, false)
			if err != nil {
				return err
			}
			msg := &registry.MsgRevokeSubKey{PubKey: pub, Reason: registry.NFC(strings.TrimSpace(reason)), CompromisedSince: since}
			out, err := submit(cmd, g, from, msg)
			if err != nil {
				return err
			}
			res := map[string]any{"key_id": registry.KeyID(pub), "reason": msg.Reason, "height": out.Height, "tx_hash": out.TxHash}
			vi := fmt.Sprintf("Đã thu hồi khóa cán bộ %s ở khối %d", registry.KeyID(pub), out.Height)
			en := fmt.Sprintf("Revoked official key %s at height %d (tx %s)", registry.KeyID(pub), out.Height, out.TxHash)
			if since > 0 {
				res["compromised_since"] = since
				vi += fmt.Sprintf("; mọi thứ khóa này ký từ khối %d không còn được công nhận", since)
				en += fmt.Sprintf("; everything it signed from height %d on verifies as compromised", since)
			}
			return printTx(g, cmd.OutOrStdout(), res, vi, en)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency main key name")
	cmd.Flags().StringVar(&reason, "reason", "", `why, e.g. "Mất điện thoại"`)
	cmd.Flags().StringVar(&pubHex, "pubkey", "", "the sub-key's public key (hex) instead of a keyring name")
	cmd.Flags().Uint64Var(&since, "compromised-since", 0, "declare the key compromised since this height")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}
