package main

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newKeysRegisterOfficialCmd(g *globals) *cobra.Command {
	var from, label, pubHex string
	cmd := &cobra.Command{
		Use:   "register-official NAME --label TEXT --from AGENCY_KEY",
		Short: "Register an official's sub-key for your agency / Đăng ký khóa cán bộ",
		Long: `register-official registers the key NAME (created in this keyring if it does not
exist) as an official's sub-key (kind "official") of the agency that owns
--from, an agency main key. With --pubkey HEX instead of NAME, a key generated
on the official's own device is registered and no private key is created here.
The label names a post, never a person (e.g. "Cán bộ kiểm tra 03").
Officials log inspections ('result inspect') when their agency holds
result.inspector; the agency revokes a sub-key with key/revoke-sub.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var name string
			var pub []byte
			switch {
			case len(args) == 1 && pubHex == "":
				name = args[0]
				kr, err := g.keyring()
				if err != nil {
					return err
				}
				info, err := kr.Show(name)
				if err != nil {
					if info, err = kr.Add(name); err != nil {
						return err
					}
				}
				pub = info.PubKey
			case len(args) == 0 && pubHex != "":
				var err error
				if pub, err = parsePubKey(pubHex); err != nil {
					return err
				}
			default:
				return fmt.Errorf("give NAME or --pubkey")
			}
			msg := &registry.MsgAddSubKey{PubKey: pub, Label: registry.NFC(strings.TrimSpace(label))}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			out, err := submit(cmd, g, from, msg)
			if err != nil {
				return err
			}
			res := map[string]any{"name": name, "pub_key": hex.EncodeToString(pub), "key_id": registry.KeyID(pub),
				"kind": registry.KeyOfficial.String(), "label": msg.Label, "height": out.Height, "tx_hash": out.TxHash}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Registered official key %s (%s) at height %d", registry.KeyID(pub), msg.Label, out.Height))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency main key name")
	cmd.Flags().StringVar(&label, "label", "", `the official's post, e.g. "Cán bộ kiểm tra 01"`)
	cmd.Flags().StringVar(&pubHex, "pubkey", "", "register this public key (hex) instead of a keyring key")
	_ = cmd.MarkFlagRequired("label")
	return cmd
}
