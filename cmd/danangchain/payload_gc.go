package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/node"
)

func newPayloadGCCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "gc",
		Short: "Delete payload blocks no live record retains (operator) / Dọn khối không còn dùng",
		Long: `gc deletes from --home's payload store every block the chain no longer
retains: blocks of payloads without a live publication whose upload is older
than the staging window (1,200 blocks), and blocks the chain never recorded.
A running node does this by itself after every release and every 1,000
blocks; this command is for a stopped node (its databases are locked while it
runs).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, st, err := node.OpenOffline(g.home)
			if err != nil {
				return err
			}
			defer st.Close()
			defer a.Close()
			stats, err := a.PayloadGC(cmd.Context())
			if err != nil {
				return err
			}
			res := map[string]any{"height": a.Height(), "blocks": stats.Blocks, "removed": stats.Removed, "kept": stats.Kept}
			return g.print(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "Payload GC at height %d: %d blocks, %d removed, %d kept\n", a.Height(), stats.Blocks, stats.Removed, stats.Kept)
			})
		},
	}
}
