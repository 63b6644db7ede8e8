package main

import (
	"encoding/binary"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client/epcis"
	"github.com/danangchain/danangchain/registry"
)

func newProductScanCmd(g *globals) *cobra.Command {
	var from, location string
	var tf tagFlags
	cmd := &cobra.Command{
		Use:   "scan (--qr SERIAL | --nfc UID) --location ID --from KEY",
		Short: "Record a scan of a product tag (retailer, inspector) / Ghi nhận quét tem",
		Long: `scan records that the signer's agency (a retailer, a food business, an
inspector, a craft shop) saw the tag at --location (a GLN Digital Link, an
EPC sgln URI or a location code). 'product trace' flags a tag scanned at two
places less than an hour apart, or anywhere but the shop after its sale.`,
		Example: `  danangchain product scan --qr DN-CH-2510-0001 --location urn:epc:id:sgln:8935678.00004.0 --from retailer`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kind, tag, err := tf.tag()
			if err != nil {
				return err
			}
			loc, err := epcis.NormalizeIdentifier(location)
			if err != nil {
				return err
			}
			m := &registry.MsgScanTag{Kind: kind, Tag: tag, Location: loc}
			if err := m.ValidateBasic(); err != nil {
				return err
			}
			out, err := submit(cmd, g, from, m)
			if err != nil {
				return err
			}
			b := out.Raw
			if len(b) != 16 {
				return fmt.Errorf("unexpected tx data %q", out.Data)
			}
			id, seq := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
			res := map[string]any{"product": registry.FormatProductID(id), "scan": seq, "location": loc, "height": out.Height,
				"tx_hash": out.TxHash}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã ghi lượt quét %d của sản phẩm %d ở khối %d", seq, id, out.Height), fmt.Sprintf("Scan %d of product %d at %s (height %d, tx %s)", seq, id, loc,
				out.Height, out.TxHash))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "key name")
	cmd.Flags().StringVar(&location, "location", "", "where the tag was scanned")
	tf.register(cmd)
	_ = cmd.MarkFlagRequired("location")
	return cmd
}
