package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client/epcis"
	"github.com/danangchain/danangchain/registry"
)

func newProductAuthorizeCmd(g *globals) *cobra.Command {
	var from, ref string
	var steps []string
	var withdraw bool
	cmd := &cobra.Command{
		Use:   "authorize-business AGENCY --step STEP... --from FOOD_AUTHORITY",
		Short: "Authorise a food business per kind of step (BQL ATTP) / Cấp phép ghi sự kiện",
		Long: `authorize-business lets a food business (an agency holding food.business)
record EPCIS events of the given kinds of step: CBV bizStep terms such as
commissioning, shipping, receiving, slaughtering, packing, unpacking,
retail_selling (or a private bizStep URI). The signer's agency must hold
food.authority (Ban Quản lý An toàn thực phẩm). --withdraw ends the
authorisation; events recorded before stay valid.`,
		Example: `  danangchain product authorize-business co-so-giet-mo-hoa-nhon --step receiving,slaughtering,shipping \
      --ref 15/QĐ-BQLATTP --from foodsafety`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var list []string
			for _, s := range steps {
				for _, p := range strings.Split(s, ",") {
					if p = strings.TrimSpace(p); p != "" {
						list = append(list, epcis.NormalizeVocab(registry.VocabBizStep, p))
					}
				}
			}
			list, _ = sortUniqueStrings(list)
			m := &registry.MsgAuthorizeFood{Agency: strings.TrimSpace(args[0]), BizSteps: list, Status: registry.FoodAuthorised,
				Ref: registry.NFC(strings.TrimSpace(ref))}
			if withdraw {
				m.Status = registry.FoodWithdrawn
			}
			if err := m.ValidateBasic(); err != nil {
				return err
			}
			out, err := submit(cmd, g, from, m)
			if err != nil {
				return err
			}
			res := map[string]any{"agency": m.Agency, "biz_steps": list, "status": m.Status.String(), "height": out.Height, "tx_hash": out.TxHash}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã cập nhật quyền ghi công đoạn của %s ở khối %d", m.Agency, out.Height), fmt.Sprintf("%s is %s for %s (height %d, tx %s)", m.Agency, m.Status,
				strings.Join(list, ", "), out.Height, out.TxHash))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "food authority key name")
	cmd.Flags().StringSliceVar(&steps, "step", nil, "bizStep(s), comma-separated or repeated")
	cmd.Flags().StringVar(&ref, "ref", "", "decision number")
	cmd.Flags().BoolVar(&withdraw, "withdraw", false, "withdraw the authorisation")
	_ = cmd.MarkFlagRequired("step")
	return cmd
}
