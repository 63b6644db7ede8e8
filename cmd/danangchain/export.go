package main

import (
	"fmt"
	"os"
	"time"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/node"
)

func newExportCmd(g *globals) *cobra.Command {
	var (
		height  int64
		out     string
		chainID string
		genTime string
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write a genesis holding the state at a height (node stopped) / Xuất trạng thái thành genesis",
		Long: `export writes a genesis.json whose app_state is the whole application state after
block --height (every key and value, in key order), with initial_height
height+1, the validators of that state, the node's consensus parameters and,
as genesis time, the time of block --height. The output is deterministic:
every node exports the same bytes for the same height. Start a chain from it
like from any genesis (fresh data directories; see docs/operator-guide.md).
The node must be stopped.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := node.ExportOptions{Height: height, ChainID: chainID}
			if genTime != "" {
				t, err := time.Parse(time.RFC3339Nano, genTime)
				if err != nil {
					return fmt.Errorf("--genesis-time: %w", err)
				}
				o.GenesisTime = t
			}
			gen, err := node.ExportGenesis(g.home, o)
			if err != nil {
				return err
			}
			b, err := cmtjson.MarshalIndent(gen, "", "  ")
			if err != nil {
				return err
			}
			b = append(b, '\n')
			if out == "" || out == "-" {
				_, err = cmd.OutOrStdout().Write(b)
				return err
			}
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Exported the state after block %d of %s to %s (initial height %d, %d validators)\n",
				gen.InitialHeight-1, gen.ChainID, out, gen.InitialHeight, len(gen.Validators))
			return nil
		},
	}
	f := cmd.Flags()
	f.Int64Var(&height, "height", 0, "height whose state is exported (default: the latest committed)")
	f.StringVar(&out, "out", "", "output file (default: stdout)")
	f.StringVar(&chainID, "chain-id", "", "chain id of the new genesis (default: the current one)")
	f.StringVar(&genTime, "genesis-time", "", "genesis time, RFC 3339 (default: the time of block --height)")
	return cmd
}
