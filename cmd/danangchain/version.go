package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

func depVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return "unknown"
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version / In phiên bản",
		Long: `version prints the build's versions and, with --home of a node, the SHA-256 of
the verify page that node serves (the page pins the chain's trust root, so
every node of one chain serves the same bytes) and of its WebAssembly
verifier. Publish them; compare with 'curl -s API/v/1 | sha256sum'.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := map[string]any{
				"version": Version, "app_protocol": registry.AppProtocolVersion, "go": runtime.Version(),
				"cometbft": depVersion("github.com/cometbft/cometbft"), "iavl": depVersion("github.com/cosmos/iavl"),
			}
			// The verify page served for this home's chain (its trust root
			// pinned) and the verifier inside: every node of the chain
			// serves these same bytes, so their hashes tell the official
			// page from a look-alike.
			if gen, err := node.LoadGenesis(g.home); err == nil {
				page, wasm, err := pageHash(gen)
				if err != nil {
					return err
				}
				v["chain_id"], v["verify_page_sha256"], v["verifier_wasm_sha256"] = gen.ChainID, page, wasm
			}
			return g.print(cmd.OutOrStdout(), v, func(w io.Writer) {
				fmt.Fprintf(w, "danangchain %s (app protocol %d, %s, cometbft %s, iavl %s)\n",
					Version, registry.AppProtocolVersion, runtime.Version(), v["cometbft"], v["iavl"])
				if v["verify_page_sha256"] != nil {
					fmt.Fprintf(w, "verify page for chain %s: sha256 %s\nverifier.wasm: sha256 %s\n",
						v["chain_id"], v["verify_page_sha256"], v["verifier_wasm_sha256"])
				}
			})
		},
	}
}
