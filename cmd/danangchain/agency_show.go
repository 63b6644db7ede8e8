package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newAgencyShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show an agency (verified proof)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := getVerified(cmd, g, registry.AgencyKey(args[0]))
			if err != nil {
				return err
			}
			if p.Value == nil {
				return fmt.Errorf("%w: agency %q (proven absent at height %d)", registry.ErrNotFound, args[0], p.Height)
			}
			a, err := registry.DecodeAgency(p.Value)
			if err != nil {
				return err
			}
			v := agencyView(a)
			out := map[string]any{"agency": v, "height": p.Height, "proof_verified": true}
			return g.print(cmd.OutOrStdout(), out, func(w io.Writer) {
				fmt.Fprintf(w, "%s — %s\n  status %s, roles %v, since height %d\n  proof verified at height %d\n", v.ID, v.Name, v.Status, v.Roles, v.Created, p.Height)
			})
		},
	}
}
