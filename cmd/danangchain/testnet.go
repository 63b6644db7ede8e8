package main

import (
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

func newTestnetCmd(g *globals) *cobra.Command {
	var (
		n         int
		full      int
		out       string
		chainID   string
		basePort  int
		host      string
		startIP   string
		listen    string
		snapEvery uint64
	)
	cmd := &cobra.Command{
		Use:   "testnet",
		Short: "Write N validator homes wired together / Tạo mạng thử nghiệm N nút",
		Long: `testnet writes DIR/node0 ... DIR/node{N-1}, each a validator of one chain, with
persistent peers set and distinct ports: node i uses base+10i (p2p),
base+10i+1 (RPC), base+10i+2 (API) and base+10i+3 (Prometheus).
--full-nodes M adds DIR/nodeN ... DIR/node{N+M-1}: full nodes with the same
genesis that dial the validators (the validators do not dial them).

Every node advertises 127.0.0.1, or --host, or with --starting-ip IP the
address IP+i (one container per node on a private network, see
networks/local). --listen-host 0.0.0.0 makes the nodes listen on every
interface (containers). The demo council and agencies are in each home's
test keyring. Start each node with: danangchain start --home DIR/nodeI`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if n < 1 || n > 64 || full < 0 || n+full > 64 {
				return fmt.Errorf("--validators must be 1..64 and --full-nodes 0..64-validators")
			}
			if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
				return fmt.Errorf("%s is not empty", out)
			}
			var ip netip.Addr
			if startIP != "" {
				var err error
				if ip, err = netip.ParseAddr(startIP); err != nil || !ip.Is4() {
					return fmt.Errorf("--starting-ip %q: want an IPv4 address", startIP)
				}
			}
			var nodes []netNode
			for i := 0; i < n+full; i++ {
				h := host
				if h == "" {
					h = "127.0.0.1"
				}
				if ip.IsValid() {
					h = ip.String()
					ip = ip.Next()
				}
				p := basePort + 10*i
				moniker := fmt.Sprintf("city-node-%d", i)
				if i >= n {
					moniker = fmt.Sprintf("city-full-%d", i)
				}
				nodes = append(nodes, netNode{
					home: filepath.Join(out, fmt.Sprintf("node%d", i)), moniker: moniker,
					p2p: fmt.Sprintf("%s:%d", h, p), rpc: fmt.Sprintf("%s:%d", h, p+1),
					api: fmt.Sprintf("%s:%d", h, p+2), prom: fmt.Sprintf("%s:%d", h, p+3),
					full: i >= n, snapshotInterval: snapEvery})
			}
			infos, err := setupNetwork(chainID, nodes, listen)
			if err != nil {
				return err
			}
			type row struct {
				Home, NodeID, P2P, RPC, API, Prometheus string
				Validator                               bool
			}
			var rows []row
			for i, nd := range nodes {
				rows = append(rows, row{nd.home, infos[i].NodeID, nd.p2p, nd.rpc, nd.api, nd.prom, !nd.full})
			}
			return g.print(cmd.OutOrStdout(), map[string]any{"chain_id": chainID, "nodes": rows}, func(w io.Writer) {
				fmt.Fprintf(w, "Testnet %s with %d validators and %d full nodes in %s\n", chainID, n, full, out)
				for _, r := range rows {
					kind := "validator"
					if !r.Validator {
						kind = "full node"
					}
					fmt.Fprintf(w, "  %-24s %-9s p2p %-16s rpc %-16s api %-16s metrics %s\n", r.Home, kind, r.P2P, r.RPC, r.API, r.Prometheus)
				}
				fmt.Fprintf(w, "Start each: danangchain start --home %s/nodeI\n", out)
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&n, "validators", 4, "number of validators")
	f.IntVar(&full, "full-nodes", 0, "number of full (non-validator) nodes after the validators")
	f.StringVar(&out, "output", "./testnet", "output directory")
	f.StringVar(&chainID, "chain-id", "danang-testnet", "chain id")
	f.IntVar(&basePort, "base-port", 26600, "first port")
	f.StringVar(&host, "host", "", "advertised host of every node (default 127.0.0.1)")
	f.StringVar(&startIP, "starting-ip", "", "advertise IP+i for node i (one address per node, e.g. 172.30.0.2 in networks/local)")
	f.StringVar(&listen, "listen-host", "", "listen host (default: the advertised address, e.g. 0.0.0.0 in containers)")
	f.Uint64Var(&snapEvery, "snapshot-interval", 0, "state-sync snapshot every N blocks (default: app.toml's default, 1000)")
	return cmd
}
