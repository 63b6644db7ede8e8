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
prints each canonical string with its key, SHA-256(canonical string). See
docs/notary.md for the normalisation rules.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ps, _, err := parseProperties(args)
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
