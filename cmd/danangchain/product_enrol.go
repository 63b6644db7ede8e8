package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newProductEnrolCmd(g *globals) *cobra.Command {
	var from, workshop, village string
	var withdraw bool
	cmd := &cobra.Command{
		Use:   "enrol-artisan KEY --workshop TEXT --village TEXT --from REGISTRAR",
		Short: "Enrol an artisan key (registrar) / Ghi danh nghệ nhân",
		Long: `enrol-artisan lets an artisan key register craft products: KEY (64 hex
characters, or a key name in the keyring) must belong to an agency holding
craft.artisan. The signer's agency must hold craft.registrar (a craft-village
cooperative, the Department of Industry and Trade). The workshop and the
village are copied into every product the artisan registers. Only the
registrar that enrolled a key may update or --withdraw its enrolment;
products registered before stay valid.`,
		Example: `  danangchain product enrol-artisan artisan --workshop "Cơ sở điêu khắc đá Non Nước" \
      --village "Làng đá mỹ nghệ Non Nước" --from craftcoop`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pub, err := productKeyArg(g, args[0])
			if err != nil {
				return err
			}
			m := &registry.MsgEnrolArtisan{PubKey: pub, Workshop: registry.NFC(strings.TrimSpace(workshop)),
				Village: registry.NFC(strings.TrimSpace(village)), Status: registry.EnrolmentActive}
			if withdraw {
				m.Status = registry.EnrolmentWithdrawn
			}
			if err := m.ValidateBasic(); err != nil {
				return err
			}
			out, err := submit(cmd, g, from, m)
			if err != nil {
				return err
			}
			res := map[string]any{"artisan_key_id": registry.KeyID(pub), "status": m.Status.String(), "workshop": m.Workshop,
				"village": m.Village, "height": out.Height, "tx_hash": out.TxHash}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã cập nhật ghi danh nghệ nhân ở khối %d: %s, %s (sản phẩm đăng ký từ nay mang nơi sản xuất này; sản phẩm đã đăng ký giữ nguyên)",
				out.Height, m.Workshop, m.Village), fmt.Sprintf("Artisan key %s is %s (height %d, tx %s); products registered from now on carry this workshop and village, earlier ones keep theirs",
				registry.KeyID(pub), m.Status, out.Height, out.TxHash))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "registrar key name")
	cmd.Flags().StringVar(&workshop, "workshop", "", "workshop (cơ sở sản xuất)")
	cmd.Flags().StringVar(&village, "village", "", "craft village (làng nghề)")
	cmd.Flags().BoolVar(&withdraw, "withdraw", false, "withdraw the enrolment")
	return cmd
}
