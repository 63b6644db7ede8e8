package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cometbft/cometbft/types"
	"github.com/spf13/cobra"
)

func newNotaryVerifyCheckCmd(g *globals) *cobra.Command {
	var genesis, trusted string
	cmd := &cobra.Command{
		Use:   "verify-check BUNDLE",
		Short: "Verify a notary check's proof bundle offline / Xác minh ngoại tuyến",
		Long: `verify-check verifies a bundle written by 'notary check --out' with no network:
the file is canonical; the header's commit is signed by more than 2/3 of the
voting power of the bundled validator set; that set hashes to the header's
validators hash and equals the trusted set; the ICS23 proofs verify against
the header's app hash; and the entries are the property's index and its
active notices.

The trusted set is the genesis validator set (--genesis, default
<home>/config/genesis.json). If the validators changed since genesis, pass
--trusted-validators FILE ({"validators":[{"pub_key":HEX,"power":N}]}) with a
set you trust for that height: a bundle carries one header, not the chain of
headers from genesis. Exit status 1 if anything does not verify.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if genesis == "" {
				genesis = filepath.Join(g.home, "config", "genesis.json")
			}
			fail := func(err error) error {
				if g.json() {
					_ = g.print(cmd.OutOrStdout(), map[string]any{"proof_verified": false, "error": err.Error()}, nil)
				}
				return &exitError{code: 1, err: cliErrf(errNotVerified, "%v", err)}
			}
			gen, err := types.GenesisDocFromFile(genesis)
			if err != nil {
				return fmt.Errorf("genesis: %w", err)
			}
			vs, chainID, err := trustedSet(gen, trusted)
			if err != nil {
				return err
			}
			k, err := genesisKeying(gen)
			if err != nil {
				return err
			}
			raw, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			res, err := verifyBundle(raw, chainID, k, vs)
			if err != nil {
				return fail(err)
			}
			v := viewCheck(res)
			v.Trusted = "genesis"
			if trusted != "" {
				v.Trusted = "--trusted-validators"
			}
			return g.print(cmd.OutOrStdout(), v, func(w io.Writer) {
				printCheck(w, v)
				fmt.Fprintln(w, "  VERIFIED offline / Đã xác minh")
			})
		},
	}
	cmd.Flags().StringVar(&genesis, "genesis", "", "genesis file: the chain id and the trusted validator set (default <home>/config/genesis.json)")
	cmd.Flags().StringVar(&trusted, "trusted-validators", "", "JSON file with a trusted validator set, when it changed since genesis")
	return cmd
}
