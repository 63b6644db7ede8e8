package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

func newTestnetCmd(g *globals) *cobra.Command {
	var (
		n        int
		out      string
		chainID  string
		basePort int
		host     string
		listen   string
	)
	cmd := &cobra.Command{
		Use:   "testnet",
		Short: "Write N validator homes wired together / Tạo mạng thử nghiệm N nút",
		Long: `testnet writes DIR/node0 ... DIR/node{N-1}, each a validator of one chain, with
persistent peers set and distinct ports on 127.0.0.1: node i uses
base+10i (p2p), base+10i+1 (RPC), base+10i+2 (API) and base+10i+3 (Prometheus).
The demo council and agencies are in each home's test keyring.
Start each node with: danangchain start --home DIR/nodeI`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if n < 1 || n > 64 {
				return fmt.Errorf("--validators must be 1..64")
			}
			if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
				return fmt.Errorf("%s is not empty", out)
			}
			var nodes []netNode
			for i := 0; i < n; i++ {
				h := host
				if h == "" {
					h = "127.0.0.1"
				}
				p := basePort + 10*i
				nodes = append(nodes, netNode{
					home: filepath.Join(out, fmt.Sprintf("node%d", i)), moniker: fmt.Sprintf("city-node-%d", i),
					p2p: fmt.Sprintf("%s:%d", h, p), rpc: fmt.Sprintf("%s:%d", h, p+1),
					api: fmt.Sprintf("%s:%d", h, p+2), prom: fmt.Sprintf("%s:%d", h, p+3)})
			}
			infos, err := setupNetwork(chainID, nodes, listen)
			if err != nil {
				return err
			}
			type row struct {
				Home, NodeID, P2P, RPC, API, Prometheus string
			}
			var rows []row
			for i, nd := range nodes {
				rows = append(rows, row{nd.home, infos[i].NodeID, nd.p2p, nd.rpc, nd.api, nd.prom})
			}
			return g.print(cmd.OutOrStdout(), map[string]any{"chain_id": chainID, "nodes": rows}, func(w io.Writer) {
				fmt.Fprintf(w, "Testnet %s with %d validators in %s\n", chainID, n, out)
				for _, r := range rows {
					fmt.Fprintf(w, "  %-24s p2p %-16s rpc %-16s api %-16s metrics %s\n", r.Home, r.P2P, r.RPC, r.API, r.Prometheus)
				}
				fmt.Fprintf(w, "Start each: danangchain start --home %s/nodeI\n", out)
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&n, "validators", 4, "number of validators")
	f.StringVar(&out, "output", "./testnet", "output directory")
	f.StringVar(&chainID, "chain-id", "danang-testnet", "chain id")
	f.IntVar(&basePort, "base-port", 26600, "first port")
	f.StringVar(&host, "host", "", "advertised host of every node (default 127.0.0.1)")
	f.StringVar(&listen, "listen-host", "", "listen host (default: the advertised address, e.g. 0.0.0.0 in containers)")
	return cmd
}
