package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// newResultStatusCmd builds result revoke, result suspend and result
// reinstate.
func newResultStatusCmd(g *globals, op registry.ResultOp) *cobra.Command {
	var from, reason string
	var code uint64
	short := map[registry.ResultOp]string{
		registry.OpRevoke:    "Revoke a result (final) / Thu hồi kết quả",
		registry.OpSuspend:   "Suspend a result / Tạm đình chỉ kết quả",
		registry.OpReinstate: "Reinstate a suspended result / Khôi phục kết quả",
	}[op]
	after := map[registry.ResultOp]registry.ResultStatus{
		registry.OpRevoke: registry.ResultRevoked, registry.OpSuspend: registry.ResultSuspended,
		registry.OpReinstate: registry.ResultActive,
	}[op]
	use := op.String() + " ID --from KEY"
	if op == registry.OpRevoke {
		use = "revoke ID --reason TEXT [--reason-code N] --from KEY"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long: short + `.

Only the issuing agency may change a result's status, with a main key.
Revocation is final. The reason is public: never put the holder's name or
identifiers in it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseResultID(args[0])
			if err != nil {
				return err
			}
			msg := &registry.MsgSetResultStatus{ID: id, Op: op, ReasonCode: code, Reason: registry.NFC(strings.TrimSpace(reason))}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			out, err := submit(cmd, g, from, msg)
			if err != nil {
				return err
			}
			res := map[string]any{"id": registry.FormatResultID(id), "status": after.String(), "height": out.Height, "tx_hash": out.TxHash}
			if msg.Reason != "" || code != 0 {
				res["reason"], res["reason_code"] = msg.Reason, code
			}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Kết quả %s đã chuyển sang trạng thái %s ở khối %d", res["id"], after, out.Height), fmt.Sprintf("Result %s is now %s (height %d, tx %s)", res["id"], after, out.Height, out.TxHash))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "agency main key name")
	cmd.Flags().StringVar(&reason, "reason", "", "reason (public text, Vietnamese)")
	cmd.Flags().Uint64Var(&code, "reason-code", 0, "the agency's reason code")
	if op == registry.OpRevoke {
		_ = cmd.MarkFlagRequired("reason")
	}
	return cmd
}
