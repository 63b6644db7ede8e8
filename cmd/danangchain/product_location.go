package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client/epcis"
	"github.com/danangchain/danangchain/registry"
)

func newProductNameLocationCmd(g *globals) *cobra.Command {
	var from, name string
	cmd := &cobra.Command{
		Use:   "name-location LOCATION --name TEXT --from KEY",
		Short: "Name one of your places, for traces and product pages / Đặt tên địa điểm",
		Long: `name-location records the name people should read for one of the business's
places — a GLN (Digital Link or EPC sgln URI), a location URN or a geo:LAT,LON
URI — instead of the code: traces and product pages then show "Lò mổ Hòa
Nhơn · Địa điểm (mã GLN …)". The first business to name a place owns the
name; only it may rename it. Roles: those that record events or scans.`,
		Example: `  danangchain product name-location urn:epc:id:sgln:8935678.00002.0 --name "Lò mổ Hòa Nhơn" --from slaughterhouse`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			loc := strings.TrimSpace(args[0])
			if !strings.HasPrefix(loc, "geo:") {
				var err error
				if loc, err = epcis.NormalizeIdentifier(loc); err != nil {
					return cliErrf(errFormat, "LOCATION %q: %v", args[0], err)
				}
			}
			m := &registry.MsgNameLocation{Location: loc, Name: registry.NFC(strings.TrimSpace(name))}
			if err := m.ValidateBasic(); err != nil {
				return err
			}
			out, err := submit(cmd, g, from, m)
			if err != nil {
				return err
			}
			res := map[string]any{"location": loc, "name": m.Name, "height": out.Height, "tx_hash": out.TxHash}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã đặt tên %q cho địa điểm %s (khối %d)", m.Name, loc, out.Height),
				fmt.Sprintf("Named %s %q (height %d, tx %s)", loc, m.Name, out.Height, out.TxHash))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "key name")
	cmd.Flags().StringVar(&name, "name", "", "the place's name, as people know it (Vietnamese)")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}
