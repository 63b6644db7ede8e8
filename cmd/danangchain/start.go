package main

import (
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/node"
)

func newStartCmd(g *globals) *cobra.Command {
	var baseline bool
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Run the node until SIGINT/SIGTERM / Chạy nút",
		Long: `start runs CometBFT with the DanangChain application in one process. SIGTERM or
Ctrl-C stops it gracefully: the API server, then consensus, then the state
database are closed, and the process exits 0.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, err := node.New(g.home, node.Options{LogWriter: cmd.ErrOrStderr(), Version: Version, Routes: apiRoutes, BaselineKVStore: baseline})
			if err != nil {
				return err
			}
			return n.Run(cmd.Context())
		},
	}
	cmd.Flags().BoolVar(&baseline, "baseline-kvstore", false, "run CometBFT's example kvstore app instead (benchmark baseline only)")
	return cmd
}
