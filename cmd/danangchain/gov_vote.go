package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newGovVoteCmd(g *globals) *cobra.Command {
	var from string
	cmd := &cobra.Command{
		Use:   "vote PROPOSAL_ID yes|no",
		Short: "Vote on an open proposal",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("proposal id: %w", err)
			}
			var approve bool
			switch args[1] {
			case "yes", "có":
				approve = true
			case "no", "không":
			default:
				return cliErrf(errUsage, "vote must be yes or no")
			}
			out, err := submit(cmd, g, from, &registry.MsgVote{ProposalID: id, Approve: approve})
			if err != nil {
				return err
			}
			p, err := loadProposal(cmd, g, id)
			if err != nil {
				return err
			}
			res := map[string]any{"tx_hash": out.TxHash, "height": out.Height, "proposal": proposalView(p, uint64(out.Height))}
			return printTx(g, cmd.OutOrStdout(), res, fmt.Sprintf("Đã bỏ phiếu cho đề xuất %d ở khối %d", id, out.Height), fmt.Sprintf("Voted %s on proposal %d at height %d; proposal is now %s", args[1], id, out.Height, p.StatusAt(uint64(out.Height))))
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "council key name")
	return cmd
}

var _ = registry.ProposalOpen
