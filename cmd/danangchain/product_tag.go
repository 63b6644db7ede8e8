package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// tagFlags select a tag: --qr SERIAL or --nfc UID.
type tagFlags struct{ qr, nfc string }

func (f *tagFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.qr, "qr", "", "QR stamp serial")
	cmd.Flags().StringVar(&f.nfc, "nfc", "", "NFC chip UID (hex, separators allowed)")
}

func (f *tagFlags) tag() (registry.TagKind, string, error) {
	switch {
	case f.qr != "" && f.nfc == "":
		t := registry.NormalizeTag(registry.TagQR, f.qr)
		return registry.TagQR, t, registry.CheckTag(registry.TagQR, t)
	case f.nfc != "" && f.qr == "":
		t := registry.NormalizeTag(registry.TagNFC, f.nfc)
		return registry.TagNFC, t, registry.CheckTag(registry.TagNFC, t)
	}
	return 0, "", cliErrf(errUsage, "give --qr SERIAL or --nfc UID")
}

func newProductBindTagCmd(g *globals) *cobra.Command {
	var from string
	var tf tagFlags
	cmd := &cobra.Command{
		Use:   "bind-tag PRODUCT (--qr SERIAL | --nfc UID) --from KEY",
		Short: "Activate a QR/NFC tag for a product / Kích hoạt tem",
		Long: `bind-tag links a physical tag to PRODUCT (an id or an identifier). The first
activation wins: a tag binds to one product only, and a product carries one
tag; binding a bound tag again, or a second tag printed with the same serial,
is refused (conflict). A craft product is tagged by its maker's workshop or
its current owner; a food object by a food business.`,
		Example: `  danangchain product bind-tag 7 --nfc 04:A2:3B:4C:5D:6E:7F --from artisan`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, tag, err := tf.tag()
			if err != nil {
				return err
			}
			id, err := resolveProductID(cmd, g, args[0])
			if err != nil {
				return err
			}
			out, err := submit(cmd, g, from, &registry.MsgBindTag{Product: id, Kind: kind, Tag: tag})
			if err != nil {
				return err
			}
			res := map[string]any{"product": registry.FormatProductID(id), "kind": kind.String(), "tag": tag,
				"url": productURL(g.verifyBase(), id), "height": out.Height, "tx_hash": out.TxHash}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã gắn tem vào sản phẩm %d ở khối %d", id, out.Height), fmt.Sprintf("%s tag %s is bound to product %d (height %d, tx %s)",
				kind, tag, id, out.Height, out.TxHash))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "key name")
	tf.register(cmd)
	return cmd
}
