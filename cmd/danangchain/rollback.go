package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/node"
)

func newRollbackCmd(g *globals) *cobra.Command {
	var hard bool
	cmd := &cobra.Command{
		Use:   "rollback",
		Short: "Roll a stopped node back one height (CometBFT and application state) / Lùi trạng thái một khối",
		Long: `rollback moves a stopped node from height n back to n-1: CometBFT's state and the
application state (IAVL, with the snapshots above n-1) together. Without --hard
block n stays in the block store and is executed again at the next start (use
this after a crash left a wrong app hash, or after upgrading a binary that
computes block n differently); with --hard block n is deleted too and fetched
again from the peers. Run it again to go back further.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := node.Rollback(g.home, hard)
			if err != nil {
				return err
			}
			return g.print(cmd.OutOrStdout(), res, func(w io.Writer) {
				what := "state"
				if hard {
					what = "state and block"
				}
				fmt.Fprintf(w, "Rolled back %s to height %d (application was at %d), app hash %X\n", what, res.Height, res.AppFrom, res.AppHash)
			})
		},
	}
	cmd.Flags().BoolVar(&hard, "hard", false, "also delete the last block (it is fetched again from peers)")
	return cmd
}
