package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

func newNotaryKeyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "key PROPERTY...",
		Short: "Print the normalised identifier and key of properties (offline)",
		Long: `key normalises property identifiers exactly as the other notary commands do and
prints each canonical string with its key on this chain: Argon2id of the
string, salted with the chain id, at the cost in genesis (chains created
before version-2 keys: SHA-256 of the string). It needs the home's
genesis.json, not a node. See docs/notary.md and docs/privacy.md.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := g.propertyKeying()
			if err != nil {
				return err
			}
			ps, _, err := parseProperties(k, args)
			if err != nil {
				return err
			}
			views := propertyViews(ps)
			return g.print(cmd.OutOrStdout(), map[string]any{"properties": views}, func(w io.Writer) {
				for _, v := range views {
					fmt.Fprintf(w, "%s  %s\n", v.Key, v.Property)
				}
			})
		},
	}
}
