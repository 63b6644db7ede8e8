package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newNotaryAuthorizeCmd(g *globals) *cobra.Command {
	var from, ref, status string
	cmd := &cobra.Command{
		Use:     "authorize AGENCY_ID",
		Aliases: []string{"authorise"},
		Short:   "Authorise, suspend or revoke a notary office / Cho phép, đình chỉ tổ chức hành nghề công chứng",
		Long: `authorize records the Department of Justice's decision on a notary office
(an agency holding notary.office): --status authorised, suspended or revoked
(final). Only an authorised office can anchor contracts. Signed by --from, a
notary.authority key (Sở Tư pháp).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := registry.ParseOfficeStatus(status)
			if err != nil {
				return err
			}
			out, err := submit(cmd, g, from, &registry.MsgNotaryAuthorize{Agency: args[0], Status: st, Ref: registry.NFC(ref)})
			if err != nil {
				return err
			}
			res := map[string]any{"agency": args[0], "status": st.String(), "ref": registry.NFC(ref), "tx_hash": out.TxHash, "height": out.Height}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã cập nhật trạng thái tổ chức hành nghề công chứng %s ở khối %d", args[0], out.Height), fmt.Sprintf("Notary office %s is %s from height %d (tx %s)", args[0], st, out.Height, out.TxHash))
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "notary.authority key")
	f.StringVar(&ref, "ref", "", "reference number of the decision, e.g. 120/QĐ-STP")
	f.StringVar(&status, "status", "authorised", "authorised, suspended or revoked")
	_ = cmd.MarkFlagRequired("ref")
	return cmd
}
