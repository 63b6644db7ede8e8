package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/node"
)

func newInitCmd(g *globals) *cobra.Command {
	var chainID, genesisFile string
	cmd := &cobra.Command{
		Use:   "init MONIKER",
		Short: "Create a node home (config, keys, genesis) / Khởi tạo thư mục nút",
		Long: `init writes <home>/config/{config.toml,app.toml,node_key.json,priv_validator_key.json}.

With --genesis FILE the node joins an existing network (copy its genesis and set
persistent_peers in config.toml). Without it, init creates a new single-validator
chain with a demo council and agencies in a test keyring (use testnet for more
validators).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := os.Stat(filepath.Join(g.home, "config", "genesis.json")); err == nil {
				return cliErrf(errUsage, "%s is already initialised", g.home)
			}
			if genesisFile != "" {
				conf := node.DefaultCometConfig(g.home, args[0])
				info, err := node.InitHome(g.home, conf, node.DefaultAppConfig())
				if err != nil {
					return err
				}
				b, err := os.ReadFile(genesisFile)
				if err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(g.home, "config", "genesis.json"), b, 0o644); err != nil {
					return err
				}
				return g.print(cmd.OutOrStdout(), map[string]any{"home": g.home, "node_id": info.NodeID,
					"validator_pub_key": fmt.Sprintf("%x", info.ValPub)}, func(w io.Writer) {
					fmt.Fprintf(w, "Initialised %s (node id %s)\nValidator public key: %x\nAsk the council to add it: danangchain gov propose set-validator --pubkey %x --power 10 --name %q\n",
						g.home, info.NodeID, info.ValPub, info.ValPub, args[0])
				})
			}
			infos, err := setupNetwork(chainID, []netNode{{home: g.home, moniker: args[0],
				p2p: "127.0.0.1:26656", rpc: "127.0.0.1:26657", api: "127.0.0.1:1317", prom: "127.0.0.1:26660"}}, "")
			if err != nil {
				return err
			}
			return g.print(cmd.OutOrStdout(), map[string]any{"home": g.home, "chain_id": chainID, "node_id": infos[0].NodeID},
				func(w io.Writer) {
					fmt.Fprintf(w, "Initialised chain %s in %s (node id %s)\nStart it: danangchain start --home %s\n", chainID, g.home, infos[0].NodeID, g.home)
				})
		},
	}
	cmd.Flags().StringVar(&chainID, "chain-id", "danang-local", "chain id of a new chain")
	cmd.Flags().StringVar(&genesisFile, "genesis", "", "join an existing network with this genesis.json")
	return cmd
}
