package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newProductRateCmd(g *globals) *cobra.Command {
	var from, scheme, ref, cert, validUntil string
	var level uint64
	cmd := &cobra.Command{
		Use:   "rate PRODUCT --stars N --ref DECISION --from RATER",
		Short: "Attest a quality rating such as OCOP stars / Chứng nhận xếp hạng",
		Long: `rate records a quality attestation about PRODUCT by a rating agency (role
product.rater): an OCOP rating of 3, 4 or 5 stars by default (--scheme ocop),
with the decision number, an optional certificate (CID or file) and an
optional end of validity. Producers never rate their own products: an agency
holding craft.artisan or food.business, or the product's maker, is refused.`,
		Example: `  danangchain product rate 7 --stars 4 --ref 2451/QĐ-UBND --valid-until 2028-12-31 --from craftcoop`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := resolveProductID(cmd, g, args[0])
			if err != nil {
				return err
			}
			m := &registry.MsgAttestProduct{Product: id, Scheme: strings.TrimSpace(scheme), Level: level,
				Ref: registry.NFC(strings.TrimSpace(ref))}
			if cert != "" {
				if m.Certificate, err = cidArg(cert); err != nil {
					return err
				}
			}
			if m.ValidUntil, err = parseValidity(validUntil, true); err != nil {
				return err
			}
			if err := m.ValidateBasic(); err != nil {
				return err
			}
			if cert != "" {
				cids, err := publishFiles(cmd, g, from, "certificate", []string{cert})
				if err != nil {
					return err
				}
				m.Certificate = cids[0]
			}
			out, err := submit(cmd, g, from, m)
			if err != nil {
				return err
			}
			res := map[string]any{"product": registry.FormatProductID(id), "scheme": m.Scheme, "level": m.Level, "ref": m.Ref,
				"height": out.Height, "tx_hash": out.TxHash}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã ghi xếp hạng %s %d sao cho sản phẩm %d ở khối %d", m.Scheme, m.Level, id, out.Height), fmt.Sprintf("Product %d rated %s %d (height %d, tx %s)", id, m.Scheme, m.Level,
				out.Height, out.TxHash))
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "rating agency key name")
	f.StringVar(&scheme, "scheme", registry.SchemeOCOP, "rating scheme")
	f.Uint64Var(&level, "stars", 0, "stars (OCOP: 3-5) or level")
	f.StringVar(&ref, "ref", "", "decision / certificate number")
	f.StringVar(&cert, "certificate", "", "certificate: a CID, or a file to publish")
	f.StringVar(&validUntil, "valid-until", "", "valid through: YYYY-MM-DD (UTC+7) or an RFC 3339 time")
	_ = cmd.MarkFlagRequired("stars")
	_ = cmd.MarkFlagRequired("ref")
	return cmd
}
